// The whole workshop on one sandbox endpoint, with real tools over real HTTP: both bundled templates
// deployed through the sandbox's CloudFormation with the AWS SDK v3, a commit pushed with real git
// authenticated by the AWS CLI's own `codecommit credential-helper`, and the pipeline taking it
// through Source → Build → PostBuild → Deploy until ECS serves the new revision behind healthy
// targets (how fast is the benchmark's business, not this test's). A commit with a planted AWS key
// fails at Build instead.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
  type Parameter,
  type Stack,
} from '@aws-sdk/client-cloudformation';
import { CloudWatchLogsClient, GetLogEventsCommand, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { BatchGetBuildsCommand, CodeBuildClient } from '@aws-sdk/client-codebuild';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  type PipelineExecutionSummary,
} from '@aws-sdk/client-codepipeline';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
} from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { cliEnv, clientConfig, installedAwsClis, run } from './helpers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';

/** 100 AWS seconds per real second: the ~8 simulated minutes of the flow take a few real seconds. */
const SPEED = 100;
/** A deadline for each wait, so a stuck flow fails instead of hanging. */
const FLOW_BUDGET_MS = 60_000;
const TEMPLATES = join(process.cwd(), 'media', 'templates');

let running: RunningSandbox;
let home: string;
let repo: string;
let outputs: Record<string, string> = {};
const clients: { destroy(): void }[] = [];

function client<T extends { destroy(): void }>(make: new (config: ReturnType<typeof clientConfig>) => T): T {
  const c = new make(clientConfig(running.endpoint));
  clients.push(c);
  return c;
}

/** Polls `check` every 25 ms until it returns a value; fails with `what` at the deadline. */
async function poll<T>(what: string, deadlineMs: number, check: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

async function createStack(
  cfn: CloudFormationClient,
  name: string,
  template: string,
  capability: 'CAPABILITY_IAM' | 'CAPABILITY_NAMED_IAM',
  parameters: Parameter[] = [],
): Promise<Stack> {
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: readFileSync(join(TEMPLATES, template), 'utf8'),
      Capabilities: [capability],
      Parameters: parameters,
    }),
  );
  return poll(`stack ${name} CREATE_COMPLETE`, FLOW_BUDGET_MS, async () => {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks ?? [];
    if (stack?.StackStatus === 'CREATE_IN_PROGRESS') return undefined;
    if (stack?.StackStatus !== 'CREATE_COMPLETE') {
      const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
      const reasons = StackEvents.filter((e) => e.ResourceStatus?.endsWith('FAILED')).map(
        (e) => `${e.LogicalResourceId}: ${e.ResourceStatusReason}`,
      );
      assert.fail(`stack ${name} is ${stack?.StackStatus}: ${reasons.join('; ')}`);
    }
    return stack;
  });
}

/** Commits `files` on top of the branch and pushes with real git through the AWS CLI's credential helper. */
async function commitAndPush(files: Record<string, string>, message: string, remove: string[] = []): Promise<string> {
  const [aws] = installedAwsClis();
  assert.ok(aws, 'no AWS CLI installed: git needs its codecommit credential-helper (apt-get install -y awscli)');
  const env = cliEnv(home);
  const git = (...args: string[]) =>
    run(
      'git',
      [
        '-c',
        `credential.helper=!${aws} codecommit credential-helper --ignore-host-check $@`,
        '-c',
        'credential.UseHttpPath=true',
        '-c',
        'user.name=Workshop Dev',
        '-c',
        'user.email=dev@example.com',
        ...args,
      ],
      { cwd: repo, env },
    );
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(join(repo, name, '..'), { recursive: true });
    writeFileSync(join(repo, name), content);
  }
  if (remove.length > 0) await git('rm', '--quiet', ...remove);
  await git('add', '-A');
  await git('commit', '--quiet', '-m', message);
  await git('push', '--quiet', 'origin', 'HEAD:master');
  return (await git('rev-parse', 'HEAD')).stdout.trim();
}

/** The execution the push of `commitId` started, once it has finished. */
async function finishedExecution(commitId: string): Promise<PipelineExecutionSummary> {
  const pipeline = client(CodePipelineClient);
  return poll(`execution of ${commitId}`, FLOW_BUDGET_MS, async () => {
    const { pipelineExecutionSummaries = [] } = await pipeline.send(
      new ListPipelineExecutionsCommand({ pipelineName: outputs.PipelineName }),
    );
    const execution = pipelineExecutionSummaries.find(
      (e) => e.trigger?.triggerType === 'CloudWatchEvent' && e.sourceRevisions?.[0]?.revisionId === commitId,
    );
    return execution && execution.status !== 'InProgress' ? execution : undefined;
  });
}

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'sandbox-full-flow-'));
  repo = join(home, 'app');
  running = await startSandbox({ port: 0, speed: SPEED, seed: 1, services });
});

after(async () => {
  for (const c of clients) c.destroy();
  await running.close();
  rmSync(home, { recursive: true, force: true });
});

