// The official AWS CLIs are the judge: Debian's v2 and the preinstalled v1, each against its own
// sandbox with --endpoint-url, deploy both bundled templates, push a commit with real git through
// the CLI's own credential helper, and read what the pipeline did. Every command must exit 0 and
// print the fields real AWS prints. A missing CLI fails its test (`.ci/run` installs both).
//
// `aws cloudformation deploy` waits 30 s after ExecuteChangeSet whatever the sandbox speed (the
// CLI's waiter delay is fixed), so the two CLIs, and both templates of each, deploy in parallel.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { cliEnv, run, startTestSandbox, tempDir } from './helpers';

const CLIS = ['/root/.pyenv/shims/aws', '/usr/bin/aws'];
/**
 * How long the pushed commit's execution may take. Its two builds run their commands in real time
 * (a few seconds each, more when both CLIs' pipelines build at once on a busy machine), which no
 * sandbox speed compresses; the rest of the pipeline is simulated.
 */
const DEADLINE_MS = 60_000;

type Json = Record<string, unknown>;
const obj = (value: unknown, what: string): Json => {
  assert.ok(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${what} is an object: ${JSON.stringify(value)}`,
  );
  return value as Json;
};
const list = (value: unknown, what: string): Json[] => {
  assert.ok(Array.isArray(value), `${what} is a list: ${JSON.stringify(value)}`);
  return value as Json[];
};
/** v1 prints JSON-protocol timestamps as epoch seconds and query-protocol ones as ISO text; v2 prints ISO-8601. */
const isTimestamp = (value: unknown): boolean =>
  (typeof value === 'number' && value > 1.5e9 && value < 4e9) ||
  (typeof value === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(value));
function hasFields(
  value: Json,
  what: string,
  fields: Record<string, 'string' | 'number' | 'boolean' | 'timestamp' | 'object' | 'array'>,
): void {
  for (const [name, kind] of Object.entries(fields)) {
    const v = value[name];
    const ok =
      kind === 'timestamp'
        ? isTimestamp(v)
        : kind === 'array'
          ? Array.isArray(v)
          : kind === 'object'
            ? typeof v === 'object' && v !== null && !Array.isArray(v)
            : typeof v === kind;
    assert.ok(ok, `${what}.${name} is a ${kind}: ${JSON.stringify(v)}`);
  }
}

async function cliFlow(t: TestContext, aws: string): Promise<void> {
  assert.ok(
    existsSync(aws),
    `${aws} does not exist: install the AWS CLI (v2: apt-get install -y awscli; v1: pip install awscli)`,
  );
  // 100×, not faster: the builds run their commands in real time, and the template's 30-minute
  // CodeBuild timeout is 18 real seconds at this speed (1.8 at 1000×, less than a real build takes).
  const sandbox = await startTestSandbox(t, { speed: 100 });
  const home = tempDir(t, 'sandbox-cli-pipeline-');
  const env = cliEnv(home);
  const endpoint = ['--endpoint-url', sandbox.endpoint];
  const text = async (...args: string[]): Promise<string> =>
    (await run(aws, [...args, ...endpoint], { env, cwd: process.cwd() })).stdout;
  const json = async (...args: string[]): Promise<Json> =>
    obj(JSON.parse(await text(...args, '--output', 'json')), `${args.slice(0, 2).join(' ')} output`);

  // Deploy both bundled templates at once; the pipeline creates its CodeCommit and ECR repositories.
  const [serviceDeploy, pipelineDeploy] = await Promise.all([
    text(
      'cloudformation',
      'deploy',
      '--template-file',
      'media/templates/service.yaml',
      '--stack-name',
      'WorkshopService',
      '--capabilities',
      'CAPABILITY_IAM',
      // No image is in ECR yet, so the service starts from a public one (tasks could not pull :latest).
      '--parameter-overrides',
      'ImageUri=public.ecr.aws/nginx/nginx:latest',
    ),
    text(
      'cloudformation',
      'deploy',
      '--template-file',
      'media/templates/pipeline.yaml',
      '--stack-name',
      'WorkshopPipeline',
      '--capabilities',
      'CAPABILITY_NAMED_IAM',
      '--parameter-overrides',
      'CreateCodeCommitRepository=true',
      'CreateEcrRepository=true',
    ),
  ]);
  for (const [stack, out] of [
    ['WorkshopService', serviceDeploy],
    ['WorkshopPipeline', pipelineDeploy],
  ]) {
    assert.match(out, /Waiting for changeset to be created\.\./, stack);
    assert.match(out, new RegExp(`Successfully created/updated stack - ${stack}`), stack);
  }
  await Promise.all([
    text('cloudformation', 'wait', 'stack-create-complete', '--stack-name', 'WorkshopService'),
    text('cloudformation', 'wait', 'stack-create-complete', '--stack-name', 'WorkshopPipeline'),
  ]);

  // describe-stack-events: newest first, the stack's own CREATE_COMPLETE on top, "User Initiated" at the bottom.
  const events = list(
    (await json('cloudformation', 'describe-stack-events', '--stack-name', 'WorkshopPipeline')).StackEvents,
    'StackEvents',
  );
  for (const e of events) {
    hasFields(e, 'StackEvent', {
      StackId: 'string',
      EventId: 'string',
      StackName: 'string',
      LogicalResourceId: 'string',
      PhysicalResourceId: 'string',
      ResourceType: 'string',
      Timestamp: 'timestamp',
      ResourceStatus: 'string',
    });
  }
  assert.deepEqual(
    [events[0].LogicalResourceId, events[0].ResourceType, events[0].ResourceStatus],
    ['WorkshopPipeline', 'AWS::CloudFormation::Stack', 'CREATE_COMPLETE'],
  );
  // A stack created through a change set starts in REVIEW_IN_PROGRESS, then CREATE_IN_PROGRESS when executed.
  const stackEvents = events
    .filter((e) => e.LogicalResourceId === 'WorkshopPipeline')
    .map((e) => [e.ResourceStatus, e.ResourceStatusReason])
    .reverse();
  assert.deepEqual(stackEvents, [
    ['REVIEW_IN_PROGRESS', 'User Initiated'],
    ['CREATE_IN_PROGRESS', 'User Initiated'],
    ['CREATE_COMPLETE', undefined],
  ]);
  const pipelineEvents = events
    .filter((e) => e.LogicalResourceId === 'Pipeline')
    .map((e) => [e.ResourceStatus, e.ResourceStatusReason])
    .reverse();
  assert.deepEqual(pipelineEvents, [
    ['CREATE_IN_PROGRESS', undefined],
    ['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
    ['CREATE_COMPLETE', undefined],
  ]);
  const stacks = list(
    (await json('cloudformation', 'describe-stacks', '--stack-name', 'WorkshopPipeline')).Stacks,
    'Stacks',
  );
  const outputs = Object.fromEntries(
    list(stacks[0].Outputs, 'Outputs').map((o) => [o.OutputKey, o.OutputValue]),
  ) as Record<string, string>;
  const serviceOutputs = Object.fromEntries(
    list(
      list((await json('cloudformation', 'describe-stacks', '--stack-name', 'WorkshopService')).Stacks, 'Stacks')[0]
        .Outputs,
      'Outputs',
    ).map((o) => [o.OutputKey, o.OutputValue]),
  ) as Record<string, string>;

  // Deploying again without changes: the CLI's own "No changes" path (the empty change set fails as on AWS).
  assert.match(
    await text(
      'cloudformation',
      'deploy',
      '--template-file',
      'media/templates/service.yaml',
      '--stack-name',
      'WorkshopService',
      '--capabilities',
      'CAPABILITY_IAM',
      '--no-fail-on-empty-changeset',
    ),
    /No changes to deploy\. Stack WorkshopService is up to date/,
  );

  // A commit pushed with git, authenticated by this CLI's credential helper, starts the pipeline.
  const repo = join(home, 'app');
  mkdirSync(join(repo, 'app'), { recursive: true });
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
  writeFileSync(
    join(repo, 'Dockerfile'),
    'FROM public.ecr.aws/docker/library/node:20-alpine\nCOPY app/ /app/\nCMD ["node", "/app/server.js"]\n',
  );
  writeFileSync(
    join(repo, 'app', 'server.js'),
    "require('node:http').createServer((req, res) => res.writeHead(200).end(req.url === '/health' ? 'ok' : 'hello')).listen(8080);\n",
  );
  await git('init', '--quiet');
  await git('add', '-A');
  await git('commit', '--quiet', '-m', 'First version');
  await git('push', '--quiet', outputs.CloneUrlHttp, 'HEAD:master');
  const commitId = (await git('rev-parse', 'HEAD')).stdout.trim();

  // list-pipeline-executions until the push's execution has finished.
  const deadline = Date.now() + DEADLINE_MS;
  let execution: Json | undefined;
  let summaries: Json[];
  for (;;) {
    summaries = list(
      (await json('codepipeline', 'list-pipeline-executions', '--pipeline-name', outputs.PipelineName))
        .pipelineExecutionSummaries,
      'pipelineExecutionSummaries',
    );
    execution = summaries.find((e) => list(e.sourceRevisions ?? [], 'sourceRevisions')[0]?.revisionId === commitId);
    if (execution && execution.status !== 'InProgress') break;
    assert.ok(Date.now() < deadline, `the execution of ${commitId} did not finish: ${JSON.stringify(execution)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  hasFields(execution, 'execution', {
    pipelineExecutionId: 'string',
    status: 'string',
    startTime: 'timestamp',
    lastUpdateTime: 'timestamp',
    sourceRevisions: 'array',
    trigger: 'object',
  });
  assert.equal(execution.status, 'Succeeded', JSON.stringify(execution));
  // Newer models print the V2 execution mode; Debian's 2.9.19 predates it and drops the field.
  if ('executionMode' in execution) assert.equal(execution.executionMode, 'QUEUED');
  assert.deepEqual(execution.trigger && obj(execution.trigger, 'trigger').triggerType, 'CloudWatchEvent');
  assert.deepEqual(
    { ...list(execution.sourceRevisions, 'sourceRevisions')[0], revisionUrl: undefined },
    { actionName: 'Source', revisionId: commitId, revisionSummary: 'First version', revisionUrl: undefined },
  );
  // The stack's own first execution (trigger CreatePipeline) is there too, and failed: the repository was empty.
  assert.ok(
    summaries.some((e) => obj(e.trigger, 'trigger').triggerType === 'CreatePipeline' && e.status === 'Failed'),
    JSON.stringify(summaries),
  );

  // get-pipeline-state: every stage's latest execution is the push's, with its actions' details.
  const state = await json('codepipeline', 'get-pipeline-state', '--name', outputs.PipelineName);
  hasFields(state, 'state', {
    pipelineName: 'string',
    pipelineVersion: 'number',
    stageStates: 'array',
    created: 'timestamp',
    updated: 'timestamp',
  });
  const stages = list(state.stageStates, 'stageStates');
  assert.deepEqual(
    stages.map((s) => s.stageName),
    ['Source', 'Build', 'PostBuild', 'Deploy'],
  );
  for (const stage of stages) {
    const { type, ...latestStage } = obj(stage.latestExecution, 'latestExecution');
    assert.deepEqual(
      latestStage,
      { pipelineExecutionId: execution.pipelineExecutionId, status: 'Succeeded' },
      String(stage.stageName),
    );
    if (type !== undefined) assert.equal(type, 'STANDARD'); // newer models only
    if (stage.stageName !== 'Source')
      assert.deepEqual(obj(stage.inboundTransitionState, 'inboundTransitionState').enabled, true);
    const [action] = list(stage.actionStates, 'actionStates');
    hasFields(action, `${String(stage.stageName)} action`, {
      actionName: 'string',
      latestExecution: 'object',
      entityUrl: 'string',
    });
    const latest = obj(action.latestExecution, 'action latestExecution');
    hasFields(latest, 'action latestExecution', {
      actionExecutionId: 'string',
      status: 'string',
      lastStatusChange: 'timestamp',
    });
    assert.equal(latest.status, 'Succeeded');
  }
  const buildAction = obj(list(stages[1].actionStates, 'actionStates')[0].latestExecution, 'Build action');
  assert.match(String(buildAction.externalExecutionId), /^WorkshopPipeline-Build:[0-9a-f-]{36}$/);
  assert.match(
    String(buildAction.externalExecutionUrl),
    /^https:\/\/console\.aws\.amazon\.com\/codesuite\/codebuild\/|^https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/codebuild\//,
  );

  // ecs describe-services: the new revision rolled out, COMPLETED, with two running tasks.
  const described = await json(
    'ecs',
    'describe-services',
    '--cluster',
    serviceOutputs.ClusterName,
    '--services',
    serviceOutputs.ServiceName,
  );
  assert.deepEqual(described.failures, []);
  const [svc] = list(described.services, 'services');
  hasFields(svc, 'service', {
    serviceArn: 'string',
    serviceName: 'string',
    clusterArn: 'string',
    status: 'string',
    desiredCount: 'number',
    runningCount: 'number',
    pendingCount: 'number',
    launchType: 'string',
    taskDefinition: 'string',
    deploymentConfiguration: 'object',
    deployments: 'array',
    events: 'array',
    createdAt: 'timestamp',
    loadBalancers: 'array',
  });
  assert.deepEqual([svc.status, svc.desiredCount, svc.runningCount, svc.pendingCount], ['ACTIVE', 2, 2, 0]);
  assert.match(String(svc.taskDefinition), /:task-definition\/ModernService:2$/);
  assert.deepEqual([svc.enableECSManagedTags, svc.propagateTags], [true, 'SERVICE']);
  const [deployment, ...olderDeployments] = list(svc.deployments, 'deployments');
  assert.deepEqual(olderDeployments, []);
  hasFields(deployment, 'deployment', {
    id: 'string',
    status: 'string',
    taskDefinition: 'string',
    desiredCount: 'number',
    runningCount: 'number',
    createdAt: 'timestamp',
    updatedAt: 'timestamp',
    rolloutState: 'string',
    rolloutStateReason: 'string',
  });
  assert.deepEqual(
    [deployment.status, deployment.taskDefinition, deployment.rolloutState, deployment.runningCount],
    ['PRIMARY', svc.taskDefinition, 'COMPLETED', 2],
  );
  const [newest] = list(svc.events, 'events');
  hasFields(newest, 'event', { id: 'string', createdAt: 'timestamp', message: 'string' });
  assert.equal(newest.message, `(service ${serviceOutputs.ServiceName}) has reached a steady state.`);

  // elbv2 describe-target-health: the two new tasks, healthy.
  const health = list(
    (await json('elbv2', 'describe-target-health', '--target-group-arn', serviceOutputs.TargetGroupArn))
      .TargetHealthDescriptions,
    'TargetHealthDescriptions',
  );
  const current = health.filter((d) => obj(d.TargetHealth, 'TargetHealth').State !== 'draining');
  assert.equal(current.length, 2, JSON.stringify(health));
  for (const d of current) {
    hasFields(obj(d.Target, 'Target'), 'Target', { Id: 'string', Port: 'number', AvailabilityZone: 'string' });
    assert.equal(d.HealthCheckPort, '8080');
    assert.deepEqual(d.TargetHealth, { State: 'healthy' });
  }

  // logs get-log-events: the Build stage's log, found through codebuild batch-get-builds.
  const [build] = list(
    (await json('codebuild', 'batch-get-builds', '--ids', String(buildAction.externalExecutionId))).builds,
    'builds',
  );
  assert.equal(build.buildStatus, 'SUCCEEDED');
  const logs = obj(build.logs, 'logs');
  const page = await json(
    'logs',
    'get-log-events',
    '--log-group-name',
    String(logs.groupName),
    '--log-stream-name',
    String(logs.streamName),
    '--start-from-head',
  );
  hasFields(page, 'get-log-events', { events: 'array', nextForwardToken: 'string', nextBackwardToken: 'string' });
  assert.match(String(page.nextForwardToken), /^f\/\d{56}\/s$/);
  assert.match(String(page.nextBackwardToken), /^b\/\d{56}\/s$/);
  const logEvents = list(page.events, 'events');
  for (const e of logEvents) {
    assert.equal(typeof e.timestamp, 'number', 'log timestamps are epoch milliseconds in both CLIs');
    assert.equal(typeof e.ingestionTime, 'number');
    assert.equal(typeof e.message, 'string');
  }
  const messages = logEvents.map((e) => String(e.message).trimEnd()); // CodeBuild's lines keep their newline
  assert.ok(
    messages.some((m) =>
      /^\[Container\] \d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d\.\d{6} Phase complete: BUILD State: SUCCEEDED$/.test(m),
    ),
    messages.join('\n'),
  );
  // gitleaks' own summary line, with its console timestamp (Go's time.Kitchen, e.g. `9:06AM`).
  assert.ok(
    messages.some((m) => /^\d{1,2}:\d\d[AP]M INF no leaks found$/.test(m)),
    messages.join('\n'),
  );
}

describe('AWS CLI fidelity: deploy, push, pipeline, ECS, ELBv2 and Logs', { concurrency: true }, () => {
  for (const aws of CLIS) it(aws, (t) => cliFlow(t, aws));
});
