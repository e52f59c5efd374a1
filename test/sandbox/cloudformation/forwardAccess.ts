// CloudFormation creates, updates and deletes a stack's resources with the caller's own
// permissions when no service role is given (forward access sessions): each resource handler calls
// the service as the caller, and a denial fails the resource with the handler's AccessDenied. These
// are the calls the handlers of the bundled templates' resource types make (their schemas'
// `handlers.<op>.permissions`, reduced to the ones that change something), authorized with the
// resource's ARN: its physical name when known, else the name CloudFormation generates,
// `<stack>-<logical>-*`. Types without a row here are not checked.
import { randomUUID } from 'node:crypto';
import type { Needed } from '../iam/operationActions';
import type { RequestContext } from '../core/types';
import { ResourceFailure } from './providers/registry.js';

export type HandlerOperation = 'create' | 'update' | 'delete';

export interface ForwardAccessWhere {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly logicalId: string;
  /** Known for update and delete. */
  readonly physicalId: string | undefined;
}

type Props = Record<string, unknown>;
type Row = (props: Props, w: ForwardAccessWhere, op: HandlerOperation) => Needed[];

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const generated = (w: ForwardAccessWhere, lower = false): string => {
  const name = `${w.stackName}-${w.logicalId}-*`;
  return lower ? name.toLowerCase() : name;
};
const nameOf = (w: ForwardAccessWhere, explicit: unknown, lower = false): string =>
  w.physicalId ?? str(explicit) ?? generated(w, lower);
const lastPart = (arnOrName: string): string => arnOrName.slice(arnOrName.lastIndexOf('/') + 1);
const each = (actions: readonly string[], resource: string): Needed[] =>
  actions.map((action) => ({ action, resource }));
const pick = (op: HandlerOperation, create: string[], update: string[], del: string[]): string[] =>
  op === 'create' ? create : op === 'update' ? update : del;

/** Passing a role to a service: iam:PassRole on the role, with the service it goes to. */
function passRole(role: unknown, service: string): Needed[] {
  const arn = str(role);
  return arn ? [{ action: 'iam:PassRole', resource: arn, keys: { 'iam:PassedToService': service } }] : [];
}

