// The deploy engine against the sandbox's CloudFormation over real HTTP, with the bundled template.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  ListChangeSetsCommand,
} from '@aws-sdk/client-cloudformation';
import { AwsSession } from '../../../src/aws/awsSession';
import { cloudFormationApi } from '../../../src/aws/cloudformation';
import type { ResourceChange, StackEvent } from '../../../src/aws/cloudformation';
import { systemClock } from '../../../src/deploy/clock';
import { DeployEngine, type DeployReporter, type Recovery } from '../../../src/deploy/deployEngine';
import { silentLogger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';

const TEMPLATE = readFileSync('media/templates/pipeline.yaml', 'utf8');
const CREATE_REPOS = [
  { key: 'CreateCodeCommitRepository', value: 'true' },
  { key: 'CreateEcrRepository', value: 'true' },
];
/** Each stack creates repositories of its own name, so stacks in one account do not collide. */
const ownRepos = (name: string) => [
  ...CREATE_REPOS,
  { key: 'RepositoryName', value: name },
  { key: 'EcrRepositoryName', value: name },
];

interface Recorded {
  phases: string[];
  events: StackEvent[];
  statuses: string[];
  changes: ResourceChange[][];
  retries: string[];
  recoveries: Recovery[];
}

function reporter(
  options: { confirm?: boolean; recover?: (offered: Recovery) => Recovery } = {},
): DeployReporter & { seen: Recorded } {
  const seen: Recorded = { phases: [], events: [], statuses: [], changes: [], retries: [], recoveries: [] };
  return {
    seen,
    phase: (text) => void seen.phases.push(text),
    event: (event) => void seen.events.push(event),
    status: (status) => void seen.statuses.push(status),
    retrying: (message) => void seen.retries.push(message),
    confirmChanges: (changes) => {
      seen.changes.push(changes);
      return Promise.resolve(options.confirm ?? true);
    },
    chooseRecovery: (_stack, offered) => {
      seen.recoveries.push(offered);
      return Promise.resolve(options.recover ? options.recover(offered) : 'none');
    },
  };
}

describe('DeployEngine against the sandbox', () => {
  let sandbox: RunningSandbox;
  let session: AwsSession;
  let engine: DeployEngine;
  let cfn: CloudFormationClient;

  before(async () => {
    sandbox = await startSandbox({ port: 0, speed: 400, services });
    session = new AwsSession(
      { profile: undefined, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
      silentLogger,
    );
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    engine = new DeployEngine(cloudFormationApi(session), systemClock, { intervalMs: 100, maxBackoffMs: 400 });
    cfn = new CloudFormationClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  after(async () => {
    cfn.destroy();
    session.dispose();
    await sandbox.close();
  });

  async function changeSetsOf(stack: string): Promise<number> {
    const out = await cfn.send(new ListChangeSetsCommand({ StackName: stack }));
    return out.Summaries?.length ?? 0;
  }

  it('creates the stack through a change set, streaming each event once, and returns the outputs', async () => {
    const r = reporter();
    const outcome = await engine.deploy(
      { stackName: 'WorkshopPipeline', templateBody: TEMPLATE, parameters: CREATE_REPOS },
      r,
    );
    assert.equal(outcome.kind, 'succeeded', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'succeeded');
    assert.equal(outcome.created, true);
    assert.equal(outcome.stack.status, 'CREATE_COMPLETE');
    assert.match(
      outcome.stack.outputs.find((o) => o.key === 'PipelineName')?.value ?? '',
      /^WorkshopPipeline-Pipeline-/,
    );
    assert.ok(r.seen.changes[0].length > 10 && r.seen.changes[0].every((c) => c.action === 'Add'));
    const ids = r.seen.events.map((e) => e.id);
    assert.equal(new Set(ids).size, ids.length, 'no event reported twice');
    assert.ok(r.seen.events.some((e) => e.logicalId === 'Pipeline' && e.status === 'CREATE_COMPLETE'));
    assert.equal(r.seen.events.at(-1)?.status, 'CREATE_COMPLETE');
    assert.equal(r.seen.events.at(-1)?.logicalId, 'WorkshopPipeline');
    assert.deepEqual(r.seen.statuses.at(-1), 'CREATE_COMPLETE');
    assert.equal(await changeSetsOf('WorkshopPipeline'), 0, 'the executed change set is not left behind');
  });

  it('reports an unchanged stack as up to date and deletes the empty change set', async () => {
    const r = reporter();
    const outcome = await engine.deploy(
      { stackName: 'WorkshopPipeline', templateBody: TEMPLATE, parameters: CREATE_REPOS },
      r,
    );
    assert.equal(outcome.kind, 'upToDate', JSON.stringify(outcome));
    assert.equal(r.seen.changes.length, 0, 'nothing to confirm');
    assert.equal(await changeSetsOf('WorkshopPipeline'), 0);
  });

  it('updates a parameter, previewing a Modify', async () => {
    const r = reporter();
    const outcome = await engine.deploy(
      {
        stackName: 'WorkshopPipeline',
        templateBody: TEMPLATE,
        parameters: [...CREATE_REPOS, { key: 'LogRetentionInDays', value: '14' }],
      },
      r,
    );
    assert.equal(outcome.kind, 'succeeded', JSON.stringify(outcome));
    assert.ok(outcome.kind === 'succeeded');
    assert.equal(outcome.created, false);
    assert.equal(outcome.stack.status, 'UPDATE_COMPLETE');
    assert.ok(r.seen.changes[0].some((c) => c.action === 'Modify'));
    assert.equal(outcome.stack.parameters.get('LogRetentionInDays'), '14');
  });

  it('declining the preview leaves no change set behind, and a declined create leaves no stack', async () => {
    const outcome = await engine.deploy(
      {
        stackName: 'WorkshopPipeline',
        templateBody: TEMPLATE,
        parameters: [...CREATE_REPOS, { key: 'LogRetentionInDays', value: '30' }],
      },
      reporter({ confirm: false }),
    );
    assert.equal(outcome.kind, 'declined');
    assert.equal(await changeSetsOf('WorkshopPipeline'), 0);

    const fresh = await engine.deploy(
      { stackName: 'DeclinedStack', templateBody: TEMPLATE, parameters: ownRepos('declined') },
      reporter({ confirm: false }),
    );
    assert.equal(fresh.kind, 'declined');
    await assert.rejects(
      cfn.send(new DescribeStacksCommand({ StackName: 'DeclinedStack' })),
      /Stack with id DeclinedStack does not exist/,
    );
  });

  it('names the root cause of a failed create, then deletes and recreates on request', async () => {
    await fetch(`${sandbox.endpoint}/_sandbox/scenarios`, {
      method: 'PUT',
      body: JSON.stringify({ failResources: ['BuildProject'] }),
    });
    const failedRun = await engine.deploy(
      { stackName: 'FailingStack', templateBody: TEMPLATE, parameters: ownRepos('failing') },
      reporter(),
    );
    assert.equal(failedRun.kind, 'failed', JSON.stringify(failedRun));
    assert.ok(failedRun.kind === 'failed');
    assert.equal(failedRun.rootCause?.logicalId, 'BuildProject');
    assert.equal(failedRun.rootCause?.resourceType, 'AWS::CodeBuild::Project');
    assert.equal(failedRun.stack?.status, 'ROLLBACK_COMPLETE');
    assert.match(failedRun.message, /^BuildProject \(AWS::CodeBuild::Project\) CREATE_FAILED: /);

    await fetch(`${sandbox.endpoint}/_sandbox/scenarios`, {
      method: 'PUT',
      body: JSON.stringify({ failResources: null }),
    });
    const r = reporter({ recover: (offered) => offered });
    const recovered = await engine.deploy(
      { stackName: 'FailingStack', templateBody: TEMPLATE, parameters: ownRepos('failing') },
      r,
    );
    assert.deepEqual(r.seen.recoveries, ['deleteAndRecreate']);
    assert.equal(recovered.kind, 'succeeded', JSON.stringify(recovered));
    assert.ok(r.seen.phases.some((p) => p.startsWith('Deleting stack FailingStack')));
  });

  it('attaches to an operation already running instead of failing', async () => {
    const parameters = ownRepos('busy');
    await cfn.send(
      new CreateStackCommand({
        StackName: 'BusyStack',
        TemplateBody: TEMPLATE,
        Capabilities: ['CAPABILITY_NAMED_IAM'],
        Parameters: parameters.map((p) => ({ ParameterKey: p.key, ParameterValue: p.value })),
      }),
    );
    const r = reporter();
    const outcome = await engine.deploy({ stackName: 'BusyStack', templateBody: TEMPLATE, parameters }, r);
    assert.ok(
      r.seen.phases.some((p) => p.startsWith('Waiting for the running CREATE_IN_PROGRESS')),
      r.seen.phases.join('\n'),
    );
    assert.equal(outcome.kind, 'upToDate', JSON.stringify(outcome));
  });

  it('rides out a throttling storm while waiting, without reporting a failed deploy', async () => {
    const r = reporter();
    // The storm starts once the change set runs, i.e. while waiting: enough consecutive throttles
    // to exhaust the SDK's own retries and reach the waiter's backoff. (Before the change set runs,
    // a call the SDK gave up on ends the deploy, with nothing changed: the waiter is the only poller.)
    r.executed = () => sandbox.faults.set('cloudformation:DescribeStackEvents=throttle#12');
    let outcome;
    try {
      outcome = await engine.deploy(
        {
          stackName: 'ThrottledStack',
          templateBody: JSON.stringify({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } } }),
          parameters: [],
        },
        r,
      );
    } finally {
      await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'PUT', body: '' });
    }
    assert.equal(outcome.kind, 'succeeded', JSON.stringify(outcome));
    assert.ok(r.seen.retries.length >= 1, 'the engine backed off at least once');
    assert.match(r.seen.retries[0], /throttling/i);
  });

  it('detaches when cancelled: the stack goes on', async () => {
    const controller = new AbortController();
    const r = reporter();
    r.phase = (text) => {
      if (text.startsWith('Creating stack')) {
        setTimeout(() => controller.abort(), 50);
      }
    };
    const outcome = await engine.deploy(
      { stackName: 'DetachedStack', templateBody: TEMPLATE, parameters: ownRepos('detached') },
      r,
      controller.signal,
    );
    assert.equal(outcome.kind, 'detached', JSON.stringify(outcome));
    const stack = await cfn.send(new DescribeStacksCommand({ StackName: 'DetachedStack' }));
    assert.match(stack.Stacks?.[0]?.StackStatus ?? '', /^CREATE_(IN_PROGRESS|COMPLETE)$/);
  });
});
