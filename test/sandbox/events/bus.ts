// Events between sandbox services, on the sandbox's EventEmitter: AWS service events put on
// EventBridge's default bus (what CodeCommit emits when a ref changes), and the rule targets
// EventBridge invokes (what starts a pipeline).
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types';

/** An event as EventBridge delivers it (the envelope every AWS service event has). */
export interface AwsEvent {
  readonly version: '0';
  readonly id: string;
  readonly 'detail-type': string;
  readonly source: string;
  readonly account: string;
  /** ISO-8601 to the second, as AWS writes it. */
  readonly time: string;
  readonly region: string;
  readonly resources: readonly string[];
  readonly detail: Readonly<Record<string, unknown>>;
}

/** A rule target that is a pipeline: EventBridge calls StartPipelineExecution with the target's role. */
export interface PipelineTargetInvocation {
  readonly pipelineArn: string;
  readonly ruleArn: string;
  readonly event: AwsEvent;
}

const PUT = 'events.put';
const START_PIPELINE = 'events.startPipeline';

export function awsEvent(
  sandbox: Sandbox,
  fields: Pick<AwsEvent, 'source' | 'detail-type' | 'account' | 'region' | 'resources' | 'detail'>,
): AwsEvent {
  return {
    version: '0',
    id: randomUUID(),
    time: sandbox.clock
      .now()
      .toISOString()
      .replace(/\.\d+Z$/, 'Z'),
    ...fields,
  };
}

/** A service puts an event on the account's default event bus. */
export function putEvent(sandbox: Sandbox, event: AwsEvent): void {
  sandbox.bus.emit(PUT, event);
}

export function onEvent(sandbox: Sandbox, listener: (event: AwsEvent) => void): () => void {
  sandbox.bus.on(PUT, listener);
  return () => sandbox.bus.off(PUT, listener);
}

export function invokePipelineTarget(sandbox: Sandbox, invocation: PipelineTargetInvocation): void {
  sandbox.bus.emit(START_PIPELINE, invocation);
}

export function onPipelineTarget(
  sandbox: Sandbox,
  listener: (invocation: PipelineTargetInvocation) => void,
): () => void {
  sandbox.bus.on(START_PIPELINE, listener);
  return () => sandbox.bus.off(START_PIPELINE, listener);
}
