// The pipeline services end to end over real HTTP with the AWS SDK v3: a pushed commit runs
// Source → Build → PostBuild → Deploy, the image lands in ECR, ECS rolls to the new revision with
// healthy targets; a commit with a leaked AWS key fails at Build with the finding in the log.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CodeBuildClient, BatchGetBuildsCommand } from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { referenceChangeEvent } from '../../../sandbox/codecommit/referenceEvents';
import { createRepository, repositoryDir, type RepositoryRecord } from '../../../sandbox/codecommit/repositories';
import { iamProviders } from '../../../sandbox/cloudformation/providers/iam';
import type { ProviderContext, ResourceProvider } from '../../../sandbox/cloudformation/providers/registry';
import { codeBuildResourceProviders } from '../../../sandbox/codebuild/provider';
import { codePipelineResourceProviders } from '../../../sandbox/codepipeline/provider';
import { startSandbox, type RunningSandbox } from '../../../sandbox/core/server';
import { ecrResourceProviders } from '../../../sandbox/ecr/provider';
import { ecsResourceProviders } from '../../../sandbox/ecs/provider';
import { elbv2ResourceProviders } from '../../../sandbox/elbv2/provider';
import { putEvent } from '../../../sandbox/events/bus';
import { eventsResourceProviders } from '../../../sandbox/events/provider';
import { services } from '../../../sandbox/services';

let running: RunningSandbox;
let repository: RepositoryRecord;
let work: string;
let pipelineName: string;
let targetGroupArn: string;
const clientConfig = () => ({
  endpoint: running.endpoint,
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
});

function provide(
  providers: Record<string, ResourceProvider>,
  type: string,
  properties: Record<string, unknown>,
  logicalId: string,
) {
  const ctx: ProviderContext = {
    sandbox: running.sandbox,
    accountId: '000000000000',
    region: 'us-east-1',
    host: `127.0.0.1:${running.port}`,
    stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/Test/1',
    stackName: 'Test',
    logicalId,
    signal: new AbortController().signal,
    initiated: () => undefined,
  };
  return providers[type].create(properties, ctx);
}

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Dev', '-c', 'user.email=dev@example.com', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

/** Commits files to the sandbox's bare repository and puts the event CodeCommit's git endpoint puts. */
function push(files: Record<string, string>, message: string): string {
  const clone = join(work, `clone-${Math.random().toString(36).slice(2)}`);
  const bare = repositoryDir(running.sandbox, {
    accountId: '000000000000',
    region: 'us-east-1',
    repositoryName: 'app',
  });
  execFileSync('git', ['clone', '--quiet', bare, clone]);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(clone, name, '..'), { recursive: true });
    writeFileSync(join(clone, name), content);
  }
  git(clone, 'add', '-A');
  git(clone, 'commit', '--quiet', '-m', message);
  const parent = git(clone, 'ls-remote', 'origin', 'refs/heads/master').split('\t')[0] || '0'.repeat(40);
  git(clone, 'push', '--quiet', 'origin', 'HEAD:master');
  const commitId = git(clone, 'rev-parse', 'HEAD').trim();
  const update = { oldCommitId: parent, newCommitId: commitId, ref: 'refs/heads/master' };
  putEvent(
    running.sandbox,
    referenceChangeEvent(running.sandbox, repository, update, 'arn:aws:iam::000000000000:root')!,
  );
  return commitId;
}

