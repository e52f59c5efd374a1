// DescribeStacks, DescribeStackEvents, DescribeStackResources, ListStackResources, GetTemplate,
// GetTemplateSummary, ValidateTemplate, ListExports.
import { AwsError, type RequestContext } from '../core/types.js';
import { requiredCapabilities } from './engine/capabilities.js';
import { describeParameters, isNoEcho } from './engine/parameters.js';
import type { Template } from './engine/types.js';
import { optString, page, templateFrom } from './inputs.js';
import { checkSandboxSupport, exportsOf, findStack, requireStack } from './stacks.js';
import { cfnState, type StackRecord } from './state.js';

const date = (iso: string | undefined) => (iso === undefined ? undefined : new Date(iso));

function describeStack(stack: StackRecord): Record<string, unknown> {
  const template = stack.template as Template;
  const reviewing = stack.status === 'REVIEW_IN_PROGRESS';
  return {
    StackId: stack.stackId,
    StackName: stack.stackName,
    ChangeSetId: stack.changeSetId,
    Description: stack.description,
    ParentId: stack.parentId,
    RootId: stack.rootId,
    Parameters: reviewing ? undefined : describeParameters(template, stack.parameters, stack.resolvedParameters),
    CreationTime: date(stack.creationTime),
    DeletionTime: date(stack.deletionTime),
    LastUpdatedTime: date(stack.lastUpdatedTime),
    RollbackConfiguration: {},
    StackStatus: stack.status,
    StackStatusReason: stack.statusReason,
    DisableRollback: stack.disableRollback,
    NotificationARNs: stack.notificationArns,
    TimeoutInMinutes: stack.timeoutInMinutes,
    Capabilities: stack.capabilities.length ? stack.capabilities : undefined,
    Outputs: stack.outputs.length && stack.status !== 'DELETE_COMPLETE' ? stack.outputs : undefined,
    RoleARN: stack.roleArn,
    Tags: stack.tags,
    EnableTerminationProtection: stack.enableTerminationProtection,
    DriftInformation: { StackDriftStatus: 'NOT_CHECKED' },
  };
}

export function describeStacks(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const name = optString(input, 'StackName');
  if (name !== undefined) return { Stacks: [describeStack(requireStack(ctx.sandbox, name))] };
  const live = Object.values(cfnState(ctx.sandbox).stacks)
    .filter((s) => s.status !== 'DELETE_COMPLETE')
    .reverse();
  const { items, nextToken } = page(live, optString(input, 'NextToken'), 100);
  return { Stacks: items.map(describeStack), NextToken: nextToken };
}

export function describeStackEvents(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const stack = requireStack(ctx.sandbox, input.StackName);
  const newestFirst = [...stack.events].reverse();
  const { items, nextToken } = page(newestFirst, optString(input, 'NextToken'), 100);
  return { StackEvents: items.map((e) => ({ ...e, Timestamp: new Date(e.Timestamp) })), NextToken: nextToken };
}

export function describeStackResources(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const physical = optString(input, 'PhysicalResourceId');
  let stack: StackRecord | undefined;
  if (optString(input, 'StackName')) stack = requireStack(ctx.sandbox, input.StackName);
  else if (physical) {
    stack = Object.values(cfnState(ctx.sandbox).stacks).find(
      (s) => s.status !== 'DELETE_COMPLETE' && Object.values(s.resources).some((r) => r.physicalId === physical),
    );
    if (!stack) throw new AwsError('ValidationError', `Stack for ${physical} does not exist`);
  } else {
    throw new AwsError('ValidationError', 'Either StackName or PhysicalResourceId must be specified.');
  }
  const logical = optString(input, 'LogicalResourceId');
  const s = stack;
  return {
    StackResources: Object.values(s.resources)
      .filter(
        (r) =>
          (logical === undefined || r.logicalId === logical) &&
          (physical === undefined || r.physicalId === physical || optString(input, 'StackName')),
      )
      .map((r) => ({
        StackName: s.stackName,
        StackId: s.stackId,
        LogicalResourceId: r.logicalId,
        PhysicalResourceId: r.physicalId,
        ResourceType: r.type,
        Timestamp: date(r.timestamp),
        ResourceStatus: r.status,
        ResourceStatusReason: r.statusReason,
        DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
      })),
  };
}

