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
    super(
      `git ${args[0] ?? ''} failed${exitCode === null ? '' : ` (exit ${exitCode})`}: ${stderr.trim().split('\n').slice(-3).join(' ')}`,
    );
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

/**
 * Rebases local commits onto the remote branch, stashing uncommitted work around it. On a conflict
 * the rebase is aborted, which restores the branch and the stash exactly as they were.
 */
export async function pullRebase(
  cwd: string,
  remote: string,
  branch: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true } | { ok: false; conflict: string }> {
  try {
    await runGit(['pull', '--rebase', '--autostash', remote, branch], cwd, env);
    return { ok: true };
  } catch (error) {
    // git reports the rebase stopping on stderr, but the CONFLICT line of each file on stdout.
    const output = error instanceof GitCommandError ? `${error.stdout}\n${error.stderr}` : '';
    if (/CONFLICT|could not apply|Resolve all conflicts/i.test(output)) {
      await runGit(['rebase', '--abort'], cwd, env).catch(() => undefined);
      const files = [...output.matchAll(/CONFLICT \([^)]*\): .*? in (\S+)/g)].map((m) => m[1]);
      return { ok: false, conflict: files.length > 0 ? files.join(', ') : 'the pulled changes' };
    }
    throw error;
  }
}
