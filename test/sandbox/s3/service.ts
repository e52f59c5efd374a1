// Amazon S3 (REST-XML, path-style addressing: /<bucket>/<key>) — the operations the extension and the
// pipeline need: buckets, objects with versions and delete markers, listings and batch delete.
// Buckets are normally created by CloudFormation (provider.ts); CreateBucket exists for tests.
import { createHash } from 'node:crypto';
import { registerResourceProvider } from '../cloudformation/providers/registry';
import {
  AwsError,
  type RequestContext,
  type RestRequest,
  type RestResponse,
  type ServiceDefinition,
} from '../core/types';
import { escapeXml, unescapeXml } from '../core/xml';
import { s3Needs } from '../iam/s3Actions';
import { s3ResourceProviders } from './provider';
import {
  allVersions,
  compareKeys,
  createBucket,
  currentObjects,
  deleteBucket,
  deleteObject,
  findVersion,
  isVersionIdShaped,
  putObject,
  requireBucket,
  s3State,
  type Bucket,
  type ListedVersion,
  type ObjectVersion,
} from './store';

for (const [type, provider] of Object.entries(s3ResourceProviders)) registerResourceProvider(type, provider);

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
const MAX_KEYS = 1000;
/** Query parameters that shape a listing rather than name a sub-resource. */
const LIST_PARAMS = new Set([
  'prefix',
  'delimiter',
  'marker',
  'max-keys',
  'encoding-type',
  'x-id',
  'list-type',
  'continuation-token',
  'start-after',
  'fetch-owner',
  'key-marker',
  'version-id-marker',
  'versions',
]);

/** An S3 error that carries response headers (x-amz-delete-marker on a deleted key). */
class S3Error extends AwsError {
  constructor(
    code: string,
    message: string,
    status: number,
    readonly headers: Record<string, string> = {},
  ) {
    super(code, message, status);
  }
}

interface Target {
  readonly bucket?: string;
  readonly key?: string;
}

