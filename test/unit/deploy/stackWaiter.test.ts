// The waiter's rare branches that the sandbox cannot produce on demand: credentials expiring
// mid-wait (pause, then resume after re-login) and giving up when the user declines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudFormationApi, StackDescription, StackEvent } from '../../../src/aws/cloudformation';
import type { Clock } from '../../../src/deploy/clock';
import { StackEventTail } from '../../../src/deploy/stackEvents';
import { CredentialsExpiredError, waitForStack, type WaitReporter } from '../../../src/deploy/stackWaiter';

const instantClock: Clock = { now: () => 0, sleep: () => Promise.resolve() };

function expired(): Error {
  return Object.assign(new Error('The security token included in the request is expired'), { name: 'ExpiredToken' });
}

function fakeApi(
  script: (call: number) => 'expired' | 'progress' | 'done',
): Pick<CloudFormationApi, 'describeStack' | 'describeStackEvents'> {
  let call = 0;
  let status = 'UPDATE_IN_PROGRESS';
  return {
    describeStackEvents: () => {
      const step = script(call++);
      if (step === 'expired') {
        return Promise.reject(expired());
      }
      if (step === 'done') {
        status = 'UPDATE_COMPLETE';
      }
      const events: StackEvent[] =
        step === 'done'
          ? [
              {
                id: `e${call}`,
                timestamp: new Date(),
                logicalId: 'S',
                physicalId: undefined,
                resourceType: 'AWS::CloudFormation::Stack',
                status,
                reason: undefined,
              },
            ]
          : [];
      return Promise.resolve({ events, nextToken: undefined });
    },
    describeStack: (): Promise<StackDescription> =>
      Promise.resolve({ id: 'id', name: 'S', status, statusReason: undefined, parameters: new Map(), outputs: [] }),
  };
}

function reporter(resume: boolean): WaitReporter & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    event: () => undefined,
    status: () => undefined,
    credentialsExpired: (message) => {
      asked.push(message);
      return Promise.resolve(resume);
    },
  };
}

const session = { profile: 'corp', sso: true, region: 'us-east-1', endpointUrl: undefined };

describe('waitForStack when credentials expire', () => {
  it('pauses, asks for a re-login naming the profile, and resumes to the final status', async () => {
    const api = fakeApi((call) => (call === 1 ? 'expired' : call >= 3 ? 'done' : 'progress'));
    const r = reporter(true);
    const stack = await waitForStack(
      api as CloudFormationApi,
      new StackEventTail(api, 'id'),
      'S',
      instantClock,
      r,
      undefined,
      {
        session,
      },
    );
    assert.equal(stack.status, 'UPDATE_COMPLETE');
    assert.equal(r.asked.length, 1);
    assert.match(r.asked[0], /aws sso login --profile corp/);
  });

  it('stops with a clear error when the user does not sign in again', async () => {
    const api = fakeApi((call) => (call === 0 ? 'expired' : 'progress'));
    await assert.rejects(
      waitForStack(
        api as CloudFormationApi,
        new StackEventTail(api, 'id'),
        'S',
        instantClock,
        reporter(false),
        undefined,
        {
          session,
        },
      ),
      (error: unknown) => {
        assert.ok(error instanceof CredentialsExpiredError);
        assert.match(error.message, /profile "corp" have expired/);
        return true;
      },
    );
  });
});
