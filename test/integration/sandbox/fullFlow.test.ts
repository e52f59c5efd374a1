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
  UpdateStackCommand,
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
import { cfnState } from '../../sandbox/cloudformation/state';
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

const DOCKERFILE =
  'FROM public.ecr.aws/docker/library/node:20-alpine\nWORKDIR /app\nCOPY app/ .\nEXPOSE 8080\nUSER node\nCMD ["node", "server.js"]\n';

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
      Dockerfile: DOCKERFILE,
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

test('full flow: the roles CodePipeline, EventBridge, CodeBuild and ECS assumed were asked for nothing they lack, and used every statement', () => {
  assert.ok(outputs.PipelineName, 'the first test ran the flow');
  const roles = Object.entries(cfnState(running.sandbox).records['AWS::IAM::Role'] ?? {}).filter(([, r]) =>
    ['PipelineRole', 'SourceEventRole', 'BuildRole', 'PostBuildRole', 'ExecutionRole'].includes(r.logicalId),
  );
  assert.equal(roles.length, 5);
  for (const [roleName, record] of roles) {
    const asked = running.authorizations.filter((a) => a.principalArn === `arn:aws:iam::000000000000:role/${roleName}`);
    assert.deepEqual(
      asked.filter((a) => a.verdict !== 'allowed').map((a) => `${a.action} on ${a.resource}`),
      [],
      `${record.logicalId} was denied`,
    );
    const used = new Set(asked.flatMap((a) => a.allowedBy.map((s) => `${s.policy}#${s.index}`)));
    const policies = record.properties.Policies as {
      PolicyName: string;
      PolicyDocument: { Statement: { Sid?: string }[] };
    }[];
    const unused = policies.flatMap((p) =>
      p.PolicyDocument.Statement.map((statement, index) => ({
        statement,
        key: `role/${roleName} inline policy ${p.PolicyName}#${index}`,
      }))
        .filter(({ key }) => !used.has(key))
        .map(({ statement, key }) => statement.Sid ?? key),
    );
    assert.deepEqual(unused, [], `${record.logicalId}: statements no call of the run needed`);
  }
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

/** Updates a stack with `template` (the bundled one with a statement removed, or restored). */
async function updateStack(name: string, template: string, keep: string[]): Promise<void> {
  const cfn = client(CloudFormationClient);
  // The stack's newest own event (events come newest first): this update's, not an earlier one's.
  const latest = async () => {
    const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: name }));
    return StackEvents.find((e) => e.LogicalResourceId === name);
  };
  const before = (await latest())?.EventId;
  await cfn.send(
    new UpdateStackCommand({
      StackName: name,
      TemplateBody: template,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: keep.map((ParameterKey) => ({ ParameterKey, UsePreviousValue: true })),
    }),
  );
  await poll(`stack ${name} UPDATE_COMPLETE`, FLOW_BUDGET_MS, async () => {
    const event = await latest();
    if (event?.EventId === before || event?.ResourceStatus === 'UPDATE_IN_PROGRESS') return undefined;
    assert.equal(event?.ResourceStatus, 'UPDATE_COMPLETE', `stack ${name}: ${event?.ResourceStatusReason}`);
    return event;
  });
}

/** The bundled template without the statement `sid` of the role `role`. */
function withoutStatement(file: string, role: string, sid: string): string {
  const template = readFileSync(join(TEMPLATES, file), 'utf8');
  const start = template.indexOf(`\n  ${role}:\n`);
  const end = template.indexOf('\n  # ---', start);
  const body = template.slice(start, end === -1 ? undefined : end);
  const cut = body.replace(new RegExp(`^ {14}- Sid: ${sid}\\n(?: {16}.*\\n)+`, 'm'), '');
  assert.notEqual(cut, body, `${file}: ${role} has a ${sid} statement`);
  return template.slice(0, start) + cut + (end === -1 ? '' : template.slice(end));
}

const PIPELINE_PARAMETERS = ['CreateCodeCommitRepository', 'CreateEcrRepository'];

function roleName(logicalId: string): string {
  const [name] = Object.entries(cfnState(running.sandbox).records['AWS::IAM::Role'] ?? {}).find(
    ([, r]) => r.logicalId === logicalId,
  )!;
  return name;
}

/** The whole log of a build. */
async function buildLog(group: string | undefined, stream: string | undefined): Promise<string> {
  const { events = [] } = await client(CloudWatchLogsClient).send(
    new GetLogEventsCommand({ logGroupName: group, logStreamName: stream, startFromHead: true, limit: 10_000 }),
  );
  return events.map((e) => e.message).join('');
}

