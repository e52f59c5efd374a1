// Where a push must go for the pipeline to pick it up: the repository and branch its CodeCommit
// source action watches (read from the pipeline, not guessed), and which local remote points there.
import type { GetPipelineOutput } from '@aws-sdk/client-codepipeline';

export interface PushTarget {
  repositoryName: string;
  branch: string;
}

/** The first CodeCommit source action of the pipeline, or undefined for pipelines with another source. */
export function codeCommitSource(pipeline: GetPipelineOutput): PushTarget | undefined {
  for (const stage of pipeline.pipeline?.stages ?? []) {
    for (const action of stage.actions ?? []) {
      const type = action.actionTypeId;
      if (type?.category === 'Source' && type.provider === 'CodeCommit') {
        const repositoryName = action.configuration?.RepositoryName;
        const branch = action.configuration?.BranchName;
        if (repositoryName && branch) {
          return { repositoryName, branch };
        }
      }
    }
  }
  return undefined;
}

/** Compares git remote URLs by host, port and path, ignoring credentials, case of the host and a trailing `.git` or `/`. */
export function sameRepositoryUrl(a: string | undefined, b: string | undefined): boolean {
  const key = (url: string | undefined): string | undefined => {
    if (!url) {
      return undefined;
    }
    try {
      const u = new URL(url);
      return `${u.protocol}//${u.host.toLowerCase()}${u.pathname.replace(/(\.git)?\/*$/, '')}`;
    } catch {
      return undefined;
    }
  };
  const ka = key(a);
  return ka !== undefined && ka === key(b);
}

/** A remote name that is not taken yet: `codecommit`, else `codecommit-2`, … */
export function freeRemoteName(taken: readonly string[], base = 'codecommit'): string {
  if (!taken.includes(base)) {
    return base;
  }
  for (let i = 2; ; i++) {
    if (!taken.includes(`${base}-${i}`)) {
      return `${base}-${i}`;
    }
  }
}
