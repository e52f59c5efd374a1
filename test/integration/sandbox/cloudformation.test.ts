import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  waitUntilStackCreateComplete,
} from '@aws-sdk/client-cloudformation';
import { clientConfig, startTestSandbox } from './helpers';

const TEMPLATE = JSON.stringify({
  Resources: { Bucket: { Type: 'AWS::S3::Bucket' } },
  Outputs: { Arn: { Value: { 'Fn::GetAtt': ['Bucket', 'Arn'] } } },
});

test('SDK v3: CreateStack, wait, DescribeStacks and the not-found error over HTTP', async (t) => {
  const sb = await startTestSandbox(t);
  const cfn = new CloudFormationClient(clientConfig(sb.endpoint));
  await cfn.send(new CreateStackCommand({ StackName: 'Sdk', TemplateBody: TEMPLATE }));
  await waitUntilStackCreateComplete({ client: cfn, maxWaitTime: 30, minDelay: 1, maxDelay: 1 }, { StackName: 'Sdk' });
  const out = await cfn.send(new DescribeStacksCommand({ StackName: 'Sdk' }));
  assert.equal(out.Stacks?.[0].StackStatus, 'CREATE_COMPLETE');
  assert.match(out.Stacks?.[0].Outputs?.[0].OutputValue ?? '', /^arn:aws:s3:::/);
  await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'Missing' })), {
    name: 'ValidationError',
    message: 'Stack with id Missing does not exist',
  });
});

// The AWS CLIs' `cloudformation deploy` of both bundled templates (with wait and describe-stack-events)
// lives in cliPipeline.test.ts, which runs both CLIs in parallel: each deploy waits 30 s.
