// What each action provider does when the engine runs it: CodeCommit source (reads the commit with
// git), CodeBuild (runs a build), ECS deploy (new task definition revision + rolling deployment),
// manual approval (waits for PutApprovalResult); other providers just take a little time.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createBuild, runBuild, type BuildSource } from '../codebuild/runner';
import { buildSession } from '../codebuild/serviceRole';
import { buildConsoleUrl, findProject } from '../codebuild/store';
import { findRepository, git, readBranches, repositoryDir } from '../codecommit/repositories';
import type { Sandbox } from '../core/types';
import { startDeployment } from '../ecs/rollout';
import { findCluster, findService, findTaskDefinition, registerTaskDefinition, tasksOf } from '../ecs/store';
import { registerTaskDefinitionNeeds } from '../iam/operationActions';
import { artifactKey, fileInZip, getArtifact } from './artifactZip';
import {
  CODECOMMIT_DENIED,
  deniedCall,
  ECS_DENIED,
  javaSdkError,
  pipelineSession,
  S3_ARTIFACT_DENIED,
} from './pipelineRole';
import type { ActionDeclaration, ActionRun, Artifact, Execution, PipelineRecord } from './store';
import { str } from '../core/values';

export interface ActionContext {
  readonly sandbox: Sandbox;
  readonly pipeline: PipelineRecord;
  readonly execution: Execution;
  readonly action: ActionDeclaration;
  readonly run: ActionRun;
  readonly signal: AbortSignal;
}

export interface ActionResult {
  readonly status: 'Succeeded' | 'Failed';
  readonly summary?: string;
  readonly errorDetails?: { code: string; message: string };
  readonly output?: Artifact;
  readonly outputVariables?: Record<string, string>;
}

const failed = (message: string, code = 'JobFailed'): ActionResult => ({
  status: 'Failed',
  errorDetails: { code, message },
});
const permissionError = (message: string): ActionResult => failed(message, 'PermissionError');

export function runAction(ctx: ActionContext): Promise<ActionResult> {
  const { category, provider } = ctx.action.actionTypeId;
  if (category === 'Source' && provider === 'CodeCommit') return codeCommitSource(ctx);
  if (category === 'Build' && provider === 'CodeBuild') return codeBuild(ctx);
  if (category === 'Test' && provider === 'CodeBuild') return codeBuild(ctx);
  if (category === 'Deploy' && provider === 'ECS') return ecsDeploy(ctx);
  if (category === 'Approval') return manualApproval(ctx);
  return ctx.sandbox.clock
    .sleep(5_000, ctx.signal)
    .then(() => ({ status: 'Succeeded' as const, output: inputArtifact(ctx) }));
}

export function commitUrl(region: string, repositoryName: string, commitId: string): string {
  return `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${repositoryName}/commit/${commitId}?region=${region}`;
}

function inputArtifact(ctx: ActionContext): Artifact | undefined {
  const name = ctx.action.inputArtifacts?.[0]?.name;
  return name === undefined ? undefined : ctx.execution.artifacts[name];
}

