// CloudFormation through the session's client, in the deploy engine's terms: the stacks, their
// events and change sets. Tests drive the engine with any object of this shape.
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface StackOutput {
  key: string;
  value: string;
  description: string | undefined;
}

export interface StackDescription {
  id: string;
  name: string;
  status: string;
  statusReason: string | undefined;
  lastUpdated?: Date | undefined;
  parameters: Map<string, string>;
  outputs: StackOutput[];
}

export interface StackEvent {
  id: string;
  timestamp: Date;
  logicalId: string;
  physicalId: string | undefined;
  resourceType: string;
  status: string;
  reason: string | undefined;
}

export interface ResourceChange {
  action: string; // Add | Modify | Remove | Import | Dynamic
  logicalId: string;
  physicalId: string | undefined;
  resourceType: string;
  replacement: string | undefined; // True | False | Conditional
}

export interface ChangeSetDescription {
  id: string;
  stackId: string;
  status: string; // CREATE_PENDING | CREATE_IN_PROGRESS | CREATE_COMPLETE | FAILED | …
  statusReason: string | undefined;
  executionStatus: string | undefined;
  changes: ResourceChange[];
}

export interface ParameterInput {
  key: string;
  value?: string;
  usePrevious?: boolean;
}

export interface CloudFormationApi {
  // Reads take an abort signal: Cancel and Refresh end them at once. Writes do not: a write cut off
  // mid-flight may still happen in AWS, and the engine must know whether it did.
  /** The stack, or undefined when it does not exist (CloudFormation says so with a ValidationError). */
  describeStack(nameOrId: string, signal?: AbortSignal): Promise<StackDescription | undefined>;
  /** Newest first, one page; `nextToken` continues to older events. */
  describeStackEvents(
    stackId: string,
    nextToken?: string,
    signal?: AbortSignal,
  ): Promise<{ events: StackEvent[]; nextToken: string | undefined }>;
  validateTemplate(body: string, signal?: AbortSignal): Promise<{ capabilities: string[] }>;
  createChangeSet(input: {
    stackName: string;
    changeSetName: string;
    type: 'CREATE' | 'UPDATE';
    templateBody: string;
    parameters: ParameterInput[];
    capabilities: string[];
    description: string;
  }): Promise<{ id: string; stackId: string }>;
  describeChangeSet(changeSetId: string, signal?: AbortSignal): Promise<ChangeSetDescription>;
  executeChangeSet(changeSetId: string): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  deleteStack(stackId: string): Promise<void>;
  cancelUpdateStack(stackName: string): Promise<void>;
  continueUpdateRollback(stackName: string): Promise<void>;
}

function isMissingStack(error: unknown): boolean {
  return errorCode(error) === 'ValidationError' && /does not exist/.test((error as Error).message);
}

export function cloudFormationApi(session: AwsSession): CloudFormationApi {
  const sdk = session.sdkModule;
  const cfn = () => session.client('cloudformation', (s, config) => new s.CloudFormationClient(config));
  return {
    async describeStack(nameOrId, signal) {
      try {
        const out = await cfn().send(new sdk.DescribeStacksCommand({ StackName: nameOrId }), { abortSignal: signal });
        const s = out.Stacks?.[0];
        if (!s) {
          return undefined;
        }
        return {
          id: s.StackId ?? nameOrId,
          name: s.StackName ?? nameOrId,
          status: s.StackStatus ?? 'UNKNOWN',
          statusReason: s.StackStatusReason,
          lastUpdated: s.LastUpdatedTime ?? s.CreationTime,
          parameters: new Map((s.Parameters ?? []).map((p) => [p.ParameterKey ?? '', p.ParameterValue ?? ''])),
          outputs: (s.Outputs ?? []).map((o) => ({
            key: o.OutputKey ?? '',
            value: o.OutputValue ?? '',
            description: o.Description,
          })),
        };
      } catch (error) {
        if (isMissingStack(error)) {
          return undefined;
        }
        throw error;
      }
    },
    async describeStackEvents(stackId, nextToken, signal) {
      const out = await cfn().send(new sdk.DescribeStackEventsCommand({ StackName: stackId, NextToken: nextToken }), {
        abortSignal: signal,
      });
      const events: StackEvent[] = (out.StackEvents ?? []).map((e) => ({
        id: e.EventId ?? `${e.LogicalResourceId}-${e.Timestamp?.toISOString()}-${e.ResourceStatus}`,
        timestamp: e.Timestamp ?? new Date(0),
        logicalId: e.LogicalResourceId ?? '',
        physicalId: e.PhysicalResourceId,
        resourceType: e.ResourceType ?? '',
        status: e.ResourceStatus ?? '',
        reason: e.ResourceStatusReason,
      }));
      return { events, nextToken: out.NextToken };
    },
    async validateTemplate(body, signal) {
      const out = await cfn().send(new sdk.ValidateTemplateCommand({ TemplateBody: body }), { abortSignal: signal });
      return { capabilities: (out.Capabilities ?? []).map(String) };
    },
    async createChangeSet(input) {
      const out = await cfn().send(
        new sdk.CreateChangeSetCommand({
          StackName: input.stackName,
          ChangeSetName: input.changeSetName,
          ChangeSetType: input.type,
          TemplateBody: input.templateBody,
          Parameters: input.parameters.map((p) =>
            p.usePrevious
              ? { ParameterKey: p.key, UsePreviousValue: true }
              : { ParameterKey: p.key, ParameterValue: p.value },
          ),
          Capabilities: input.capabilities as never,
          Description: input.description,
        }),
      );
      return { id: out.Id ?? input.changeSetName, stackId: out.StackId ?? input.stackName };
    },
    async describeChangeSet(id, signal): Promise<ChangeSetDescription> {
      const changes: ChangeSetDescription['changes'] = [];
      let token: string | undefined;
      let first;
      do {
        const out = await cfn().send(new sdk.DescribeChangeSetCommand({ ChangeSetName: id, NextToken: token }), {
          abortSignal: signal,
        });
        first ??= out;
        for (const c of out.Changes ?? []) {
          const r = c.ResourceChange;
          if (r) {
            changes.push({
              action: r.Action ?? 'Modify',
              logicalId: r.LogicalResourceId ?? '',
              physicalId: r.PhysicalResourceId,
              resourceType: r.ResourceType ?? '',
              replacement: r.Replacement,
            });
          }
        }
        token = out.NextToken;
      } while (token);
      return {
        id: first.ChangeSetId ?? id,
        stackId: first.StackId ?? '',
        status: first.Status ?? 'UNKNOWN',
        statusReason: first.StatusReason,
        executionStatus: first.ExecutionStatus,
        changes,
      };
    },
    async executeChangeSet(id) {
      await cfn().send(new sdk.ExecuteChangeSetCommand({ ChangeSetName: id }));
    },
    async deleteChangeSet(id) {
      await cfn().send(new sdk.DeleteChangeSetCommand({ ChangeSetName: id }));
    },
    async deleteStack(stackId) {
      await cfn().send(new sdk.DeleteStackCommand({ StackName: stackId }));
    },
    async cancelUpdateStack(name) {
      await cfn().send(new sdk.CancelUpdateStackCommand({ StackName: name }));
    },
    async continueUpdateRollback(name) {
      await cfn().send(new sdk.ContinueUpdateRollbackCommand({ StackName: name }));
    },
  };
}