test('full flow: deploy both templates, push, the execution succeeds and ECS serves the new revision behind healthy targets', async () => {
  const cfn = client(CloudFormationClient);
  const [service, pipelineStack] = await Promise.all([
    // No image is in ECR yet, so the service starts from a public one (tasks could not pull :latest).
    createStack(cfn, 'WorkshopService', 'service.yaml', 'CAPABILITY_IAM', [
      { ParameterKey: 'ImageUri', ParameterValue: 'public.ecr.aws/nginx/nginx:latest' },
    ]),
    createStack(cfn, 'WorkshopPipeline', 'pipeline.yaml', 'CAPABILITY_NAMED_IAM', [
      { ParameterKey: 'CreateCodeCommitRepository', ParameterValue: 'true' },
      { ParameterKey: 'CreateEcrRepository', ParameterValue: 'true' },
    ]),
  ]);
  outputs = Object.fromEntries(
    [...(service.Outputs ?? []), ...(pipelineStack.Outputs ?? [])].map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  assert.equal(outputs.CloneUrlHttp, `${running.endpoint}/v1/repos/modernization-workshop`);
  assert.match(outputs.PipelineName, /^WorkshopPipeline-Pipeline-[A-Za-z0-9]+$/);

  const ecs = client(ECSClient);
  const describeService = async () => {
    const { services: [s] = [] } = await ecs.send(
      new DescribeServicesCommand({ cluster: outputs.ClusterName, services: [outputs.ServiceName] }),
    );
    assert.ok(s, `service ${outputs.ServiceName} exists`);
    return s;
  };
  const firstRevision = (await describeService()).taskDefinition;

  mkdirSync(repo);
  await run('git', ['init', '--quiet', repo]);
  await run('git', ['-C', repo, 'remote', 'add', 'origin', outputs.CloneUrlHttp]);
  const commitId = await commitAndPush(
    {
      Dockerfile:
        'FROM public.ecr.aws/docker/library/node:20-alpine\nWORKDIR /app\nCOPY app/ .\nEXPOSE 8080\nUSER node\nCMD ["node", "server.js"]\n',
      'app/server.js': [
        "const http = require('node:http');",
        'http',
        '  .createServer((req, res) => {',
        "    if (req.url === '/health') return res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');",
        "    res.writeHead(200, { 'content-type': 'text/plain' }).end('Hello from the workshop');",
        '  })',
        '  .listen(Number(process.env.PORT ?? 8080));',
        '',
      ].join('\n'),
    },
    'Add the workshop app',
  );

  const execution = await finishedExecution(commitId);
  assert.equal(execution.status, 'Succeeded', JSON.stringify(execution));
  assert.equal(execution.sourceRevisions?.[0]?.revisionSummary, 'Add the workshop app');

  // Every stage ran for this execution and succeeded, each action once.
  const pipeline = client(CodePipelineClient);
  const state = await pipeline.send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
  assert.deepEqual(
    state.stageStates?.map((s) => [s.stageName, s.latestExecution?.pipelineExecutionId, s.latestExecution?.status]),
    ['Source', 'Build', 'PostBuild', 'Deploy'].map((name) => [name, execution.pipelineExecutionId, 'Succeeded']),
  );
  const { actionExecutionDetails = [] } = await pipeline.send(
    new ListActionExecutionsCommand({
      pipelineName: outputs.PipelineName,
      filter: { pipelineExecutionId: execution.pipelineExecutionId },
    }),
  );
  assert.deepEqual(actionExecutionDetails.map((a) => [a.stageName, a.actionName, a.status]).reverse(), [
    ['Source', 'Source', 'Succeeded'],
    ['Build', 'SecurityTestsAndBuild', 'Succeeded'],
    ['PostBuild', 'ImageTestsAndPush', 'Succeeded'],
    ['Deploy', 'Deploy', 'Succeeded'],
  ]);

  // ECR has the image tagged with the commit.
  const { imageDetails = [] } = await client(ECRClient).send(
    new DescribeImagesCommand({ repositoryName: 'modernization-workshop' }),
  );
  assert.ok(
    imageDetails.some((i) => i.imageTags?.includes(commitId)),
    `an image tagged ${commitId}: ${JSON.stringify(imageDetails.map((i) => i.imageTags))}`,
  );

  // ECS runs a new task definition revision whose container is that image, rollout COMPLETED.
  const deployed = await describeService();
  assert.notEqual(deployed.taskDefinition, firstRevision, 'the Deploy stage registered a new revision');
  const { taskDefinition } = await ecs.send(
    new DescribeTaskDefinitionCommand({ taskDefinition: deployed.taskDefinition }),
  );
  assert.equal(taskDefinition?.containerDefinitions?.[0]?.image, `${outputs.EcrRepositoryUri}:${commitId}`);
  assert.deepEqual(
    deployed.deployments?.map((d) => [d.status, d.taskDefinition, d.rolloutState, d.runningCount]),
    [['PRIMARY', deployed.taskDefinition, 'COMPLETED', 2]],
  );
  assert.equal(deployed.runningCount, 2);
  const { taskArns = [] } = await ecs.send(
    new ListTasksCommand({ cluster: outputs.ClusterName, serviceName: outputs.ServiceName }),
  );
  const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: outputs.ClusterName, tasks: taskArns }));
  assert.deepEqual(
    tasks.map((t) => [t.taskDefinitionArn, t.lastStatus]),
    [
      [deployed.taskDefinition, 'RUNNING'],
      [deployed.taskDefinition, 'RUNNING'],
    ],
  );

  // The load balancer reports exactly the new tasks, healthy.
  const taskIps = tasks
    .map((t) => t.attachments?.[0]?.details?.find((d) => d.name === 'privateIPv4Address')?.value)
    .sort();
  const health = await client(ElasticLoadBalancingV2Client).send(
    new DescribeTargetHealthCommand({ TargetGroupArn: outputs.TargetGroupArn }),
  );
  assert.deepEqual(
    health.TargetHealthDescriptions?.map((d) => [d.Target?.Id, d.TargetHealth?.State]).sort(),
    taskIps.map((ip) => [ip, 'healthy']),
  );
});

