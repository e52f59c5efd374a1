// The build's stand-in daemon: one node process per build, started by the runner inside the build's
// namespaces, that runs the stand-in tools for the shims on the build's PATH (see bundle.ts). A
// tool call then costs a `curl` to this daemon's unix socket instead of starting node, which is
// most of what a build's stand-ins cost.
//
// Request (the body a shim sends): NUL-separated fields — the path prefix for the call's results,
// the working directory, the argument count, the arguments, the caller's environment (`env -0`),
// an empty field — then the caller's stdin (forwarded only where a tool reads it).
// Response: the tool's stdout, streamed as it is written. Before the response ends, the daemon
// writes the tool's stderr to `<prefix>.err` and its exit status to `<prefix>.rc`; the shim prints
// the one and exits with the other (so a tool's stderr follows its stdout instead of interleaving;
// CodeBuild's log mixes both streams anyway). Calls run one at a time, each with the caller's directory and
// environment as the process's own (the tools read them as a process of their own would).
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import * as aws from './aws';
import * as docker from './docker';
import * as gitleaks from './gitleaks';
import * as hadolint from './hadolint';
import * as trivy from './trivy';

type Out = (s: string) => void;
type Tool = (argv: string[], out: Out, err: Out, stdin: () => Promise<string>) => Promise<number> | number;

export interface DaemonRequest {
  readonly resultPrefix: string;
  readonly cwd: string;
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly stdin: string;
}

/** Splits a shim's request body into its fields. */
export function parseRequest(body: Buffer): DaemonRequest {
  let at = 0;
  const next = (): string => {
    const end = body.indexOf(0, at);
    if (end < 0) throw new Error('truncated stand-in request');
    const field = body.subarray(at, end).toString('utf8');
    at = end + 1;
    return field;
  };
  const resultPrefix = next();
  const cwd = next();
  const count = Number(next());
  const args = Array.from({ length: count }, next);
  const env: Record<string, string> = {};
  for (let entry = next(); entry !== ''; entry = next()) {
    const eq = entry.indexOf('=');
    if (eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return { resultPrefix, cwd, args, env, stdin: body.subarray(at).toString('utf8') };
}

function useEnvironment(env: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (!(key in env)) delete process.env[key];
  Object.assign(process.env, env);
}

export function serve(socketPath: string, bundleDir: string): void {
  const tools: Record<string, Tool> = {
    aws: (argv, out, err) => aws.main(argv, out, err),
    docker: (argv, out, err, stdin) =>
      docker.main(argv, out, err, stdin, [process.execPath, `${bundleDir}/docker.cjs`]),
    gitleaks: (argv, out, err) => gitleaks.main(argv, out, err),
    hadolint: (argv, out, err) => hadolint.main(argv, out, err),
    trivy: (argv, out, err) => trivy.main(argv, out, err),
  };
  let queue = Promise.resolve();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const call = async (): Promise<void> => {
        const tool = tools[(req.url ?? '').slice(1)];
        let request: DaemonRequest;
        try {
          request = parseRequest(Buffer.concat(chunks));
        } catch (error) {
          res.writeHead(400).end((error as Error).message);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        let stderr = '';
        let status: number;
        try {
          if (!tool) throw new Error(`no stand-in ${req.url ?? ''}`);
          useEnvironment(request.env);
          process.chdir(request.cwd);
          status = await tool(
            request.args,
            (s) => void res.write(s),
            (s) => void (stderr += s),
            () => Promise.resolve(request.stdin),
          );
        } catch (error) {
          stderr += `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`;
          status = 1;
        }
        try {
          writeFileSync(`${request.resultPrefix}.err`, stderr);
          writeFileSync(`${request.resultPrefix}.rc`, `${status}\n`);
        } finally {
          res.end();
        }
      };
      queue = queue.then(call, call);
    });
  });
  server.listen(socketPath);
}
