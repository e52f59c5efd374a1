// CreateChangeSet, DescribeChangeSet, ExecuteChangeSet, DeleteChangeSet, ListChangeSets.
import { randomUUID } from 'node:crypto';
import { AwsError, type RequestContext } from '../core/types.js';
import { computeChanges, type DeployedResource } from './engine/changes.js';
import { describeParameters } from './engine/parameters.js';
import type { Template } from './engine/types.js';
import { stackEvent } from './events.js';
import { optString, page, stringList, tagList, templateFrom } from './inputs.js';
import { runCreate, runUpdate } from './lifecycle.js';
import { startOperation } from './runner.js';
import {
  asApiError,
  bindChecked,
  callerOf,
  checkStackName,
  findStack,
  isInProgress,
  stackEnv,
  type Caller,
} from './stacks.js';
import { checkUpdatable, launch, newStackRecord, prepare } from './stackOperations.js';
import { cfnState, type ChangeSetRecord, type StackRecord } from './state.js';

const NO_CHANGES =
  "The submitted information didn't contain changes. Submit different information to create a change set.";

function changeSetArn(ctx: RequestContext, name: string): string {
  return `arn:aws:cloudformation:${ctx.region}:${ctx.accountId}:changeSet/${name}/${randomUUID()}`;
}

function findChangeSet(ctx: RequestContext, input: Record<string, unknown>): ChangeSetRecord {
  const name = typeof input.ChangeSetName === 'string' ? input.ChangeSetName : '';
  const sets = cfnState(ctx.sandbox).changeSets;
  let found: ChangeSetRecord | undefined;
  if (name.startsWith('arn:')) {
    found = sets[name];
  } else {
    const stackName = optString(input, 'StackName');
    if (!stackName)
      throw new AwsError('ValidationError', 'StackName must be specified if ChangeSetName is not specified as an ARN.');
    const stack = findStack(ctx.sandbox, stackName);
    found =
      stack && Object.values(sets).find((c) => c.stackId === stack.stackId && c.changeSetName === name && !c.deleted);
  }
  if (!found || found.deleted) throw new AwsError('ChangeSetNotFound', `ChangeSet [${name}] does not exist`, 404);
  return found;
}

export function createChangeSet(input: Record<string, unknown>, ctx: RequestContext): { Id: string; StackId: string } {
  const stackName = checkStackName(input.StackName);
  const name = optString(input, 'ChangeSetName');
  if (!name || !/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name)) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${name ?? ''}' at 'changeSetName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  const type = (optString(input, 'ChangeSetType') ?? 'UPDATE') as ChangeSetRecord['changeSetType'];
  if (type !== 'CREATE' && type !== 'UPDATE')
    throw new AwsError(
      'ValidationError',
      `ChangeSetType ${String(type)} is not supported by the Workshop Pipeline sandbox`,
    );
  const caller = callerOf(ctx);
  let stack = findStack(ctx.sandbox, stackName);
  if (type === 'CREATE' && stack && stack.status !== 'REVIEW_IN_PROGRESS') {
    throw new AwsError(
      'ValidationError',
      `Stack [${stackName}] already exists and cannot be created again with the changeSet [${name}].`,
    );
  }
  if (type === 'UPDATE') {
    if (!stack) throw new AwsError('ValidationError', `Stack [${stackName}] does not exist`);
    checkUpdatable(stack);
  }
  if (
    stack &&
    Object.values(cfnState(ctx.sandbox).changeSets).some(
      (c) => c.stackId === stack!.stackId && c.changeSetName === name && !c.deleted,
    )
  ) {
    throw new AwsError('AlreadyExistsException', `ChangeSet [${name}] already exists`);
  }
  const { body, template } = templateFrom(input, callerOf(ctx), stack);
  const envStack = stack ?? { stackName, stackId: 'pending', notificationArns: stringList(input, 'NotificationARNs') };
  const prepared = prepare(caller, envStack, template, input, type === 'UPDATE' ? stack?.parameters : undefined);
  if (!stack) {
    stack = newStackRecord(ctx, stackName, input, body, template, 'REVIEW_IN_PROGRESS');
    stack.template = {};
    stack.templateBody = '';
    cfnState(ctx.sandbox).stacks[stack.stackId] = stack;
    stackEvent(ctx.sandbox, stack, 'REVIEW_IN_PROGRESS', 'User Initiated');
  }
  const cs: ChangeSetRecord = {
    changeSetId: changeSetArn(ctx, name),
    changeSetName: name,
    stackId: stack.stackId,
    stackName,
    changeSetType: type,
    status: 'CREATE_PENDING',
    executionStatus: 'UNAVAILABLE',
    creationTime: ctx.sandbox.clock.now().toISOString(),
    description: optString(input, 'Description'),
    templateBody: body,
    template,
    parameters: prepared.parameters,
    resolvedParameters: prepared.bound.resolvedParameters,
    capabilities: prepared.capabilities,
    notificationArns: stringList(input, 'NotificationARNs'),
    tags: tagList(input) ?? (type === 'UPDATE' ? stack.tags : []),
    roleArn: optString(input, 'RoleARN'),
    changes: [],
  };
  cfnState(ctx.sandbox).changeSets[cs.changeSetId] = cs;
  ctx.sandbox.changed();
  const owner = stack;
  startOperation(
    ctx.sandbox,
    cs.changeSetId,
    async () => {
      await ctx.sandbox.clock.sleep(1_000);
      cs.status = 'CREATE_IN_PROGRESS';
      ctx.sandbox.changed();
      await ctx.sandbox.clock.sleep(2_000);
      finishChangeSet(caller, owner, cs);
    },
    (err) => {
      cs.status = 'FAILED';
      cs.statusReason = err instanceof Error ? err.message : String(err);
    },
  );
  return { Id: cs.changeSetId, StackId: stack.stackId };
}

