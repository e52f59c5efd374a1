// Requests that break the AWS service models are refused as the services refuse them, through the
// real SDK, a raw signed request and Debian's AWS CLI v2; in strict mode a response that breaks its
// model fails the call, is listed by the admin API, and makes close() reject.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloudFormationClient, CreateChangeSetCommand } from '@aws-sdk/client-cloudformation';
import { CodePipelineClient, GetPipelineStateCommand } from '@aws-sdk/client-codepipeline';
import { startSandbox } from '../../sandbox/core/server';
import type { ServiceDefinition } from '../../sandbox/core/types';
import { services } from '../../sandbox/services';
import { cliEnv, clientConfig, run, signedFetch, startTestSandbox, tempDir } from './helpers';

const TOO_LONG_NAME = 'p'.repeat(101);
const TOO_LONG_MESSAGE =
  "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 100";

async function rejection(promise: Promise<unknown>): Promise<{ name: string; message: string; status?: number }> {
  const error = await promise.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e as { name: string; message: string; $metadata?: { httpStatusCode?: number } },
  );
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}

test('the SDK gets the services’ validation errors: too long, bad pattern, bad enum', async (t) => {
  const running = await startTestSandbox(t);
  const pipeline = new CodePipelineClient(clientConfig(running.endpoint));
  const cfn = new CloudFormationClient(clientConfig(running.endpoint));
  t.after(() => {
    pipeline.destroy();
    cfn.destroy();
  });

  assert.deepEqual(await rejection(pipeline.send(new GetPipelineStateCommand({ name: TOO_LONG_NAME }))), {
    name: 'ValidationException',
    message: TOO_LONG_MESSAGE,
    status: 400,
  });
  const pattern = await rejection(
    cfn.send(new CreateChangeSetCommand({ StackName: 'my_stack', ChangeSetName: 'c1', TemplateBody: '{}' })),
  );
  assert.equal(pattern.name, 'ValidationError');
  assert.match(
    pattern.message,
    /^1 validation error detected: Value 'my_stack' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
  );
  const enumValue = await rejection(
    cfn.send(
      new CreateChangeSetCommand({
        StackName: 'demo',
        ChangeSetName: 'c1',
        TemplateBody: '{}',
        Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_EVERYTHING' as 'CAPABILITY_IAM'],
      }),
    ),
  );
  assert.equal(enumValue.name, 'ValidationError');
  assert.match(
    enumValue.message,
    /^1 validation error detected: Value 'CAPABILITY_EVERYTHING' at 'capabilities\.2\.member' failed to satisfy constraint: Member must satisfy enum value set: \[CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND\]$/,
  );
  // Refused calls are still calls: they are counted.
  assert.equal(running.calls.get('codepipeline:GetPipelineState'), 1);
});

test('raw requests: a missing member and a wrongly typed one, for JSON and query services', async (t) => {
  const running = await startTestSandbox(t);
  const json = (target: string, body: unknown) =>
    signedFetch(running.endpoint, {
      service: 'codepipeline',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `CodePipeline_20150709.${target}` },
      body: JSON.stringify(body),
    });
  const missing = await json('GetPipelineState', {});
  assert.equal(missing.status, 400);
  assert.equal(missing.headers.get('x-amzn-errortype'), 'ValidationException');
  assert.deepEqual(await missing.json(), {
    __type: 'ValidationException',
    message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  });
  const typed = await json('GetPipeline', { name: 'p', version: '1' });
  assert.equal(typed.status, 400);
  assert.deepEqual(await typed.json(), {
    __type: 'SerializationException',
    message: 'STRING_VALUE cannot be converted to Integer',
  });

  const query = await signedFetch(running.endpoint, {
    service: 'cloudformation',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body: 'Action=DescribeStackEvents&Version=2010-05-15',
  });
  assert.equal(query.status, 400);
  const xml = await query.text();
  assert.match(xml, /<Type>Sender<\/Type>\s*<Code>ValidationError<\/Code>/);
  assert.match(
    xml,
    /<Message>1 validation error detected: Value null at &apos;stackName&apos; failed to satisfy constraint: Member must not be null<\/Message>/,
  );
});