async function waitForExecution(commitId: string): Promise<PipelineExecutionSummary> {
  const client = new CodePipelineClient(clientConfig());
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    const { pipelineExecutionSummaries = [] } = await client.send(new ListPipelineExecutionsCommand({ pipelineName }));
    const e = pipelineExecutionSummaries.find((s) => s.sourceRevisions?.[0]?.revisionId === commitId);
    if (e && e.status !== 'InProgress') return e;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`execution of ${commitId} did not finish`);
}

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'pipeline-flow-'));
  running = await startSandbox({ port: 0, speed: 1000, services });
  repository = await createRepository(running.sandbox, {
    accountId: '000000000000',
    region: 'us-east-1',
    repositoryName: 'app',
  });
  await provide(ecrResourceProviders, 'AWS::ECR::Repository', { RepositoryName: 'app' }, 'Repo');
  await provide(ecsResourceProviders, 'AWS::ECS::Cluster', { ClusterName: 'ModernizationCluster' }, 'Cluster');
  const td = await provide(
    ecsResourceProviders,
    'AWS::ECS::TaskDefinition',
    {
      Family: 'app',
      Cpu: '256',
      Memory: '512',
      NetworkMode: 'awsvpc',
      ContainerDefinitions: [
        { Name: 'app', Image: 'public.ecr.aws/nginx/nginx:latest', PortMappings: [{ ContainerPort: 8080 }] },
      ],
    },
    'TaskDef',
  );
  const lb = await provide(
    elbv2ResourceProviders,
    'AWS::ElasticLoadBalancingV2::LoadBalancer',
    { Name: 'app-alb', Subnets: ['subnet-1', 'subnet-2'] },
    'Alb',
  );
  const tg = await provide(
    elbv2ResourceProviders,
    'AWS::ElasticLoadBalancingV2::TargetGroup',
    {
      Name: 'app-tg',
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/health',
      HealthCheckIntervalSeconds: 10,
      HealthyThresholdCount: 2,
      TargetGroupAttributes: [{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }],
    },
    'Tg',
  );
  targetGroupArn = tg.physicalId;
  await provide(
    elbv2ResourceProviders,
    'AWS::ElasticLoadBalancingV2::Listener',
    {
      LoadBalancerArn: lb.physicalId,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroupArn }],
    },
    'Listener',
  );
  await provide(
    ecsResourceProviders,
    'AWS::ECS::Service',
    {
      Cluster: 'ModernizationCluster',
      ServiceName: 'ModernService',
      TaskDefinition: td.physicalId,
      DesiredCount: 2,
      LaunchType: 'FARGATE',
      LoadBalancers: [{ TargetGroupArn: targetGroupArn, ContainerName: 'app', ContainerPort: 8080 }],
      DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
    },
    'Service',
  );
  await provide(
    codeBuildResourceProviders,
    'AWS::CodeBuild::Project',
    {
      Name: 'Test-Build',
      // Builds take real time while the sandbox runs 1000× faster: the default 60-minute timeout
      // would be 3.6 real seconds, CodeBuild's 8-hour maximum is 28.8.
      TimeoutInMinutes: 480,
      Source: {
        Type: 'CODEPIPELINE',
        BuildSpec: [
          'version: 0.2',
          'phases:',
          '  pre_build:',
          '    commands:',
          '      - gitleaks dir . --redact --verbose',
          '  build:',
          '    commands:',
          '      - docker build --tag "$IMAGE_NAME:$COMMIT_ID" .',
          '      - docker save --output image.tar "$IMAGE_NAME:$COMMIT_ID"',
          'artifacts:',
          '  files: [image.tar]',
          '',
        ].join('\n'),
      },
      Environment: { EnvironmentVariables: [{ Name: 'IMAGE_NAME', Value: 'app' }] },
    },
    'Build',
  );
  await provide(
    codeBuildResourceProviders,
    'AWS::CodeBuild::Project',
    {
      Name: 'Test-PostBuild',
      TimeoutInMinutes: 480,
      Source: {
        Type: 'CODEPIPELINE',
        BuildSpec: [
          'version: 0.2',
          'phases:',
          '  build:',
          '    commands:',
          '      - docker load --input image.tar',
          '      - aws ecr get-login-password | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
          '      - docker tag "app:$COMMIT_ID" "$REPOSITORY_URI:$COMMIT_ID"',
          '      - docker push "$REPOSITORY_URI:$COMMIT_ID"',
          `      - printf '[{"name":"%s","imageUri":"%s"}]' "$CONTAINER_NAME" "$REPOSITORY_URI:$COMMIT_ID" > imagedefinitions.json`,
          'artifacts:',
          '  files: [imagedefinitions.json]',
          '',
        ].join('\n'),
      },
      Environment: {
        EnvironmentVariables: [
          { Name: 'REPOSITORY_URI', Value: '000000000000.dkr.ecr.us-east-1.amazonaws.com/app' },
          { Name: 'CONTAINER_NAME', Value: 'app' },
        ],
      },
    },
    'PostBuild',
  );
  // The pipeline's service role, as the workshop template gives it (CodePipeline assumes it for every action).
  await provide(
    iamProviders,
    'AWS::IAM::Role',
    {
      RoleName: 'p',
      AssumeRolePolicyDocument: {
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      },
      Policies: [
        {
          PolicyName: 'pipeline',
          PolicyDocument: {
            Statement: [
              {
                Effect: 'Allow',
                Action: ['s3:*', 'codecommit:*', 'codebuild:*', 'ecs:*', 'iam:PassRole'],
                Resource: '*',
              },
            ],
          },
        },
      ],
    },
    'PipelineRole',
  );
  const env = '[{"name":"COMMIT_ID","value":"#{SourceVariables.CommitId}","type":"PLAINTEXT"}]';
  const pipeline = await provide(
    codePipelineResourceProviders,
    'AWS::CodePipeline::Pipeline',
    {
      PipelineType: 'V2',
      ExecutionMode: 'QUEUED',
      RoleArn: 'arn:aws:iam::000000000000:role/p',
      ArtifactStore: { Type: 'S3', Location: 'bucket' },
      Stages: [
        {
          Name: 'Source',
          Actions: [
            {
              Name: 'Source',
              Namespace: 'SourceVariables',
              ActionTypeId: { Category: 'Source', Owner: 'AWS', Provider: 'CodeCommit', Version: '1' },
              Configuration: { RepositoryName: 'app', BranchName: 'master', PollForSourceChanges: false },
              OutputArtifacts: [{ Name: 'SourceOutput' }],
            },
          ],
        },
        {
          Name: 'Build',
          Actions: [
            {
              Name: 'SecurityTestsAndBuild',
              ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
              Configuration: { ProjectName: 'Test-Build', EnvironmentVariables: env },
              InputArtifacts: [{ Name: 'SourceOutput' }],
              OutputArtifacts: [{ Name: 'BuildOutput' }],
            },
          ],
        },
        {
          Name: 'PostBuild',
          Actions: [
            {
              Name: 'ImageTestsAndPush',
              ActionTypeId: { Category: 'Build', Owner: 'AWS', Provider: 'CodeBuild', Version: '1' },
              Configuration: { ProjectName: 'Test-PostBuild', EnvironmentVariables: env },
              InputArtifacts: [{ Name: 'BuildOutput' }],
              OutputArtifacts: [{ Name: 'ImageDefinitions' }],
            },
          ],
        },
        {
          Name: 'Deploy',
          Actions: [
            {
              Name: 'Deploy',
              ActionTypeId: { Category: 'Deploy', Owner: 'AWS', Provider: 'ECS', Version: '1' },
              Configuration: {
                ClusterName: 'ModernizationCluster',
                ServiceName: 'ModernService',
                FileName: 'imagedefinitions.json',
              },
              InputArtifacts: [{ Name: 'ImageDefinitions' }],
            },
          ],
        },
      ],
    },
    'Pipeline',
  );
  pipelineName = pipeline.physicalId;
  // What starts it on a push: the EventBridge rule of the workshop template, with its role.
  const pipelineArn = `arn:aws:codepipeline:us-east-1:000000000000:${pipelineName}`;
  const role = await provide(
    iamProviders,
    'AWS::IAM::Role',
    {
      RoleName: 'start-pipeline',
      AssumeRolePolicyDocument: {
        Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'start-pipeline',
          PolicyDocument: {
            Statement: [{ Effect: 'Allow', Action: 'codepipeline:StartPipelineExecution', Resource: pipelineArn }],
          },
        },
      ],
    },
    'SourceEventRole',
  );
  await provide(
    eventsResourceProviders,
    'AWS::Events::Rule',
    {
      EventPattern: {
        source: ['aws.codecommit'],
        'detail-type': ['CodeCommit Repository State Change'],
        resources: ['arn:aws:codecommit:us-east-1:000000000000:app'],
        detail: {
          event: ['referenceCreated', 'referenceUpdated'],
          referenceType: ['branch'],
          referenceName: ['master'],
        },
      },
      Targets: [{ Id: 'pipeline', Arn: pipelineArn, RoleArn: role.attributes?.Arn }],
    },
    'SourceEventRule',
  );
});

