// What every stand-in's entry point shares: its stdout/stderr writers, stdin, and the exit status
// (see bundle.ts: each tool is bundled on its own, with a tiny entry that calls `run`).
export const out = (s: string): void => void process.stdout.write(s);
export const err = (s: string): void => void process.stderr.write(s);
export const stdin = (): Promise<string> =>
  new Promise((resolve) => {
    let text = '';
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (c: string) => (text += c));
    process.stdin.on('end', () => resolve(text));
  });

/** Runs a tool's main and exits with its status once its output is flushed. */
export function run(main: () => Promise<number> | number): void {
  Promise.resolve()
    .then(main)
    .then(
      (code) => {
        process.exitCode = code;
      },
      (error: unknown) => {
        err(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exitCode = 1;
      },
    );
}
