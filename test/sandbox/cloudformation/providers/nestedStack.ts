// AWS::CloudFormation::Stack: a nested stack from a template in the sandbox's S3. The child is a real
// stack (its own events, DescribeStacks with ParentId/RootId), created, updated and deleted with its
// parent; Fn::GetAtt Outputs.<Name> reads its outputs.
import { checkCapabilities, requiredCapabilities } from '../engine/capabilities.js';
import { resolveParameters, type SuppliedParameter } from '../engine/parameters.js';
import { parseTemplateBody } from '../engine/template.js';
import { TemplateError, type Template } from '../engine/types.js';
import { runCreate, runDelete, runUpdate } from '../lifecycle.js';
import { bindChecked, checkRules, checkSandboxSupport, stackArn, stackEnv, type Caller } from '../stacks.js';
import { cfnState, type StackRecord } from '../state.js';
import { templateBodyFromUrl } from '../templateUrl.js';
import { generatedName } from './names.js';
import { ResourceFailure, type ProviderContext, type ResourceProvider } from './registry.js';

function callerOf(ctx: ProviderContext): Caller {
  return { sandbox: ctx.sandbox, accountId: ctx.accountId, region: ctx.region, host: ctx.host };
}

/** Any API-style error (ValidationError, TemplateError) becomes the nested resource's status reason. */
function asFailure<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ResourceFailure) throw err;
    if (err instanceof TemplateError || err instanceof Error) throw new ResourceFailure(err.message);
    throw err;
  }
}

function suppliedParameters(properties: Record<string, unknown>): SuppliedParameter[] {
  const given = properties.Parameters;
  if (given === undefined) return [];
  if (typeof given !== 'object' || given === null || Array.isArray(given))
    throw new ResourceFailure('Properties validation failed for resource: Parameters must be an object');
  return Object.entries(given).map(([key, value]) => ({
    ParameterKey: key,
    ParameterValue: Array.isArray(value) ? value.map(String).join(',') : String(value as string),
  }));
}

interface Prepared {
  body: string;
  template: Template;
  parameters: Record<string, string>;
}

function loadTemplate(
  properties: Record<string, unknown>,
  ctx: ProviderContext,
  previous?: Record<string, string>,
): Prepared {
  const url = properties.TemplateURL;
  if (typeof url !== 'string' || url === '')
    throw new ResourceFailure('Properties validation failed for resource: #: required key [TemplateURL] not found');
  return asFailure(() => {
    const body = templateBodyFromUrl(url, callerOf(ctx));
    const template = parseTemplateBody(body);
    checkSandboxSupport(template);
    const parameters = resolveParameters(template, suppliedParameters(properties), previous);
    return { body, template, parameters };
  });
}

function parentOf(ctx: ProviderContext): StackRecord | undefined {
  return cfnState(ctx.sandbox).stacks[ctx.stackId];
}

function bindChild(ctx: ProviderContext, child: StackRecord, prepared: Prepared) {
  const caller = callerOf(ctx);
  return asFailure(() => {
    const bound = bindChecked(prepared.template, prepared.parameters, stackEnv(caller, child));
    checkRules(caller, bound);
    const active = Object.fromEntries(bound.active.map((id) => [id, prepared.template.Resources[id]]));
    // The parent's acknowledged capabilities cover its nested stacks.
    checkCapabilities(requiredCapabilities(active, prepared.template.Transform !== undefined), child.capabilities);
    return bound;
  });
}

function outputAttributes(child: StackRecord): Record<string, unknown> {
  return Object.fromEntries(child.outputs.map((o) => [`Outputs.${o.OutputKey}`, o.OutputValue]));
}

/** Why the child's operation failed: the reason on its first failure or rollback event. */
function failureReason(child: StackRecord): string {
  const event = [...child.events]
    .reverse()
    .find((e) => e.LogicalResourceId === child.stackName && /(_FAILED|ROLLBACK_IN_PROGRESS)$/.test(e.ResourceStatus));
  return (event?.ResourceStatusReason ?? '').replace(/Rollback requested by user\.$/, '').trimEnd();
}

function newChild(ctx: ProviderContext, parent: StackRecord | undefined, prepared: Prepared): StackRecord {
  const now = ctx.sandbox.clock.now().toISOString();
  const name = generatedName(ctx.stackName, ctx.logicalId, { max: 128 });
  return {
    stackId: stackArn(ctx.region, ctx.accountId, name),
    stackName: name,
    status: 'CREATE_IN_PROGRESS',
    creationTime: now,
    description: prepared.template.Description,
    templateBody: prepared.body,
    template: prepared.template,
    parameters: prepared.parameters,
    capabilities: parent?.capabilities ?? [],
    notificationArns: parent?.notificationArns ?? [],
    tags: parent?.tags ?? [],
    roleArn: parent?.roleArn,
    disableRollback: false,
    enableTerminationProtection: false,
    parentId: ctx.stackId,
    rootId: parent?.rootId ?? ctx.stackId,
    resources: {},
    outputs: [],
    events: [],
  };
}

export const nestedStackProviders: Record<string, ResourceProvider> = {
  'AWS::CloudFormation::Stack': {
    attributes: ['Outputs.*'],
    async create(properties, ctx) {
      const prepared = loadTemplate(properties, ctx);
      const parent = parentOf(ctx);
      const child = newChild(ctx, parent, prepared);
      const bound = bindChild(ctx, child, prepared);
      child.resolvedParameters = bound.resolvedParameters;
      cfnState(ctx.sandbox).stacks[child.stackId] = child;
      ctx.sandbox.changed();
      ctx.initiated(child.stackId);
      const ok = await runCreate(callerOf(ctx), child, bound, ctx.signal);
      if (!ok)
        throw new ResourceFailure(
          `Embedded stack ${child.stackId} was not successfully created: ${failureReason(child)}`,
        );
      return { physicalId: child.stackId, attributes: outputAttributes(child) };
    },
    async update(physicalId, properties, _previous, ctx) {
      const child = cfnState(ctx.sandbox).stacks[physicalId];
      if (!child) throw new ResourceFailure(`Stack with id ${physicalId} does not exist`);
      const prepared = loadTemplate(properties, ctx, child.parameters);
      if (
        prepared.body === child.templateBody &&
        JSON.stringify(prepared.parameters) === JSON.stringify(child.parameters)
      )
        return { attributes: outputAttributes(child) };
      const bound = bindChild(ctx, child, prepared);
      const ok = await runUpdate(
        callerOf(ctx),
        child,
        bound,
        {
          templateBody: prepared.body,
          template: prepared.template,
          parameters: prepared.parameters,
          resolvedParameters: bound.resolvedParameters,
          capabilities: child.capabilities,
          tags: child.tags,
        },
        ctx.signal,
      );
      if (!ok)
        throw new ResourceFailure(
          `Embedded stack ${child.stackId} was not successfully updated. Currently in ${child.status} with reason: ${failureReason(child)}`,
        );
      return { attributes: outputAttributes(child) };
    },
    async delete(physicalId, _properties, ctx) {
      const child = cfnState(ctx.sandbox).stacks[physicalId];
      if (!child || child.status === 'DELETE_COMPLETE') return;
      await runDelete(callerOf(ctx), child, new Set());
      if (child.status !== 'DELETE_COMPLETE')
        throw new ResourceFailure(
          `Embedded stack ${child.stackId} was not successfully deleted: ${failureReason(child)}`,
        );
    },
  },
};
