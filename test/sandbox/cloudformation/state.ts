// CloudFormation's slot in the sandbox state (JSON-serializable): stacks, change sets, and the
// records kept by record-only resource providers.
import type { Sandbox } from '../core/types.js';
import type { ResolvedOutput } from './engine/model.js';
import type { ResourceChange } from './engine/changes.js';

export interface StackEvent {
  EventId: string;
  StackId: string;
  StackName: string;
  LogicalResourceId: string;
  PhysicalResourceId: string;
  ResourceType: string;
  Timestamp: string;
  ResourceStatus: string;
  ResourceStatusReason?: string;
  ResourceProperties?: string;
  ClientRequestToken?: string;
}

export interface ResourceRecord {
  logicalId: string;
  type: string;
  physicalId?: string;
  status: string;
  statusReason?: string;
  timestamp: string;
  properties: Record<string, unknown>;
  attributes: Record<string, unknown>;
}

/** What an update may roll back to. */
export interface StackSnapshot {
  templateBody: string;
  template: unknown;
  parameters: Record<string, string>;
  resolvedParameters?: Record<string, string>;
  outputs: ResolvedOutput[];
  resources: Record<string, ResourceRecord>;
  capabilities: string[];
  tags: { Key: string; Value: string }[];
}

export interface StackRecord {
  stackId: string;
  stackName: string;
  status: string;
  statusReason?: string;
  creationTime: string;
  lastUpdatedTime?: string;
  deletionTime?: string;
  description?: string;
  templateBody: string;
  template: unknown;
  parameters: Record<string, string>;
  /** SSM-typed parameters' values as resolved from Parameter Store. */
  resolvedParameters?: Record<string, string>;
  capabilities: string[];
  notificationArns: string[];
  tags: { Key: string; Value: string }[];
  roleArn?: string;
  disableRollback: boolean;
  /** Nested stacks: the stack whose AWS::CloudFormation::Stack resource created this one, and the top-level stack. */
  parentId?: string;
  rootId?: string;
  timeoutInMinutes?: number;
  enableTerminationProtection: boolean;
  changeSetId?: string;
  resources: Record<string, ResourceRecord>;
  outputs: ResolvedOutput[];
  events: StackEvent[];
  /** Set while an update runs or has failed to roll back: the state before the update. */
  previous?: StackSnapshot;
  /** What the running (or failed-to-roll-back) update changed, so a rollback can undo it. */
  journal?: UpdateJournal;
}

export interface UpdateJournal {
  added: string[];
  inPlace: string[];
  /** Logical id → the record of the physical resource that a replacement superseded. */
  replaced: Record<string, ResourceRecord>;
}

export interface ChangeSetRecord {
  changeSetId: string;
  changeSetName: string;
  stackId: string;
  stackName: string;
  changeSetType: 'CREATE' | 'UPDATE' | 'IMPORT';
  status: string;
  statusReason?: string;
  executionStatus: string;
  creationTime: string;
  description?: string;
  templateBody: string;
  template: unknown;
  parameters: Record<string, string>;
  resolvedParameters?: Record<string, string>;
  capabilities: string[];
  notificationArns: string[];
  tags: { Key: string; Value: string }[];
  roleArn?: string;
  changes: ResourceChange[];
  deleted?: boolean;
}

export interface CloudFormationState {
  stacks: Record<string, StackRecord>;
  changeSets: Record<string, ChangeSetRecord>;
  /** Record-only providers' resources: type → physical id → properties. */
  records: Record<string, Record<string, { stackId: string; logicalId: string; properties: Record<string, unknown> }>>;
}

export function cfnState(sandbox: Sandbox): CloudFormationState {
  const state = sandbox.state as { cloudformation?: CloudFormationState };
  state.cloudformation ??= { stacks: {}, changeSets: {}, records: {} };
  const s = state.cloudformation;
  s.stacks ??= {};
  s.changeSets ??= {};
  s.records ??= {};
  return s;
}