after(async () => {
  await running.close();
  rmSync(work, { recursive: true, force: true });
});

test('a pushed commit is built, pushed to ECR and deployed to ECS with healthy targets', async () => {
  const commitId = push({ 'app/index.js': 'console.log("hi");\n', Dockerfile: 'FROM node:20\n' }, 'Add the app');
  const execution = await waitForExecution(commitId);
  assert.equal(execution.status, 'Succeeded', JSON.stringify(execution));
  assert.equal(execution.trigger?.triggerType, 'CloudWatchEvent');
  assert.equal(execution.sourceRevisions?.[0]?.revisionSummary, 'Add the app');

  const state = await new CodePipelineClient(clientConfig()).send(new GetPipelineStateCommand({ name: pipelineName }));
  assert.deepEqual(
    state.stageStates?.map((s) => s.latestExecution?.status),
    ['Succeeded', 'Succeeded', 'Succeeded', 'Succeeded'],
  );
  const build = state.stageStates?.[1]?.actionStates?.[0]?.latestExecution;
  assert.match(build?.externalExecutionId ?? '', /^Test-Build:[0-9a-f-]{36}$/);

  const images = await new ECRClient(clientConfig()).send(new DescribeImagesCommand({ repositoryName: 'app' }));
  assert.ok(images.imageDetails?.some((i) => i.imageTags?.includes(commitId)));

  const { services: [service] = [] } = await new ECSClient(clientConfig()).send(
    new DescribeServicesCommand({ cluster: 'ModernizationCluster', services: ['ModernService'] }),
  );
  assert.equal(service.deployments?.length, 1);
  assert.equal(service.deployments?.[0]?.rolloutState, 'COMPLETED');
  assert.doesNotMatch(service.taskDefinition ?? '', /task-definition\/app:1$/, 'a new revision serves');
  assert.equal(service.runningCount, 2);
  assert.match(service.events?.[0]?.message ?? '', /\(service ModernService\) has reached a steady state\./);

  const health = await new ElasticLoadBalancingV2Client(clientConfig()).send(
    new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }),
  );
  assert.deepEqual(
    health.TargetHealthDescriptions?.map((t) => t.TargetHealth?.State),
    ['healthy', 'healthy'],
  );
});

