// Finding stacks (by name or id, as AWS does), binding their templates, exports, and statuses.
import { randomUUID } from 'node:crypto';
import { AwsError, type RequestContext, type Sandbox } from '../core/types.js';
import {
  bindTemplate,
  checkEvaluates,
  type BoundTemplate,
  type ResourceValues,
  type StackEnv,
} from './engine/model.js';
import { availabilityZones } from './engine/intrinsics.js';
import { checkSandboxSupportsTypes } from './engine/resourceTypes.js';
import { evaluateRules, type ExistingResource } from './engine/rules.js';
import { TemplateError, type Template } from './engine/types.js';
import { resourceProvider } from './providers/registry.js';
import { findParameter } from '../ssm/store.js';
import { cfnState, type StackRecord } from './state.js';

/** Statuses from which UpdateStack / an UPDATE change set may start. */
export const UPDATABLE = new Set([
  'CREATE_COMPLETE',
  'UPDATE_COMPLETE',
  'UPDATE_ROLLBACK_COMPLETE',
  'IMPORT_COMPLETE',
  'IMPORT_ROLLBACK_COMPLETE',
]);

export function isInProgress(status: string): boolean {
  return status.endsWith('_IN_PROGRESS') && status !== 'REVIEW_IN_PROGRESS';
}

export function stackArn(region: string, accountId: string, name: string): string {
  return `arn:aws:cloudformation:${region}:${accountId}:stack/${name}/${randomUUID()}`;
}

function isArn(nameOrId: string): boolean {
  return nameOrId.startsWith('arn:');
}

/** A stack by name (live stacks only) or by stack id (deleted ones too); undefined if none. */
export function findStack(sandbox: Sandbox, nameOrId: string): StackRecord | undefined {
  const stacks = cfnState(sandbox).stacks;
  if (isArn(nameOrId)) return stacks[nameOrId];
  return Object.values(stacks).find((s) => s.stackName === nameOrId && s.status !== 'DELETE_COMPLETE');
}

export function requireStack(sandbox: Sandbox, nameOrId: unknown): StackRecord {
  const key = typeof nameOrId === 'string' ? nameOrId : '';
  const stack = findStack(sandbox, key);
  if (!stack) throw new AwsError('ValidationError', `Stack with id ${key} does not exist`);
  return stack;
}

export function checkStackName(name: unknown): string {
  if (typeof name !== 'string' || name === '')
    throw new AwsError(
      'ValidationError',
      "1 validation error detected: Value null at 'stackName' failed to satisfy constraint: Member must not be null",
    );
  if (!/^[a-zA-Z][-a-zA-Z0-9]*$/.test(name) || name.length > 128) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${name}' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*`,
    );
  }
  return name;
}

/** Export name → { value, stack id } across the account and region's live stacks. */
export function exportsOf(sandbox: Sandbox): Map<string, { value: string; stackId: string }> {
  const out = new Map<string, { value: string; stackId: string }>();
  for (const stack of Object.values(cfnState(sandbox).stacks)) {
    if (stack.status === 'DELETE_COMPLETE') continue;
    for (const o of stack.outputs)
      if (o.ExportName) out.set(o.ExportName, { value: o.OutputValue, stackId: stack.stackId });
  }
  return out;
}

/** Names of the exports a stack's current template imports. */
export function importsOf(stack: StackRecord): string[] {
  return [...JSON.stringify(stack.template ?? {}).matchAll(/"Fn::ImportValue":"([^"]+)"/g)].map((m) => m[1]);
}

export interface Caller {
  readonly sandbox: Sandbox;
  readonly accountId: string;
  readonly region: string;
  readonly host: string;
  /** The caller's own authorization: resource handlers act with it (forwardAccess.ts). */
  readonly authorize?: RequestContext['authorize'];
}

export function callerOf(ctx: RequestContext): Caller {
  return {
    sandbox: ctx.sandbox,
    accountId: ctx.accountId,
    region: ctx.region,
    host: ctx.host,
    ...(ctx.authorize ? { authorize: ctx.authorize } : {}),
  };
}

export function stackEnv(
  caller: Caller,
  stack: { stackName: string; stackId: string; notificationArns: string[] },
): StackEnv {
  return {
    accountId: caller.accountId,
    region: caller.region,
    stackName: stack.stackName,
    stackId: stack.stackId,
    notificationArns: stack.notificationArns,
    exportValue: (name) => exportsOf(caller.sandbox).get(name)?.value,
    attributeNames: (type) => resourceProvider(type)?.attributes,
    ssmParameter: (name) => {
      const versions = findParameter(caller.sandbox, caller.accountId, caller.region, name);
      const latest = versions?.[versions.length - 1];
      return latest && { type: latest.type, value: latest.value };
    },
  };
}

/** Resources of a type across the caller's live stacks (what Fn::RefAll and Fn::ValueOf can see). */
export function existingResources(caller: Caller, type: string): ExistingResource[] {
  const prefix = `arn:aws:cloudformation:${caller.region}:${caller.accountId}:`;
  return Object.values(cfnState(caller.sandbox).stacks)
    .filter((s) => s.stackId.startsWith(prefix) && s.status !== 'DELETE_COMPLETE')
    .flatMap((s) => Object.values(s.resources))
    .filter((r) => r.type === type && r.physicalId !== undefined && !r.status.startsWith('DELETE'))
    .map((r) => ({ physicalId: r.physicalId!, attributes: r.attributes, properties: r.properties }));
}

/** Evaluates the template's Rules over the bound parameter values (before any work starts). */
export function checkRules(caller: Caller, bound: BoundTemplate): void {
  asApiError(() =>
    evaluateRules(bound.template, {
      accountId: caller.accountId,
      region: caller.region,
      stackName: bound.env.stackName,
      stackId: bound.env.stackId,
      parameters: bound.refParameters,
      existing: (type) => existingResources(caller, type),
      availabilityZones: () => availabilityZones(caller.region),
    }),
  );
}

/** One clear error, before anything is created, for types AWS has but the sandbox cannot create. */
export function checkSandboxSupport(template: Template): void {
  asApiError(() => checkSandboxSupportsTypes(template, (type) => resourceProvider(type) !== undefined));
}

/** Binds and checks a template synchronously, turning engine errors into the API's errors. */
export function bindChecked(template: Template, parameters: Record<string, string>, env: StackEnv): BoundTemplate {
  return asApiError(() => {
    const bound = bindTemplate(template, parameters, env);
    checkEvaluates(bound);
    return bound;
  });
}

export function asApiError<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof TemplateError) {
      throw new AwsError(err.code, err.message);
    }
    throw err;
  }
}

/** Ref/GetAtt values from a stack's resources as they are now. */
export function currentValues(stack: StackRecord): ResourceValues {
  return {
    physicalId: (id) => stack.resources[id]?.physicalId,
    attribute: (id, attr) => stack.resources[id]?.attributes[attr],
  };
}
