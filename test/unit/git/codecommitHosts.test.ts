import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decideHost, parseCodeCommitEndpoint } from '../../../src/git/codecommitHosts';

describe('parseCodeCommitEndpoint', () => {
  const table: [string | undefined, ReturnType<typeof parseCodeCommitEndpoint>][] = [
    ['http://127.0.0.1:4566', { host: '127.0.0.1:4566', protocols: ['http'] }],
    ['http://127.0.0.1:4566/', { host: '127.0.0.1:4566', protocols: ['http'] }],
    ['HTTPS://Git.Example.internal:8443/some/path', { host: 'git.example.internal:8443', protocols: ['https'] }],
    ['https://git.example.internal:443', { host: 'git.example.internal', protocols: ['https'] }],
    ['127.0.0.1:4566', { host: '127.0.0.1:4566', protocols: ['https', 'http'] }],
    [
      ' vpce-0abc.git-codecommit.us-east-1.vpce.amazonaws.com ',
      { host: 'vpce-0abc.git-codecommit.us-east-1.vpce.amazonaws.com', protocols: ['https', 'http'] },
    ],
    ['[::1]:8080', { host: '[::1]:8080', protocols: ['https', 'http'] }],
    ['http://[::1]:8080', { host: '[::1]:8080', protocols: ['http'] }],
    [undefined, undefined],
    ['', undefined],
    ['   ', undefined],
    ['ftp://127.0.0.1', undefined],
    ['http://user:pw@127.0.0.1:4566', undefined],
    ['127.0.0.1:4566/path', undefined],
    ['host with space', undefined],
    ['-bad.example', undefined],
    ['http://', undefined],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${JSON.stringify(expected)}`, () =>
      assert.deepEqual(parseCodeCommitEndpoint(value), expected));
  }
});

describe('decideHost', () => {
  const sandbox = parseCodeCommitEndpoint('http://127.0.0.1:4566');
  const bare = parseCodeCommitEndpoint('git.internal:8443');
  const allowed: [string, string, ReturnType<typeof parseCodeCommitEndpoint>, string | undefined][] = [
    ['https', 'git-codecommit.us-east-1.amazonaws.com', undefined, 'us-east-1'],
    ['https', 'GIT-CODECOMMIT.EU-WEST-2.AMAZONAWS.COM', undefined, 'eu-west-2'],
    ['https', 'git-codecommit-fips.us-gov-west-1.amazonaws.com', undefined, 'us-gov-west-1'],
    ['https', 'git-codecommit.cn-north-1.amazonaws.com.cn', undefined, 'cn-north-1'],
    ['https', 'git-codecommit-fips.cn-northwest-1.amazonaws.com.cn', undefined, 'cn-northwest-1'],
    ['https', 'git-codecommit.ap-southeast-2.amazonaws.com:443', undefined, 'ap-southeast-2'],
    ['http', '127.0.0.1:4566', sandbox, undefined],
    ['https', 'git.internal:8443', bare, undefined],
    ['http', 'git.internal:8443', bare, undefined],
    ['https', 'git-codecommit.us-east-1.amazonaws.com', sandbox, 'us-east-1'],
  ];
  for (const [protocol, host, endpoint, region] of allowed) {
    it(`answers ${protocol}://${host}${endpoint ? ` with endpoint ${endpoint.host}` : ''}`, () => {
      const d = decideHost(protocol, host, endpoint);
      assert.ok(d.allowed);
      assert.equal(d.region, region);
    });
  }

  const denied: [string | undefined, string | undefined, ReturnType<typeof parseCodeCommitEndpoint>][] = [
    ['https', 'example.com', undefined],
    ['https', 'example.com', sandbox],
    ['http', 'git-codecommit.us-east-1.amazonaws.com', undefined], // AWS only over https
    ['https', 'git-codecommit.us-east-1.amazonaws.com:8443', undefined],
    ['https', 'git-codecommit.us-east-1.amazonaws.com.evil.example', undefined],
    ['https', 'evil-git-codecommit.us-east-1.amazonaws.com', undefined],
    ['https', 'git-codecommit.us-east-1.amazonaws.com.', undefined],
    ['https', 'x.git-codecommit.us-east-1.amazonaws.com', undefined],
    ['https', 'git-codecommit.notaregion.amazonaws.com', undefined],
    ['https', 'codecommit.us-east-1.amazonaws.com', undefined],
    ['https', '127.0.0.1:4566', sandbox], // the endpoint was given as http://
    ['http', '127.0.0.1:4567', sandbox], // another port is another server
    ['http', '127.0.0.1', sandbox],
    ['http', '127.0.0.1:4566', undefined],
    ['ssh', 'git-codecommit.us-east-1.amazonaws.com', undefined],
    [undefined, 'git-codecommit.us-east-1.amazonaws.com', undefined],
    ['https', undefined, undefined],
    ['https', '', sandbox],
  ];
  for (const [protocol, host, endpoint] of denied) {
    it(`refuses ${protocol}://${host}${endpoint ? ` with endpoint ${endpoint.host}` : ''}`, () => {
      assert.deepEqual(decideHost(protocol, host, endpoint), { allowed: false });
    });
  }
});