test('Debian’s AWS CLI v2 sends what it does not check itself, and prints the service’s error', async (t) => {
  const running = await startTestSandbox(t);
  const home = tempDir(t, 'sandbox-models-cli-');
  const aws = '/usr/bin/aws';
  const failing = async (...args: string[]): Promise<{ code: number; stderr: string }> => {
    const outcome = await run(aws, [...args, '--endpoint-url', running.endpoint], { env: cliEnv(home) }).then(
      () => assert.fail(`aws ${args.join(' ')} succeeded`),
      (e: unknown) => e as { code: number; stderr: string },
    );
    return { code: outcome.code, stderr: outcome.stderr.trim() };
  };
  // The CLI checks required members and minimum lengths itself, not maximum lengths, patterns or enums.
  assert.deepEqual(await failing('codepipeline', 'get-pipeline-state', '--name', TOO_LONG_NAME), {
    code: 254,
    stderr: `An error occurred (ValidationException) when calling the GetPipelineState operation: ${TOO_LONG_MESSAGE}`,
  });
  const pattern = await failing(
    'cloudformation',
    'create-change-set',
    '--stack-name',
    'my_stack',
    '--change-set-name',
    'c1',
    '--template-body',
    '{}',
  );
  assert.equal(pattern.code, 254);
  assert.match(
    pattern.stderr,
    /^An error occurred \(ValidationError\) when calling the CreateChangeSet operation: 1 validation error detected: Value 'my_stack' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
  );
  const enumValue = await failing(
    'cloudformation',
    'create-change-set',
    '--stack-name',
    'demo',
    '--change-set-name',
    'c1',
    '--template-body',
    '{}',
    '--change-set-type',
    'NEW',
  );
  assert.match(
    enumValue.stderr,
    /^An error occurred \(ValidationError\) when calling the CreateChangeSet operation: 1 validation error detected: Value 'NEW' at 'changeSetType' failed to satisfy constraint: Member must satisfy enum value set: \[CREATE, UPDATE, IMPORT\]$/,
  );
  assert.equal(running.calls.get('cloudformation:CreateChangeSet'), 2);
});

test('strict mode: a response that breaks its model is a 500, listed, and fails close()', async (t) => {
  // A CodePipeline whose GetPipelineState answers with a number for a name and an unknown status.
  const broken: readonly ServiceDefinition[] = services.map((service) =>
    service.signingName === 'codepipeline'
      ? {
          ...service,
          operations: {
            ...service.operations,
            GetPipelineState: () => ({
              pipelineName: 7,
              stageStates: [{ stageName: 'Source', latestExecution: { pipelineExecutionId: 'e', status: 'Running' } }],
            }),
          },
        }
      : service,
  );
  const running = await startSandbox({ port: 0, services: broken, strictModels: true });
  let closed = false;
  t.after(async () => {
    if (!closed) await running.close().catch(() => undefined);
  });
  const client = new CodePipelineClient(clientConfig(running.endpoint, { maxAttempts: 1 }));
  t.after(() => client.destroy());
  const originalError = console.error;
  const printed: string[] = [];
  console.error = (...args: unknown[]) => void printed.push(args.map(String).join(' '));
  let failure;
  try {
    failure = await rejection(client.send(new GetPipelineStateCommand({ name: 'WorkshopPipeline' })));
  } finally {
    console.error = originalError;
  }
  assert.equal(failure.status, 500);
  assert.equal(failure.name, 'InternalFailure');
  assert.match(failure.message, /pipelineName: NUMBER_VALUE cannot be converted to String/);
  assert.match(printed.join('\n'), /STRICT MODELS: the response to codepipeline:GetPipelineState breaks the AWS model/);

  const listed = (await (await fetch(`${running.endpoint}/_sandbox/violations`)).json()) as {
    service: string;
    operation: string;
    problems: string[];
  }[];
  assert.deepEqual(
    listed.map((v) => [v.service, v.operation]),
    [['codepipeline', 'GetPipelineState']],
  );
  assert.deepEqual(listed[0].problems, [
    'pipelineName: NUMBER_VALUE cannot be converted to String (value 7)',
    'stageStates[0].latestExecution.status: Member must satisfy enum value set: [Cancelled, InProgress, Failed, Stopped, Stopping, Succeeded, Skipped] (value "Running")',
  ]);
  closed = true;
  await assert.rejects(
    running.close(),
    /1 response broke the AWS service models \(strict mode\):\n {2}codepipeline:GetPipelineState/,
  );
});

test('without strict mode the same response goes out as the handler wrote it', async (t) => {
  const loose: readonly ServiceDefinition[] = services.map((service) =>
    service.signingName === 'codepipeline'
      ? { ...service, operations: { ...service.operations, GetPipelineState: () => ({ pipelineName: 7 }) } }
      : service,
  );
  const running = await startSandbox({ port: 0, services: loose, strictModels: false });
  t.after(() => running.close());
  const response = await signedFetch(running.endpoint, {
    service: 'codepipeline',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'CodePipeline_20150709.GetPipelineState' },
    body: JSON.stringify({ name: 'WorkshopPipeline' }),
  });
  assert.equal(response.status, 200);
  assert.deepEqual(await response.json(), { pipelineName: 7 });
});