function finishChangeSet(caller: Caller, stack: StackRecord, cs: ChangeSetRecord): void {
  try {
    const bound = bindChecked(cs.template as Template, cs.parameters, stackEnv(caller, stack));
    const deployed: Record<string, DeployedResource> = cs.changeSetType === 'CREATE' ? {} : stack.resources;
    cs.changes = asApiError(() =>
      computeChanges(
        deployed,
        cs.changeSetType === 'CREATE' ? undefined : (stack.template as Template),
        stack.parameters,
        bound,
      ),
    );
    const sameRest =
      cs.changeSetType === 'UPDATE' &&
      cs.templateBody === stack.templateBody &&
      JSON.stringify(cs.parameters) === JSON.stringify(stack.parameters) &&
      JSON.stringify(cs.tags) === JSON.stringify(stack.tags);
    if (
      cs.changes.length === 0 &&
      (cs.changeSetType === 'CREATE' || sameRest || cs.templateBody === stack.templateBody)
    ) {
      cs.status = 'FAILED';
      cs.statusReason = NO_CHANGES;
    } else {
      cs.status = 'CREATE_COMPLETE';
      cs.executionStatus = 'AVAILABLE';
    }
  } catch (err) {
    cs.status = 'FAILED';
    cs.statusReason = err instanceof Error ? err.message : String(err);
  }
  caller.sandbox.changed();
}

function describe(cs: ChangeSetRecord): Record<string, unknown> {
  return {
    ChangeSetName: cs.changeSetName,
    ChangeSetId: cs.changeSetId,
    StackId: cs.stackId,
    StackName: cs.stackName,
    Description: cs.description,
    Parameters: describeParameters(cs.template as Template, cs.parameters, cs.resolvedParameters),
    CreationTime: new Date(cs.creationTime),
    ExecutionStatus: cs.executionStatus,
    Status: cs.status,
    StatusReason: cs.statusReason,
    NotificationARNs: cs.notificationArns,
    RollbackConfiguration: {},
    Capabilities: cs.capabilities,
    Tags: cs.tags,
    IncludeNestedStacks: false,
  };
}

