// The sandbox core over real HTTP with the real AWS SDK v3 clients: SigV4, protocols, faults, admin API.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CodeCommitClient, ListRepositoriesCommand } from '@aws-sdk/client-codecommit';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startSandbox } from '../../sandbox/core/server';
import { AwsError, type ServiceDefinition } from '../../sandbox/core/types';
import { clientConfig, signedFetch, startTestSandbox } from './helpers';

test('GetCallerIdentity answers as real STS', async (t) => {
  const { endpoint } = await startTestSandbox(t);
  const sts = new STSClient(clientConfig(endpoint));
  t.after(() => sts.destroy());
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.Account, '000000000000');
  assert.equal(identity.Arn, 'arn:aws:iam::000000000000:root');
  assert.equal(identity.UserId, '000000000000');
  assert.match(identity.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
});

test('configured credentials report their own identity', async (t) => {
  const { endpoint } = await startTestSandbox(t, {
    credentials: [
      {
        accessKeyId: 'AKIDDEV',
        secretAccessKey: 'dev-secret',
        accountId: '111122223333',
        arn: 'arn:aws:iam::111122223333:user/dev',
        userId: 'AIDADEV',
      },
    ],
  });
  const sts = new STSClient(clientConfig(endpoint, { accessKeyId: 'AKIDDEV', secretAccessKey: 'dev-secret' }));
  t.after(() => sts.destroy());
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual(
    [identity.Account, identity.Arn, identity.UserId],
    ['111122223333', 'arn:aws:iam::111122223333:user/dev', 'AIDADEV'],
  );
});

test('a wrong secret gets the signature error, an unknown key the unrecognized-client error', async (t) => {
  const { endpoint } = await startTestSandbox(t);
  const sts = (overrides: { accessKeyId?: string; secretAccessKey?: string }) => (): Promise<unknown> => {
    const client = new STSClient(clientConfig(endpoint, overrides));
    t.after(() => client.destroy());
    return client.send(new GetCallerIdentityCommand({}));
  };
  const codecommit = (overrides: { accessKeyId?: string; secretAccessKey?: string }) => (): Promise<unknown> => {
    const client = new CodeCommitClient(clientConfig(endpoint, overrides));
    t.after(() => client.destroy());
    return client.send(new ListRepositoriesCommand({}));
  };
  const cases = [
    { call: sts({ secretAccessKey: 'wrong' }), code: 'SignatureDoesNotMatch' },
    { call: sts({ accessKeyId: 'AKIDUNKNOWN' }), code: 'InvalidClientTokenId' },
    { call: codecommit({ secretAccessKey: 'wrong' }), code: 'InvalidSignatureException' },
    { call: codecommit({ accessKeyId: 'AKIDUNKNOWN' }), code: 'UnrecognizedClientException' },
  ];
  for (const { call, code } of cases) {
    await assert.rejects(call(), (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, code);
      assert.equal(error.$metadata?.httpStatusCode, 403);
      if (code === 'SignatureDoesNotMatch' || code === 'InvalidSignatureException') {
        assert.equal(
          error.message,
          'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
        );
      } else {
        assert.equal(error.message, 'The security token included in the request is invalid.');
      }
      return true;
    });
  }
});

test('throttling: the SDK retries and succeeds; with one attempt it surfaces the error', async (t) => {
  const running = await startTestSandbox(t, { faults: 'sts:GetCallerIdentity=throttle#2' });
  const sts = new STSClient(clientConfig(running.endpoint));
  const once = new CodeCommitClient(clientConfig(running.endpoint, { maxAttempts: 1 }));
  t.after(() => {
    sts.destroy();
    once.destroy();
  });
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.$metadata.attempts, 3);
  assert.equal(running.calls.get('sts:GetCallerIdentity'), 3);

  const admin = await fetch(`${running.endpoint}/_sandbox/faults`, {
    method: 'PUT',
    body: 'codecommit:ListRepositories=throttle',
  });
  assert.deepEqual(await admin.json(), { spec: 'codecommit:ListRepositories=throttle' });
  await assert.rejects(
    once.send(new ListRepositoriesCommand({})),
    (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
      assert.equal(error.name, 'ThrottlingException');
      assert.equal(error.message, 'Rate exceeded');
      assert.equal(error.$metadata?.httpStatusCode, 400);
      return true;
    },
  );
});

