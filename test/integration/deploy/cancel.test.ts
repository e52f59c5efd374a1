// Cancel means cancel: a deploy or delete cancelled while a CloudFormation call is in flight (held
// there by the sandbox's latency fault) never executes a change set, deletes the one it created
// (and a new stack's empty shell), says so, and changes nothing else.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { AwsSession } from '../../../src/aws/awsSession';
import { cloudFormationApi, type CloudFormationApi } from '../../../src/aws/cloudformation';
import { isAbort, systemClock } from '../../../src/deploy/clock';
import { DeployEngine, type DeployReporter } from '../../../src/deploy/deployEngine';
import { silentLogger } from '../../../src/shared/logger';
import type { RunningSandbox } from '../../sandbox/core/server';
import { clientConfig, startTestSandbox, waitFor } from '../sandbox/helpers';

const TEMPLATE = JSON.stringify({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } } });
const TEMPLATE_V2 = JSON.stringify({
  Resources: { Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 7 } } },
});

interface Setup {
  sandbox: RunningSandbox;
  engine: DeployEngine;
  api: CloudFormationApi;
  cfn: CloudFormationClient;
  calls(operation: string): Promise<number>;
  setFaults(spec: string): Promise<void>;
}

async function setUp(t: TestContext): Promise<Setup> {
  const sandbox = await startTestSandbox(t);
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  const session = new AwsSession(
    { profile: undefined, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
    silentLogger,
  );
  const cfn = new CloudFormationClient(clientConfig(sandbox.endpoint));
  t.after(() => {
    session.dispose();
    cfn.destroy();
  });
  const api = cloudFormationApi(session);
  return {
    sandbox,
    cfn,
    api,
    engine: new DeployEngine(api, systemClock, { intervalMs: 100, maxBackoffMs: 400 }),
    calls: async (operation) => {
      const counts = (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()) as Record<string, number>;
      return counts[`cloudformation:${operation}`] ?? 0;
    },
    setFaults: async (spec) => {
      const put = await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'PUT', body: spec });
      assert.equal(put.status, 200, await put.text());
    },
  };
}

function reporter(confirm: () => boolean = () => true): DeployReporter & { phases: string[] } {
  const phases: string[] = [];
  return {
    phases,
    phase: (text) => void phases.push(text),
    event: () => undefined,
    status: () => undefined,
    confirmChanges: () => Promise.resolve(confirm()),
    chooseRecovery: () => Promise.resolve('none'),
  };
}

async function stackStatus(cfn: CloudFormationClient, name: string): Promise<string | undefined> {
  try {
    return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
  } catch (error) {
    if (/does not exist/.test((error as Error).message)) {
      return undefined;
    }
    throw error;
  }
}

test('a create cancelled while DescribeChangeSet is in flight executes nothing and deletes the change set and the empty stack', async (t) => {
  const s = await setUp(t);
  await s.setFaults('cloudformation:DescribeChangeSet=latency:5s');
  const controller = new AbortController();
  const started = Date.now();
  const deploying = s.engine.deploy(
    { stackName: 'CancelledCreate', templateBody: TEMPLATE, parameters: [] },
    reporter(),
    controller.signal,
  );
  await waitFor(async () => ((await s.calls('DescribeChangeSet')) > 0 ? true : undefined), 10_000);
  controller.abort();
  const outcome = await deploying;
  await s.setFaults('');

  assert.equal(outcome.kind, 'cancelled', JSON.stringify(outcome));
  assert.ok(outcome.kind === 'cancelled');
  assert.match(
    outcome.message,
    /cancelled before the change set ran\. Change set workshop-pipeline-\d+ and the empty stack CancelledCreate it made were deleted; nothing was changed\./,
  );
  assert.ok(Date.now() - started < 5_000, 'the held call did not have to finish first');
  assert.equal(await s.calls('ExecuteChangeSet'), 0);
  assert.equal(await stackStatus(s.cfn, 'CancelledCreate'), undefined, 'no stack is left, not even REVIEW_IN_PROGRESS');
});

test('a cancel that arrives while the preview is open still wins over "Execute"', async (t) => {
  const s = await setUp(t);
  const controller = new AbortController();
  const outcome = await s.engine.deploy(
    { stackName: 'RacedPreview', templateBody: TEMPLATE, parameters: [] },
    // The user pressed Cancel on the progress notification, then Execute in the preview.
    reporter(() => {
      controller.abort();
      return true;
    }),
    controller.signal,
  );
  assert.equal(outcome.kind, 'cancelled', JSON.stringify(outcome));
  assert.equal(await s.calls('ExecuteChangeSet'), 0);
  assert.equal(await stackStatus(s.cfn, 'RacedPreview'), undefined);
});

test('an update cancelled while the stack events are being read leaves the stack and deletes the change set', async (t) => {
  const s = await setUp(t);
  await s.cfn.send(new CreateStackCommand({ StackName: 'CancelledUpdate', TemplateBody: TEMPLATE }));
  await waitFor(
    async () => ((await stackStatus(s.cfn, 'CancelledUpdate')) === 'CREATE_COMPLETE' ? true : undefined),
    10_000,
  );
  await s.setFaults('cloudformation:DescribeStackEvents=latency:5s');
  const controller = new AbortController();
  const deploying = s.engine.deploy(
    { stackName: 'CancelledUpdate', templateBody: TEMPLATE_V2, parameters: [] },
    reporter(),
    controller.signal,
  );
  await waitFor(async () => ((await s.calls('DescribeStackEvents')) > 0 ? true : undefined), 10_000);
  controller.abort();
  const outcome = await deploying;
  await s.setFaults('');

  assert.equal(outcome.kind, 'cancelled', JSON.stringify(outcome));
  assert.ok(outcome.kind === 'cancelled');
  assert.match(outcome.message, /Change set workshop-pipeline-\d+ was deleted; nothing was changed\./);
  assert.equal(await s.calls('ExecuteChangeSet'), 0);
  assert.equal(await stackStatus(s.cfn, 'CancelledUpdate'), 'CREATE_COMPLETE');
  const left = await s.cfn.send(new ListChangeSetsCommand({ StackName: 'CancelledUpdate' }));
  assert.deepEqual(left.Summaries ?? [], []);
});

test('a delete cancelled before DeleteStack is sent leaves the stack as it was', async (t) => {
  const s = await setUp(t);
  await s.cfn.send(new CreateStackCommand({ StackName: 'KeptStack', TemplateBody: TEMPLATE }));
  await waitFor(async () => ((await stackStatus(s.cfn, 'KeptStack')) === 'CREATE_COMPLETE' ? true : undefined), 10_000);
  const stack = await s.api.describeStack('KeptStack');
  assert.ok(stack);
  await s.setFaults('cloudformation:DescribeStackEvents=latency:5s');
  const controller = new AbortController();
  const deleting = s.engine.deleteAndWait(stack, reporter(), controller.signal);
  await waitFor(async () => ((await s.calls('DescribeStackEvents')) > 0 ? true : undefined), 10_000);
  controller.abort();
  await assert.rejects(deleting, (error) => isAbort(error));
  await s.setFaults('');
  assert.equal(await s.calls('DeleteStack'), 0);
  assert.equal(await stackStatus(s.cfn, 'KeptStack'), 'CREATE_COMPLETE');
});
