// CreateStack, UpdateStack, DeleteStack, CancelUpdateStack, ContinueUpdateRollback: synchronous checks,
// then the lifecycle in the background.
import { AwsError, type RequestContext } from '../core/types.js';
import { checkCapabilities, requiredCapabilities } from './engine/capabilities.js';
import { resolveParameters } from './engine/parameters.js';
import type { BoundTemplate } from './engine/model.js';
import type { Template } from './engine/types.js';
import { checkSsmReferences } from './dynamicReferences.js';
import { stackEvent } from './events.js';
import { flag, optString, parameterList, stringList, tagList, templateFrom } from './inputs.js';
import { rollbackUpdate, runCreate, runDelete, runUpdate, type UpdateTarget } from './lifecycle.js';
import { cancelOperation, isRunning, startOperation } from './runner.js';
import {
  asApiError,
  bindChecked,
  callerOf,
  checkRules,
  checkSandboxSupport,
  checkStackName,
  findStack,
  isInProgress,
  requireStack,
  stackArn,
  stackEnv,
  UPDATABLE,
  type Caller,
} from './stacks.js';
import { cfnState, type StackRecord } from './state.js';

function crashHandler(caller: Caller, stack: StackRecord) {
  return (err: unknown) => {
    const failed = stack.status.replace(/_IN_PROGRESS$/, '_FAILED');
    stackEvent(
      caller.sandbox,
      stack,
      failed === stack.status ? stack.status : failed,
      `Internal Failure: ${err instanceof Error ? err.message : String(err)}`,
    );
  };
}

export function launch(caller: Caller, stack: StackRecord, work: (signal: AbortSignal) => Promise<unknown>): void {
  startOperation(
    caller.sandbox,
    stack.stackId,
    async (signal) => {
      await work(signal);
    },
    crashHandler(caller, stack),
  );
}

/** The checks a new template + parameters must pass before any work starts. */
export function prepare(
  caller: Caller,
  stack: Pick<StackRecord, 'stackName' | 'stackId' | 'notificationArns'>,
  template: Template,
  input: Record<string, unknown>,
  previousParameters?: Record<string, string>,
): { parameters: Record<string, string>; bound: BoundTemplate; capabilities: string[] } {
  checkSandboxSupport(template);
  const parameters = asApiError(() => resolveParameters(template, parameterList(input), previousParameters));
  const bound = bindChecked(template, parameters, stackEnv(caller, stack));
  checkRules(caller, bound);
  checkSsmReferences(caller, template);
  const capabilities = stringList(input, 'Capabilities');
  const active = Object.fromEntries(bound.active.map((id) => [id, template.Resources[id]]));
  asApiError(() => checkCapabilities(requiredCapabilities(active, template.Transform !== undefined), capabilities));
  return { parameters, bound, capabilities };
}

export function newStackRecord(
  ctx: RequestContext,
  name: string,
  input: Record<string, unknown>,
  body: string,
  template: Template,
  status: string,
): StackRecord {
  const now = ctx.sandbox.clock.now().toISOString();
  return {
    stackId: stackArn(ctx.region, ctx.accountId, name),
    stackName: name,
    status,
    creationTime: now,
    description: template.Description,
    templateBody: body,
    template,
    parameters: {},
    capabilities: [],
    notificationArns: stringList(input, 'NotificationARNs'),
    tags: tagList(input) ?? [],
    roleArn: optString(input, 'RoleARN'),
    disableRollback: flag(input, 'DisableRollback') || input.OnFailure === 'DO_NOTHING',
    timeoutInMinutes: optString(input, 'TimeoutInMinutes') === undefined ? undefined : Number(input.TimeoutInMinutes),
    enableTerminationProtection: flag(input, 'EnableTerminationProtection'),
    resources: {},
    outputs: [],
    events: [],
  };
}

