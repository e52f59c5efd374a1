// Builds the stand-in tools once per sandbox: each tool is its own small esbuild bundle, written
// straight to bin/<tool> with node on its `#!` line, so a call starts plain node on only the code
// that tool needs (no TypeScript loader, no shell in between). The runner puts bin/ first on the
// build's PATH. bin/contrib/junit.tpl sits next to trivy as in trivy's release archive.
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

const built = new Map<string, Promise<string>>();

/** The bin/ directory with the tools, built into `dir` on first use. */
export function standinBin(dir: string): Promise<string> {
  let ready = built.get(dir);
  if (!ready) {
    ready = buildInto(dir);
    built.set(dir, ready);
    ready.catch(() => built.delete(dir));
  }
  return ready;
}

async function buildInto(dir: string): Promise<string> {
  const bin = join(dir, 'bin');
  mkdirSync(join(bin, 'contrib'), { recursive: true });
  // A `#!` line holds one path without spaces (and the kernel limits its length); otherwise a
  // one-line sh shim starts node on the bundle.
  const direct = !/\s/.test(process.execPath) && process.execPath.length < 120;
  await Promise.all(
    STANDIN_TOOLS.map(async (tool) => {
      const target = join(bin, tool);
      const bundle = direct ? target : join(dir, `${tool}.cjs`);
      await build({
        stdin: { contents: ENTRIES[tool], resolveDir: __dirname, loader: 'ts', sourcefile: `${tool}-entry.ts` },
        bundle: true,
        platform: 'node',
        format: 'cjs',
        target: 'node20',
        minifyWhitespace: true,
        outfile: bundle,
        logLevel: 'silent',
        ...(direct ? { banner: { js: `#!${process.execPath}` } } : {}),
      });
      if (!direct)
        writeFileSync(target, `#!/bin/sh\nexec '${process.execPath.replace(/'/g, `'\\''`)}' '${bundle}' "$@"\n`);
      chmodSync(target, 0o755);
    }),
  );
  copyFileSync(join(__dirname, 'junit.tpl'), join(bin, 'contrib', 'junit.tpl'));
  return bin;
}