test('full flow: a pushed commit with a planted AWS key fails at Build with the finding, not the secret, in the log', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  // Assembled at run time so no scanner flags this file. Not AWS's documented example key: gitleaks
  // allowlists key ids ending in EXAMPLE, so planting that one would test nothing.
  const keyId = ['AKIA', 'Q3MZ7KPL', 'XWRT2VNB'].join('');
  const secret = ['wJalrXUtnFEMI', '/K7MDENG/', 'bPxRfiCYzq8Rk2Lmq7'].join('');
  const commitId = await commitAndPush(
    {
      'app/config.js': `module.exports = {\n  region: 'us-east-1',\n  accessKeyId: '${keyId}',\n  secretAccessKey: '${secret}',\n};\n`,
    },
    'Configure credentials',
  );
  const execution = await finishedExecution(commitId);
  assert.equal(execution.status, 'Failed');

  const state = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
  const build = state.stageStates?.find((s) => s.stageName === 'Build');
  assert.equal(build?.latestExecution?.pipelineExecutionId, execution.pipelineExecutionId);
  assert.equal(build?.latestExecution?.status, 'Failed');
  const action = build?.actionStates?.[0]?.latestExecution;
  assert.match(action?.errorDetails?.message ?? '', /Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR/);
  // PostBuild and Deploy never ran for it: they still show the successful execution.
  for (const name of ['PostBuild', 'Deploy']) {
    assert.notEqual(
      state.stageStates?.find((s) => s.stageName === name)?.latestExecution?.pipelineExecutionId,
      execution.pipelineExecutionId,
      name,
    );
  }

  const { builds: [b] = [] } = await client(CodeBuildClient).send(
    new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
  );
  assert.equal(b?.buildStatus, 'FAILED');
  assert.equal(b?.sourceVersion, commitId);
  const logs = client(CloudWatchLogsClient);
  const events: OutputLogEvent[] = [];
  let token: string | undefined;
  for (;;) {
    const page = await logs.send(
      new GetLogEventsCommand({
        logGroupName: b?.logs?.groupName,
        logStreamName: b?.logs?.streamName,
        startFromHead: true,
        nextToken: token,
      }),
    );
    events.push(...(page.events ?? []));
    if (page.nextForwardToken === token) break;
    token = page.nextForwardToken;
  }
  const text = events.map((e) => e.message).join('\n');
  // gitleaks --verbose prints each finding, redacted: rule, file and line.
  assert.match(text, /^RuleID: {6}aws-access-token\n+Entropy: .*\n+File: {8}app\/config\.js\n+Line: {8}3$/m);
  assert.ok(!text.includes(secret), 'the secret access key is not in the build log');
  assert.ok(!text.includes(keyId), 'the access key id is not in the build log');
});

test('full flow: a commit without a Dockerfile fails at Build, and the log says why', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  const commitId = await commitAndPush({ 'app/config.js': 'module.exports = {};\n' }, 'Remove the Dockerfile', [
    'Dockerfile',
  ]);
  const execution = await finishedExecution(commitId);
  assert.equal(execution.status, 'Failed');
  const state = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
  const action = state.stageStates?.find((s) => s.stageName === 'Build')?.actionStates?.[0]?.latestExecution;
  assert.match(action?.errorDetails?.message ?? '', /Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR/);
  const { builds: [b] = [] } = await client(CodeBuildClient).send(
    new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
  );
  const log = await client(CloudWatchLogsClient).send(
    new GetLogEventsCommand({
      logGroupName: b?.logs?.groupName,
      logStreamName: b?.logs?.streamName,
      startFromHead: true,
    }),
  );
  const text = (log.events ?? []).map((e) => e.message).join('');
  assert.match(text, /^Dockerfile: openFile: does not exist \(No such file or directory\)$/m);
  assert.match(text, /^Security tests failed: dockerfile-lint \(see the SecurityTests report\)$/m);
});
