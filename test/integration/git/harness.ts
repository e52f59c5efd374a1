// Shared pieces of the git integration tests: the built helper, child processes with argument
// arrays and captured output, and an environment that no user or system git config can reach.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../../..');
export const HELPER = join(ROOT, 'dist', 'git-credential-codecommit.js');

/** Builds dist/ with the project's own build script when the helper bundle is missing or older than its sources. */
export function ensureHelperBuilt(): void {
  const sources = [
    ...readdirSync(join(ROOT, 'src', 'git')).map((f) => join(ROOT, 'src', 'git', f)),
    join(ROOT, 'src', 'aws', 'profiles.ts'),
    join(ROOT, 'src', 'aws', 'credentialSource.ts'),
    join(ROOT, 'src', 'shared', 'callPolicy.ts'),
  ].map((f) => statSync(f).mtimeMs);
  if (existsSync(HELPER) && statSync(HELPER).mtimeMs >= Math.max(...sources)) return;
  const build = spawnSync(process.execPath, [join(ROOT, 'scripts', 'esbuild.mjs')], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0 || !existsSync(HELPER)) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every output captured by `run`, for the final scan for secrets. */
export const transcript: string[] = [];

export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv; input?: string },
): Promise<RunResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    // A process may exit without reading its input (git with no stdin use, the helper on store).
    child.stdin.on('error', () => undefined);
    child.on('close', (code) => {
      transcript.push(stdout, stderr);
      resolvePromise({ code, stdout, stderr });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** A base environment for git: nothing from the user's or system's config, never a prompt. */
export function isolatedEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_ASKPASS: '',
    SSH_ASKPASS: '',
    LANG: 'C',
    GIT_AUTHOR_NAME: 'Workshop Tester',
    GIT_AUTHOR_EMAIL: 'tester@example.invalid',
    GIT_COMMITTER_NAME: 'Workshop Tester',
    GIT_COMMITTER_EMAIL: 'tester@example.invalid',
    // No instance metadata look-ups (no network) when the chain finds nothing else.
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, '.aws', 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'credentials'),
    ...extra,
  };
}

/** Text files under `dir` (skipping git's object store), for the scan for secrets. */
export function readableFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'objects') out.push(...readableFiles(path));
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
  return out;
}