test('full flow: without its Logs statement, the Build role cannot open the build’s log stream and the build fails in PROVISIONING as CodeBuild fails it', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  await updateStack('WorkshopPipeline', withoutStatement('pipeline.yaml', 'BuildRole', 'Logs'), PIPELINE_PARAMETERS);
  try {
    const commitId = await commitAndPush(
      // The Dockerfile an earlier test removed comes back: Build must succeed for the stage under test.
      { Dockerfile: DOCKERFILE, 'app/notes.txt': 'logs\n' },
      'A build without its log',
    );
    const execution = await finishedExecution(commitId);
    assert.equal(execution.status, 'Failed');
    const state = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
    const action = state.stageStates?.find((s) => s.stageName === 'Build')?.actionStates?.[0]?.latestExecution;
    const { builds: [b] = [] } = await client(CodeBuildClient).send(
      new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
    );
    const role = roleName('BuildRole');
    const uuid = b?.id?.split(':')[1] ?? '';
    const reason = `Service role arn:aws:iam::000000000000:role/${role} does not allow AWS CodeBuild to create Amazon CloudWatch Logs log streams for build ${b?.arn}. Error message: User: arn:aws:sts::000000000000:assumed-role/${role}/AWSCodeBuild-${uuid} is not authorized to perform: logs:CreateLogStream on resource: arn:aws:logs:us-east-1:000000000000:log-group:${b?.logs?.groupName}:log-stream:${uuid} because no identity-based policy allows the logs:CreateLogStream action`;
    const provisioning = b?.phases?.find((p) => p.phaseType === 'PROVISIONING');
    assert.equal(provisioning?.phaseStatus, 'FAILED');
    assert.deepEqual(provisioning?.contexts, [{ statusCode: 'ACCESS_DENIED', message: reason }]);
    assert.equal(
      action?.errorDetails?.message,
      `Build terminated with state: FAILED. Phase: PROVISIONING, Code: ACCESS_DENIED, Message: ${reason}`,
    );
    // No stream was created, so the build has no log at all.
    await assert.rejects(buildLog(b?.logs?.groupName, b?.logs?.streamName), { name: 'ResourceNotFoundException' });
  } finally {
    await updateStack('WorkshopPipeline', readFileSync(join(TEMPLATES, 'pipeline.yaml'), 'utf8'), PIPELINE_PARAMETERS);
  }
});

test('full flow: without its EcrPush statement, the PostBuild role cannot push and docker prints ECR’s denial in the BUILD phase', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  await updateStack(
    'WorkshopPipeline',
    withoutStatement('pipeline.yaml', 'PostBuildRole', 'EcrPush'),
    PIPELINE_PARAMETERS,
  );
  try {
    const commitId = await commitAndPush(
      // The Dockerfile an earlier test removed comes back: Build must succeed for the stage under test.
      { Dockerfile: DOCKERFILE, 'app/notes.txt': 'push\n' },
      'An image the role cannot push',
    );
    const execution = await finishedExecution(commitId);
    assert.equal(execution.status, 'Failed');
    const state = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
    const action = state.stageStates?.find((s) => s.stageName === 'PostBuild')?.actionStates?.[0]?.latestExecution;
    assert.equal(action?.status, 'Failed');
    assert.match(
      action?.errorDetails?.message ?? '',
      /Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: docker push "\$REPOSITORY_URI:\$COMMIT_ID"\. Reason: exit status 1$/,
    );
    const { builds: [b] = [] } = await client(CodeBuildClient).send(
      new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
    );
    const role = roleName('PostBuildRole');
    const uuid = b?.id?.split(':')[1] ?? '';
    const log = await buildLog(b?.logs?.groupName, b?.logs?.streamName);
    assert.ok(
      log.includes(
        `denied: User: arn:aws:sts::000000000000:assumed-role/${role}/AWSCodeBuild-${uuid} is not authorized to perform: ecr:BatchCheckLayerAvailability on resource: arn:aws:ecr:us-east-1:000000000000:repository/modernization-workshop because no identity-based policy allows the ecr:BatchCheckLayerAvailability action\n`,
      ),
      log,
    );
    assert.match(log, /Phase complete: BUILD State: FAILED\n/);
    const { imageDetails = [] } = await client(ECRClient).send(
      new DescribeImagesCommand({ repositoryName: 'modernization-workshop' }),
    );
    assert.ok(!imageDetails.some((i) => i.imageTags?.includes(commitId)), 'nothing was pushed');
  } finally {
    await updateStack('WorkshopPipeline', readFileSync(join(TEMPLATES, 'pipeline.yaml'), 'utf8'), PIPELINE_PARAMETERS);
  }
});

