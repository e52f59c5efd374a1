// Scenario switches that make resources fail, and the status reasons real CloudFormation shows.
//
//   scenarios.failResources        string[]  logical ids whose create/update fails (also `failResource`: string | string[])
//   scenarios.failResourceReason   string    overrides the status reason
//   scenarios.failDeleteResources  string[]  logical ids whose delete fails (DELETE_FAILED)
//   scenarios.failRollbackResources string[] logical ids whose rollback update fails (UPDATE_ROLLBACK_FAILED)
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../../core/types.js';

function list(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

export function scenarioFails(sandbox: Sandbox, kind: 'create' | 'delete' | 'rollback', logicalId: string): boolean {
  const s = sandbox.scenarios;
  if (kind === 'create') return [...list(s.failResources), ...list(s.failResource)].includes(logicalId);
  if (kind === 'delete') return list(s.failDeleteResources).includes(logicalId);
  return list(s.failRollbackResources).includes(logicalId);
}

function handlerMessage(message: string, code: string): string {
  return `Resource handler returned message: "${message}" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${code})`;
}

/** A realistic failure reason for a resource of the type (what the status reason column shows). */
export function failureReason(
  sandbox: Sandbox,
  type: string,
  properties: Record<string, unknown>,
  action: 'create' | 'update' | 'delete',
): string {
  const override = sandbox.scenarios.failResourceReason;
  if (typeof override === 'string' && override !== '') return override;
  if (action === 'delete') return handlerMessage('Internal Failure', 'InternalFailure');
  switch (type) {
    case 'AWS::S3::Bucket':
      return `${typeof properties.BucketName === 'string' ? properties.BucketName : 'bucket'} already exists`;
    case 'AWS::IAM::Role':
      return handlerMessage(
        'Cannot exceed quota for RolesPerAccount: 1000 (Service: Iam, Status Code: 409)',
        'ServiceLimitExceeded',
      );
    case 'AWS::ECS::Service':
      return handlerMessage(
        "Error occurred during operation 'ECS Deployment Circuit Breaker was triggered'.",
        'GeneralServiceException',
      );
    case 'AWS::CodePipeline::Pipeline':
      return handlerMessage(
        'ArtifactStore S3 bucket does not exist or is not accessible (Service: CodePipeline, Status Code: 400)',
        'InvalidRequest',
      );
    case 'AWS::CodeBuild::Project':
      return handlerMessage(
        'Invalid service role: Service role is not assumable by CodeBuild (Service: CodeBuild, Status Code: 400)',
        'InvalidRequest',
      );
    case 'AWS::ElasticLoadBalancingV2::LoadBalancer':
      return handlerMessage(
        'At least two subnets in two different Availability Zones must be specified (Service: ElasticLoadBalancingV2, Status Code: 400)',
        'InvalidRequest',
      );
    default:
      return handlerMessage('Internal Failure', 'InternalFailure');
  }
}
