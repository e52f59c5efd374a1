// The AWS SDK surface the extension uses, bundled into its own chunk (dist/sdk.js) and loaded on
// first use through sdkLoader.ts, so activation never parses the SDK.
export { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
export {
  CloudFormationClient,
  DescribeStacksCommand,
  DescribeStackEventsCommand,
  ValidateTemplateCommand,
  CreateChangeSetCommand,
  DescribeChangeSetCommand,
  ExecuteChangeSetCommand,
  DeleteChangeSetCommand,
  DeleteStackCommand,
  CancelUpdateStackCommand,
  ContinueUpdateRollbackCommand,
} from '@aws-sdk/client-cloudformation';
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
export { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
export { partition } from '@aws-sdk/core/client';
