// The few git operations the built-in git API does not offer (pull with rebase and autostash),
// run with argument arrays and the same credential environment as every other git process.
import { execFile } from 'node:child_process';

export interface GitResult {
  stdout: string;
  stderr: string;
}

export class GitCommandError extends Error {
  override readonly name = 'GitCommandError';
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
    readonly stdout = '',
  ) {
    // The whole of git's error: the line that names the file ("new.txt would be overwritten") is
    // rarely the last one.
    super(`git ${args[0] ?? ''} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim()}`);
  }
}

export function runGit(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      [...args],
      { cwd, env: { ...env, GIT_TERMINAL_PROMPT: '0' }, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) {
          reject(new GitCommandError(args, typeof error.code === 'number' ? error.code : null, stderr, stdout));
        } else {
          resolve({ stdout, stderr });
        }
      },
    );
  });
}

export type PullRebaseResult =
  /** Rebased, and any uncommitted work is back in place. */
  | { readonly kind: 'rebased' }
  /** The rebase conflicted and was aborted: branch, working tree and stash are as they were. */
  | { readonly kind: 'conflict'; readonly files: readonly string[] }
  /**
   * Rebased, but putting the uncommitted work back conflicted with what was pulled: git exits 0,
   * leaves conflict markers in `files` and keeps the work in the stash (`stash@{0}`).
   */
  | { readonly kind: 'stashConflict'; readonly files: readonly string[] };

/**
 * Rebases local commits onto the remote branch, stashing uncommitted work around it. On a conflict
 * the rebase is aborted, which restores the branch and the stash exactly as they were.
 */
export async function pullRebase(
  cwd: string,
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv,
): Promise<PullRebaseResult> {
  try {
    await runGit(['pull', '--rebase', '--autostash', remote, branch], cwd, env);
  } catch (error) {
    // git reports the rebase stopping on stderr, but the CONFLICT line of each file on stdout.
    const output = error instanceof GitCommandError ? `${error.stdout}\n${error.stderr}` : '';
    if (/CONFLICT|could not apply|Resolve all conflicts/i.test(output)) {
      await runGit(['rebase', '--abort'], cwd, env).catch(() => undefined);
      const files = [...output.matchAll(/CONFLICT \([^)]*\): .*? in (\S+)/g)].map((m) => m[1] ?? '');
      return { kind: 'conflict', files };
    }
    throw error;
  }
  // A failed autostash apply still exits 0 ("Applying autostash resulted in conflicts"); the
  // unmerged paths it leaves are the proof, as the flow starts only without unmerged paths.
  const unmerged = (await runGit(['diff', '--name-only', '--diff-filter=U', '-z'], cwd, env)).stdout
    .split('\0')
    .filter(Boolean);
  return unmerged.length > 0 ? { kind: 'stashConflict', files: unmerged } : { kind: 'rebased' };
}
