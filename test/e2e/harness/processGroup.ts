import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

export interface Started {
  child: ChildProcess;
  output: () => string;
  /** Kills the whole process group (code-server leaves helpers behind), then waits for the leader. */
  stop(): Promise<void>;
}

/** Starts a command in its own process group, keeping its output for failure messages. */
export function startGroup(command: string, args: string[], options: SpawnOptions = {}): Started {
  const child = spawn(command, args, { ...options, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
    } else {
      child.once('exit', () => resolve());
    }
  });
  return {
    child,
    output: () => output,
    async stop() {
      if (child.pid !== undefined) {
        for (const signal of ['SIGTERM', 'SIGKILL'] as const) {
          try {
            process.kill(-child.pid, signal);
          } catch {
            break; // the group is gone
          }
          const done = await Promise.race([
            exited.then(() => true),
            new Promise<boolean>((r) => setTimeout(() => r(false), 3000).unref()),
          ]);
          if (done && signal === 'SIGTERM') {
            try {
              process.kill(-child.pid, 'SIGKILL'); // stragglers in the group
            } catch {
              // none left
            }
            break;
          }
        }
      }
      await exited;
    },
  };
}

export { waitFor } from '../../support/waitFor';
