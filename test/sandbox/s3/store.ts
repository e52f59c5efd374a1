// S3 state: buckets (one global namespace, as in S3) and, per key, every version newest first —
// objects and delete markers. Bodies are kept base64 in the state so --state-dir persists them.
import { createHash, randomBytes } from 'node:crypto';
import { AwsError, type Sandbox } from '../core/types';

export interface ObjectVersion {
  versionId: string;
  deleteMarker: boolean;
  /** Epoch milliseconds (sandbox clock). */
  lastModified: number;
  /** Quoted MD5 hex, as S3 reports ETags; absent for delete markers. */
  etag?: string;
  size: number;
  contentType?: string;
  bodyBase64?: string;
}

export interface Bucket {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly created: number;
  versioning: 'Enabled' | 'Suspended' | undefined;
  /** Key → versions, newest first. */
  objects: Record<string, ObjectVersion[]>;
}

interface S3State {
  buckets: Record<string, Bucket>;
}

export function s3State(sandbox: Sandbox): S3State {
  return (sandbox.state.s3 ??= { buckets: {} }) as S3State;
}

export const BUCKET_NOT_EMPTY_MESSAGE =
  'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';

export function noSuchBucket(): AwsError {
  return new AwsError('NoSuchBucket', 'The specified bucket does not exist', 404);
}

export function findBucket(sandbox: Sandbox, name: string): Bucket | undefined {
  return Object.hasOwn(s3State(sandbox).buckets, name) ? s3State(sandbox).buckets[name] : undefined;
}

/** The bucket, if it exists and the caller's account owns it (another account's bucket is AccessDenied). */
export function requireBucket(sandbox: Sandbox, name: string, accountId: string): Bucket {
  const bucket = findBucket(sandbox, name);
  if (!bucket) throw noSuchBucket();
  if (bucket.accountId !== accountId) throw new AwsError('AccessDenied', 'Access Denied', 403);
  return bucket;
}

/** S3's rules for bucket names (the subset that matters: length, characters, shape). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'The specified bucket is not valid.';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name) || name.includes('..') || /^\d+\.\d+\.\d+\.\d+$/.test(name))
    return 'The specified bucket is not valid.';
  return undefined;
}

export function createBucket(
  sandbox: Sandbox,
  input: { name: string; accountId: string; region: string; versioning?: 'Enabled' | 'Suspended' },
): Bucket {
  const problem = bucketNameProblem(input.name);
  if (problem) throw new AwsError('InvalidBucketName', problem, 400);
  const existing = findBucket(sandbox, input.name);
  if (existing) {
    throw existing.accountId === input.accountId
      ? new AwsError(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
        )
      : new AwsError(
          'BucketAlreadyExists',
          'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
          409,
        );
  }
  const bucket: Bucket = {
    name: input.name,
    accountId: input.accountId,
    region: input.region,
    created: sandbox.clock.now().getTime(),
    versioning: input.versioning,
    objects: {},
  };
  s3State(sandbox).buckets[input.name] = bucket;
  sandbox.changed();
  return bucket;
}

export function deleteBucket(sandbox: Sandbox, bucket: Bucket): void {
  if (Object.keys(bucket.objects).length > 0) throw new AwsError('BucketNotEmpty', BUCKET_NOT_EMPTY_MESSAGE, 409);
  delete s3State(sandbox).buckets[bucket.name];
  sandbox.changed();
}

/** Version ids look like S3's: 32 URL-safe characters. Unversioned objects have the version 'null'. */
export function newVersionId(): string {
  return randomBytes(24).toString('base64').replace(/\+/g, '.').replace(/\//g, '_');
}

export function isVersionIdShaped(versionId: string): boolean {
  return versionId === 'null' || /^[A-Za-z0-9._]{32}$/.test(versionId);
}

function newestFirst(bucket: Bucket, key: string): ObjectVersion[] {
  return Object.hasOwn(bucket.objects, key) ? bucket.objects[key] : [];
}

/** Adds a version (versioned bucket) or replaces the 'null' version (unversioned or suspended). */
function addVersion(
  sandbox: Sandbox,
  bucket: Bucket,
  key: string,
  version: Omit<ObjectVersion, 'versionId'>,
): ObjectVersion {
  const versions = newestFirst(bucket, key).filter((v) => bucket.versioning === 'Enabled' || v.versionId !== 'null');
  const added: ObjectVersion = { versionId: bucket.versioning === 'Enabled' ? newVersionId() : 'null', ...version };
  bucket.objects[key] = [added, ...versions];
  sandbox.changed();
  return added;
}

export function putObject(
  sandbox: Sandbox,
  bucket: Bucket,
  key: string,
  body: Buffer,
  contentType?: string,
): ObjectVersion {
  return addVersion(sandbox, bucket, key, {
    deleteMarker: false,
    lastModified: sandbox.clock.now().getTime(),
    etag: `"${createHash('md5').update(body).digest('hex')}"`,
    size: body.length,
    ...(contentType !== undefined ? { contentType } : {}),
    bodyBase64: body.toString('base64'),
  });
}

/** The version GetObject returns: the newest, or the one named; undefined when there is none. */
export function findVersion(bucket: Bucket, key: string, versionId?: string): ObjectVersion | undefined {
  const versions = newestFirst(bucket, key);
  return versionId === undefined ? versions[0] : versions.find((v) => v.versionId === versionId);
}

export interface DeleteOutcome {
  /** The version removed, or the delete marker created. */
  versionId?: string;
  deleteMarker: boolean;
}

/**
 * DeleteObject semantics: with a version id, removes exactly that version (a no-op when it does not
 * exist); without one, a versioned bucket gets a delete marker and an unversioned one loses the object.
 */
export function deleteObject(sandbox: Sandbox, bucket: Bucket, key: string, versionId?: string): DeleteOutcome {
  const versions = newestFirst(bucket, key);
  if (versionId !== undefined) {
    const removed = versions.find((v) => v.versionId === versionId);
    if (removed) {
      const left = versions.filter((v) => v !== removed);
      if (left.length > 0) bucket.objects[key] = left;
      else delete bucket.objects[key];
      sandbox.changed();
    }
    return { versionId, deleteMarker: removed?.deleteMarker ?? false };
  }
  if (bucket.versioning === undefined) {
    if (versions.length > 0) {
      delete bucket.objects[key];
      sandbox.changed();
    }
    return { deleteMarker: false };
  }
  const marker = addVersion(sandbox, bucket, key, {
    deleteMarker: true,
    lastModified: sandbox.clock.now().getTime(),
    size: 0,
  });
  return { versionId: marker.versionId, deleteMarker: true };
}

export interface ListedVersion extends ObjectVersion {
  readonly key: string;
  readonly isLatest: boolean;
}

/** Every version in S3's listing order: keys ascending (by UTF-8 bytes), each key's versions newest first. */
export function allVersions(bucket: Bucket, prefix = ''): ListedVersion[] {
  return Object.keys(bucket.objects)
    .filter((key) => key.startsWith(prefix))
    .sort(compareKeys)
    .flatMap((key) => bucket.objects[key].map((v, i) => ({ ...v, key, isLatest: i === 0 })));
}

/** Keys whose newest version is an object (not a delete marker), in listing order. */
export function currentObjects(bucket: Bucket, prefix = ''): ListedVersion[] {
  return allVersions(bucket, prefix).filter((v) => v.isLatest && !v.deleteMarker);
}

export function compareKeys(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export function versionCount(bucket: Bucket): number {
  return Object.values(bucket.objects).reduce((n, versions) => n + versions.length, 0);
}
