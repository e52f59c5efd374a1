// The CodePipeline execution engine on a fast clock, driven through the service's operations:
// QUEUED vs SUPERSEDED ordering at a stage boundary, Stop with and without abandon, retrying a
// stage's failed actions, manual approvals, and an ECS Deploy whose new tasks fail their health
// checks (circuit breaker, rollback, Deploy fails). Manual approvals gate executions deterministically.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { stopBackground } from '../../../sandbox/core/background';
import { createClock } from '../../../sandbox/core/clock';
import { AwsError, type RequestContext, type Sandbox } from '../../../sandbox/core/types';
import type { ProviderContext, ResourceProvider } from '../../../sandbox/cloudformation/providers/registry';
import { startExecution } from '../../../sandbox/codepipeline/engine';
import { codePipelineService } from '../../../sandbox/codepipeline/service';
import {
  pipelineKey,
  pipelineState,
  type ActionDeclaration,
  type Execution,
  type PipelineRecord,
} from '../../../sandbox/codepipeline/store';
import { iamProviders } from '../../../sandbox/cloudformation/providers/iam';
import { ecsResourceProviders } from '../../../sandbox/ecs/provider';
import { ecsState, findService } from '../../../sandbox/ecs/store';
import { elbv2ResourceProviders } from '../../../sandbox/elbv2/provider';
import { elbState } from '../../../sandbox/elbv2/store';

/** 100,000 AWS ms per real ms: a 5-minute ECS rollout takes a few real milliseconds. */
const SPEED = 100_000;
const sandboxes: Sandbox[] = [];
const tempDirs: string[] = [];