const ROWS: Record<string, Row> = {
  'AWS::IAM::Role': (p, w, op) => {
    const arn = `arn:aws:iam::${w.accountId}:role${str(p.Path) ?? '/'}${nameOf(w, p.RoleName)}`;
    const inline = Array.isArray(p.Policies) && p.Policies.length > 0;
    const managed = Array.isArray(p.ManagedPolicyArns) && p.ManagedPolicyArns.length > 0;
    const actions =
      op === 'delete'
        ? ['iam:DeleteRole', ...(inline ? ['iam:DeleteRolePolicy'] : []), ...(managed ? ['iam:DetachRolePolicy'] : [])]
        : [
            op === 'create' ? 'iam:CreateRole' : 'iam:UpdateRole',
            ...(inline ? ['iam:PutRolePolicy'] : []),
            ...(managed ? ['iam:AttachRolePolicy'] : []),
          ];
    return each(actions, arn);
  },
  'AWS::S3::Bucket': (p, w, op) =>
    each(
      pick(
        op,
        [
          's3:CreateBucket',
          ...(p.BucketEncryption ? ['s3:PutEncryptionConfiguration'] : []),
          ...(p.VersioningConfiguration ? ['s3:PutBucketVersioning'] : []),
          ...(p.PublicAccessBlockConfiguration ? ['s3:PutBucketPublicAccessBlock'] : []),
          ...(p.OwnershipControls ? ['s3:PutBucketOwnershipControls'] : []),
          ...(p.LifecycleConfiguration ? ['s3:PutLifecycleConfiguration'] : []),
        ],
        ['s3:PutBucketVersioning'],
        ['s3:DeleteBucket'],
      ),
      `arn:aws:s3:::${nameOf(w, p.BucketName, true)}`,
    ),
  'AWS::S3::BucketPolicy': (p, _w, op) =>
    each([op === 'delete' ? 's3:DeleteBucketPolicy' : 's3:PutBucketPolicy'], `arn:aws:s3:::${String(p.Bucket)}`),
  'AWS::CodeCommit::Repository': (p, w, op) =>
    each(
      pick(
        op,
        ['codecommit:CreateRepository'],
        ['codecommit:UpdateRepositoryDescription'],
        ['codecommit:DeleteRepository'],
      ),
      `arn:aws:codecommit:${w.region}:${w.accountId}:${str(p.RepositoryName) ?? generated(w)}`,
    ),
  'AWS::ECR::Repository': (p, w, op) =>
    each(
      pick(
        op,
        ['ecr:CreateRepository', ...(p.LifecyclePolicy ? ['ecr:PutLifecyclePolicy'] : [])],
        ['ecr:PutImageScanningConfiguration'],
        ['ecr:DeleteRepository'],
      ),
      `arn:aws:ecr:${w.region}:${w.accountId}:repository/${str(p.RepositoryName) ?? generated(w, true)}`,
    ),
  'AWS::Logs::LogGroup': (p, w, op) =>
    each(
      pick(
        op,
        ['logs:CreateLogGroup', ...(p.RetentionInDays !== undefined ? ['logs:PutRetentionPolicy'] : [])],
        ['logs:PutRetentionPolicy'],
        ['logs:DeleteLogGroup'],
      ),
      `arn:aws:logs:${w.region}:${w.accountId}:log-group:${nameOf(w, p.LogGroupName)}:*`,
    ),
  'AWS::CodeBuild::Project': (p, w, op) => [
    ...each(
      pick(op, ['codebuild:CreateProject'], ['codebuild:UpdateProject'], ['codebuild:DeleteProject']),
      `arn:aws:codebuild:${w.region}:${w.accountId}:project/${lastPart(nameOf(w, p.Name))}`,
    ),
    ...(op === 'delete' ? [] : passRole(p.ServiceRole, 'codebuild.amazonaws.com')),
  ],
  'AWS::CodeBuild::ReportGroup': (p, w, op) =>
    each(
      pick(op, ['codebuild:CreateReportGroup'], ['codebuild:UpdateReportGroup'], ['codebuild:DeleteReportGroup']),
      `arn:aws:codebuild:${w.region}:${w.accountId}:report-group/${lastPart(nameOf(w, p.Name))}`,
    ),
  'AWS::CodePipeline::Pipeline': (p, w, op) => [
    ...each(
      pick(op, ['codepipeline:CreatePipeline'], ['codepipeline:UpdatePipeline'], ['codepipeline:DeletePipeline']),
      `arn:aws:codepipeline:${w.region}:${w.accountId}:${nameOf(w, p.Name)}`,
    ),
    ...(op === 'delete' ? [] : passRole(p.RoleArn, 'codepipeline.amazonaws.com')),
  ],
  'AWS::Events::Rule': (p, w, op) => {
    const arn = `arn:aws:events:${w.region}:${w.accountId}:rule/${lastPart(nameOf(w, p.Name))}`;
    if (op === 'delete') return each(['events:RemoveTargets', 'events:DeleteRule'], arn);
    const targets = Array.isArray(p.Targets) ? (p.Targets as Props[]) : [];
    return [
      ...each(['events:PutRule', ...(targets.length > 0 ? ['events:PutTargets'] : [])], arn),
      ...targets.flatMap((t) => passRole(t.RoleArn, 'events.amazonaws.com')),
    ];
  },
  'AWS::ECS::Cluster': (p, w, op) =>
    each(
      pick(op, ['ecs:CreateCluster'], ['ecs:UpdateCluster'], ['ecs:DeleteCluster']),
      `arn:aws:ecs:${w.region}:${w.accountId}:cluster/${lastPart(nameOf(w, p.ClusterName))}`,
    ),
  'AWS::ECS::TaskDefinition': (p, _w, op) =>
    op === 'delete'
      ? each(['ecs:DeregisterTaskDefinition'], '*')
      : [
          ...each(['ecs:RegisterTaskDefinition'], '*'),
          ...passRole(p.ExecutionRoleArn, 'ecs-tasks.amazonaws.com'),
          ...passRole(p.TaskRoleArn, 'ecs-tasks.amazonaws.com'),
        ],
  'AWS::ECS::Service': (_p, _w, op) =>
    each(pick(op, ['ecs:CreateService'], ['ecs:UpdateService'], ['ecs:DeleteService']), '*'),
  'AWS::EC2::VPC': (_p, _w, op) =>
    each(pick(op, ['ec2:CreateVpc'], ['ec2:ModifyVpcAttribute'], ['ec2:DeleteVpc']), '*'),
  'AWS::EC2::Subnet': (_p, _w, op) =>
    each(pick(op, ['ec2:CreateSubnet'], ['ec2:ModifySubnetAttribute'], ['ec2:DeleteSubnet']), '*'),
  'AWS::EC2::InternetGateway': (_p, _w, op) =>
    each(pick(op, ['ec2:CreateInternetGateway'], [], ['ec2:DeleteInternetGateway']), '*'),
  'AWS::EC2::VPCGatewayAttachment': (_p, _w, op) =>
    each(pick(op, ['ec2:AttachInternetGateway'], [], ['ec2:DetachInternetGateway']), '*'),
  'AWS::EC2::RouteTable': (_p, _w, op) => each(pick(op, ['ec2:CreateRouteTable'], [], ['ec2:DeleteRouteTable']), '*'),
  'AWS::EC2::Route': (_p, _w, op) =>
    each(pick(op, ['ec2:CreateRoute'], ['ec2:ReplaceRoute'], ['ec2:DeleteRoute']), '*'),
  'AWS::EC2::SubnetRouteTableAssociation': (_p, _w, op) =>
    each(pick(op, ['ec2:AssociateRouteTable'], [], ['ec2:DisassociateRouteTable']), '*'),
  'AWS::EC2::SecurityGroup': (_p, _w, op) =>
    each(pick(op, ['ec2:CreateSecurityGroup'], [], ['ec2:DeleteSecurityGroup']), '*'),
  'AWS::EC2::SecurityGroupEgress': (_p, _w, op) =>
    each(pick(op, ['ec2:AuthorizeSecurityGroupEgress'], [], ['ec2:RevokeSecurityGroupEgress']), '*'),
  'AWS::ElasticLoadBalancingV2::LoadBalancer': (_p, _w, op) =>
    each(
      pick(
        op,
        ['elasticloadbalancing:CreateLoadBalancer'],
        ['elasticloadbalancing:ModifyLoadBalancerAttributes'],
        ['elasticloadbalancing:DeleteLoadBalancer'],
      ),
      '*',
    ),
  'AWS::ElasticLoadBalancingV2::TargetGroup': (_p, _w, op) =>
    each(
      pick(
        op,
        ['elasticloadbalancing:CreateTargetGroup'],
        ['elasticloadbalancing:ModifyTargetGroupAttributes'],
        ['elasticloadbalancing:DeleteTargetGroup'],
      ),
      '*',
    ),
  'AWS::ElasticLoadBalancingV2::Listener': (_p, _w, op) =>
    each(pick(op, ['elasticloadbalancing:CreateListener'], [], ['elasticloadbalancing:DeleteListener']), '*'),
};