/** Path-style: '/' (the service), '/bucket', '/bucket/key…' (the key keeps its slashes). */
function targetOf(request: RestRequest): Target {
  const path = request.path.replace(/^\//, '');
  if (path === '') return {};
  const slash = path.indexOf('/');
  if (slash < 0 || slash === path.length - 1)
    return { bucket: decodeURIComponent(slash < 0 ? path : path.slice(0, slash)) };
  return { bucket: decodeURIComponent(path.slice(0, slash)), key: decodeURIComponent(path.slice(slash + 1)) };
}

function operationOf(request: RestRequest): string {
  const { bucket, key } = targetOf(request);
  const q = request.query;
  const method = request.method;
  if (bucket === undefined) return method === 'GET' ? 'ListBuckets' : 'Unsupported';
  if (key === undefined) {
    if (method === 'HEAD') return 'HeadBucket';
    if (method === 'POST' && q.has('delete')) return 'DeleteObjects';
    if (q.has('versioning'))
      return method === 'PUT' ? 'PutBucketVersioning' : method === 'GET' ? 'GetBucketVersioning' : 'Unsupported';
    if (method === 'GET' && q.has('location')) return 'GetBucketLocation';
    if ([...q.keys()].some((name) => !LIST_PARAMS.has(name))) return 'Unsupported';
    if (method === 'GET')
      return q.has('versions') ? 'ListObjectVersions' : q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    if (method === 'PUT') return 'CreateBucket';
    if (method === 'DELETE') return 'DeleteBucket';
    return 'Unsupported';
  }
  if ([...q.keys()].some((name) => name !== 'versionId' && name !== 'x-id')) return 'Unsupported';
  switch (method) {
    case 'PUT':
      return request.headers['x-amz-copy-source'] !== undefined ? 'Unsupported' : 'PutObject';
    case 'GET':
      return 'GetObject';
    case 'HEAD':
      return 'HeadObject';
    case 'DELETE':
      return 'DeleteObject';
    default:
      return 'Unsupported';
  }
}

export const s3Service: ServiceDefinition = {
  signingName: 's3',
  protocol: 'restXml',
  unknownKeyErrorCode: 'InvalidAccessKeyId',
  operations: {},
  rest: {
    operation: operationOf,
    authorizations: (request, operation) => s3Needs(operation, targetOf(request), request.query.get('versionId')),
    handle,
    errorResponse,
  },
};

function handle(request: RestRequest, ctx: RequestContext): RestResponse {
  const operation = operationOf(request);
  const { bucket: bucketName = '', key = '' } = targetOf(request);
  const sandbox = ctx.sandbox;
  const bucket = (): Bucket => requireBucket(sandbox, bucketName, ctx.accountId);
  switch (operation) {
    case 'ListBuckets': {
      const buckets = Object.values(s3State(sandbox).buckets).filter((b) => b.accountId === ctx.accountId);
      const items = buckets
        .map((b) => `<Bucket><Name>${escapeXml(b.name)}</Name><CreationDate>${iso(b.created)}</CreationDate></Bucket>`)
        .join('');
      return xml(
        `<ListAllMyBucketsResult xmlns="${NS}"><Owner><ID>${ownerId(ctx.accountId)}</ID></Owner><Buckets>${items}</Buckets></ListAllMyBucketsResult>`,
      );
    }
    case 'CreateBucket':
      createBucket(sandbox, { name: bucketName, accountId: ctx.accountId, region: ctx.region });
      return { status: 200, headers: { location: `/${bucketName}` } };
    case 'HeadBucket':
      return { status: 200, headers: { 'x-amz-bucket-region': bucket().region } };
    case 'GetBucketLocation': {
      const region = bucket().region;
      return xml(
        `<LocationConstraint xmlns="${NS}">${region === 'us-east-1' ? '' : escapeXml(region)}</LocationConstraint>`,
      );
    }
    case 'DeleteBucket':
      deleteBucket(sandbox, bucket());
      return { status: 204 };
    case 'GetBucketVersioning': {
      const status = bucket().versioning;
      return xml(
        `<VersioningConfiguration xmlns="${NS}">${status ? `<Status>${status}</Status>` : ''}</VersioningConfiguration>`,
      );
    }
    case 'PutBucketVersioning': {
      const target = bucket();
      const status = tagText(request.body.toString('utf8'), 'Status');
      if (status !== 'Enabled' && status !== 'Suspended') throw new AwsError('MalformedXML', MALFORMED_XML, 400);
      target.versioning = status;
      sandbox.changed();
      return { status: 200 };
    }
    case 'ListObjectVersions':
      return listObjectVersions(request, bucket(), ctx.accountId);
    case 'ListObjectsV2':
      return listObjectsV2(request, bucket());
    case 'PutObject': {
      const target = bucket();
      const body = decodedBody(request);
      const contentType = header(request, 'content-type');
      const version = putObject(sandbox, target, key, body, contentType);
      return { status: 200, headers: { etag: version.etag ?? '', ...versionHeader(target, version) } };
    }
    case 'GetObject':
    case 'HeadObject': {
      const target = bucket();
      const version = readableVersion(
        target,
        key,
        request.query.get('versionId') ?? undefined,
        request.method === 'HEAD',
      );
      const body = Buffer.from(version.bodyBase64 ?? '', 'base64');
      return {
        status: 200,
        headers: {
          'content-type': version.contentType ?? 'binary/octet-stream',
          'content-length': String(body.length),
          etag: version.etag ?? '',
          'last-modified': new Date(version.lastModified).toUTCString(),
          'accept-ranges': 'bytes',
          ...versionHeader(target, version),
        },
        body,
      };
    }
    case 'DeleteObject': {
      const target = bucket();
      const versionId = request.query.get('versionId') ?? undefined;
      if (versionId !== undefined && !isVersionIdShaped(versionId))
        throw new AwsError('InvalidArgument', 'Invalid version id specified', 400);
      const outcome = deleteObject(sandbox, target, key, versionId);
      const headers: Record<string, string> = {};
      if (outcome.versionId !== undefined) headers['x-amz-version-id'] = outcome.versionId;
      if (outcome.deleteMarker) headers['x-amz-delete-marker'] = 'true';
      return { status: 204, headers };
    }
    case 'DeleteObjects':
      return deleteObjects(request, bucket(), ctx);
    default:
      throw new AwsError('NotImplemented', 'A header you provided implies functionality that is not implemented', 501);
  }
}

const MALFORMED_XML = 'The XML you provided was not well-formed or did not validate against our published schema';

function readableVersion(bucket: Bucket, key: string, versionId: string | undefined, head: boolean): ObjectVersion {
  if (versionId !== undefined && !isVersionIdShaped(versionId))
    throw new AwsError('InvalidArgument', 'Invalid version id specified', 400);
  const version = findVersion(bucket, key, versionId);
  if (!version) {
    throw versionId === undefined
      ? new AwsError(head ? 'NotFound' : 'NoSuchKey', head ? 'Not Found' : 'The specified key does not exist.', 404)
      : new AwsError(
          head ? 'NotFound' : 'NoSuchVersion',
          head ? 'Not Found' : 'The specified version does not exist.',
          404,
        );
  }
  if (version.deleteMarker) {
    const headers = { 'x-amz-delete-marker': 'true', 'x-amz-version-id': version.versionId };
    throw versionId === undefined
      ? new S3Error(
          head ? 'NotFound' : 'NoSuchKey',
          head ? 'Not Found' : 'The specified key does not exist.',
          404,
          headers,
        )
      : new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, headers);
  }
  return version;
}

