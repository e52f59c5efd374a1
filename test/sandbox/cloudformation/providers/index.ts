// Installs the default providers. Service modules that create real state register their own with
// registerResourceProvider, which wins whatever the import order.
import { cloudFormationProviders } from './cloudformation.js';
import { codeBuildProviders } from './codebuild.js';
import { codeCommitProviders } from './codecommit.js';
import { codePipelineProviders } from './codepipeline.js';
import { ec2Providers } from './ec2.js';
import { ec2NetworkAclProviders } from './ec2NetworkAcl.js';
import { ecrProviders } from './ecr.js';
import { nestedStackProviders } from './nestedStack.js';
import { ecsProviders } from './ecs.js';
import { elbv2Providers } from './elbv2.js';
import { eventsProviders } from './events.js';
import { iamProviders } from './iam.js';
import { logsProviders } from './logs.js';
import { registerDefaultResourceProvider } from './registry.js';
import { s3Providers } from './s3.js';

export function registerDefaultProviders(): void {
  for (const group of [
    cloudFormationProviders,
    s3Providers,
    iamProviders,
    logsProviders,
    eventsProviders,
    ec2Providers,
    ec2NetworkAclProviders,
    nestedStackProviders,
    codeCommitProviders,
    codeBuildProviders,
    codePipelineProviders,
    ecrProviders,
    ecsProviders,
    elbv2Providers,
  ]) {
    for (const [type, provider] of Object.entries(group)) registerDefaultResourceProvider(type, provider);
  }
}

export {
  registerResourceProvider,
  resourceProvider,
  ResourceFailure,
  type ResourceProvider,
  type ProviderContext,
  type ProvisionResult,
} from './registry.js';
