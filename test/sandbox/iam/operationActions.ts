// What each operation the sandbox serves is authorized for, per the Service Authorization Reference:
// the action (or actions) and the resource ARN built from the request, with the action's condition
// keys. An action whose reference row lists no resource type is authorized on `*`.
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';
import { str } from '../core/values';
import { resourceArn } from './serviceReference';

/** One authorization a request needs. */
export interface Needed {
  readonly action: string;
  readonly resource: string;
  readonly keys?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

export interface Where {
  readonly sandbox: Sandbox;
  readonly accountId: string;
  readonly region: string;
}

type Input = Record<string, unknown>;
type Rule = (input: Input, where: Where) => Needed[];

const ANY = '*';
const arn = (where: Where, prefix: string, type: string, vars: Record<string, string>): string =>
  resourceArn(prefix, type, where, vars);
const one = (action: string, resource = ANY, keys?: Needed['keys']): Needed[] => [
  keys ? { action, resource, keys } : { action, resource },
];
const list = (value: unknown): string[] => (Array.isArray(value) ? value.map((v) => str(v)) : []);
/** The last path part of an ARN, or the name itself. */
const nameOf = (value: unknown): string => {
  const text = str(value);
  return text.startsWith('arn:') ? text.slice(text.lastIndexOf('/') + 1) : text;
};

// ---------------------------------------------------------------------------- CloudFormation

/** A stack's ARN: the given ARN, the live stack's id, or `stack/<name>/*` before it exists. */
function stackArn(where: Where, nameOrId: unknown): string {
  const name = str(nameOrId);
  if (name.startsWith('arn:')) return name;
  const stack = Object.values(cfnState(where.sandbox).stacks).find(
    (s) =>
      s.stackName === name &&
      s.status !== 'DELETE_COMPLETE' &&
      s.stackId.startsWith(`arn:aws:cloudformation:${where.region}:${where.accountId}:`),
  );
  return stack?.stackId ?? arn(where, 'cloudformation', 'stack', { StackName: name, Id: '*' });
}

function changeSetStackArn(where: Where, input: Input): string {
  const changeSet = str(input.ChangeSetName);
  if (changeSet.startsWith('arn:')) {
    const record = cfnState(where.sandbox).changeSets[changeSet];
    if (record) return record.stackId;
  }
  return stackArn(where, input.StackName);
}

const stackRule =
  (action: string): Rule =>
  (input, where) =>
    one(`cloudformation:${action}`, stackArn(where, input.StackName));
const changeSetRule =
  (action: string): Rule =>
  (input, where) =>
    one(`cloudformation:${action}`, changeSetStackArn(where, input), {
      'cloudformation:ChangeSetName': nameOf(input.ChangeSetName),
    });

const cloudformation: Record<string, Rule> = {
  ValidateTemplate: (input) =>
    one('cloudformation:ValidateTemplate', ANY, { 'cloudformation:TemplateUrl': optional(input.TemplateURL) }),
  CreateStack: (input, where) =>
    one('cloudformation:CreateStack', stackArn(where, input.StackName), {
      'cloudformation:RoleArn': optional(input.RoleARN),
      'cloudformation:TemplateUrl': optional(input.TemplateURL),
    }),
  UpdateStack: (input, where) =>
    one('cloudformation:UpdateStack', stackArn(where, input.StackName), {
      'cloudformation:RoleArn': optional(input.RoleARN),
      'cloudformation:TemplateUrl': optional(input.TemplateURL),
    }),
  DeleteStack: (input, where) =>
    one('cloudformation:DeleteStack', stackArn(where, input.StackName), {
      'cloudformation:RoleArn': optional(input.RoleARN),
    }),
  CreateChangeSet: (input, where) =>
    one('cloudformation:CreateChangeSet', stackArn(where, input.StackName), {
      'cloudformation:ChangeSetName': str(input.ChangeSetName),
      'cloudformation:RoleArn': optional(input.RoleARN),
      'cloudformation:TemplateUrl': optional(input.TemplateURL),
    }),
  DescribeChangeSet: changeSetRule('DescribeChangeSet'),
  ExecuteChangeSet: changeSetRule('ExecuteChangeSet'),
  DeleteChangeSet: changeSetRule('DeleteChangeSet'),
  ListChangeSets: stackRule('ListChangeSets'),
  DescribeStacks: (input, where) =>
    one('cloudformation:DescribeStacks', input.StackName === undefined ? ANY : stackArn(where, input.StackName)),
  DescribeStackEvents: stackRule('DescribeStackEvents'),
  DescribeStackResources: stackRule('DescribeStackResources'),
  ListStackResources: stackRule('ListStackResources'),
  GetTemplate: stackRule('GetTemplate'),
  GetTemplateSummary: (input, where) =>
    one('cloudformation:GetTemplateSummary', input.StackName === undefined ? ANY : stackArn(where, input.StackName), {
      'cloudformation:TemplateUrl': optional(input.TemplateURL),
    }),
  CancelUpdateStack: stackRule('CancelUpdateStack'),
  ContinueUpdateRollback: stackRule('ContinueUpdateRollback'),
  ListExports: () => one('cloudformation:ListExports'),
};

// ---------------------------------------------------------------------------- CodeCommit

const repository =
  (action: string): Rule =>
  (input, where) =>
    one(`codecommit:${action}`, arn(where, 'codecommit', 'repository', { RepositoryName: str(input.repositoryName) }));

const codecommit: Record<string, Rule> = {
  CreateRepository: repository('CreateRepository'),
  GetRepository: repository('GetRepository'),
  ListRepositories: () => one('codecommit:ListRepositories'),
  GetBranch: repository('GetBranch'),
  DeleteRepository: repository('DeleteRepository'),
};

// ---------------------------------------------------------------------------- CodePipeline

const pipeline =
  (action: string, member: string): Rule =>
  (input, where) =>
    one(`codepipeline:${action}`, arn(where, 'codepipeline', 'pipeline', { PipelineName: str(input[member]) }));
const stage =
  (action: string): Rule =>
  (input, where) =>
    one(
      `codepipeline:${action}`,
      arn(where, 'codepipeline', 'stage', { PipelineName: str(input.pipelineName), StageName: str(input.stageName) }),
    );

const codepipeline: Record<string, Rule> = {
  ListPipelines: () => one('codepipeline:ListPipelines'),
  GetPipeline: pipeline('GetPipeline', 'name'),
  GetPipelineState: pipeline('GetPipelineState', 'name'),
  ListPipelineExecutions: pipeline('ListPipelineExecutions', 'pipelineName'),
  GetPipelineExecution: pipeline('GetPipelineExecution', 'pipelineName'),
  StartPipelineExecution: pipeline('StartPipelineExecution', 'name'),
  StopPipelineExecution: pipeline('StopPipelineExecution', 'pipelineName'),
  RetryStageExecution: stage('RetryStageExecution'),
  ListActionExecutions: pipeline('ListActionExecutions', 'pipelineName'),
  PutApprovalResult: (input, where) =>
    one(
      'codepipeline:PutApprovalResult',
      arn(where, 'codepipeline', 'action', {
        PipelineName: str(input.pipelineName),
        StageName: str(input.stageName),
        ActionName: str(input.actionName),
      }),
    ),
  DisableStageTransition: stage('DisableStageTransition'),
  EnableStageTransition: stage('EnableStageTransition'),
};

// ---------------------------------------------------------------------------- CodeBuild

const project = (where: Where, name: string): string =>
  arn(where, 'codebuild', 'project', { ProjectName: nameOf(name) });
/** A build id is `<project>:<uuid>` (or the build's ARN). */
const buildProject = (id: string): string => {
  const plain = id.startsWith('arn:') ? id.slice(id.indexOf(':build/') + ':build/'.length) : id;
  return plain.slice(0, plain.lastIndexOf(':'));
};
/** A report group ARN as given, or the group of a report ARN (`…:report/<group>:<id>`). */
const reportGroupOf = (where: Where, reportArn: string): string => {
  const m = /:report\/(.+):[^:]+$/.exec(reportArn);
  return arn(where, 'codebuild', 'report-group', { ReportGroupName: m ? m[1] : nameOf(reportArn) });
};
const distinct = (values: string[]): string[] => [...new Set(values)];

const codebuild: Record<string, Rule> = {
  StopBuild: (input, where) => one('codebuild:StopBuild', project(where, buildProject(str(input.id)))),
  BatchGetBuilds: (input, where) =>
    distinct(list(input.ids).map((id) => project(where, buildProject(id)))).map((resource) => ({
      action: 'codebuild:BatchGetBuilds',
      resource,
    })),
  ListBuildsForProject: (input, where) => one('codebuild:ListBuildsForProject', project(where, str(input.projectName))),
  BatchGetProjects: (input, where) =>
    distinct(list(input.names).map((n) => project(where, n))).map((resource) => ({
      action: 'codebuild:BatchGetProjects',
      resource,
    })),
  ListProjects: () => one('codebuild:ListProjects'),
  ListReportGroups: () => one('codebuild:ListReportGroups'),
  BatchGetReportGroups: (input) =>
    distinct(list(input.reportGroupArns)).map((resource) => ({ action: 'codebuild:BatchGetReportGroups', resource })),
  ListReportsForReportGroup: (input) => one('codebuild:ListReportsForReportGroup', str(input.reportGroupArn)),
  BatchGetReports: (input, where) =>
    distinct(list(input.reportArns).map((r) => reportGroupOf(where, r))).map((resource) => ({
      action: 'codebuild:BatchGetReports',
      resource,
    })),
  DescribeTestCases: (input, where) => one('codebuild:DescribeTestCases', reportGroupOf(where, str(input.reportArn))),
};

// ---------------------------------------------------------------------------- CloudWatch Logs

/**
 * CloudWatch Logs authorizes log-group actions on `log-group:<name>:log-stream:` (what its
 * AccessDenied messages print), so `log-group:<name>:*` in a policy covers the group and its streams.
 */
export const logGroupResource = (where: Where, name: string): string =>
  `${arn(where, 'logs', 'log-group', { LogGroupName: name })}:log-stream:`;
export const logStreamResource = (where: Where, group: string, stream: string): string =>
  arn(where, 'logs', 'log-stream', { LogGroupName: group, LogStreamName: stream });
const groupName = (input: Input): string => {
  const id = str(input.logGroupIdentifier ?? input.logGroupName);
  const m = /^arn:aws[\w-]*:logs:[^:]*:\d{12}:log-group:([^:]+)/.exec(id);
  return m ? m[1] : id;
};
const logGroup =
  (action: string): Rule =>
  (input, where) =>
    one(`logs:${action}`, logGroupResource(where, groupName(input)));

const logs: Record<string, Rule> = {
  CreateLogGroup: logGroup('CreateLogGroup'),
  DeleteLogGroup: logGroup('DeleteLogGroup'),
  DescribeLogGroups: () => one('logs:DescribeLogGroups'),
  DescribeLogStreams: logGroup('DescribeLogStreams'),
  GetLogEvents: (input, where) =>
    one('logs:GetLogEvents', logStreamResource(where, groupName(input), str(input.logStreamName))),
  FilterLogEvents: logGroup('FilterLogEvents'),
};

// ---------------------------------------------------------------------------- ECR

export const ecrRepositoryArn = (where: Where, name: string, registryId?: unknown): string =>
  arn({ ...where, accountId: registryId === undefined ? where.accountId : str(registryId) }, 'ecr', 'repository', {
    RepositoryName: name,
  });
const ecrRepository =
  (action: string): Rule =>
  (input, where) =>
    one(`ecr:${action}`, ecrRepositoryArn(where, str(input.repositoryName), input.registryId));

const ecr: Record<string, Rule> = {
  CreateRepository: ecrRepository('CreateRepository'),
  DeleteRepository: ecrRepository('DeleteRepository'),
  // Without names it lists every repository the caller may see: authorized on the registry's `*`.
  DescribeRepositories: (input, where) => {
    const names = list(input.repositoryNames);
    return names.length === 0
      ? one('ecr:DescribeRepositories', ecrRepositoryArn(where, '*', input.registryId))
      : names.map((n) => ({
          action: 'ecr:DescribeRepositories',
          resource: ecrRepositoryArn(where, n, input.registryId),
        }));
  },
  DescribeImages: ecrRepository('DescribeImages'),
  ListImages: ecrRepository('ListImages'),
};

// ---------------------------------------------------------------------------- ECS

const clusterName = (value: unknown): string => nameOf(value ?? 'default');
const clusterArn = (where: Where, value: unknown): string =>
  arn(where, 'ecs', 'cluster', { ClusterName: clusterName(value) });
const serviceArn = (where: Where, cluster: unknown, service: string): string =>
  arn(where, 'ecs', 'service', { ClusterName: clusterName(cluster), ServiceName: nameOf(service) });
const taskArn = (where: Where, cluster: unknown, task: string): string =>
  arn(where, 'ecs', 'task', { ClusterName: clusterName(cluster), TaskId: nameOf(task) });

const ecs: Record<string, Rule> = {
  DescribeClusters: (input, where) =>
    (list(input.clusters).length > 0 ? list(input.clusters) : ['default']).map((c) => ({
      action: 'ecs:DescribeClusters',
      resource: clusterArn(where, c),
    })),
  ListServices: (input, where) => one('ecs:ListServices', ANY, { 'ecs:cluster': clusterArn(where, input.cluster) }),
  DescribeServices: (input, where) =>
    list(input.services).map((s) => ({
      action: 'ecs:DescribeServices',
      resource: serviceArn(where, input.cluster, s),
      keys: { 'ecs:cluster': clusterArn(where, input.cluster) },
    })),
  // The reference names container-instance, but a cluster-wide listing has no instance: it is
  // authorized on `*` with the cluster in ecs:cluster.
  ListTasks: (input, where) => one('ecs:ListTasks', ANY, { 'ecs:cluster': clusterArn(where, input.cluster) }),
  DescribeTasks: (input, where) =>
    list(input.tasks).map((t) => ({
      action: 'ecs:DescribeTasks',
      resource: taskArn(where, input.cluster, t),
      keys: { 'ecs:cluster': clusterArn(where, input.cluster) },
    })),
  DescribeTaskDefinition: () => one('ecs:DescribeTaskDefinition'),
  RegisterTaskDefinition: (input, where) => registerTaskDefinitionNeeds(where, input),
  UpdateService: (input, where) =>
    one('ecs:UpdateService', serviceArn(where, input.cluster, str(input.service)), {
      'ecs:cluster': clusterArn(where, input.cluster),
      'ecs:task-definition': optional(input.taskDefinition),
    }),
};

/** RegisterTaskDefinition: the new revision, tagging it (ecs:CreateAction) and passing its roles to ECS tasks. */
export function registerTaskDefinitionNeeds(where: Where, input: Input, revision = '*'): Needed[] {
  const family = str(input.family);
  const resource = arn(where, 'ecs', 'task-definition', {
    TaskDefinitionFamilyName: family,
    TaskDefinitionRevisionNumber: revision,
  });
  const needs: Needed[] = [{ action: 'ecs:RegisterTaskDefinition', resource }];
  const tags = Array.isArray(input.tags) ? (input.tags as { key?: unknown }[]) : [];
  if (tags.length > 0)
    needs.push({
      action: 'ecs:TagResource',
      resource,
      keys: { 'ecs:CreateAction': 'RegisterTaskDefinition', 'aws:TagKeys': tags.map((t) => str(t.key)) },
    });
  for (const role of [input.executionRoleArn, input.taskRoleArn]) {
    if (typeof role === 'string' && role !== '')
      needs.push({
        action: 'iam:PassRole',
        resource: role,
        keys: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com', 'iam:AssociatedResourceArn': resource },
      });
  }
  return needs;
}

// ---------------------------------------------------------------------------- ELB, EventBridge, SSM, Secrets Manager

const elasticloadbalancing: Record<string, Rule> = {
  DescribeLoadBalancers: () => one('elasticloadbalancing:DescribeLoadBalancers'),
  DescribeTargetGroups: () => one('elasticloadbalancing:DescribeTargetGroups'),
  DescribeTargetHealth: () => one('elasticloadbalancing:DescribeTargetHealth'),
  DescribeListeners: () => one('elasticloadbalancing:DescribeListeners'),
  // Resource-level: the target group (Service Authorization Reference for Elastic Load Balancing V2).
  RegisterTargets: (input) => one('elasticloadbalancing:RegisterTargets', str(input.TargetGroupArn)),
  DeregisterTargets: (input) => one('elasticloadbalancing:DeregisterTargets', str(input.TargetGroupArn)),
};

const rule =
  (action: string): Rule =>
  (input, where) => {
    const bus = str(input.EventBusName ?? 'default');
    const name = str(input.Name ?? input.Rule);
    return one(
      `events:${action}`,
      bus === 'default'
        ? arn(where, 'events', 'rule-on-default-event-bus', { RuleName: name })
        : arn(where, 'events', 'rule-on-custom-event-bus', { EventBusName: nameOf(bus), RuleName: name }),
    );
  };

const events: Record<string, Rule> = {
  ListRules: () => one('events:ListRules'),
  DescribeRule: rule('DescribeRule'),
  ListTargetsByRule: rule('ListTargetsByRule'),
  EnableRule: rule('EnableRule'),
  DisableRule: rule('DisableRule'),
};

const parameter = (where: Where, name: string): string =>
  name.startsWith('arn:')
    ? name
    : arn(where, 'ssm', 'parameter', { ParameterNameWithoutLeadingSlash: name.replace(/^\//, '') });
const ssmParameter =
  (action: string): Rule =>
  (input, where) =>
    one(`ssm:${action}`, parameter(where, str(input.Name)));

const ssm: Record<string, Rule> = {
  PutParameter: ssmParameter('PutParameter'),
  GetParameter: ssmParameter('GetParameter'),
  GetParameters: (input, where) =>
    list(input.Names).map((n) => ({ action: 'ssm:GetParameters', resource: parameter(where, n) })),
  DeleteParameter: ssmParameter('DeleteParameter'),
  DescribeParameters: () => one('ssm:DescribeParameters'),
};

/** A secret's ARN ends in `-` and six random characters, which a name alone cannot know: `-??????`. */
const secret = (where: Where, id: string): string =>
  id.startsWith('arn:') ? id : arn(where, 'secretsmanager', 'secret', { SecretId: `${id}-??????` });
const secretRule =
  (action: string, member: string): Rule =>
  (input, where) =>
    one(`secretsmanager:${action}`, secret(where, str(input[member])), {
      'secretsmanager:SecretId': str(input[member]),
    });

const secretsmanager: Record<string, Rule> = {
  CreateSecret: (input, where) =>
    one('secretsmanager:CreateSecret', secret(where, str(input.Name)), { 'secretsmanager:Name': str(input.Name) }),
  GetSecretValue: secretRule('GetSecretValue', 'SecretId'),
  DescribeSecret: secretRule('DescribeSecret', 'SecretId'),
  DeleteSecret: secretRule('DeleteSecret', 'SecretId'),
};

// ---------------------------------------------------------------------------- STS

/** GetCallerIdentity needs no permission: AWS answers it even when a policy denies everything. */
const sts: Record<string, Rule> = {
  GetCallerIdentity: () => [],
};

/** By SigV4 signing name, then operation. */
export const OPERATION_ACTIONS: Readonly<Record<string, Readonly<Record<string, Rule>>>> = {
  cloudformation,
  codecommit,
  codepipeline,
  codebuild,
  logs,
  ecr,
  ecs,
  elasticloadbalancing,
  events,
  ssm,
  secretsmanager,
  sts,
};

/** The authorizations a request needs, or undefined when the sandbox has no row for the operation. */
export function neededFor(service: string, operation: string, input: Input, where: Where): Needed[] | undefined {
  const rule = OPERATION_ACTIONS[service]?.[operation];
  return rule?.(input, where);
}

function optional(value: unknown): string | undefined {
  return value === undefined ? undefined : str(value);
}