test('5xx and connection resets are retried by the SDK', async (t) => {
  const running = await startTestSandbox(t, { faults: 'codecommit:ListRepositories=5xx#1,sts=reset#1' });
  const codecommit = new CodeCommitClient(clientConfig(running.endpoint));
  const sts = new STSClient(clientConfig(running.endpoint));
  t.after(() => {
    codecommit.destroy();
    sts.destroy();
  });
  const listed = await codecommit.send(new ListRepositoriesCommand({}));
  assert.equal(listed.$metadata.attempts, 2);
  const identity = await sts.send(new GetCallerIdentityCommand({}));
  assert.equal(identity.$metadata.attempts, 2);
});

test('latency faults delay the call', async (t) => {
  const running = await startTestSandbox(t, { faults: 'sts=latency:150ms' });
  const sts = new STSClient(clientConfig(running.endpoint));
  t.after(() => sts.destroy());
  const started = Date.now();
  await sts.send(new GetCallerIdentityCommand({}));
  assert.ok(Date.now() - started >= 150);
});

test("malformed and unknown requests get the services' own errors", async (t) => {
  const { endpoint } = await startTestSandbox(t);
  const json = { 'content-type': 'application/x-amz-json-1.1' };

  const badJson = await signedFetch(endpoint, {
    service: 'codecommit',
    headers: { ...json, 'x-amz-target': 'CodeCommit_20150413.ListRepositories' },
    body: '{not json',
  });
  assert.equal(badJson.status, 400);
  assert.equal(badJson.headers.get('x-amzn-errortype'), 'SerializationException');
  assert.ok(badJson.headers.get('x-amzn-requestid'));

  const unknownOp = await signedFetch(endpoint, {
    service: 'codecommit',
    headers: { ...json, 'x-amz-target': 'CodeCommit_20150413.Explode' },
    body: '{}',
  });
  assert.equal(unknownOp.status, 400);
  assert.equal(((await unknownOp.json()) as { __type: string }).__type, 'UnknownOperationException');

  const missingName = await signedFetch(endpoint, {
    service: 'codecommit',
    headers: { ...json, 'x-amz-target': 'CodeCommit_20150413.GetRepository' },
    body: '{}',
  });
  assert.equal(((await missingName.json()) as { __type: string }).__type, 'RepositoryNameRequiredException');

  const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
  const invalidAction = await signedFetch(endpoint, {
    service: 'sts',
    headers: form,
    body: 'Action=AssumeNothing&Version=2011-06-15',
  });
  assert.equal(invalidAction.status, 400);
  const text = await invalidAction.text();
  assert.match(text, /<Code>InvalidAction<\/Code>/);
  assert.match(text, /<Message>Could not find operation AssumeNothing for version 2011-06-15<\/Message>/);

  const unsigned = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: form,
    body: 'Action=GetCallerIdentity&Version=2011-06-15',
  });
  assert.equal(unsigned.status, 403);
  assert.match(await unsigned.text(), /<Code>MissingAuthenticationToken<\/Code>/);
  const unsignedJson = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { ...json, 'x-amz-target': 'CodeCommit_20150413.ListRepositories' },
    body: '{}',
  });
  assert.equal(unsignedJson.status, 403);
  assert.equal(((await unsignedJson.json()) as { __type: string }).__type, 'MissingAuthenticationTokenException');

  const wrongScope = await signedFetch(endpoint, {
    service: 'sts',
    headers: { ...json, 'x-amz-target': 'CodeCommit_20150413.ListRepositories' },
    body: '{}',
  });
  assert.equal(wrongScope.status, 403);
  assert.equal(((await wrongScope.json()) as { __type: string }).__type, 'InvalidSignatureException');
});