/**
 * The first time an account gets an ECS cluster or a load balancer, the service creates its
 * service-linked role with the caller's permissions (iam:CreateServiceLinkedRole); afterwards the
 * role exists and nothing is asked.
 */
const SERVICE_LINKED: Record<string, { service: string; role: string }> = {
  'AWS::ECS::Cluster': { service: 'ecs.amazonaws.com', role: 'AWSServiceRoleForECS' },
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    service: 'elasticloadbalancing.amazonaws.com',
    role: 'AWSServiceRoleForElasticLoadBalancing',
  },
};
const serviceLinkedRoles = new WeakMap<object, Set<string>>();

export function forwardAccessNeeds(
  type: string,
  op: HandlerOperation,
  props: Props,
  where: ForwardAccessWhere,
): Needed[] {
  return ROWS[type]?.(props, where, op) ?? [];
}

/**
 * Authorizes a resource handler's calls as the stack's caller; throws the ResourceFailure
 * CloudFormation reports (`Resource handler returned message: "User: … is not authorized …"`).
 */
export function checkForwardAccess(
  authorize: RequestContext['authorize'],
  sandbox: object,
  type: string,
  op: HandlerOperation,
  props: Props,
  where: ForwardAccessWhere,
): void {
  if (!authorize) return;
  const needs = forwardAccessNeeds(type, op, props, where);
  const linked = op === 'create' ? SERVICE_LINKED[type] : undefined;
  let created = serviceLinkedRoles.get(sandbox);
  if (!created) serviceLinkedRoles.set(sandbox, (created = new Set()));
  const linkedKey = linked && `${where.accountId}/${linked.role}`;
  if (linked && linkedKey && !created.has(linkedKey))
    needs.unshift({
      action: 'iam:CreateServiceLinkedRole',
      resource: `arn:aws:iam::${where.accountId}:role/aws-service-role/${linked.service}/${linked.role}`,
      keys: { 'iam:AWSServiceName': linked.service },
    });
  for (const need of needs) {
    const denied = authorize(need.action, need.resource, need.keys);
    if (denied) {
      throw new ResourceFailure(
        `Resource handler returned message: "${denied.message} (Service: ${SERVICE_NAMES[need.action.split(':')[0]] ?? need.action.split(':')[0]}, Status Code: ${denied.status}, Request ID: ${randomUUID()})" (RequestToken: ${randomUUID()}, HandlerErrorCode: AccessDenied)`,
      );
    }
  }
  if (linkedKey) created.add(linkedKey);
}

/** The service names AWS SDK for Java errors carry, as resource handlers print them. */
const SERVICE_NAMES: Record<string, string> = {
  iam: 'Iam',
  s3: 'S3',
  codecommit: 'CodeCommit',
  ecr: 'Ecr',
  logs: 'CloudWatchLogs',
  codebuild: 'CodeBuild',
  codepipeline: 'CodePipeline',
  events: 'EventBridge',
  ecs: 'Ecs',
  ec2: 'Ec2',
  elasticloadbalancing: 'ElasticLoadBalancingV2',
};
