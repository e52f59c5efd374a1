import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  formatAmzDate,
  parseAmzDate,
  parseAuthorization,
  verifySigV4,
  type SignedRequest,
} from '../../sandbox/core/sigv4';
import type { SandboxCredentials } from '../../sandbox/core/types';

const KNOWN: SandboxCredentials = { accessKeyId: 'test', secretAccessKey: 'test', accountId: '000000000000' };
const find = (id: string): SandboxCredentials | undefined => (id === KNOWN.accessKeyId ? KNOWN : undefined);

/** Signs like an AWS SDK client would and returns what the server receives. */
async function clientRequest(options: {
  secret?: string;
  accessKeyId?: string;
  sessionToken?: string;
  headers?: Record<string, string>;
  body?: string;
  date?: Date;
  service?: string;
}): Promise<SignedRequest> {
  const body = options.body ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: options.accessKeyId ?? 'test',
      secretAccessKey: options.secret ?? 'test',
      ...(options.sessionToken ? { sessionToken: options.sessionToken } : {}),
    },
    region: 'us-east-1',
    service: options.service ?? 'sts',
    sha256: Hash.bind(null, 'sha256'),
  });
  const request = new HttpRequest({
    method: 'POST',
    protocol: 'http:',
    hostname: '127.0.0.1',
    port: 4566,
    path: '/',
    headers: { host: '127.0.0.1:4566', 'content-type': 'application/x-www-form-urlencoded', ...options.headers },
    body,
  });
  const signed = await signer.sign(request, { signingDate: options.date ?? new Date() });
  const headers: Record<string, string> = { 'user-agent': 'test-agent/1.0' };
  for (const [name, value] of Object.entries(signed.headers)) headers[name.toLowerCase()] = value;
  return { method: 'POST', path: '/', query: new URLSearchParams(), headers, body: Buffer.from(body) };
}

test('accepts a request signed with the right secret', async () => {
  const result = await verifySigV4(await clientRequest({}), find);
  assert.equal(result.ok, true);
  if (result.ok) {
    assert.equal(result.auth.region, 'us-east-1');
    assert.equal(result.auth.service, 'sts');
    assert.equal(result.credentials.accountId, '000000000000');
  }
});

test('rejects a wrong secret, an unknown key, a missing header', async () => {
  assert.equal(
    ((await verifySigV4(await clientRequest({ secret: 'wrong' }), find)) as { kind: string }).kind,
    'mismatch',
  );
  assert.equal(
    ((await verifySigV4(await clientRequest({ accessKeyId: 'nobody' }), find)) as { kind: string }).kind,
    'unknownKey',
  );
  const unsigned = await clientRequest({});
  const { authorization: _dropped, ...headers } = unsigned.headers;
  assert.equal(((await verifySigV4({ ...unsigned, headers }, find)) as { kind: string }).kind, 'missing');
});

test('detects a body changed after signing', async () => {
  const request = await clientRequest({});
  const result = await verifySigV4(
    { ...request, body: Buffer.from('Action=GetCallerIdentity&Version=2011-06-16') },
    find,
  );
  assert.equal(result.ok, false);
});

test('honours the signed-headers subset: unsigned headers may change', async () => {
  const request = await clientRequest({});
  assert.equal(
    (await verifySigV4({ ...request, headers: { ...request.headers, 'user-agent': 'other', 'x-extra': '1' } }, find))
      .ok,
    true,
  );
  assert.equal(
    (await verifySigV4({ ...request, headers: { ...request.headers, 'content-type': 'text/plain' } }, find)).ok,
    false,
  );
});

test('uses x-amz-content-sha256 when signed, including UNSIGNED-PAYLOAD', async () => {
  const request = await clientRequest({ headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
  assert.ok(parseAuthorization(String(request.headers.authorization))?.signedHeaders.includes('x-amz-content-sha256'));
  assert.equal((await verifySigV4({ ...request, body: Buffer.from('anything') }, find)).ok, true);
});

test('verifies requests signed with a session token', async () => {
  const request = await clientRequest({ sessionToken: 'session-token-value' });
  assert.equal(request.headers['x-amz-security-token'], 'session-token-value');
  const result = await verifySigV4(request, find);
  assert.equal(result.ok, true);
  assert.equal(
    (await verifySigV4({ ...request, headers: { ...request.headers, 'x-amz-security-token': 'forged' } }, find)).ok,
    false,
  );
});

test('rejects a signature older than 15 minutes with the real message', async () => {
  const request = await clientRequest({ date: new Date(Date.now() - 20 * 60 * 1000) });
  const result = await verifySigV4(request, find);
  assert.equal(result.ok, false);
  assert.equal((result as { kind: string }).kind, 'expired');
  assert.match(
    (result as { message: string }).message,
    /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 15 min\.\)$/,
  );
});

test('parses Authorization headers and AMZ dates', () => {
  assert.deepEqual(
    parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKID/20240101/eu-west-1/codecommit/aws4_request, SignedHeaders=host;X-Amz-Date, Signature=abc',
    ),
    {
      accessKeyId: 'AKID',
      scopeDate: '20240101',
      region: 'eu-west-1',
      service: 'codecommit',
      signedHeaders: ['host', 'x-amz-date'],
      signature: 'abc',
    },
  );
  assert.equal(parseAuthorization('Basic dGVzdDp0ZXN0'), undefined);
  assert.equal(
    parseAuthorization(
      'AWS4-HMAC-SHA256 Credential=AKID/2024/us-east-1/sts/aws4_request, SignedHeaders=host, Signature=abc',
    ),
    undefined,
  );
  const date = parseAmzDate('20240102T030405Z');
  assert.equal(date?.toISOString(), '2024-01-02T03:04:05.000Z');
  assert.ok(date);
  assert.equal(formatAmzDate(date), '20240102T030405Z');
  assert.equal(parseAmzDate('2024-01-02'), undefined);
});
