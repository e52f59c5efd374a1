// Every service module the sandbox serves. Add a new service by appending it here.
import { cloudFormationService } from './cloudformation/service';
import { codeBuildService } from './codebuild/service';
import { codeCommitService } from './codecommit/service';
import { codePipelineService } from './codepipeline/service';
import type { ServiceDefinition } from './core/types';
import { ecrService } from './ecr/service';
import { ecsService } from './ecs/service';
import { elbv2Service } from './elbv2/service';
import { eventsService } from './events/service';
import { logsService } from './logs/service';
import { s3Service } from './s3/service';
import { secretsManagerService } from './secretsmanager/service';
import { ssmService } from './ssm/service';
import { ssoOidcService } from './sso/oidcService';
import { ssoPortalService } from './sso/portalService';
import { stsService } from './sts/service';

export const services: readonly ServiceDefinition[] = [
  stsService,
  codeCommitService,
  cloudFormationService,
  codePipelineService,
  codeBuildService,
  logsService,
  ecrService,
  ecsService,
  elbv2Service,
  eventsService,
  s3Service,
  ssmService,
  secretsManagerService,
  ssoOidcService,
  ssoPortalService,
];