export function listStackResources(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const stack = requireStack(ctx.sandbox, input.StackName);
  const { items, nextToken } = page(Object.values(stack.resources), optString(input, 'NextToken'), 100);
  return {
    StackResourceSummaries: items.map((r) => ({
      LogicalResourceId: r.logicalId,
      PhysicalResourceId: r.physicalId,
      ResourceType: r.type,
      LastUpdatedTimestamp: date(r.timestamp),
      ResourceStatus: r.status,
      ResourceStatusReason: r.statusReason,
      DriftInformation: { StackResourceDriftStatus: 'NOT_CHECKED' },
    })),
    NextToken: nextToken,
  };
}

export function getTemplate(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const changeSetName = optString(input, 'ChangeSetName');
  if (changeSetName) {
    const sets = Object.values(cfnState(ctx.sandbox).changeSets);
    const stack = optString(input, 'StackName') ? findStack(ctx.sandbox, String(input.StackName)) : undefined;
    const cs = sets.find(
      (c) =>
        !c.deleted &&
        (c.changeSetId === changeSetName || (c.changeSetName === changeSetName && c.stackId === stack?.stackId)),
    );
    if (!cs) throw new AwsError('ChangeSetNotFound', `ChangeSet [${changeSetName}] does not exist`, 404);
    return { TemplateBody: cs.templateBody, StagesAvailable: ['Original', 'Processed'] };
  }
  const stack = requireStack(ctx.sandbox, input.StackName);
  return { TemplateBody: stack.templateBody, StagesAvailable: ['Original', 'Processed'] };
}

function summary(template: Template): Record<string, unknown> {
  const needs = requiredCapabilities(template.Resources, template.Transform !== undefined);
  return {
    Description: template.Description,
    Capabilities: needs.capabilities.length ? needs.capabilities : undefined,
    CapabilitiesReason: needs.reason,
    DeclaredTransforms: template.Transform === undefined ? [] : [template.Transform].flat(),
  };
}

export function getTemplateSummary(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const stackName = optString(input, 'StackName');
  const template = stackName
    ? (requireStack(ctx.sandbox, stackName).template as Template)
    : templateFrom(input, { sandbox: ctx.sandbox, accountId: ctx.accountId, host: ctx.host }).template;
  return {
    Parameters: Object.entries(template.Parameters ?? {}).map(([key, decl]) => ({
      ParameterKey: key,
      DefaultValue:
        decl.Default === undefined
          ? undefined
          : Array.isArray(decl.Default)
            ? decl.Default.join(',')
            : String(decl.Default as string),
      ParameterType: decl.Type,
      NoEcho: isNoEcho(decl),
      Description: decl.Description,
      ParameterConstraints: decl.AllowedValues ? { AllowedValues: decl.AllowedValues.map(String) } : {},
    })),
    ...summary(template),
    ResourceTypes: [...new Set(Object.values(template.Resources).map((r) => r.Type))],
    Version: template.AWSTemplateFormatVersion ?? '2010-09-09',
    Metadata: template.Metadata === undefined ? undefined : JSON.stringify(template.Metadata),
    ResourceIdentifierSummaries: [],
  };
}

export function validateTemplate(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const { template } = templateFrom(input, { sandbox: ctx.sandbox, accountId: ctx.accountId, host: ctx.host });
  checkSandboxSupport(template);
  return {
    Parameters: Object.entries(template.Parameters ?? {}).map(([key, decl]) => ({
      ParameterKey: key,
      DefaultValue:
        decl.Default === undefined
          ? undefined
          : Array.isArray(decl.Default)
            ? decl.Default.join(',')
            : String(decl.Default as string),
      NoEcho: isNoEcho(decl),
      Description: decl.Description,
    })),
    ...summary(template),
  };
}

export function listExports(input: Record<string, unknown>, ctx: RequestContext): Record<string, unknown> {
  const all = [...exportsOf(ctx.sandbox)].map(([name, e]) => ({
    ExportingStackId: e.stackId,
    Name: name,
    Value: e.value,
  }));
  const { items, nextToken } = page(all, optString(input, 'NextToken'), 100);
  return { Exports: items, NextToken: nextToken };
}
