// The CloudFormation API of the sandbox (awsQuery, 2010-05-15).
import type { OperationHandler, ServiceDefinition } from '../core/types.js';
import { createChangeSet, deleteChangeSet, describeChangeSet, executeChangeSet, listChangeSets } from './changeSets.js';
import { registerDefaultProviders } from './providers/index.js';
import {
  describeStackEvents,
  describeStackResources,
  describeStacks,
  getTemplate,
  getTemplateSummary,
  listExports,
  listStackResources,
  validateTemplate,
} from './readOperations.js';
import { cancelUpdateStack, continueUpdateRollback, createStack, deleteStack, updateStack } from './stackOperations.js';

registerDefaultProviders();

const operations: Record<string, OperationHandler> = {
  ValidateTemplate: validateTemplate,
  CreateStack: createStack,
  UpdateStack: updateStack,
  DeleteStack: deleteStack,
  CreateChangeSet: createChangeSet,
  DescribeChangeSet: describeChangeSet,
  ExecuteChangeSet: executeChangeSet,
  DeleteChangeSet: deleteChangeSet,
  ListChangeSets: listChangeSets,
  DescribeStacks: describeStacks,
  DescribeStackEvents: describeStackEvents,
  DescribeStackResources: describeStackResources,
  ListStackResources: listStackResources,
  GetTemplate: getTemplate,
  GetTemplateSummary: getTemplateSummary,
  CancelUpdateStack: cancelUpdateStack,
  ContinueUpdateRollback: continueUpdateRollback,
  ListExports: listExports,
};

export const cloudFormationService: ServiceDefinition = {
  signingName: 'cloudformation',
  protocol: 'awsQuery',
  xmlNamespace: 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
  unknownKeyErrorCode: 'InvalidClientTokenId',
  operations,
};

export { settled as cloudFormationSettled } from './runner.js';
export {
  registerResourceProvider,
  type ResourceProvider,
  type ProviderContext,
  type ProvisionResult,
  ResourceFailure,
} from './providers/registry.js';
