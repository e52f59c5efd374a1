// The official AWS CLIs (Debian's v2 and the preinstalled v1) read and switch the EventBridge rule
// a stack created: list-rules, describe-rule, list-targets-by-rule, disable-rule, enable-rule, and
// EventBridge's error for a rule that does not exist. A missing CLI fails its test.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it, type TestContext } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { cliEnv, clientConfig, run, startTestSandbox, tempDir, waitFor } from './helpers';

const CLIS = ['/root/.pyenv/shims/aws', '/usr/bin/aws'];
const PATTERN = {
  source: ['aws.codecommit'],
  'detail-type': ['CodeCommit Repository State Change'],
  resources: ['arn:aws:codecommit:us-east-1:000000000000:app'],
  detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: ['main'] },
};

async function cliEvents(t: TestContext, aws: string): Promise<void> {
  assert.ok(existsSync(aws), `${aws} does not exist: install the AWS CLI`);
  const sandbox = await startTestSandbox(t);
  const cfn = new CloudFormationClient(clientConfig(sandbox.endpoint));
  t.after(() => cfn.destroy());
  await cfn.send(
    new CreateStackCommand({
      StackName: 'Rules',
      Capabilities: ['CAPABILITY_IAM'],
      TemplateBody: JSON.stringify({
        Resources: {
          Role: {
            Type: 'AWS::IAM::Role',
            Properties: {
              AssumeRolePolicyDocument: {
                Statement: [
                  { Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole' },
                ],
              },
            },
          },
          Rule: {
            Type: 'AWS::Events::Rule',
            Properties: {
              Name: 'start-app',
              Description: 'Starts the pipeline when main is pushed.',
              EventPattern: PATTERN,
              Targets: [
                {
                  Id: 'pipeline',
                  Arn: 'arn:aws:codepipeline:us-east-1:000000000000:app',
                  RoleArn: { 'Fn::GetAtt': ['Role', 'Arn'] },
                },
              ],
            },
          },
        },
      }),
    }),
  );
  await waitFor(
    async () =>
      (await cfn.send(new DescribeStacksCommand({ StackName: 'Rules' }))).Stacks?.[0]?.StackStatus === 'CREATE_COMPLETE'
        ? true
        : undefined,
    30_000,
  );

  const env = cliEnv(tempDir(t, 'sandbox-cli-events-'));
  const cli = (...args: string[]) =>
    run(aws, ['events', ...args, '--endpoint-url', sandbox.endpoint, '--output', 'json'], { env });
  const json = async (...args: string[]) => JSON.parse((await cli(...args)).stdout) as Record<string, unknown>;

  const { Rules } = (await json('list-rules')) as { Rules: Record<string, unknown>[] };
  assert.equal(Rules.length, 1);
  const { EventPattern, ...listed } = Rules[0];
  assert.deepEqual(listed, {
    Name: 'start-app',
    Arn: 'arn:aws:events:us-east-1:000000000000:rule/start-app',
    State: 'ENABLED',
    Description: 'Starts the pipeline when main is pushed.',
    EventBusName: 'default',
  });
  assert.deepEqual(JSON.parse(String(EventPattern)), PATTERN);

  const described = await json('describe-rule', '--name', 'start-app');
  assert.deepEqual(
    [described.Name, described.State, described.EventBusName, described.CreatedBy],
    ['start-app', 'ENABLED', 'default', '000000000000'],
  );
  const { Targets } = (await json('list-targets-by-rule', '--rule', 'start-app')) as {
    Targets: Record<string, unknown>[];
  };
  assert.deepEqual(
    Targets.map((target) => [target.Id, target.Arn]),
    [['pipeline', 'arn:aws:codepipeline:us-east-1:000000000000:app']],
  );
  assert.match(String(Targets[0].RoleArn), /^arn:aws:iam::000000000000:role\/Rules-Role-[A-Z0-9]+$/);

  assert.equal((await cli('disable-rule', '--name', 'start-app')).stdout.trim(), '');
  assert.equal((await json('describe-rule', '--name', 'start-app')).State, 'DISABLED');
  await cli('enable-rule', '--name', 'start-app');
  assert.equal((await json('describe-rule', '--name', 'start-app')).State, 'ENABLED');

  await assert.rejects(cli('describe-rule', '--name', 'nope'), (error: Error & { stderr?: string }) => {
    assert.match(
      error.stderr ?? '',
      /An error occurred \(ResourceNotFoundException\) when calling the DescribeRule operation: Rule nope does not exist on EventBus default\./,
    );
    return true;
  });
}

describe('AWS CLI fidelity: EventBridge rules', { concurrency: true }, () => {
  for (const aws of CLIS) it(aws, (t) => cliEvents(t, aws));
});
