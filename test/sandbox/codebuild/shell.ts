// Runs a build's commands the way CodeBuild's agent does for buildspec 0.2: each command in its own
// shell process, with exported variables and the working directory carried over to the next
// command. All commands of a build share one network namespace of their own (a holder process
// created with `unshare`; commands join it with `nsenter`), so ports a build opens (the smoke test's
// container) never meet another build's or the machine's. Every command runs in its own process
// group; the build's end, a stop or a timeout kills every group it started.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BuildShell {
  /** Runs one command; resolves with its exit status (or the signal's 128+n). */
  run(command: string, onLine: (line: string) => void, extraEnv?: Record<string, string>): Promise<number>;
  /** Kills every process the build started, and the namespace holder. */
  kill(): void;
}

export interface ShellOptions {
  readonly shell: 'bash' | 'sh';
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** Directory for the carried-over state (exported variables, working directory). */
  readonly stateDir: string;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

function run(program: string, args: string[], env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: 'ignore', env });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

export async function openBuildShell(options: ShellOptions): Promise<BuildShell> {
  const groups = new Set<number>();
  let killed = false;
  // The namespace holder: a child that only waits, in a new user + network namespace.
  const holder = spawn('unshare', ['--user', '--map-root-user', '--net', 'sleep', 'infinity'], {
    stdio: 'ignore',
    detached: true,
  });
  const holderPid = await new Promise<number>((resolve, reject) => {
    holder.once('error', reject);
    holder.once('spawn', () => resolve(holder.pid ?? 0));
  });
  const enter = ['--target', String(holderPid), '--user', '--net', '--preserve-credentials'];
  // unshare needs a moment to switch namespaces before nsenter can join them.
  for (let attempt = 0; ; attempt++) {
    const status = await run('nsenter', [...enter, 'ip', 'link', 'set', 'lo', 'up'], options.env);
    if (status === 0) break;
    if (attempt > 50) throw new Error('could not bring up the build network namespace (unshare/nsenter)');
    await new Promise((r) => setTimeout(r, 10));
  }
  const envFile = join(options.stateDir, 'env');
  const cwdFile = join(options.stateDir, 'cwd');
  writeFileSync(envFile, '');
  writeFileSync(cwdFile, `${options.cwd}\n`);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

  const killGroup = (pgid: number): void => {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  };

  return {
    run(command, onLine, extraEnv = {}) {
      if (killed) return Promise.resolve(137);
      const reexport = Object.entries(extraEnv)
        .map(([k, v]) => `export ${k}=${q(v)}`)
        .join('\n');
      const script = [
        `__cb_state=${q(options.stateDir)}`,
        '. "$__cb_state/env"',
        reexport,
        'cd "$(cat "$__cb_state/cwd")" || exit 1',
        `trap '__cb_rc=$?; export -p > "$__cb_state/env"; pwd > "$__cb_state/cwd"; exit $__cb_rc' EXIT`,
        command,
      ].join('\n');
      const shellPath = options.shell === 'bash' ? '/bin/bash' : '/bin/sh';
      const child: ChildProcess = spawn('nsenter', [...enter, '--', shellPath, '-c', script], {
        cwd: options.cwd,
        env: { ...options.env, ...extraEnv },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      if (child.pid) groups.add(child.pid);
      const streams = [child.stdout, child.stderr].filter((s) => s !== null);
      const done = streams.map(
        (stream) =>
          new Promise<void>((resolve) => {
            const lines = createInterface({ input: stream, crlfDelay: Infinity });
            lines.on('line', onLine);
            lines.on('close', resolve);
          }),
      );
      return new Promise((resolve) => {
        child.on('error', () => resolve(127));
        child.on('exit', (code, signal) => {
          const status = code ?? 128 + (SIGNALS[signal ?? ''] ?? 9);
          // Output still buffered is read; a background process holding the pipes open does not
          // keep the command running (CodeBuild moves on when the command's shell exits).
          const grace = new Promise<void>((r) => setTimeout(r, 200));
          void Promise.race([Promise.all(done), grace]).then(() => {
            for (const s of streams) s.destroy();
            resolve(status);
          });
        });
      });
    },
    kill() {
      killed = true;
      for (const pgid of groups) killGroup(pgid);
      groups.clear();
      if (holder.pid) killGroup(holder.pid);
    },
  };
}
