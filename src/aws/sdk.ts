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
export { isServerError, isThrottlingError, isTransientError } from '@smithy/core/retry';
export { CodeCommitClient, GetRepositoryCommand } from '@aws-sdk/client-codecommit';
export { ECRClient, DescribeRepositoriesCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
export {
  CodePipelineClient,
  GetPipelineCommand,
  GetPipelineStateCommand,
  GetPipelineExecutionCommand,
  ListPipelineExecutionsCommand,
  ListActionExecutionsCommand,
  ListPipelinesCommand,
  StartPipelineExecutionCommand,
  RetryStageExecutionCommand,
  StopPipelineExecutionCommand,
  PutApprovalResultCommand,
} from '@aws-sdk/client-codepipeline';
export {
  ECSClient,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
export {
  ElasticLoadBalancingV2Client,
  DescribeTargetHealthCommand,
  DescribeTargetGroupsCommand,
  DescribeLoadBalancersCommand,
  DescribeListenersCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
export { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
export {
  CodeBuildClient,
  BatchGetBuildsCommand,
  BatchGetReportsCommand,
  DescribeTestCasesCommand,
} from '@aws-sdk/client-codebuild';
export { S3Client, ListObjectVersionsCommand, DeleteObjectsCommand } from '@aws-sdk/client-s3';
export {
  SSOOIDCClient,
  RegisterClientCommand,
  StartDeviceAuthorizationCommand,
  CreateTokenCommand,
} from '@aws-sdk/client-sso-oidc';
