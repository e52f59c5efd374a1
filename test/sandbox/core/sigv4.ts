// SigV4 verification: parse the client's Authorization header, re-sign the same request (only the
// headers the client signed) with the secret we hold, and compare. Signing is done by the AWS SDK's
// own signer (@smithy/signature-v4), so the sandbox agrees with real clients byte for byte.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SandboxCredentials } from './types';

/** AWS rejects signatures whose X-Amz-Date is more than 15 minutes from its clock. */
export const MAX_CLOCK_SKEW_MS = 15 * 60 * 1000;

const sha256 = Hash.bind(null, 'sha256');

export interface ParsedAuthorization {
  readonly accessKeyId: string;
  readonly scopeDate: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sts/aws4_request, SignedHeaders=host;x-amz-date, Signature=…` */
export function parseAuthorization(header: string): ParsedAuthorization | undefined {
  const match = /^AWS4-HMAC-SHA256\s+(.*)$/s.exec(header.trim());
  if (!match) return undefined;
  const fields = new Map<string, string>();
  for (const part of match[1].split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  const scope = fields.get('Credential')?.split('/');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (!scope || scope.length !== 5 || scope[4] !== 'aws4_request' || !signedHeaders || !signature) return undefined;
  const [accessKeyId, scopeDate, region, service] = scope;
  if (!accessKeyId || !/^\d{8}$/.test(scopeDate) || !region || !service) return undefined;
  return { accessKeyId, scopeDate, region, service, signedHeaders: signedHeaders.toLowerCase().split(';'), signature };
}

/** `20240102T030405Z` → Date, or undefined when malformed. */
export function parseAmzDate(value: string): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return undefined;
  const date = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export function formatAmzDate(date: Date): string {
  return date
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export interface SignedRequest {
  readonly method: string;
  /** Raw (still percent-encoded) path, e.g. '/'. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type VerifyFailure =
  | { readonly kind: 'missing' }
  | { readonly kind: 'incomplete'; readonly message: string }
  | { readonly kind: 'unknownKey'; readonly auth: ParsedAuthorization }
  | { readonly kind: 'expired'; readonly auth: ParsedAuthorization; readonly message: string }
  /** Temporary credentials past their expiration. */
  | { readonly kind: 'tokenExpired'; readonly auth: ParsedAuthorization }
  | { readonly kind: 'mismatch'; readonly auth: ParsedAuthorization };

export type VerifyResult =
  | {
      readonly ok: true;
      readonly auth: ParsedAuthorization;
      readonly credentials: SandboxCredentials;
      readonly sessionToken?: string;
    }
  | ({ readonly ok: false } & VerifyFailure);

export async function verifySigV4(
  request: SignedRequest,
  findCredentials: (accessKeyId: string) => SandboxCredentials | undefined,
  realNow: number = Date.now(),
): Promise<VerifyResult> {
  const header = headerValue(request.headers, 'authorization');
  if (header === undefined) return { ok: false, kind: 'missing' };
  const auth = parseAuthorization(header);
  if (!auth) {
    return {
      ok: false,
      kind: 'incomplete',
      message: `Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters. Authorization=${header.split(/\s/)[0]}`,
    };
  }
  const credentials = findCredentials(auth.accessKeyId);
  if (!credentials) return { ok: false, kind: 'unknownKey', auth };
  // Temporary credentials work only with their own session token, and only until they expire.
  if (
    credentials.sessionToken !== undefined &&
    headerValue(request.headers, 'x-amz-security-token') !== credentials.sessionToken
  ) {
    return { ok: false, kind: 'unknownKey', auth };
  }
  if (credentials.expiration !== undefined && credentials.expiration.getTime() <= realNow) {
    return { ok: false, kind: 'tokenExpired', auth };
  }

  const amzDate = headerValue(request.headers, 'x-amz-date');
  const signingDate = amzDate === undefined ? undefined : parseAmzDate(amzDate);
  if (amzDate === undefined || !signingDate) {
    return {
      ok: false,
      kind: 'incomplete',
      message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    };
  }
  const skew = signingDate.getTime() - realNow;
  if (skew < -MAX_CLOCK_SKEW_MS) {
    const message = `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(new Date(realNow - MAX_CLOCK_SKEW_MS))} (${formatAmzDate(new Date(realNow))} - 15 min.)`;
    return { ok: false, kind: 'expired', auth, message };
  }
  if (skew > MAX_CLOCK_SKEW_MS) {
    const message = `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(new Date(realNow + MAX_CLOCK_SKEW_MS))} (${formatAmzDate(new Date(realNow))} + 15 min.)`;
    return { ok: false, kind: 'expired', auth, message };
  }

  // A declared payload hash must be the body's (AWS checks it; the signature only covers the header).
  const declaredHash = headerValue(request.headers, 'x-amz-content-sha256');
  if (
    declaredHash !== undefined &&
    /^[0-9a-f]{64}$/i.test(declaredHash) &&
    declaredHash.toLowerCase() !== createHash('sha256').update(request.body).digest('hex')
  ) {
    return { ok: false, kind: 'mismatch', auth };
  }

  // The token is part of the signature only when the client signed it; otherwise the signer must not add it.
  const tokenSigned = auth.signedHeaders.includes('x-amz-security-token');
  const sessionToken = headerValue(request.headers, 'x-amz-security-token');
  const headers: Record<string, string> = {};
  for (const name of auth.signedHeaders) {
    const value = headerValue(request.headers, name);
    if (value !== undefined) headers[name] = value;
  }
  const query: Record<string, string | string[]> = {};
  for (const key of new Set(request.query.keys())) {
    const values = request.query.getAll(key);
    query[key] = values.length === 1 ? values[0] : values;
  }
  const signer = new SignatureV4({
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(tokenSigned && sessionToken !== undefined ? { sessionToken } : {}),
    },
    region: auth.region,
    service: auth.service,
    sha256,
    applyChecksum: false,
    // S3 signs the path as sent; every other service normalizes and double-encodes it.
    uriEscapePath: auth.service !== 's3',
  });
  const host = headers.host ?? '';
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      protocol: 'http:',
      hostname: host.split(':')[0],
      path: request.path,
      query,
      headers,
      body: request.body,
    }),
    {
      signingDate,
      signingRegion: auth.region,
      signingService: auth.service,
      signableHeaders: new Set(auth.signedHeaders),
    },
  );
  const expected = /Signature=([0-9a-f]+)/.exec(String(signed.headers.authorization))?.[1] ?? '';
  if (!constantTimeEqual(expected, auth.signature)) return { ok: false, kind: 'mismatch', auth };
  return { ok: true, auth, credentials, ...(sessionToken !== undefined ? { sessionToken } : {}) };
}

/**
 * Signs an arbitrary string to sign with the credential's derived SigV4 key — CodeCommit's git
 * password is such a signature over its own canonical request.
 */
export async function signStringToSign(
  credentials: { accessKeyId: string; secretAccessKey: string },
  stringToSign: string,
  signingDate: Date,
  region: string,
  service: string,
): Promise<string> {
  const signer = new SignatureV4({ credentials, region, service, sha256, applyChecksum: false });
  return signer.sign(stringToSign, { signingDate, signingRegion: region, signingService: service });
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** Node joins repeated headers with ', '; SigV4 joins them with ','. */
function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(',') : value;
}