test('full flow: without its EcrPull statement, the execution role cannot pull: the tasks stop with Fargate’s reason and Deploy fails', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  await updateStack('WorkshopService', withoutStatement('service.yaml', 'ExecutionRole', 'EcrPull'), ['ImageUri']);
  try {
    const commitId = await commitAndPush(
      // The Dockerfile an earlier test removed comes back: Build must succeed for the stage under test.
      { Dockerfile: DOCKERFILE, 'app/notes.txt': 'pull\n' },
      'An image the tasks cannot pull',
    );
    const execution = await finishedExecution(commitId);
    assert.equal(execution.status, 'Failed');
    const state = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
    const deploy = state.stageStates?.find((s) => s.stageName === 'Deploy')?.actionStates?.[0]?.latestExecution;
    assert.equal(deploy?.status, 'Failed');
    assert.match(deploy?.errorDetails?.message ?? '', /^Deployment ecs-svc\/\d+ failed: /);
    const ecs = client(ECSClient);
    const { taskArns = [] } = await ecs.send(
      new ListTasksCommand({
        cluster: outputs.ClusterName,
        serviceName: outputs.ServiceName,
        desiredStatus: 'STOPPED',
      }),
    );
    const { tasks = [] } = await ecs.send(new DescribeTasksCommand({ cluster: outputs.ClusterName, tasks: taskArns }));
    const role = roleName('ExecutionRole');
    const ref = `${outputs.EcrRepositoryUri}:${commitId}`;
    const failedPulls = tasks.filter((t) => t.containers?.[0]?.image === ref);
    assert.ok(failedPulls.length > 0, 'tasks of the new revision were started');
    for (const t of failedPulls) {
      assert.equal(
        t.stoppedReason,
        `CannotPullContainerError: pull image manifest has been retried 1 time(s): failed to resolve ref ${ref}: pulling from host ${ref.split('/')[0]} failed with status code [manifests ${commitId}]: 403 Forbidden`,
      );
      assert.equal(t.stopCode, 'TaskFailedToStart');
    }
    const denials = running.authorizations.filter(
      (a) => a.principalArn === `arn:aws:iam::000000000000:role/${role}` && a.verdict !== 'allowed',
    );
    assert.deepEqual(
      [...new Set(denials.map((a) => `${a.action} on ${a.resource}`))],
      ['ecr:BatchGetImage on arn:aws:ecr:us-east-1:000000000000:repository/modernization-workshop'],
    );
  } finally {
    await updateStack('WorkshopService', readFileSync(join(TEMPLATES, 'service.yaml'), 'utf8'), ['ImageUri']);
  }
});

test('full flow: without its Source statement, the pipeline role cannot read the repository and Source fails with CodePipeline’s reason', async () => {
  assert.ok(outputs.PipelineName, 'the first test deployed the stacks');
  const cfn = client(CloudFormationClient);
  const template = readFileSync(join(TEMPLATES, 'pipeline.yaml'), 'utf8');
  const withoutSource = template.replace(/^ {14}- Sid: Source\n(?: {16}.*\n)+/m, '');
  assert.notEqual(withoutSource, template, 'pipeline.yaml has a Source statement');
  await cfn.send(
    new UpdateStackCommand({
      StackName: 'WorkshopPipeline',
      TemplateBody: withoutSource,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
      Parameters: ['CreateCodeCommitRepository', 'CreateEcrRepository'].map((ParameterKey) => ({
        ParameterKey,
        UsePreviousValue: true,
      })),
    }),
  );
  await poll('stack WorkshopPipeline UPDATE_COMPLETE', FLOW_BUDGET_MS, async () => {
    const [stack] = (await cfn.send(new DescribeStacksCommand({ StackName: 'WorkshopPipeline' }))).Stacks ?? [];
    return stack?.StackStatus === 'UPDATE_COMPLETE' ? stack : undefined;
  });

  await commitAndPush({ 'app/notes.txt': 'a change\n' }, 'A change the pipeline cannot fetch');
  const state = await poll('the Source action failed', FLOW_BUDGET_MS, async () => {
    const s = await client(CodePipelineClient).send(new GetPipelineStateCommand({ name: outputs.PipelineName }));
    const source = s.stageStates?.find((st) => st.stageName === 'Source')?.actionStates?.[0]?.latestExecution;
    return source?.status === 'Failed' ? source : undefined;
  });
  const [roleName] = Object.entries(cfnState(running.sandbox).records['AWS::IAM::Role'] ?? {}).find(
    ([, r]) => r.logicalId === 'PipelineRole',
  )!;
  assert.equal(state.errorDetails?.code, 'PermissionError');
  assert.match(
    state.errorDetails?.message ?? '',
    new RegExp(
      `^The service role or action role doesn’t have the permissions required to access the AWS CodeCommit repository named modernization-workshop\\. Update the IAM role permissions, and then try again\\. Error: User: arn:aws:sts::000000000000:assumed-role/${roleName}/\\d+ is not authorized to perform: codecommit:GetBranch on resource: arn:aws:codecommit:us-east-1:000000000000:modernization-workshop because no identity-based policy allows the codecommit:GetBranch action$`,
    ),
  );
});