function versionHeader(bucket: Bucket, version: ObjectVersion): Record<string, string> {
  return bucket.versioning === undefined ? {} : { 'x-amz-version-id': version.versionId };
}

function maxKeysOf(request: RestRequest): number {
  const raw = request.query.get('max-keys');
  if (raw === null) return MAX_KEYS;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n))
    throw new AwsError('InvalidArgument', 'Provided max-keys not an integer or within integer range', 400);
  return Math.min(n, MAX_KEYS);
}

function noDelimiter(request: RestRequest): void {
  if (request.query.get('delimiter'))
    throw new AwsError('NotImplemented', 'The sandbox S3 does not group keys by delimiter', 501);
}

/** encoding-type=url (what the AWS CLI asks for): keys and markers are percent-encoded in the response. */
function keyEncoder(request: RestRequest): { encode: (value: string) => string; element: string } {
  const encoding = request.query.get('encoding-type');
  if (encoding === null) return { encode: (v) => v, element: '' };
  if (encoding !== 'url') throw new AwsError('InvalidArgument', 'Invalid Encoding Method specified in Request', 400);
  return { encode: (v) => encodeURIComponent(v).replace(/%2F/g, '/'), element: '<EncodingType>url</EncodingType>' };
}

function listObjectVersions(request: RestRequest, bucket: Bucket, accountId: string): RestResponse {
  noDelimiter(request);
  const prefix = request.query.get('prefix') ?? '';
  const keyMarker = request.query.get('key-marker') ?? '';
  const versionIdMarker = request.query.get('version-id-marker') ?? '';
  if (versionIdMarker !== '' && keyMarker === '')
    throw new AwsError('InvalidArgument', 'A version-id marker cannot be specified without a key marker.', 400);
  const maxKeys = maxKeysOf(request);
  const all = allVersions(bucket, prefix);
  let start = 0;
  if (keyMarker !== '') {
    const markerIndex =
      versionIdMarker === '' ? -1 : all.findIndex((v) => v.key === keyMarker && v.versionId === versionIdMarker);
    start = markerIndex >= 0 ? markerIndex + 1 : all.findIndex((v) => compareKeys(v.key, keyMarker) > 0);
    if (start < 0) start = all.length;
  }
  const page = all.slice(start, start + maxKeys);
  const truncated = start + maxKeys < all.length;
  const last = page.at(-1);
  const { encode, element } = keyEncoder(request);
  const owner = `<Owner><ID>${ownerId(accountId)}</ID></Owner>`;
  const entry = (v: ListedVersion): string =>
    v.deleteMarker
      ? `<DeleteMarker><Key>${escapeXml(encode(v.key))}</Key><VersionId>${escapeXml(v.versionId)}</VersionId><IsLatest>${v.isLatest}</IsLatest><LastModified>${iso(v.lastModified)}</LastModified>${owner}</DeleteMarker>`
      : `<Version><Key>${escapeXml(encode(v.key))}</Key><VersionId>${escapeXml(v.versionId)}</VersionId><IsLatest>${v.isLatest}</IsLatest><LastModified>${iso(v.lastModified)}</LastModified><ETag>${escapeXml(v.etag ?? '')}</ETag><Size>${v.size}</Size>${owner}<StorageClass>STANDARD</StorageClass></Version>`;
  const next =
    truncated && last
      ? `<NextKeyMarker>${escapeXml(encode(last.key))}</NextKeyMarker><NextVersionIdMarker>${escapeXml(last.versionId)}</NextVersionIdMarker>`
      : '';
  return xml(
    `<ListVersionsResult xmlns="${NS}"><Name>${escapeXml(bucket.name)}</Name><Prefix>${escapeXml(encode(prefix))}</Prefix><KeyMarker>${escapeXml(encode(keyMarker))}</KeyMarker>` +
      `<VersionIdMarker>${escapeXml(versionIdMarker)}</VersionIdMarker>${next}<MaxKeys>${maxKeys}</MaxKeys>${element}<IsTruncated>${truncated}</IsTruncated>${page.map(entry).join('')}</ListVersionsResult>`,
  );
}

