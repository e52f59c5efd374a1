// TemplateURL: a template stored in the sandbox's S3, addressed the way CloudFormation accepts it —
// https://<bucket>.s3[.<region>].amazonaws.com/<key>, https://s3[.<region>].amazonaws.com/<bucket>/<key>,
// or the sandbox endpoint itself (http://127.0.0.1:<port>/<bucket>/<key>).
import { AwsError, type Sandbox } from '../core/types.js';
import { findBucket, findVersion } from '../s3/store.js';
import { LIMITS } from './engine/limits.js';

export interface UrlSource {
  readonly sandbox: Sandbox;
  readonly accountId: string;
  /** The sandbox endpoint's Host header value, e.g. '127.0.0.1:4566'. */
  readonly host: string;
}

const unsupported = () => new AwsError('ValidationError', 'TemplateURL must be a supported URL.');
const inaccessible = () =>
  new AwsError('ValidationError', 'TemplateURL must reference a valid S3 object to which you have access.');

/** Bucket and key a TemplateURL names, or undefined when it is not an S3 (or sandbox) URL. */
export function parseTemplateUrl(
  raw: string,
  sandboxHost: string,
): { bucket: string; key: string; versionId?: string } | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const versionId = url.searchParams.get('versionId') ?? undefined;
  const path = decodeURIComponent(url.pathname.slice(1));
  const local = url.host === sandboxHost || url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (local || (url.protocol === 'https:' && /^s3([.-][a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname))) {
    if (!local && url.protocol !== 'https:') return undefined;
    const slash = path.indexOf('/');
    if (slash <= 0 || slash === path.length - 1) return undefined;
    return { bucket: path.slice(0, slash), key: path.slice(slash + 1), versionId };
  }
  const virtual = /^(.+)\.s3([.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(url.hostname);
  if (url.protocol === 'https:' && virtual && path !== '') return { bucket: virtual[1], key: path, versionId };
  return undefined;
}

/** The template body a TemplateURL points at, with CloudFormation's errors. */
export function templateBodyFromUrl(raw: string, source: UrlSource): string {
  if (raw.length > 1024)
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${raw}' at 'templateURL' failed to satisfy constraint: Member must have length less than or equal to 1024`,
    );
  const location = parseTemplateUrl(raw, source.host);
  if (!location) throw unsupported();
  const bucket = findBucket(source.sandbox, location.bucket);
  if (!bucket) throw inaccessible();
  if (bucket.accountId !== source.accountId) throw new AwsError('ValidationError', 'S3 error: Access Denied');
  const object = findVersion(bucket, location.key, location.versionId);
  if (!object || object.deleteMarker || object.bodyBase64 === undefined) throw inaccessible();
  const body = Buffer.from(object.bodyBase64, 'base64');
  if (body.length > LIMITS.templateUrlBytes)
    throw new AwsError('ValidationError', `Template may not exceed ${LIMITS.templateUrlBytes} bytes in size.`);
  return body.toString('utf8');
}