afterEach(async () => {
  for (const sandbox of sandboxes.splice(0)) await stopBackground(sandbox);
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function newSandbox(): Sandbox {
  const sandbox: Sandbox = {
    clock: createClock(SPEED),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios: {},
    dataDir: '/nonexistent',
  };
  sandboxes.push(sandbox);
  return sandbox;
}

const ctx = (sandbox: Sandbox): RequestContext => ({
  sandbox,
  accountId: '000000000000',
  region: 'us-east-1',
  accessKeyId: 'test',
  requestId: 'req',
  host: '127.0.0.1:4566',
});
/** An operation as the HTTP core calls it: its errors (thrown synchronously or not) become a rejection. */
const call = async (
  sandbox: Sandbox,
  operation: string,
  input: Record<string, unknown>,
): Promise<Record<string, unknown>> =>
  (await codePipelineService.operations[operation](input, ctx(sandbox))) as Record<string, unknown>;

const wait = (name: string): ActionDeclaration => ({
  name,
  actionTypeId: { category: 'Source', owner: 'AWS', provider: 'S3', version: '1' },
  runOrder: 1,
});
const approval = (name: string, runOrder = 1): ActionDeclaration => ({
  name,
  actionTypeId: { category: 'Approval', owner: 'AWS', provider: 'Manual', version: '1' },
  runOrder,
});

function addPipeline(
  sandbox: Sandbox,
  executionMode: 'QUEUED' | 'SUPERSEDED',
  stages: { name: string; actions: ActionDeclaration[] }[],
): PipelineRecord {
  const now = sandbox.clock.now().getTime();
  const record: PipelineRecord = {
    accountId: '000000000000',
    region: 'us-east-1',
    declaration: {
      name: 'p',
      roleArn: 'arn:aws:iam::000000000000:role/p',
      stages,
      version: 1,
      pipelineType: 'V2',
      executionMode,
    },
    created: now,
    updated: now,
    disabledTransitions: {},
    stageLatest: {},
  };
  pipelineState(sandbox).pipelines[pipelineKey('000000000000', 'us-east-1', 'p')] = record;
  return record;
}

const start = (sandbox: Sandbox, pipeline: PipelineRecord): Execution =>
  startExecution(sandbox, pipeline, { trigger: { triggerType: 'StartPipelineExecution', triggerDetail: 'test' } });

async function until<T>(what: string, check: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** The approval token of the action when it is waiting (from GetPipelineState, as a client reads it). */
async function tokenOf(execution: Execution, stageName: string, actionName: string): Promise<string> {
  return until(`${actionName} waits for approval in ${execution.pipelineExecutionId}`, () => {
    const run = execution.stages[stageName]?.actions[actionName];
    return run?.status === 'InProgress' && run.token ? run.token : undefined;
  });
}

async function approve(
  sandbox: Sandbox,
  execution: Execution,
  stageName: string,
  actionName: string,
  status: 'Approved' | 'Rejected' = 'Approved',
  summary = 'ok',
): Promise<void> {
  const token = await tokenOf(execution, stageName, actionName);
  await call(sandbox, 'PutApprovalResult', {
    pipelineName: 'p',
    stageName,
    actionName,
    token,
    result: { status, summary },
  });
}

const finished = (execution: Execution): Promise<Execution['status']> =>
  until(`execution ${execution.pipelineExecutionId} finishes`, () =>
    execution.status === 'InProgress' || execution.status === 'Stopping' ? undefined : execution.status,
  );

const threeStages = [
  { name: 'Source', actions: [wait('Source')] },
  { name: 'Approve', actions: [approval('Approval')] },
  { name: 'Finish', actions: [wait('Finish')] },
];

test('QUEUED: executions waiting at a stage boundary enter it one at a time, oldest first, none superseded', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'QUEUED', threeStages);
  const [e1, e2, e3] = [start(sandbox, pipeline), start(sandbox, pipeline), start(sandbox, pipeline)];
  await tokenOf(e1, 'Approve', 'Approval');
  // e2 and e3 pass Source one after the other and queue at the Approve boundary.
  await until(
    'e2 and e3 passed Source',
    () => e2.stages.Source?.status === 'Succeeded' && e3.stages.Source?.status === 'Succeeded',
  );
  assert.equal(e2.stages.Approve, undefined);
  assert.equal(e3.stages.Approve, undefined);
  const state = await call(sandbox, 'GetPipelineState', { name: 'p' });
  const approveStage = (
    state.stageStates as { stageName: string; inboundExecutions?: { pipelineExecutionId: string }[] }[]
  ).find((s) => s.stageName === 'Approve');
  assert.deepEqual(
    approveStage?.inboundExecutions?.map((e) => e.pipelineExecutionId).sort(),
    [e2.pipelineExecutionId, e3.pipelineExecutionId].sort(),
  );

  await approve(sandbox, e1, 'Approve', 'Approval');
  await tokenOf(e2, 'Approve', 'Approval');
  assert.equal(e3.stages.Approve, undefined, 'e3 waits for e2, which came first');
  await approve(sandbox, e2, 'Approve', 'Approval');
  await approve(sandbox, e3, 'Approve', 'Approval');
  assert.deepEqual(await Promise.all([finished(e1), finished(e2), finished(e3)]), [
    'Succeeded',
    'Succeeded',
    'Succeeded',
  ]);
  const entered = [e1, e2, e3].sort(
    (a, b) => a.stages.Approve.actions.Approval.startTime - b.stages.Approve.actions.Approval.startTime,
  );
  assert.deepEqual(entered, [e1, e2, e3]);
});

test('SUPERSEDED: a newer execution reaching the boundary supersedes the one waiting there', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'SUPERSEDED', threeStages);
  const e1 = start(sandbox, pipeline);
  await tokenOf(e1, 'Approve', 'Approval');
  const e2 = start(sandbox, pipeline);
  await until('e2 waits at Approve', () => e2.stages.Source?.status === 'Succeeded');
  const e3 = start(sandbox, pipeline);
  assert.equal(await finished(e2), 'Superseded');
  assert.equal(e2.stages.Approve, undefined, 'the superseded execution never entered Approve');
  await approve(sandbox, e1, 'Approve', 'Approval');
  await approve(sandbox, e3, 'Approve', 'Approval');
  assert.deepEqual(await Promise.all([finished(e1), finished(e3)]), ['Succeeded', 'Succeeded']);
  const { pipelineExecutionSummaries } = await call(sandbox, 'ListPipelineExecutions', { pipelineName: 'p' });
  assert.deepEqual(
    (pipelineExecutionSummaries as { pipelineExecutionId: string; status: string }[]).map((s) => [
      s.pipelineExecutionId,
      s.status,
    ]),
    [
      [e3.pipelineExecutionId, 'Succeeded'],
      [e2.pipelineExecutionId, 'Superseded'],
      [e1.pipelineExecutionId, 'Succeeded'],
    ],
  );
});

