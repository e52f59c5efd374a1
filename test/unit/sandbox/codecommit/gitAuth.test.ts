import assert from 'node:assert/strict';
import { test } from 'node:test';
import { codeCommitGitPassword, verifyGitAuthorization } from '../../../sandbox/codecommit/gitAuth';
import type { SandboxCredentials } from '../../../sandbox/core/types';

const TEST: SandboxCredentials = { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' };
const find = (id: string): SandboxCredentials | undefined => (id === 'test' ? TEST : undefined);
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

// Vectors computed with botocore's SigV4Auth exactly as `aws codecommit credential-helper` does.
test('matches the AWS CLI credential helper byte for byte', async () => {
  const date = new Date('2024-01-02T03:04:05Z');
  assert.equal(
    await codeCommitGitPassword(TEST, { hostname: '127.0.0.1', path: '/v1/repos/demo', region: 'us-east-1', date }),
    '20240102T030405Ze8e4ec07bc9112593ca9e3bfaee5badf9996f27ed2abc66000dbceeec002f762',
  );
  assert.equal(
    await codeCommitGitPassword(
      { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
      { hostname: 'git-codecommit.eu-west-1.amazonaws.com', path: '/v1/repos/MyRepo', region: 'eu-west-1', date },
    ),
    '20240102T030405Z72d7370b5e1849f34e37842d635cc8c4ce24cf32501e753bebb1157e908493c2',
  );
});

test('accepts a fresh password for the repository, finding the signing region', async () => {
  const date = new Date();
  for (const region of ['us-east-1', 'eu-west-1']) {
    const password = await codeCommitGitPassword(TEST, { hostname: '127.0.0.1', path: '/v1/repos/demo', region, date });
    const result = await verifyGitAuthorization(
      basic('test%token', password),
      '127.0.0.1:4566',
      '/v1/repos/demo',
      find,
      'us-east-1',
    );
    assert.deepEqual(result.ok && { region: result.region, account: result.credentials.accountId }, {
      region,
      account: '000000000000',
    });
  }
});

test('rejects missing, unknown, wrong, stale and other-repository credentials', async () => {
  const now = new Date();
  const password = await codeCommitGitPassword(TEST, {
    hostname: '127.0.0.1',
    path: '/v1/repos/demo',
    region: 'us-east-1',
    date: now,
  });
  const check = async (authorization: string | undefined, path = '/v1/repos/demo'): Promise<string> => {
    const result = await verifyGitAuthorization(authorization, '127.0.0.1:4566', path, find, 'us-east-1');
    return result.ok ? 'ok' : result.reason;
  };
  assert.equal(await check(undefined), 'missing credentials');
  assert.equal(await check(basic('nobody', password)), 'unknown access key');
  assert.equal(await check(basic('test', 'not-a-signature')), 'malformed password');
  assert.equal(await check(basic('test', password), '/v1/repos/other'), 'signature mismatch');
  const wrongSecret = await codeCommitGitPassword(
    { accessKeyId: 'test', secretAccessKey: 'bad' },
    { hostname: '127.0.0.1', path: '/v1/repos/demo', region: 'us-east-1', date: now },
  );
  assert.equal(await check(basic('test', wrongSecret)), 'signature mismatch');
  const stale = await codeCommitGitPassword(TEST, {
    hostname: '127.0.0.1',
    path: '/v1/repos/demo',
    region: 'us-east-1',
    date: new Date(now.getTime() - 16 * 60 * 1000),
  });
  assert.equal(await check(basic('test', stale)), 'signature expired');
});