test('a crashing handler is a 500 InternalFailure and the sandbox keeps serving', async (t) => {
  const crashing: ServiceDefinition = {
    signingName: 'crash',
    protocol: 'awsJson1_1',
    targetPrefix: 'Crash_20240101',
    unknownKeyErrorCode: 'UnrecognizedClientException',
    operations: {
      Boom: () => {
        throw new TypeError('handler bug');
      },
      Refuse: () => {
        throw new AwsError('ValidationException', 'nope');
      },
      Echo: (input) => ({ input, at: new Date(1000) }),
    },
  };
  // A test double with no AWS model: served unjudged, which only non-strict mode allows.
  const running = await startSandbox({ port: 0, services: [crashing], strictModels: false });
  t.after(() => running.close());
  const headers = (op: string): Record<string, string> => ({
    'content-type': 'application/x-amz-json-1.1',
    'x-amz-target': `Crash_20240101.${op}`,
  });
  const originalError = console.error;
  const logged: unknown[][] = [];
  console.error = (...args: unknown[]) => void logged.push(args);
  let boom: Response;
  try {
    boom = await signedFetch(running.endpoint, { service: 'crash', headers: headers('Boom'), body: '{}' });
  } finally {
    console.error = originalError;
  }
  assert.equal(boom.status, 500);
  assert.equal(((await boom.json()) as { __type: string }).__type, 'InternalFailure');
  assert.match(String(logged[0]?.[0]), /crash:Boom failed/);
  const refuse = await signedFetch(running.endpoint, { service: 'crash', headers: headers('Refuse'), body: '{}' });
  assert.equal(refuse.status, 400);
  assert.deepEqual(await refuse.json(), { __type: 'ValidationException', message: 'nope' });
  const echo = await signedFetch(running.endpoint, { service: 'crash', headers: headers('Echo'), body: '{"a":[1]}' });
  assert.equal(echo.headers.get('content-type'), 'application/x-amz-json-1.1');
  assert.deepEqual(await echo.json(), { input: { a: [1] }, at: 1 });
});

test('admin API: health, calls, scenarios, faults, reset', async (t) => {
  const running = await startTestSandbox(t);
  const admin = (method: string, path: string, body?: string): Promise<Response> =>
    fetch(`${running.endpoint}/_sandbox/${path}`, { method, ...(body !== undefined ? { body } : {}) });
  const health = (await (await admin('GET', 'health')).json()) as { status: string; services: string[] };
  assert.equal(health.status, 'ok');
  assert.ok(
    ['sts', 'codecommit'].every((s) => health.services.includes(s)),
    health.services.join(),
  );

  const sts = new STSClient(clientConfig(running.endpoint));
  t.after(() => sts.destroy());
  await sts.send(new GetCallerIdentityCommand({}));
  await sts.send(new GetCallerIdentityCommand({}));
  assert.deepEqual(await (await admin('GET', 'calls')).json(), { 'sts:GetCallerIdentity': 2 });
  assert.equal((await admin('DELETE', 'calls')).status, 200);
  assert.deepEqual(await (await admin('GET', 'calls')).json(), {});

  assert.deepEqual(
    await (await admin('PUT', 'scenarios', '{"failResource":"Pipeline","ecs":{"unhealthy":true}}')).json(),
    { failResource: 'Pipeline', ecs: { unhealthy: true } },
  );
  assert.deepEqual(await (await admin('PUT', 'scenarios', '{"failResource":null,"ecs":{"reason":"x"}}')).json(), {
    ecs: { unhealthy: true, reason: 'x' },
  });
  assert.deepEqual(running.sandbox.scenarios, { ecs: { unhealthy: true, reason: 'x' } });
  assert.equal((await admin('PUT', 'scenarios', '[1]')).status, 400);

  assert.equal((await admin('PUT', 'faults', 'sts=explode')).status, 400);
  assert.deepEqual(await (await admin('PUT', 'faults', '{"spec":"sts=throttle@0.5","seed":3}')).json(), {
    spec: 'sts=throttle@0.5',
  });

  running.sandbox.state.example = { kept: false };
  assert.equal((await admin('POST', 'reset')).status, 200);
  assert.deepEqual(running.sandbox.state, {});
  assert.deepEqual(running.sandbox.scenarios, {});
  assert.equal((await admin('GET', 'nothing')).status, 404);
});
