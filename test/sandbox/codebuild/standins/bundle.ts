// Builds the stand-in tools once per sandbox, with esbuild (no TypeScript loader at run time):
//   <dir>/<tool>.cjs  each tool on its own, small, run as `node <tool>.cjs ARGS…`
//   <dir>/daemon.cjs  the build's stand-in daemon (daemon.ts), which runs every tool in one process
//   <dir>/bin/<tool>  a sh shim, first on the build's PATH: it hands the call to the build's daemon
//                     with curl when the daemon is listening, else runs the tool's bundle with node
// bin/contrib/junit.tpl sits next to trivy as in trivy's release archive.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

/** Each tool's entry: its module's main, called with what that main reads. */
const ENTRIES = {
  docker:
    "import { main } from './docker'; import { err, out, run, stdin } from './cli'; run(() => main(process.argv.slice(2), out, err, stdin, [process.execPath, process.argv[1]]));",
  gitleaks:
    "import { main } from './gitleaks'; import { err, out, run } from './cli'; run(() => main(process.argv.slice(2), out, err));",
  hadolint:
    "import { main } from './hadolint'; import { err, out, run } from './cli'; run(() => main(process.argv.slice(2), out, err));",
  trivy:
    "import { main } from './trivy'; import { err, out, run } from './cli'; run(() => main(process.argv.slice(2), out, err));",
  aws: "import { main } from './aws'; import { err, out, run } from './cli'; run(() => main(process.argv.slice(2), out, err));",
} as const;

export const STANDIN_TOOLS = Object.keys(ENTRIES) as (keyof typeof ENTRIES)[];

export interface Standins {
  /** Directory of the shims, for the front of the build's PATH. */
  readonly bin: string;
  /** The command line that starts a build's stand-in daemon on `socket`. */
  daemon(socket: string): string[];
}

const built = new Map<string, Promise<Standins>>();

/** The stand-ins, built into `dir` on first use. */
export function standins(dir: string): Promise<Standins> {
  let ready = built.get(dir);
  if (!ready) {
    ready = buildInto(dir);
    built.set(dir, ready);
    ready.catch(() => built.delete(dir));
  }
  return ready;
}

const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The shim: the daemon through curl, else node on the tool's own bundle. */
function shim(tool: string, bundle: string): string {
  // Only `docker login --password-stdin` reads stdin; forwarding it for other calls could wait on
  // a pipe nobody closes.
  const stdin = tool === 'docker' ? 'case " $* " in *" --password-stdin "*) cat ;; esac' : ':';
  return `#!/bin/sh
# Sandbox stand-in for ${tool} (test/sandbox/codebuild/standins/${tool}.ts).
s=$SANDBOX_STANDIN_SOCKET
if [ -n "$s" ] && [ -S "$s" ] && command -v curl >/dev/null 2>&1; then
  r="\${TMPDIR:-/tmp}/.standin-$$"
  { printf '%s\\0' "$r" "$PWD" "$#" "$@"; env -0; printf '\\0'; ${stdin}; } |
    curl -sS -N --unix-socket "$s" --data-binary @- http://standin/${tool} || exit 1
  [ -s "$r.err" ] && cat "$r.err" >&2
  read -r rc < "$r.rc" || rc=1
  exit "$rc"
fi
exec ${q(process.execPath)} ${q(bundle)} "$@"
`;
}

async function buildInto(dir: string): Promise<Standins> {
  const bin = join(dir, 'bin');
  mkdirSync(join(bin, 'contrib'), { recursive: true });
  const options = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minifyWhitespace: true,
    logLevel: 'silent',
  } as const;
  const daemon = join(dir, 'daemon.cjs');
  await Promise.all([
    ...STANDIN_TOOLS.map(async (tool) => {
      const bundle = join(dir, `${tool}.cjs`);
      await build({
        ...options,
        stdin: { contents: ENTRIES[tool], resolveDir: __dirname, loader: 'ts', sourcefile: `${tool}-entry.ts` },
        outfile: bundle,
      });
      writeFileSync(join(bin, tool), shim(tool, bundle));
      chmodSync(join(bin, tool), 0o755);
    }),
    build({
      ...options,
      stdin: {
        contents: "import { serve } from './daemon'; serve(process.argv[2], process.argv[3]);",
        resolveDir: __dirname,
        loader: 'ts',
        sourcefile: 'daemon-entry.ts',
      },
      outfile: daemon,
    }),
  ]);
  copyFileSync(join(__dirname, 'junit.tpl'), join(bin, 'contrib', 'junit.tpl'));
  return { bin, daemon: (socket) => [process.execPath, daemon, socket, dir] };
}
