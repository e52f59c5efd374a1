// At --speed 10 the sandbox does things ten times faster, but every timestamp it returns is
// wall-clock time: never ahead of Date.now(), and as far apart as real time passed, not ten times more.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import { CodeCommitClient, CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { clientConfig, startTestSandbox, waitFor } from './helpers';

test('at speed 10 the timestamps the sandbox returns are never ahead of the wall clock', async (t) => {
  const running = await startTestSandbox(t, { speed: 10 });
  const cfn = new CloudFormationClient(clientConfig(running.endpoint));
  const codecommit = new CodeCommitClient(clientConfig(running.endpoint));
  t.after(() => {
    cfn.destroy();
    codecommit.destroy();
  });
  const started = Date.now();
  // An IAM role takes 16 simulated seconds to create: 1.6 real seconds at speed 10.
  await cfn.send(
    new CreateStackCommand({
      StackName: 'Clock',
      Capabilities: ['CAPABILITY_IAM'],
      TemplateBody: JSON.stringify({
        Resources: {
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
          },
        },
      }),
    }),
  );
  const stack = await waitFor(
    async () => {
      const s = (await cfn.send(new DescribeStacksCommand({ StackName: 'Clock' }))).Stacks?.[0];
      return s?.StackStatus === 'CREATE_COMPLETE' ? s : undefined;
    },
    20_000,
    () => 'the stack never completed',
    50,
  );
  const { StackEvents = [] } = await cfn.send(new DescribeStackEventsCommand({ StackName: 'Clock' }));
  const { repositoryMetadata } = await codecommit.send(new CreateRepositoryCommand({ repositoryName: 'clock' }));
  const now = Date.now();

  const stamps = [stack.CreationTime, ...StackEvents.map((e) => e.Timestamp), repositoryMetadata?.creationDate].map(
    (d) => d?.getTime() ?? Number.NaN,
  );
  for (const stamp of stamps) {
    assert.ok(stamp <= now, `${new Date(stamp).toISOString()} is after the wall clock ${new Date(now).toISOString()}`);
    assert.ok(stamp >= started - 1_000, `${new Date(stamp).toISOString()} is before the test started`);
  }
  // The role took 16 simulated seconds; its events are as far apart as the real time that passed.
  const role = StackEvents.filter((e) => e.LogicalResourceId === 'Role').map((e) => e.Timestamp!.getTime());
  const span = Math.max(...role) - Math.min(...role);
  assert.ok(span <= now - started, `the role's events span ${span} ms, more than the ${now - started} ms that passed`);
  assert.ok(span >= 1_000, `16 simulated seconds at speed 10 take about 1.6 real seconds, the events span ${span} ms`);

  const health = (await (await fetch(`${running.endpoint}/_sandbox/health`)).json()) as { speed: number; now: string };
  assert.equal(health.speed, 10);
  assert.ok(new Date(health.now).getTime() <= Date.now());
});
