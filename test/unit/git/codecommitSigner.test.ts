// The signer against values computed independently: once with Python's hmac/hashlib and botocore's
// SigV4Auth (the AWS CLI's own signing code), and live against the sandbox's verifier.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codeCommitGitCredentials } from '../../../src/git/codecommitSigner';
import { codeCommitGitPassword } from '../../sandbox/codecommit/gitAuth';

const EXAMPLE = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };

describe('codeCommitGitCredentials', () => {
  // Expected passwords computed once with `python3` (hmac + hashlib, and botocore.auth.SigV4Auth
  // with request.context['timestamp'] fixed): both gave the same bytes.
  it('matches the Python/botocore signature for a fixed clock and key', () => {
    const { username, password } = codeCommitGitCredentials({
      host: 'git-codecommit.us-east-1.amazonaws.com',
      path: '/v1/repos/MyDemoRepo',
      region: 'us-east-1',
      credentials: EXAMPLE,
      now: new Date('2024-03-05T07:08:09.999Z'),
    });
    assert.equal(username, 'AKIDEXAMPLE');
    assert.equal(password, '20240305T070809Zfe1b5723ffb45f6f9a8108b236709a9428a60364659d71f03397f318d21e73b3');
  });

  it('signs the FIPS host, another region and a date at the end of a year', () => {
    const { password } = codeCommitGitCredentials({
      host: 'git-codecommit-fips.eu-west-1.amazonaws.com',
      path: 'v1/repos/other.repo', // as git sends it: no leading slash
      region: 'eu-west-1',
      credentials: EXAMPLE,
      now: new Date('2024-12-31T23:59:59Z'),
    });
    assert.equal(password, '20241231T235959Z7c52ac69a1071931a598e7ee075268fed6c95e4399742d5a84db54da52629d48');
  });

  it('leaves the port out of the signed host', () => {
    const base = {
      path: 'v1/repos/sandbox-repo',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      now: new Date('2025-01-01T00:00:00Z'),
    };
    const expected = '20250101T000000Z1d2e971607fab244b3336ba4d08a8edf04668ee59f964afbda3c1f6599dd4149';
    assert.equal(codeCommitGitCredentials({ ...base, host: '127.0.0.1:4566' }).password, expected);
    assert.equal(codeCommitGitCredentials({ ...base, host: '127.0.0.1' }).password, expected);
  });

  it('appends the session token to the user name, and only there', () => {
    const now = new Date('2024-03-05T07:08:09Z');
    const input = {
      host: 'git-codecommit.us-east-1.amazonaws.com',
      path: '/v1/repos/MyDemoRepo',
      region: 'us-east-1',
      now,
    };
    const withToken = codeCommitGitCredentials({
      ...input,
      credentials: { ...EXAMPLE, sessionToken: 'FQoGZXIvYXdzEXAMPLE/TOKEN+=' },
    });
    assert.equal(withToken.username, 'AKIDEXAMPLE%FQoGZXIvYXdzEXAMPLE/TOKEN+=');
    assert.equal(withToken.password, codeCommitGitCredentials({ ...input, credentials: EXAMPLE }).password);
    assert.equal(
      codeCommitGitCredentials({ ...input, credentials: { ...EXAMPLE, sessionToken: '' } }).username,
      'AKIDEXAMPLE',
    );
  });

  it('uses the service name given', () => {
    const input = {
      host: 'h',
      path: '/p',
      region: 'us-east-1',
      credentials: EXAMPLE,
      now: new Date('2024-03-05T07:08:09Z'),
    };
    assert.notEqual(
      codeCommitGitCredentials({ ...input, service: 'other' }).password,
      codeCommitGitCredentials(input).password,
    );
    assert.equal(
      codeCommitGitCredentials({ ...input, service: 'codecommit' }).password,
      codeCommitGitCredentials(input).password,
    );
  });

  it('agrees with the sandbox verifier for many clocks, paths and regions', async () => {
    for (let i = 0; i < 20; i++) {
      const now = new Date(Date.UTC(2020 + (i % 7), i % 12, 1 + i, i, 2 * i, 3 * i));
      const region = ['us-east-1', 'eu-central-1', 'ap-southeast-2', 'cn-north-1'][i % 4];
      const path = `/v1/repos/repo-${i}`;
      const credentials = { accessKeyId: `AKID${i}`, secretAccessKey: `secret/${i}+key` };
      const ours = codeCommitGitCredentials({
        host: `git-codecommit.${region}.amazonaws.com:443`,
        path,
        region,
        credentials,
        now,
      });
      const theirs = await codeCommitGitPassword(credentials, {
        hostname: `git-codecommit.${region}.amazonaws.com`,
        path,
        region,
        date: now,
      });
      assert.equal(ours.password, theirs);
      assert.match(ours.password, /^\d{8}T\d{6}Z[0-9a-f]{64}$/);
    }
  });
});
