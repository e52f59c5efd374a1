// The CloudFormation operations the deploy engine needs, in its own terms. The SDK-backed
// implementation lives in src/aws/cloudformation.ts; tests can drive the engine with anything.

export interface StackDescription {
  id: string;
  name: string;
  status: string;
  statusReason: string | undefined;
  lastUpdated?: Date | undefined;
  parameters: Map<string, string>;
  outputs: { key: string; value: string; description: string | undefined }[];
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

export interface CfnApi {
  describeStack(nameOrId: string): Promise<StackDescription | undefined>;
  /** Newest first, one page; `nextToken` continues to older events. */
  describeStackEvents(
    stackId: string,
    nextToken?: string,
  ): Promise<{ events: StackEvent[]; nextToken: string | undefined }>;
  validateTemplate(body: string): Promise<{ capabilities: string[] }>;
  createChangeSet(input: {
    stackName: string;
    changeSetName: string;
    type: 'CREATE' | 'UPDATE';
    templateBody: string;
    parameters: ParameterInput[];
    capabilities: string[];
    description: string;
  }): Promise<{ id: string; stackId: string }>;
  describeChangeSet(changeSetId: string): Promise<ChangeSetDescription>;
  executeChangeSet(changeSetId: string): Promise<void>;
  deleteChangeSet(changeSetId: string): Promise<void>;
  deleteStack(stackId: string): Promise<void>;
  cancelUpdateStack(stackName: string): Promise<void>;
  continueUpdateRollback(stackName: string): Promise<void>;
}
