// Runs a build's commands the way CodeBuild's agent does for buildspec 0.2: each command in its own
// shell process, with exported variables and the working directory carried over to the next
// command.
//
// Isolation: all commands of a build run in namespaces of their own — a user namespace (so no
// privilege is needed), a network namespace with only its own loopback (ports a build opens, such as
// the smoke test's container, never meet another build's or the machine's) and a PID namespace whose
// init is a holder process (`unshare … --kill-child`, a shell that only waits). Commands join them with
// `nsenter`. Killing the holder at the end of the build, on StopBuild or on a timeout makes the
// kernel kill every process the build started, even one that left its process group (setsid, a
// daemon), so nothing a build ran outlives it.
//
// Where user namespaces are not allowed (some kernels and distributions forbid them to non-root
// users) or `unshare`/`nsenter`/`ip` are missing, the build runs without them and `isolation` says
// why; the runner writes that into the build log. Its commands then share the machine's network (a
// port already in use fails as docker does: "port is already allocated") and only the process groups
// of its commands are killed at the end.
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export interface BuildShell {
  /** Runs one command; resolves with its exit status (or the signal's 128+n). */
  run(command: string, onLine: (line: string) => void, extraEnv?: Record<string, string>): Promise<number>;
  /** Starts a long-lived helper of the build (the stand-in daemon) in its namespaces. */
  startHelper(argv: readonly string[]): void;
  /** Kills every process the build started, and the namespace holder. */
  kill(): void;
  /** Undefined when the build has namespaces of its own; else why it has not. */
  readonly isolationProblem?: string;
}

export interface ShellOptions {
  readonly shell: 'bash' | 'sh';
  readonly env: Record<string, string>;
  readonly cwd: string;
  /** Directory for the carried-over state (exported variables, working directory). */
  readonly stateDir: string;
}

const SIGNALS: Record<string, number> = { SIGKILL: 9, SIGTERM: 15, SIGINT: 2, SIGHUP: 1 };

/** Runs a program to its end; resolves with its exit status and what it printed on stderr. */
function run(
  program: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', (error) => resolve({ status: 127, stderr: error.message }));
    child.on('close', (code) => resolve({ status: code ?? 1, stderr }));
  });
}

function killGroup(pgid: number): void {
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    // already gone
  }
}

interface Namespaces {
  /** nsenter's arguments that join the build's namespaces. */
  readonly enter: readonly string[];
  readonly holder: ChildProcess;
}

/** Creates the build's namespaces, or says why it could not. */
async function createNamespaces(env: Record<string, string>): Promise<Namespaces | string> {
  const holder = spawn(
    'unshare',
    // The namespace's init: a shell that waits forever and, unlike `sleep`, reaps the orphans the
    // build leaves (a container whose `docker run` returned), so a dead process does not linger.
    [
      '--user',
      '--map-root-user',
      '--net',
      '--pid',
      '--fork',
      '--kill-child',
      '/bin/sh',
      '-c',
      'while :; do sleep 3600; done',
    ],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
      detached: true,
    },
  );
  let holderError = '';
  holder.stderr?.setEncoding('utf8').on('data', (c: string) => (holderError += c));
  const pid = await new Promise<number | undefined>((resolve) => {
    holder.once('error', () => resolve(undefined));
    holder.once('spawn', () => resolve(holder.pid));
  });
  if (pid === undefined) return 'unshare is not installed';
  const ns = `/proc/${pid}/ns`;
  const enter = [`--user=${ns}/user`, `--net=${ns}/net`, `--pid=${ns}/pid_for_children`, '--preserve-credentials'];
  // unshare needs a moment to create the namespaces before nsenter can join them.
  let last = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    if (holder.exitCode !== null || holder.signalCode !== null) {
      last = holderError.trim() || `unshare exited with status ${holder.exitCode ?? holder.signalCode}`;
      break;
    }
    const { status, stderr } = await run('nsenter', [...enter, '--', 'ip', 'link', 'set', 'lo', 'up'], env);
    if (status === 0) return { enter, holder };
    last = stderr.trim() || `nsenter exited with status ${status}`;
    await new Promise((r) => setTimeout(r, 10));
  }
  killGroup(pid);
  return last;
}

export async function openBuildShell(options: ShellOptions): Promise<BuildShell> {
  const groups = new Set<number>();
  let killed = false;
  const namespaces = await createNamespaces(options.env);
  const isolated = typeof namespaces !== 'string';
  const envFile = join(options.stateDir, 'env');
  const cwdFile = join(options.stateDir, 'cwd');
  writeFileSync(envFile, '');
  writeFileSync(cwdFile, `${options.cwd}\n`);
  const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
  const shellPath = options.shell === 'bash' ? '/bin/bash' : '/bin/sh';

  return {
    ...(isolated ? {} : { isolationProblem: namespaces }),
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
      // Its own process group (detached), so the group can be killed as a whole.
      const [program, args] = isolated
        ? ['nsenter', [...namespaces.enter, '--', shellPath, '-c', script]]
        : [shellPath, ['-c', script]];
      const child: ChildProcess = spawn(program, args, {
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
    startHelper([program = '', ...args]) {
      if (killed) return;
      const [command, commandArgs] = isolated
        ? ['nsenter', [...namespaces.enter, '--', program, ...args]]
        : [program, args];
      const child = spawn(command, commandArgs, {
        cwd: options.cwd,
        env: options.env,
        stdio: 'ignore',
        detached: true,
      });
      child.on('error', () => undefined);
      if (child.pid) groups.add(child.pid);
      child.unref();
    },
    kill() {
      killed = true;
      for (const pgid of groups) killGroup(pgid);
      groups.clear();
      if (isolated && namespaces.holder.pid) killGroup(namespaces.holder.pid);
    },
  };
}