function listObjectsV2(request: RestRequest, bucket: Bucket): RestResponse {
  noDelimiter(request);
  const prefix = request.query.get('prefix') ?? '';
  const token = request.query.get('continuation-token');
  const startAfter = request.query.get('start-after') ?? '';
  let after = startAfter;
  if (token !== null) {
    const decoded = /^[A-Za-z0-9_-]+$/.test(token) ? Buffer.from(token, 'base64url').toString('utf8') : '';
    if (!decoded.startsWith('k:'))
      throw new AwsError('InvalidArgument', 'The continuation token provided is incorrect', 400);
    after = decoded.slice(2);
  }
  const maxKeys = maxKeysOf(request);
  const candidates = currentObjects(bucket, prefix).filter((v) => after === '' || compareKeys(v.key, after) > 0);
  const page = candidates.slice(0, maxKeys);
  const truncated = candidates.length > maxKeys;
  const { encode, element } = keyEncoder(request);
  const contents = page
    .map(
      (v) =>
        `<Contents><Key>${escapeXml(encode(v.key))}</Key><LastModified>${iso(v.lastModified)}</LastModified><ETag>${escapeXml(v.etag ?? '')}</ETag><Size>${v.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    )
    .join('');
  const next = truncated
    ? `<NextContinuationToken>${Buffer.from(`k:${page.at(-1)?.key ?? ''}`).toString('base64url')}</NextContinuationToken>`
    : '';
  return xml(
    `<ListBucketResult xmlns="${NS}"><Name>${escapeXml(bucket.name)}</Name><Prefix>${escapeXml(encode(prefix))}</Prefix>` +
      `${token !== null ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : ''}${startAfter ? `<StartAfter>${escapeXml(encode(startAfter))}</StartAfter>` : ''}` +
      `<KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>${element}<IsTruncated>${truncated}</IsTruncated>${next}${contents}</ListBucketResult>`,
  );
}

function deleteObjects(request: RestRequest, bucket: Bucket, ctx: RequestContext): RestResponse {
  const sandbox = ctx.sandbox;
  const md5 = header(request, 'content-md5');
  const hasChecksum = Object.keys(request.headers).some(
    (name) => name.startsWith('x-amz-checksum-') && name !== 'x-amz-checksum-type',
  );
  if (md5 === undefined && !hasChecksum)
    throw new AwsError(
      'InvalidRequest',
      'Missing required header for this request: Content-MD5 OR x-amz-checksum-*',
      400,
    );
  if (md5 !== undefined && md5 !== createHash('md5').update(request.body).digest('base64')) {
    throw new AwsError('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400);
  }
  const text = request.body.toString('utf8');
  if (!/<Delete[\s>]/.test(text)) throw new AwsError('MalformedXML', MALFORMED_XML, 400);
  const quiet = tagText(text, 'Quiet') === 'true';
  const objects = [...text.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((m) => ({
    key: tagText(m[1], 'Key'),
    versionId: tagText(m[1], 'VersionId'),
  }));
  if (objects.length === 0 || objects.length > 1000 || objects.some((o) => o.key === undefined))
    throw new AwsError('MalformedXML', MALFORMED_XML, 400);
  // Scenario switch: keys under this prefix fail with AccessDenied (per key, as a bucket policy would).
  const denied =
    typeof sandbox.scenarios.s3DenyDeletePrefix === 'string' ? sandbox.scenarios.s3DenyDeletePrefix : undefined;
  const parts: string[] = [];
  for (const { key = '', versionId } of objects) {
    const version = versionId === undefined ? '' : `<VersionId>${escapeXml(versionId)}</VersionId>`;
    if (versionId !== undefined && !isVersionIdShaped(versionId)) {
      parts.push(
        `<Error><Key>${escapeXml(key)}</Key>${version}<Code>NoSuchVersion</Code><Message>The specified version does not exist.</Message></Error>`,
      );
      continue;
    }
    // S3 authorizes each key of a multi-object delete on its own and reports a denial in the result.
    const object = `arn:aws:s3:::${bucket.name}/${key}`;
    const refused = ctx.authorize?.(versionId === undefined ? 's3:DeleteObject' : 's3:DeleteObjectVersion', object);
    if (refused || (denied !== undefined && key.startsWith(denied))) {
      parts.push(
        `<Error><Key>${escapeXml(key)}</Key>${version}<Code>AccessDenied</Code><Message>Access Denied</Message></Error>`,
      );
      continue;
    }
    const outcome = deleteObject(sandbox, bucket, key, versionId);
    if (quiet) continue;
    const marker = outcome.deleteMarker
      ? `<DeleteMarker>true</DeleteMarker><DeleteMarkerVersionId>${escapeXml(outcome.versionId ?? '')}</DeleteMarkerVersionId>`
      : '';
    parts.push(`<Deleted><Key>${escapeXml(key)}</Key>${version}${marker}</Deleted>`);
  }
  return xml(`<DeleteResult xmlns="${NS}">${parts.join('')}</DeleteResult>`);
}

function errorResponse(error: AwsError, request: RestRequest, requestId: string): RestResponse {
  const { bucket, key } = targetOf(request);
  const resource =
    error.code === 'NoSuchBucket' ||
    error.code === 'BucketNotEmpty' ||
    error.code === 'BucketAlreadyExists' ||
    error.code === 'BucketAlreadyOwnedByYou'
      ? `<BucketName>${escapeXml(bucket ?? '')}</BucketName>`
      : error.code === 'NoSuchKey' && key !== undefined
        ? `<Key>${escapeXml(key)}</Key>`
        : error.code === 'NoSuchVersion'
          ? `<Key>${escapeXml(key ?? '')}</Key><VersionId>${escapeXml(request.query.get('versionId') ?? '')}</VersionId>`
          : '';
  const headers = { 'content-type': 'application/xml', ...(error instanceof S3Error ? error.headers : {}) };
  const body = `${XML_DECL}<Error><Code>${escapeXml(error.code)}</Code><Message>${escapeXml(error.message)}</Message>${resource}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString('base64')}</HostId></Error>`;
  return { status: error.status, headers, body };
}

function xml(body: string): RestResponse {
  return { status: 200, headers: { 'content-type': 'application/xml' }, body: XML_DECL + body };
}

function header(request: RestRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/**
 * The object's bytes: as sent, or decoded from `aws-chunked` (what SDKs send with a streaming payload
 * or a trailing checksum): `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0\r\n<trailers>\r\n`.
 */
function decodedBody(request: RestRequest): Buffer {
  const encoding = header(request, 'content-encoding') ?? '';
  const sha = header(request, 'x-amz-content-sha256') ?? '';
  if (!encoding.includes('aws-chunked') && !sha.startsWith('STREAMING-')) return request.body;
  const body = request.body;
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    if (lineEnd < 0) throw new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
    const size = parseInt(body.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new AwsError('IncompleteBody', 'The request body terminated unexpectedly', 400);
    if (size === 0) break;
    chunks.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

/** The text of the first `<tag>…</tag>`, unescaped; undefined when absent. */
function tagText(xmlText: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xmlText);
  return match ? unescapeXml(match[1]) : undefined;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The canonical user id S3 shows as Owner.ID: 64 hex digits, stable per account. */
function ownerId(accountId: string): string {
  return createHash('sha256').update(`s3-owner:${accountId}`).digest('hex');
}
