// Pure parts of emptying a versioned bucket before its stack is deleted: which bucket, how the
// versions are batched, and how per-key failures are reported. No SDK, no vscode.
import type { StackDescription } from './cfnApi';

/** DeleteObjects takes at most this many keys per request. */
export const DELETE_BATCH_SIZE = 1000;

/** The stack's artifact bucket, from its `ArtifactBucket` output. */
export function artifactBucketOf(stack: Pick<StackDescription, 'outputs'>): string | undefined {
  const value = stack.outputs.find((output) => output.key === 'ArtifactBucket')?.value;
  return value === undefined || value === '' ? undefined : value;
}

export interface ObjectVersionRef {
  key: string;
  versionId: string | undefined;
}

export function batches<T>(items: readonly T[], size = DELETE_BATCH_SIZE): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export interface DeleteError {
  key: string;
  versionId: string | undefined;
  code: string;
  message: string;
}

/** One sentence for a failed emptying: the first failure in full, then how many more. */
export function deleteErrorsMessage(bucket: string, errors: readonly DeleteError[]): string {
  const first = errors[0];
  if (!first) return `Could not empty bucket ${bucket}.`;
  const version = first.versionId ? ` (version ${first.versionId})` : '';
  const more = errors.length > 1 ? ` and ${errors.length - 1} more` : '';
  return `Could not empty bucket ${bucket}: ${first.code} deleting ${first.key}${version}: ${first.message}${more}.`;
}

export interface EmptyProgress {
  /** Versions and delete markers deleted so far. */
  deleted: number;
}
