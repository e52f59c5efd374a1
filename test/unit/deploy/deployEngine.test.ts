// The engine's rare branch the sandbox cannot produce: the settings change mid-wait and the AWS
// session is replaced. The stack goes on in AWS, so the outcome is "stopped watching", not a failure.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionReplacedError } from '../../../src/aws/awsSession';
import type { CloudFormationApi, StackDescription } from '../../../src/aws/cloudformation';
import type { Clock } from '../../../src/deploy/clock';
import { ChangeSetLeftError, DeployEngine, type DeployReporter } from '../../../src/deploy/deployEngine';

const clock: Clock = { now: () => 0, sleep: () => Promise.resolve() };

function api(): CloudFormationApi {
  let executed = false;
  const stack = (status: string): StackDescription => ({
    id: 'stack-id',
    name: 'S',
    status,
    statusReason: undefined,
    parameters: new Map(),
    outputs: [],
  });
  return {
    validateTemplate: () => Promise.resolve({ capabilities: [] }),
    describeStack: () => Promise.resolve(executed ? stack('CREATE_IN_PROGRESS') : undefined),
    createChangeSet: () => Promise.resolve({ id: 'cs', stackId: 'stack-id' }),
    describeChangeSet: () =>
      Promise.resolve({
        id: 'cs',
        stackId: 'stack-id',
        status: 'CREATE_COMPLETE',
        statusReason: undefined,
        executionStatus: 'AVAILABLE',
        changes: [],
      }),
    executeChangeSet: () => {
      executed = true;
      return Promise.resolve();
    },
    // The tail primes before execution, then the session is replaced while waiting.
    describeStackEvents: () =>
      executed
        ? Promise.reject(new SessionReplacedError('replaced'))
        : Promise.resolve({ events: [], nextToken: undefined }),
    deleteChangeSet: () => Promise.reject(new Error('an executed change set is not deleted')),
    deleteStack: () => Promise.reject(new Error('unexpected DeleteStack')),
    cancelUpdateStack: () => Promise.reject(new Error('unexpected CancelUpdateStack')),
    continueUpdateRollback: () => Promise.reject(new Error('unexpected ContinueUpdateRollback')),
  };
}

const reporter: DeployReporter = {
  phase: () => undefined,
  event: () => undefined,
  status: () => undefined,
  confirmChanges: () => Promise.resolve(true),
  chooseRecovery: () => Promise.resolve('none'),
};

describe('DeployEngine when the session is replaced mid-wait', () => {
  it('stops watching instead of reporting a failed deploy', async () => {
    const outcome = await new DeployEngine(api(), clock, { intervalMs: 1 }).deploy(
      { stackName: 'S', templateBody: '{}', parameters: [] },
      reporter,
    );
    assert.equal(outcome.kind, 'detached');
    assert.ok(outcome.kind === 'detached');
    assert.equal(outcome.stackId, 'stack-id');
  });

  it('says when the change set was executed, once, with the stack id', async () => {
    const executed: string[] = [];
    await new DeployEngine(api(), clock, { intervalMs: 1 }).deploy(
      { stackName: 'S', templateBody: '{}', parameters: [] },
      { ...reporter, executed: (stackId) => executed.push(stackId) },
    );
    assert.deepEqual(executed, ['stack-id']);
  });
});

describe('DeployEngine when a failed change set cannot be deleted either', () => {
  it('says that a REVIEW_IN_PROGRESS stack and its change set were left and that the next deploy cleans them up', async () => {
    const failing: CloudFormationApi = {
      ...api(),
      describeChangeSet: () =>
        Promise.reject(Object.assign(new Error('Service is unavailable.'), { name: 'ServiceUnavailable' })),
      deleteChangeSet: () => Promise.reject(Object.assign(new Error('Rate exceeded'), { name: 'Throttling' })),
      createChangeSet: () =>
        Promise.resolve({
          id: 'arn:aws:cloudformation:us-east-1:1:changeSet/workshop-pipeline-7/abc',
          stackId: 'stack-id',
        }),
    };
    const error = await new DeployEngine(failing, clock, { intervalMs: 1 })
      .deploy({ stackName: 'S', templateBody: '{}', parameters: [] }, reporter)
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof ChangeSetLeftError, String(error));
    assert.equal((error.cause as Error).name, 'ServiceUnavailable', 'the first failure is the one explained');
    assert.equal(
      error.note,
      'Its change set workshop-pipeline-7 could not be deleted (Throttling: Rate exceeded), so stack S is left in REVIEW_IN_PROGRESS with it; the next deploy cleans them up.',
    );
  });
});