test('Stop without abandon lets the running action finish, then the execution is Stopped', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'QUEUED', [
    { name: 'Source', actions: [approval('Hold')] },
    { name: 'Finish', actions: [wait('Finish')] },
  ]);
  const e = start(sandbox, pipeline);
  await tokenOf(e, 'Source', 'Hold');
  await call(sandbox, 'StopPipelineExecution', {
    pipelineName: 'p',
    pipelineExecutionId: e.pipelineExecutionId,
    reason: 'not now',
  });
  assert.equal(e.status, 'Stopping');
  await assert.rejects(
    call(sandbox, 'StopPipelineExecution', { pipelineName: 'p', pipelineExecutionId: e.pipelineExecutionId }),
    { name: 'DuplicatedStopRequestException' },
  );
  await approve(sandbox, e, 'Source', 'Hold');
  assert.equal(await finished(e), 'Stopped');
  assert.equal(e.stages.Source.actions.Hold.status, 'Succeeded', 'the in-progress action completed');
  assert.equal(e.stages.Source.status, 'Stopped');
  assert.equal(e.stages.Finish, undefined, 'no later stage started');
  // The summary carries the stop reason (GetPipelineExecution's PipelineExecution has no stopTrigger).
  const { pipelineExecutionSummaries } = await call(sandbox, 'ListPipelineExecutions', { pipelineName: 'p' });
  assert.deepEqual((pipelineExecutionSummaries as { stopTrigger?: unknown }[])[0].stopTrigger, { reason: 'not now' });
  await assert.rejects(
    call(sandbox, 'StopPipelineExecution', { pipelineName: 'p', pipelineExecutionId: e.pipelineExecutionId }),
    { name: 'PipelineExecutionNotStoppableException' },
  );
});

test('Stop and abandon abandons the running action at once; an execution waiting at a boundary stops too', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'QUEUED', threeStages);
  const e1 = start(sandbox, pipeline);
  await tokenOf(e1, 'Approve', 'Approval');
  const e2 = start(sandbox, pipeline);
  await until('e2 waits at Approve', () => e2.stages.Source?.status === 'Succeeded');

  await call(sandbox, 'StopPipelineExecution', {
    pipelineName: 'p',
    pipelineExecutionId: e1.pipelineExecutionId,
    abandon: true,
  });
  assert.equal(await finished(e1), 'Stopped');
  assert.equal(e1.stages.Approve.actions.Approval.status, 'Abandoned');
  assert.equal(e1.stages.Approve.status, 'Stopped');
  // e1 no longer holds Approve: e2 enters it.
  await tokenOf(e2, 'Approve', 'Approval');

  const e3 = start(sandbox, pipeline);
  await until('e3 waits at Approve', () => e3.stages.Source?.status === 'Succeeded');
  await call(sandbox, 'StopPipelineExecution', {
    pipelineName: 'p',
    pipelineExecutionId: e3.pipelineExecutionId,
    abandon: true,
  });
  assert.equal(await finished(e3), 'Stopped');
  assert.equal(e3.stages.Approve, undefined);
  await approve(sandbox, e2, 'Approve', 'Approval');
  assert.equal(await finished(e2), 'Succeeded');
});

test('PutApprovalResult: a wrong token is refused, a rejection fails the stage with its summary', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'QUEUED', threeStages);
  const e = start(sandbox, pipeline);
  const token = await tokenOf(e, 'Approve', 'Approval');
  await assert.rejects(
    call(sandbox, 'PutApprovalResult', {
      pipelineName: 'p',
      stageName: 'Approve',
      actionName: 'Approval',
      token: 'not-the-token',
      result: { status: 'Approved', summary: 'x' },
    }),
    { name: 'InvalidApprovalTokenException' },
  );
  await assert.rejects(
    call(sandbox, 'PutApprovalResult', {
      pipelineName: 'p',
      stageName: 'Approve',
      actionName: 'Approval',
      token,
      result: { status: 'Maybe', summary: 'x' },
    }),
    { name: 'ValidationException' },
  );
  const state = await call(sandbox, 'GetPipelineState', { name: 'p' });
  const waiting = (
    state.stageStates as {
      stageName: string;
      actionStates: { latestExecution?: { token?: string; status: string } }[];
    }[]
  ).find((s) => s.stageName === 'Approve');
  assert.deepEqual(
    waiting?.actionStates[0].latestExecution?.token,
    token,
    'GetPipelineState shows the token while the approval waits',
  );
  const approved = await call(sandbox, 'PutApprovalResult', {
    pipelineName: 'p',
    stageName: 'Approve',
    actionName: 'Approval',
    token,
    result: { status: 'Rejected', summary: 'Not this one' },
  });
  assert.ok(approved.approvedAt instanceof Date);
  assert.equal(await finished(e), 'Failed');
  assert.equal(e.stages.Approve.actions.Approval.status, 'Failed');
  assert.equal(e.stages.Approve.actions.Approval.summary, 'Not this one');
  await assert.rejects(
    call(sandbox, 'PutApprovalResult', {
      pipelineName: 'p',
      stageName: 'Approve',
      actionName: 'Approval',
      token,
      result: { status: 'Approved', summary: 'late' },
    }),
    { name: 'ActionNotFoundException' },
  );
});