export function describeChangeSet(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const cs = findChangeSet(ctx, input);
  const { items, nextToken } = page(cs.changes, optString(input, 'NextToken'), 100);
  return {
    ...describe(cs),
    Changes: items.map((c) => ({ Type: 'Resource', HookInvocationCount: undefined, ResourceChange: c })),
    NextToken: nextToken,
  };
}

export function listChangeSets(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const stack = findStack(ctx.sandbox, optString(input, 'StackName') ?? '');
  if (!stack)
    throw new AwsError('ValidationError', `Stack with id ${optString(input, 'StackName') ?? ''} does not exist`);
  const sets = Object.values(cfnState(ctx.sandbox).changeSets).filter(
    (c) => c.stackId === stack.stackId && !c.deleted && !c.executionStatus.startsWith('EXECUTE_'),
  );
  const { items, nextToken } = page(sets, optString(input, 'NextToken'), 100);
  return {
    Summaries: items.map((cs) => ({
      StackId: cs.stackId,
      StackName: cs.stackName,
      ChangeSetId: cs.changeSetId,
      ChangeSetName: cs.changeSetName,
      ExecutionStatus: cs.executionStatus,
      Status: cs.status,
      StatusReason: cs.statusReason,
      CreationTime: new Date(cs.creationTime),
      Description: cs.description,
      IncludeNestedStacks: false,
    })),
    NextToken: nextToken,
  };
}

export function deleteChangeSet(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
  const cs = findChangeSet(ctx, input);
  if (cs.executionStatus === 'EXECUTE_IN_PROGRESS') {
    throw new AwsError('InvalidChangeSetStatus', `Cannot delete ChangeSet in status ${cs.executionStatus}`);
  }
  cs.deleted = true;
  ctx.sandbox.changed();
  return {};
}

export function executeChangeSet(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
  const cs = findChangeSet(ctx, input);
  const stack = cfnState(ctx.sandbox).stacks[cs.stackId];
  if (cs.executionStatus !== 'AVAILABLE' || !stack) {
    throw new AwsError(
      'InvalidChangeSetStatus',
      `ChangeSet [${cs.changeSetId}] cannot be executed in its current execution status of [${cs.executionStatus}]`,
    );
  }
  if (isInProgress(stack.status)) {
    throw new AwsError(
      'InvalidChangeSetStatus',
      `ChangeSet [${cs.changeSetId}] cannot be executed in its current status of [${stack.status}]`,
    );
  }
  const caller = callerOf(ctx);
  const bound = bindChecked(cs.template as Template, cs.parameters, stackEnv(caller, stack));
  cs.executionStatus = 'EXECUTE_IN_PROGRESS';
  for (const other of Object.values(cfnState(ctx.sandbox).changeSets)) {
    if (other.stackId === stack.stackId && other !== cs && !other.deleted) other.executionStatus = 'OBSOLETE';
  }
  stack.changeSetId = cs.changeSetId;
  ctx.sandbox.changed();
  launch(caller, stack, async (signal) => {
    let ok: boolean;
    if (cs.changeSetType === 'CREATE') {
      Object.assign(stack, {
        templateBody: cs.templateBody,
        template: cs.template,
        parameters: cs.parameters,
        resolvedParameters: bound.resolvedParameters,
        capabilities: cs.capabilities,
        tags: cs.tags,
        notificationArns: cs.notificationArns,
        roleArn: cs.roleArn,
      });
      stack.description = (cs.template as Template).Description;
      ok = await runCreate(caller, stack, bound, signal);
    } else {
      ok = await runUpdate(
        caller,
        stack,
        bound,
        {
          templateBody: cs.templateBody,
          template: cs.template as Template,
          parameters: cs.parameters,
          resolvedParameters: bound.resolvedParameters,
          capabilities: cs.capabilities,
          tags: cs.tags,
        },
        signal,
      );
    }
    cs.executionStatus = ok ? 'EXECUTE_COMPLETE' : 'EXECUTE_FAILED';
    for (const other of Object.values(cfnState(ctx.sandbox).changeSets)) {
      if (other.stackId === stack.stackId && other !== cs) other.deleted = true;
    }
    ctx.sandbox.changed();
  });
  return {};
}