export function createStack(input: Record<string, unknown>, ctx: RequestContext): { StackId: string } {
  const name = checkStackName(input.StackName);
  if (findStack(ctx.sandbox, name)) throw new AwsError('AlreadyExistsException', `Stack [${name}] already exists`);
  const caller = callerOf(ctx);
  const { body, template } = templateFrom(input, caller);
  const stack = newStackRecord(ctx, name, input, body, template, 'CREATE_IN_PROGRESS');
  const { parameters, bound, capabilities } = prepare(caller, stack, template, input);
  stack.parameters = parameters;
  stack.resolvedParameters = bound.resolvedParameters;
  stack.capabilities = capabilities;
  cfnState(ctx.sandbox).stacks[stack.stackId] = stack;
  ctx.sandbox.changed();
  launch(caller, stack, (signal) => runCreate(caller, stack, bound, signal));
  return { StackId: stack.stackId };
}

export function checkUpdatable(stack: StackRecord): void {
  if (!UPDATABLE.has(stack.status) || isInProgress(stack.status)) {
    throw new AwsError('ValidationError', `Stack:${stack.stackId} is in ${stack.status} state and can not be updated.`);
  }
}

export function updateStack(input: Record<string, unknown>, ctx: RequestContext): { StackId: string } {
  const stack = requireStack(ctx.sandbox, input.StackName);
  checkUpdatable(stack);
  const caller = callerOf(ctx);
  const { body, template } = templateFrom(input, caller, stack);
  const { parameters, bound, capabilities } = prepare(caller, stack, template, input, stack.parameters);
  const tags = tagList(input) ?? stack.tags;
  if (
    body === stack.templateBody &&
    JSON.stringify(parameters) === JSON.stringify(stack.parameters) &&
    JSON.stringify(tags) === JSON.stringify(stack.tags)
  ) {
    throw new AwsError('ValidationError', 'No updates are to be performed.');
  }
  const target: UpdateTarget = {
    templateBody: body,
    template,
    parameters,
    resolvedParameters: bound.resolvedParameters,
    capabilities,
    tags,
  };
  stack.changeSetId = undefined;
  launch(caller, stack, (signal) => runUpdate(caller, stack, bound, target, signal));
  return { StackId: stack.stackId };
}

export function deleteStack(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
  const key = typeof input.StackName === 'string' ? input.StackName : '';
  if (key === '')
    throw new AwsError(
      'ValidationError',
      "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
    );
  const stack = findStack(ctx.sandbox, key);
  if (!stack || stack.status === 'DELETE_COMPLETE' || stack.status === 'DELETE_IN_PROGRESS') return {};
  if (stack.enableTerminationProtection) {
    throw new AwsError(
      'ValidationError',
      `Stack [${stack.stackName}] cannot be deleted while TerminationProtection is enabled`,
    );
  }
  if (isInProgress(stack.status) || isRunning(ctx.sandbox, stack.stackId)) {
    throw new AwsError(
      'ValidationError',
      `Stack [${stack.stackName}] cannot be deleted while in status ${stack.status}`,
    );
  }
  const retain = new Set(stringList(input, 'RetainResources'));
  if (retain.size && stack.status !== 'DELETE_FAILED') {
    throw new AwsError(
      'ValidationError',
      `Invalid operation on stack [${stack.stackId}]. RetainResources can only be specified when the stack is in the DELETE_FAILED state`,
    );
  }
  for (const cs of Object.values(cfnState(ctx.sandbox).changeSets)) if (cs.stackId === stack.stackId) cs.deleted = true;
  const caller = callerOf(ctx);
  launch(caller, stack, () => runDelete(caller, stack, retain));
  return {};
}

export function cancelUpdateStack(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
  const stack = requireStack(ctx.sandbox, input.StackName);
  if (stack.status !== 'UPDATE_IN_PROGRESS' || !cancelOperation(ctx.sandbox, stack.stackId)) {
    throw new AwsError('ValidationError', `CancelUpdateStack cannot be called from current stack status`);
  }
  return {};
}

export function continueUpdateRollback(input: Record<string, unknown>, ctx: RequestContext): Record<string, never> {
  const stack = requireStack(ctx.sandbox, input.StackName);
  if (stack.status !== 'UPDATE_ROLLBACK_FAILED') {
    throw new AwsError('ValidationError', 'ContinueUpdateRollback cannot be called from current stack status');
  }
  const skip = new Set(stringList(input, 'ResourcesToSkip'));
  const caller = callerOf(ctx);
  stackEvent(ctx.sandbox, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', 'User Initiated');
  launch(caller, stack, () => rollbackUpdate(caller, stack, skip));
  return {};
}