test('a commit with a leaked AWS key fails at Build with the finding in the build log', async () => {
  const commitId = push(
    {
      // Not AWS's documented example key: gitleaks allowlists key ids ending in EXAMPLE.
      'app/config.js': `module.exports = {\n  region: 'us-east-1',\n  accessKeyId: '${'AKIA'}${'Q3MZ7KPLXWRT2VNB'}',\n  secretAccessKey: '${'wJalrXUtnFEMI/K7MDENG/bPxRfiCY'}${'zq8Rk2Lmq7'}',\n};\n`,
    },
    'Configure credentials',
  );
  const execution = await waitForExecution(commitId);
  assert.equal(execution.status, 'Failed');
  const state = await new CodePipelineClient(clientConfig()).send(new GetPipelineStateCommand({ name: pipelineName }));
  const build = state.stageStates?.find((s) => s.stageName === 'Build');
  assert.equal(build?.latestExecution?.status, 'Failed');
  const action = build?.actionStates?.[0]?.latestExecution;
  assert.match(action?.errorDetails?.message ?? '', /Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR/);
  const { builds: [b] = [] } = await new CodeBuildClient(clientConfig()).send(
    new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
  );
  assert.equal(b.buildStatus, 'FAILED');
  const log = await new CloudWatchLogsClient(clientConfig()).send(
    new GetLogEventsCommand({
      logGroupName: b.logs?.groupName,
      logStreamName: b.logs?.streamName,
      startFromHead: true,
    }),
  );
  const text = (log.events ?? []).map((e) => e.message).join('');
  assert.match(text, /^RuleID: {6}aws-access-token\nEntropy: .*\nFile: {8}app\/config\.js\nLine: {8}3$/m);
  assert.doesNotMatch(text, /wJalrXUtnFEMI|Q3MZ7KPLXWRT2VNB/);
});
