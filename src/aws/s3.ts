// S3 through the session's client: emptying a versioned bucket (every object version and delete
// marker) so CloudFormation can delete it with its stack.
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

/** DeleteObjects takes at most this many keys per request. */
export const DELETE_BATCH_SIZE = 1000;

export interface ObjectVersionRef {
  key: string;
  versionId: string | undefined;
}

export interface DeleteError {
  key: string;
  versionId: string | undefined;
  code: string;
  message: string;
}

export interface EmptyProgress {
  /** Versions and delete markers deleted so far. */
  deleted: number;
}

export interface EmptyResult {
  /** Versions and delete markers deleted. */
  deleted: number;
  /** The bucket did not exist (nothing to do). */
  missing: boolean;
}

export class BucketEmptyingError extends Error {
  constructor(
    message: string,
    readonly errors: readonly DeleteError[],
  ) {
    super(message);
    this.name = 'BucketEmptyingError';
  }
}

export interface S3Api {
  /**
   * Deletes every version and delete marker in `bucket`, 1000 per request. Each round lists from the
   * start again (the listing shrinks as it is deleted), so markers never point at deleted entries.
   * A missing bucket is not an error. Per-key failures (AccessDenied, …) stop it with the first reason.
   */
  emptyBucket(
    bucket: string,
    onProgress: (progress: EmptyProgress) => void,
    signal?: AbortSignal,
  ): Promise<EmptyResult>;
}

export function s3Api(session: AwsSession): S3Api {
  const sdk = session.sdkModule;
  // Path-style addressing against a custom endpoint (the sandbox, LocalStack, MinIO): no bucket DNS.
  const client = () =>
    session.client(
      's3',
      (s, config) => new s.S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) }),
    );
  return {
    async emptyBucket(bucket, onProgress, signal) {
      let deleted = 0;
      for (;;) {
        signal?.throwIfAborted();
        let listed;
        try {
          listed = await client().send(new sdk.ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }), {
            abortSignal: signal,
          });
        } catch (error) {
          if (errorCode(error) === 'NoSuchBucket') return { deleted, missing: deleted === 0 };
          throw error;
        }
        const refs: ObjectVersionRef[] = [...(listed.Versions ?? []), ...(listed.DeleteMarkers ?? [])]
          .filter((entry) => entry.Key !== undefined)
          .map((entry) => ({ key: entry.Key ?? '', versionId: entry.VersionId }));
        if (refs.length === 0) return { deleted, missing: false };
        for (const batch of batches(refs)) {
          signal?.throwIfAborted();
          const out = await client().send(
            new sdk.DeleteObjectsCommand({
              Bucket: bucket,
              Delete: {
                Quiet: true,
                Objects: batch.map((r) => ({ Key: r.key, ...(r.versionId ? { VersionId: r.versionId } : {}) })),
              },
            }),
            { abortSignal: signal },
          );
          const errors: DeleteError[] = (out.Errors ?? []).map((e) => ({
            key: e.Key ?? '',
            versionId: e.VersionId,
            code: e.Code ?? 'Error',
            message: e.Message ?? '',
          }));
          deleted += batch.length - errors.length;
          onProgress({ deleted });
          if (errors.length > 0) throw new BucketEmptyingError(deleteErrorsMessage(bucket, errors), errors);
        }
      }
    },
  };
}

export function batches<T>(items: readonly T[], size = DELETE_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** One sentence for a failed emptying: the first failure in full, then how many more. */
export function deleteErrorsMessage(bucket: string, errors: readonly DeleteError[]): string {
  const first = errors[0];
  if (!first) return `Could not empty bucket ${bucket}.`;
  const version = first.versionId ? ` (version ${first.versionId})` : '';
  const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
  return `Could not empty bucket ${bucket}: ${first.code} deleting ${first.key}${version}: ${first.message}${more}.`;
}
