import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand, waitUntilStackCreateComplete } from '@aws-sdk/client-cloudformation';
import { clientConfig, installedAwsClis, run, startTestSandbox } from './helpers';

const TEMPLATE = JSON.stringify({ Resources: { Bucket: { Type: 'AWS::S3::Bucket' } }, Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } } });

test('SDK v3: CreateStack, wait, DescribeStacks and the not-found error over HTTP', async (t) => {
  const sb = await startTestSandbox(t);
  const cfn = new CloudFormationClient(clientConfig(sb.endpoint));
  await cfn.send(new CreateStackCommand({ StackName: 'Sdk', TemplateBody: TEMPLATE }));
  await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StackName: 'Sdk' });
  const out = await cfn.send(new DescribeStacksCommand({ StackName: 'Sdk' }));
  assert.equal(out.Stacks?.[0].StackStatus, 'CREATE_COMPLETE');
  assert.match(out.Stacks?.[0].Outputs?.[0].OutputValue ?? '', /^arn:aws:s3:::/);
  await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'Missing' })), { name: 'ValidationError', message: 'Stack with id Missing does not exist' });
});

test('AWS CLI: deploy both bundled templates, wait, describe-stack-events', async (t) => {
  const clis = installedAwsClis();
  assert.ok(clis.length > 0, 'no AWS CLI installed');
  const env = { ...process.env, AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_DEFAULT_REGION: 'us-east-1', AWS_PAGER: '' };
  for (const [i, cli] of clis.entries()) {
    const sb = await startTestSandbox(t); // one per CLI: both deploy the same exports
    for (const name of ['pipeline', 'service']) {
      const stack = `${name}-${i}`;
      const ep = ['--endpoint-url', sb.endpoint];
      const deployed = await run(cli, ['cloudformation', 'deploy', ...ep, '--template-file', `media/templates/${name}.yaml`, '--stack-name', stack, '--capabilities', 'CAPABILITY_NAMED_IAM'], { env });
      assert.match(deployed.stdout, /Successfully created\/updated stack/);
      await run(cli, ['cloudformation', 'wait', 'stack-create-complete', ...ep, '--stack-name', stack], { env });
      const events = JSON.parse((await run(cli, ['cloudformation', 'describe-stack-events', ...ep, '--stack-name', stack, '--output', 'json'], { env })).stdout) as { StackEvents: { ResourceStatus: string; ResourceStatusReason?: string; LogicalResourceId: string }[] };
      assert.equal(events.StackEvents[0].ResourceStatus, 'CREATE_COMPLETE');
      assert.equal(events.StackEvents[0].LogicalResourceId, stack);
      assert.ok(events.StackEvents.some((e) => e.ResourceStatusReason === 'Resource creation Initiated'));
      const again = await run(cli, ['cloudformation', 'deploy', ...ep, '--template-file', `media/templates/${name}.yaml`, '--stack-name', stack, '--capabilities', 'CAPABILITY_NAMED_IAM', '--no-fail-on-empty-changeset'], { env });
      assert.match(again.stdout, /No changes to deploy/);
    }
  }
});