test('RetryStageExecution FAILED_ACTIONS reruns only the failed action of the stage', async () => {
  const sandbox = newSandbox();
  const pipeline = addPipeline(sandbox, 'QUEUED', [
    { name: 'Source', actions: [wait('Source')] },
    { name: 'Gate', actions: [approval('Security'), approval('Product')] },
    { name: 'Finish', actions: [wait('Finish')] },
  ]);
  const e = start(sandbox, pipeline);
  await approve(sandbox, e, 'Gate', 'Security', 'Rejected', 'needs fixes');
  await approve(sandbox, e, 'Gate', 'Product', 'Approved');
  assert.equal(await finished(e), 'Failed');
  const productRun = e.stages.Gate.actions.Product;

  await assert.rejects(
    call(sandbox, 'RetryStageExecution', {
      pipelineName: 'p',
      pipelineExecutionId: e.pipelineExecutionId,
      stageName: 'Source',
      retryMode: 'FAILED_ACTIONS',
    }),
    { name: 'StageNotRetryableException' },
  );
  await assert.rejects(
    call(sandbox, 'RetryStageExecution', {
      pipelineName: 'p',
      pipelineExecutionId: e.pipelineExecutionId,
      stageName: 'Nope',
      retryMode: 'FAILED_ACTIONS',
    }),
    { name: 'StageNotFoundException' },
  );
  const retried = await call(sandbox, 'RetryStageExecution', {
    pipelineName: 'p',
    pipelineExecutionId: e.pipelineExecutionId,
    stageName: 'Gate',
    retryMode: 'FAILED_ACTIONS',
  });
  assert.deepEqual(retried, { pipelineExecutionId: e.pipelineExecutionId });
  assert.equal(e.status, 'InProgress');
  await approve(sandbox, e, 'Gate', 'Security', 'Approved', 'fixed');
  assert.equal(await finished(e), 'Succeeded');
  assert.equal(e.stages.Gate.actions.Product, productRun, 'the succeeded action was not run again');
  const { actionExecutionDetails } = await call(sandbox, 'ListActionExecutions', {
    pipelineName: 'p',
    filter: { pipelineExecutionId: e.pipelineExecutionId },
  });
  const runs = (actionExecutionDetails as { actionName: string; status: string }[])
    .map((d) => [d.actionName, d.status])
    .reverse();
  assert.deepEqual(runs, [
    ['Source', 'Succeeded'],
    ['Security', 'Failed'],
    ['Product', 'Succeeded'],
    ['Security', 'Succeeded'],
    ['Finish', 'Succeeded'],
  ]);
});

