// Emptying a versioned S3 bucket (every object version and delete marker) so CloudFormation can
// delete it with its stack.
import {
  batches,
  deleteErrorsMessage,
  type DeleteError,
  type EmptyProgress,
  type ObjectVersionRef,
} from '../deploy/bucketEmptying';
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

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

function s3Client(session: AwsSession) {
  // Path-style addressing against a custom endpoint (the sandbox, LocalStack, MinIO): no bucket DNS.
  return session.client(
    's3',
    (sdk, config) => new sdk.S3Client({ ...config, ...(config.endpoint ? { forcePathStyle: true } : {}) }),
  );
}

/**
 * Deletes every version and delete marker in `bucket`, 1000 per request. Each round lists from the
 * start again (the listing shrinks as it is deleted), so markers never point at deleted entries.
 * A missing bucket is not an error. Per-key failures (AccessDenied, …) stop it with the first reason.
 */
export async function emptyBucket(
  session: AwsSession,
  bucket: string,
  onProgress: (progress: EmptyProgress) => void,
  signal?: AbortSignal,
): Promise<EmptyResult> {
  const client = s3Client(session);
  const sdk = session.sdkModule;
  let deleted = 0;
  for (;;) {
    signal?.throwIfAborted();
    let listed;
    try {
      listed = await client.send(new sdk.ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }), {
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
      const out = await client.send(
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
}