async function codeCommitSource(ctx: ActionContext): Promise<ActionResult> {
  const { sandbox, pipeline, execution } = ctx;
  const config = ctx.run.resolvedConfiguration;
  const repositoryName = config.RepositoryName ?? '';
  const branch = config.BranchName ?? 'master';
  await sandbox.clock.sleep(2_000, ctx.signal);
  const role = pipelineSession(sandbox, pipeline);
  if (!role.ok) return permissionError(role.message);
  const repositoryArn = `arn:aws:codecommit:${pipeline.region}:${pipeline.accountId}:${repositoryName}`;
  const branchDenied = deniedCall(role.session, [['codecommit:GetBranch', repositoryArn]]);
  if (branchDenied) return permissionError(CODECOMMIT_DENIED(repositoryName, branchDenied));
  const repo = findRepository(sandbox, pipeline.accountId, pipeline.region, repositoryName);
  if (!repo)
    return failed(
      `The action failed because the AWS CodeCommit repository ${repositoryName} does not exist or the pipeline role cannot access it.`,
    );
  const dir = repositoryDir(sandbox, repo);
  const commitId = execution.pinnedCommit ?? (await readBranches(dir)).get(branch);
  if (!commitId) {
    return failed(
      `The action failed because no branch named ${branch} was found in the selected AWS CodeCommit repository ${repositoryName}. Make sure you are using the correct branch name, and then try again. Error: null`,
    );
  }
  // The commit, then its archive, which CodeCommit uploads to the artifact bucket with the pipeline's role.
  const archiveDenied = deniedCall(role.session, [
    ['codecommit:GetCommit', repositoryArn],
    ['codecommit:UploadArchive', repositoryArn],
    ['codecommit:GetUploadArchiveStatus', repositoryArn],
  ]);
  if (archiveDenied) return permissionError(CODECOMMIT_DENIED(repositoryName, archiveDenied));
  const bucket = pipeline.declaration.artifactStore?.location;
  for (const name of bucket ? (ctx.action.outputArtifacts ?? []).map((a) => a.name) : []) {
    const key = artifactKey(pipeline.declaration.name, name, ctx.run.actionExecutionId);
    const denied = deniedCall(role.session, [
      ['s3:GetBucketLocation', `arn:aws:s3:::${bucket}`],
      ['s3:GetBucketVersioning', `arn:aws:s3:::${bucket}`],
      ['s3:PutObject', `arn:aws:s3:::${bucket}/${key}`],
    ]);
    if (denied) return permissionError(S3_ARTIFACT_DENIED(bucket!, key));
  }
  // One git call: message, author, dates, separated by NULs (git with an argument array, never a shell).
  const { stdout } = await git(['--git-dir', dir, 'log', '-1', '--format=%B%x00%an%x00%aI%x00%cI', commitId]);
  const [message = '', author = '', authorDate = '', committerDate = ''] = stdout.split('\0');
  const commitMessage = message.trim();
  const revisionUrl = commitUrl(pipeline.region, repositoryName, commitId);
  ctx.run.externalExecutionId = commitId;
  ctx.run.externalExecutionUrl = revisionUrl;
  ctx.run.revisionId = commitId;
  execution.sourceRevisions = [
    ...execution.sourceRevisions.filter((r) => r.actionName !== ctx.action.name),
    { actionName: ctx.action.name, revisionId: commitId, revisionSummary: commitMessage, revisionUrl },
  ];
  await sandbox.clock.sleep(1_000, ctx.signal);
  return {
    status: 'Succeeded',
    summary: commitMessage,
    output: { repositoryName, commitId },
    outputVariables: {
      AuthorDate: authorDate.trim(),
      BranchName: branch,
      CommitId: commitId,
      CommitMessage: commitMessage,
      CommitterDate: committerDate.trim(),
      RepositoryName: repositoryName,
      AuthorDisplayName: author,
    },
  };
}

async function codeBuild(ctx: ActionContext): Promise<ActionResult> {
  const { sandbox, pipeline } = ctx;
  const config = ctx.run.resolvedConfiguration;
  const input = inputArtifact(ctx);
  const project = findProject(sandbox, pipeline.accountId, pipeline.region, config.ProjectName ?? '');
  if (!project)
    return failed(
      `Project cannot be found: arn:aws:codebuild:${pipeline.region}:${pipeline.accountId}:project/${config.ProjectName ?? ''}`,
      'ConfigurationError',
    );
  if (!input) return failed('The input artifact of this action is not available.', 'ConfigurationError');
  const role = pipelineSession(sandbox, pipeline);
  if (!role.ok) return permissionError(role.message);
  const projectArn = `arn:aws:codebuild:${project.region}:${project.accountId}:project/${project.name}`;
  const startDenied = deniedCall(role.session, [['codebuild:StartBuild', projectArn]]);
  if (startDenied)
    return permissionError(
      `Error calling startBuild: ${javaSdkError(startDenied, 'AWSCodeBuild', 'AccessDeniedException')}`,
    );
  // StartBuild refuses a project whose service role CodeBuild cannot assume.
  const buildRole = buildSession(sandbox, project, randomUUID());
  if (!buildRole.ok)
    return failed(
      `Error calling startBuild: ${javaSdkError(buildRole.message, 'AWSCodeBuild', 'InvalidInputException')}`,
    );
  let overrides: { name: string; value: string; type: string }[];
  try {
    const parsed = JSON.parse(config.EnvironmentVariables ?? '[]') as {
      name?: unknown;
      value?: unknown;
      type?: unknown;
    }[];
    overrides = parsed.map((v) => ({ name: str(v.name), value: str(v.value ?? ''), type: str(v.type ?? 'PLAINTEXT') }));
  } catch {
    return failed('EnvironmentVariables is not a valid JSON array.', 'ConfigurationError');
  }
  // The build downloads its input from the artifact bucket (a zip), as CodeBuild does for CODEPIPELINE sources.
  const zip = input.location ? getArtifact(sandbox, pipeline.accountId, input.location) : undefined;
  const from: Partial<BuildSource> =
    typeof zip === 'string'
      ? {
          downloadError: `${zip} for primary source and source version arn:aws:s3:::${input.location?.bucket ?? ''}/${input.location?.key ?? ''}`,
        }
      : zip
        ? { zip }
        : input.files
          ? { artifactDir: input.files }
          : {};
  const bucket = pipeline.declaration.artifactStore?.location;
  const [outputName] = ctx.run.outputArtifacts;
  const request = {
    project,
    source: {
      repositoryName: input.repositoryName,
      commitId: input.commitId,
      ...(input.location ? { location: input.location } : {}),
      ...from,
    },
    environmentOverrides: overrides,
    initiator: `codepipeline/${pipeline.declaration.name}`,
    ...(bucket && outputName
      ? {
          artifactLocation: {
            bucket,
            key: artifactKey(pipeline.declaration.name, outputName, ctx.run.actionExecutionId),
          },
        }
      : {}),
  };
  const build = createBuild(sandbox, request);
  ctx.run.externalExecutionId = build.id;
  ctx.run.externalExecutionUrl = buildConsoleUrl(build);
  sandbox.changed();
  const outcome = await runBuild(sandbox, build, request, ctx.signal);
  // CodePipeline follows the build with BatchGetBuilds.
  const pollDenied = deniedCall(role.session, [['codebuild:BatchGetBuilds', projectArn]]);
  if (pollDenied)
    return permissionError(
      `Error calling BatchGetBuilds: ${javaSdkError(pollDenied, 'AWSCodeBuild', 'AccessDeniedException')}`,
    );
  if (outcome.status !== 'SUCCEEDED') {
    const phase = build.phases.find((p) => p.phaseStatus === 'FAILED' || p.phaseStatus === 'TIMED_OUT');
    const context = phase?.contexts?.[0];
    return failed(
      `Build terminated with state: ${outcome.status}. Phase: ${phase?.phaseType ?? build.currentPhase}, Code: ${context?.statusCode ?? ''}, Message: ${context?.message ?? outcome.message ?? ''}`,
    );
  }
  return {
    status: 'Succeeded',
    output: {
      repositoryName: input.repositoryName,
      commitId: input.commitId,
      ...(outcome.artifactDir ? { files: outcome.artifactDir } : {}),
    },
    ...(outcome.exportedVariables ? { outputVariables: outcome.exportedVariables } : {}),
  };
}