test('ECS Deploy with tasks failing health checks: the circuit breaker rolls back and Deploy fails', async () => {
  const sandbox = newSandbox();
  const provide = (providers: Record<string, ResourceProvider>, type: string, properties: Record<string, unknown>) => {
    const context: ProviderContext = {
      sandbox,
      accountId: '000000000000',
      region: 'us-east-1',
      host: '127.0.0.1:4566',
      stackId: 'arn:aws:cloudformation:us-east-1:000000000000:stack/S/1',
      stackName: 'S',
      logicalId: type.split('::')[2],
      signal: new AbortController().signal,
      initiated: () => undefined,
    };
    return providers[type].create(properties, context);
  };
  // The pipeline's role: CodePipeline assumes it to deploy to ECS.
  await provide(iamProviders, 'AWS::IAM::Role', {
    RoleName: 'p',
    AssumeRolePolicyDocument: {
      Statement: [{ Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    },
    Policies: [
      {
        PolicyName: 'deploy',
        PolicyDocument: {
          Statement: [{ Effect: 'Allow', Action: ['ecs:*', 'iam:PassRole', 's3:GetObject'], Resource: '*' }],
        },
      },
    ],
  });
  await provide(ecsResourceProviders, 'AWS::ECS::Cluster', { ClusterName: 'c' });
  const td = await provide(ecsResourceProviders, 'AWS::ECS::TaskDefinition', {
    Family: 'app',
    ContainerDefinitions: [{ Name: 'app', Image: 'repo/app:old', PortMappings: [{ ContainerPort: 8080 }] }],
  });
  const tg = await provide(elbv2ResourceProviders, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
    Name: 'tg',
    Port: 8080,
    Protocol: 'HTTP',
    TargetType: 'ip',
    HealthCheckIntervalSeconds: 15,
    HealthyThresholdCount: 2,
    UnhealthyThresholdCount: 3,
  });
  await provide(ecsResourceProviders, 'AWS::ECS::Service', {
    Cluster: 'c',
    ServiceName: 's',
    TaskDefinition: td.physicalId,
    DesiredCount: 2,
    LoadBalancers: [{ TargetGroupArn: tg.physicalId, ContainerName: 'app', ContainerPort: 8080 }],
    DeploymentConfiguration: { DeploymentCircuitBreaker: { Enable: true, Rollback: true } },
  });
  const cluster = Object.values(ecsState(sandbox).clusters)[0];
  const service = findService(sandbox, cluster, 's')!;
  const oldTasks = Object.values(ecsState(sandbox).tasks)
    .filter((t) => t.desiredStatus === 'RUNNING')
    .map((t) => t.taskArn)
    .sort();
  assert.equal(oldTasks.length, 2);

  sandbox.scenarios.unhealthyTasks = true;
  const pipeline = addPipeline(sandbox, 'QUEUED', [
    {
      name: 'Deploy',
      actions: [
        {
          name: 'Deploy',
          actionTypeId: { category: 'Deploy', owner: 'AWS', provider: 'ECS', version: '1' },
          configuration: { ClusterName: 'c', ServiceName: 's', FileName: 'imagedefinitions.json' },
          inputArtifacts: [{ name: 'ImageDefinitions' }],
        },
      ],
    },
  ]);
  const e = start(sandbox, pipeline);
  // What PostBuild hands over (the Deploy action reads its input after its first simulated delay).
  const files = mkdtempSync(join(tmpdir(), 'engine-artifact-'));
  tempDirs.push(files);
  writeFileSync(join(files, 'imagedefinitions.json'), '[{"name":"app","imageUri":"repo/app:new"}]');
  e.artifacts.ImageDefinitions = { repositoryName: 'app', commitId: 'abc', files };
  assert.equal(await finished(e), 'Failed');
  const run = e.stages.Deploy.actions.Deploy;
  assert.equal(run.status, 'Failed');
  assert.match(
    run.errorDetails?.message ?? '',
    /^Deployment ecs-svc\/\d+ failed: ECS deployment circuit breaker: tasks failed to start\. The service rolled back to its previous task definition\.$/,
  );

  // The service serves the old revision with its old tasks, healthy; the failed deployment's tasks are gone.
  await until(
    'the rollback completes',
    () => service.deployments.length === 1 && service.deployments[0].rolloutState === 'COMPLETED',
  );
  assert.equal(service.taskDefinition, td.physicalId);
  assert.equal(service.deployments[0].taskDefinition, td.physicalId);
  const running = Object.values(ecsState(sandbox).tasks).filter((t) => t.desiredStatus === 'RUNNING');
  assert.deepEqual(running.map((t) => t.taskArn).sort(), oldTasks);
  const targets = Object.values(elbState(sandbox).targetGroups).flatMap((g) => g.targets);
  assert.deepEqual(targets.map((t) => t.state).sort(), ['healthy', 'healthy']);
  assert.ok(service.events.some((ev) => /failed ELB health checks/.test(ev.message)));
  assert.ok(service.events.some((ev) => /deployment failed: tasks failed to start/.test(ev.message)));
});

test('the operations validate their input like the real API', async () => {
  const sandbox = newSandbox();
  addPipeline(sandbox, 'QUEUED', threeStages);
  await assert.rejects(
    call(sandbox, 'GetPipelineState', { name: 'missing' }),
    (error: AwsError) => error.code === 'PipelineNotFoundException',
  );
  await assert.rejects(call(sandbox, 'StopPipelineExecution', { pipelineName: 'p', pipelineExecutionId: 'nope' }), {
    name: 'PipelineExecutionNotFoundException',
  });
  await assert.rejects(
    call(sandbox, 'RetryStageExecution', {
      pipelineName: 'p',
      pipelineExecutionId: 'x',
      stageName: 'Approve',
      retryMode: 'SOME',
    }),
    { name: 'ValidationException' },
  );
});
