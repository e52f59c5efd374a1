// The stack event stream: every status change of the stack or a resource becomes an event, newest first.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types.js';
import type { ResourceRecord, StackEvent, StackRecord } from './state.js';

export const STACK_TYPE = 'AWS::CloudFormation::Stack';

export function stackEvent(sandbox: Sandbox, stack: StackRecord, status: string, reason?: string): void {
  const now = sandbox.clock.now().toISOString();
  stack.status = status;
  stack.statusReason = reason;
  push(sandbox, stack, {
    EventId: randomUUID(),
    StackId: stack.stackId,
    StackName: stack.stackName,
    LogicalResourceId: stack.stackName,
    PhysicalResourceId: stack.stackId,
    ResourceType: STACK_TYPE,
    Timestamp: now,
    ResourceStatus: status,
    ResourceStatusReason: reason,
  });
}

export function resourceEvent(
  sandbox: Sandbox,
  stack: StackRecord,
  resource: ResourceRecord,
  status: string,
  reason?: string,
  physicalId: string | undefined = resource.physicalId,
  templateProperties?: unknown,
): void {
  const now = sandbox.clock.now().toISOString();
  resource.status = status;
  resource.statusReason = reason;
  resource.timestamp = now;
  push(sandbox, stack, {
    EventId: `${resource.logicalId}-${status}-${now}`,
    StackId: stack.stackId,
    StackName: stack.stackName,
    LogicalResourceId: resource.logicalId,
    PhysicalResourceId: physicalId ?? '',
    ResourceType: resource.type,
    Timestamp: now,
    ResourceStatus: status,
    ResourceStatusReason: reason,
    ResourceProperties: templateProperties === undefined ? undefined : JSON.stringify(templateProperties),
  });
}

function push(sandbox: Sandbox, stack: StackRecord, event: StackEvent): void {
  stack.events.push(event);
  sandbox.changed();
}