async function ecsDeploy(ctx: ActionContext): Promise<ActionResult> {
  const { sandbox, pipeline } = ctx;
  const config = ctx.run.resolvedConfiguration;
  const fileName = config.FileName ?? 'imagedefinitions.json';
  await sandbox.clock.sleep(3_000, ctx.signal);
  const role = pipelineSession(sandbox, pipeline);
  if (!role.ok) return permissionError(role.message);
  const where = { sandbox, accountId: pipeline.accountId, region: pipeline.region };
  const clusterArn = `arn:aws:ecs:${pipeline.region}:${pipeline.accountId}:cluster/${config.ClusterName ?? ''}`;
  const serviceArn = `arn:aws:ecs:${pipeline.region}:${pipeline.accountId}:service/${config.ClusterName ?? ''}/${config.ServiceName ?? ''}`;
  const inputLocation = inputArtifact(ctx)?.location;
  if (inputLocation) {
    const denied = deniedCall(role.session, [
      ['s3:GetObject', `arn:aws:s3:::${inputLocation.bucket}/${inputLocation.key}`],
    ]);
    if (denied) return permissionError(S3_ARTIFACT_DENIED(inputLocation.bucket, inputLocation.key));
  }
  if (deniedCall(role.session, [['ecs:DescribeServices', serviceArn, { 'ecs:cluster': clusterArn }]]))
    return permissionError(ECS_DENIED);
  const cluster = findCluster(sandbox, pipeline.accountId, pipeline.region, config.ClusterName ?? '');
  if (!cluster)
    return failed(`The Amazon ECS cluster ${config.ClusterName ?? ''} does not exist.`, 'ConfigurationError');
  const service = findService(sandbox, cluster, config.ServiceName ?? '');
  if (!service || service.status !== 'ACTIVE')
    return failed(
      `The Amazon ECS service ${config.ServiceName ?? ''} does not exist in cluster ${cluster.clusterName}.`,
      'ConfigurationError',
    );
  const artifact = inputArtifact(ctx);
  let definitionsText: string | undefined;
  if (artifact?.location) {
    const zip = getArtifact(sandbox, pipeline.accountId, artifact.location);
    definitionsText = typeof zip === 'string' ? undefined : await fileInZip(zip, fileName);
  } else if (artifact?.files && existsSync(join(artifact.files, fileName))) {
    definitionsText = readFileSync(join(artifact.files, fileName), 'utf8');
  }
  if (definitionsText === undefined) {
    return failed(
      `The image definition file ${fileName} does not exist in the artifact. Make sure the file exists and the file name matches the FileName property in the action configuration.`,
    );
  }
  let definitions: { name: string; imageUri: string }[];
  try {
    definitions = JSON.parse(definitionsText) as { name: string; imageUri: string }[];
  } catch {
    return failed(`The image definition file ${fileName} contains invalid JSON format.`);
  }
  const current = findTaskDefinition(sandbox, service.accountId, service.region, service.taskDefinition);
  if (!current) return failed(`The task definition ${service.taskDefinition} does not exist.`);
  const containers = current.body.containerDefinitions as Record<string, unknown>[];
  for (const def of definitions) {
    if (!containers.some((c) => c.name === def.name))
      return failed(`The AWS ECS container ${def.name} does not exist.`);
  }
  const body = {
    ...current.body,
    containerDefinitions: containers.map((c) => ({
      ...c,
      image: definitions.find((d) => d.name === c.name)?.imageUri ?? c.image,
    })),
  };
  // The new revision (with the current one's tags; its roles passed to ECS tasks), then the service.
  const registerCalls = registerTaskDefinitionNeeds(where, body).map(
    (n) => [n.action, n.resource, n.keys as Record<string, string | undefined> | undefined] as const,
  );
  if (
    deniedCall(role.session, [
      ['ecs:DescribeTaskDefinition', '*'],
      ...registerCalls,
      ['ecs:UpdateService', serviceArn, { 'ecs:cluster': clusterArn }],
    ])
  )
    return permissionError(ECS_DENIED);
  const revision = registerTaskDefinition(
    sandbox,
    service.accountId,
    service.region,
    body,
    pipeline.declaration.roleArn,
  );
  service.taskDefinition = revision.taskDefinitionArn;
  const deployment = startDeployment(sandbox, service);
  ctx.run.externalExecutionId = deployment.id;
  ctx.run.externalExecutionUrl = `https://${pipeline.region}.console.aws.amazon.com/ecs/v2/clusters/${cluster.clusterName}/services/${service.serviceName}/deployments?region=${pipeline.region}`;
  sandbox.changed();
  const timeoutMs = Number(config.DeploymentTimeout ?? 60) * 60_000;
  const deadline = sandbox.clock.elapsed() + timeoutMs;
  while (deployment.rolloutState === 'IN_PROGRESS') {
    // CodePipeline watches the deployment: the service, and the tasks it starts.
    const tasks = tasksOf(sandbox, service.clusterArn)
      .filter((t) => t.serviceArn === service.serviceArn && t.taskDefinitionArn === deployment.taskDefinition)
      .map((t) => t.taskArn);
    if (
      deniedCall(role.session, [
        ['ecs:DescribeServices', serviceArn, { 'ecs:cluster': clusterArn }],
        ['ecs:ListTasks', '*', { 'ecs:cluster': clusterArn }],
        ...tasks.map((arn) => ['ecs:DescribeTasks', arn, { 'ecs:cluster': clusterArn }] as const),
      ])
    )
      return permissionError(ECS_DENIED);
    if (service.deployments[0] !== deployment)
      return failed(
        `Deployment ${deployment.id} was replaced by a newer deployment of the service ${service.serviceName}.`,
      );
    if (sandbox.clock.elapsed() > deadline)
      return failed(
        `The Amazon ECS service ${service.serviceName} did not reach a steady state within ${timeoutMs / 60_000} minutes.`,
      );
    await sandbox.clock.sleep(5_000, ctx.signal);
  }
  if (deployment.rolloutState === 'FAILED') {
    const rolledBack = service.deployments[0] !== deployment;
    return failed(
      `Deployment ${deployment.id} failed: ${deployment.rolloutStateReason}${rolledBack ? ' The service rolled back to its previous task definition.' : ''}`,
    );
  }
  return {
    status: 'Succeeded',
    summary: `Deployed ${revision.taskDefinitionArn.slice(revision.taskDefinitionArn.lastIndexOf('/') + 1)} to ${service.serviceName}`,
  };
}

async function manualApproval(ctx: ActionContext): Promise<ActionResult> {
  ctx.run.token = randomUUID();
  ctx.sandbox.changed();
  while (!ctx.run.approval) await ctx.sandbox.clock.sleep(1_000, ctx.signal);
  const { status, summary } = ctx.run.approval;
  return status === 'Approved'
    ? { status: 'Succeeded', summary }
    : { status: 'Failed', summary, errorDetails: { code: 'JobFailed', message: `Rejected: ${summary}` } };
}
