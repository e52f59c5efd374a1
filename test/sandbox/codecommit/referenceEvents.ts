// The "CodeCommit Repository State Change" events CodeCommit puts on EventBridge when a push
// creates, moves or deletes a branch or tag (shape as in the CodeCommit user guide's examples).
import type { Sandbox } from '../core/types';
import { awsEvent, type AwsEvent } from '../events/bus';
import type { RepositoryRecord } from './repositories';

/** One ref a push changed, as git's post-receive hook reports it (all zeros: no such ref). */
export interface RefUpdate {
  readonly oldCommitId: string;
  readonly newCommitId: string;
  readonly ref: string;
}

const NO_COMMIT = /^0+$/;

/** Parses post-receive's stdin: one `<old> <new> <ref>` line per updated ref. */
export function parseRefUpdates(text: string): RefUpdate[] {
  return text
    .split('\n')
    .map((line) => line.trim().split(' '))
    .filter((parts) => parts.length === 3)
    .map(([oldCommitId, newCommitId, ref]) => ({ oldCommitId, newCommitId, ref }));
}

export function referenceChangeEvent(
  sandbox: Sandbox,
  repo: Pick<RepositoryRecord, 'accountId' | 'region' | 'repositoryName' | 'repositoryId'>,
  update: RefUpdate,
  callerUserArn: string,
): AwsEvent | undefined {
  const kind = /^refs\/(heads|tags)\/(.+)$/.exec(update.ref);
  if (!kind) return undefined;
  const created = NO_COMMIT.test(update.oldCommitId);
  const deleted = NO_COMMIT.test(update.newCommitId);
  return awsEvent(sandbox, {
    'detail-type': 'CodeCommit Repository State Change',
    source: 'aws.codecommit',
    account: repo.accountId,
    region: repo.region,
    resources: [`arn:aws:codecommit:${repo.region}:${repo.accountId}:${repo.repositoryName}`],
    detail: {
      callerUserArn,
      event: deleted ? 'referenceDeleted' : created ? 'referenceCreated' : 'referenceUpdated',
      repositoryName: repo.repositoryName,
      repositoryId: repo.repositoryId,
      referenceType: kind[1] === 'heads' ? 'branch' : 'tag',
      referenceName: kind[2],
      referenceFullName: update.ref,
      ...(deleted ? {} : { commitId: update.newCommitId }),
      ...(created ? {} : { oldCommitId: update.oldCommitId }),
    },
  });
}
