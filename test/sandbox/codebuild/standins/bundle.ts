// Builds the stand-in tools once per sandbox: one esbuild bundle (so each call starts plain node,
// not a TypeScript loader) and a shim per tool in bin/, which the runner puts first on the build's
// PATH. bin/contrib/junit.tpl sits next to trivy as in trivy's release archive.
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

export const STANDIN_TOOLS = ['docker', 'gitleaks', 'hadolint', 'trivy', 'aws'] as const;

const built = new Map<string, Promise<string>>();

/** The bin/ directory with the shims, built into `dir` on first use. */
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
  const bundle = join(dir, 'standins.mjs');
  await build({
    entryPoints: [join(__dirname, 'cli.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    logLevel: 'silent',
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  });
  for (const tool of STANDIN_TOOLS) {
    const shim = join(bin, tool);
    writeFileSync(shim, `#!/bin/sh\nexec '${process.execPath}' '${bundle}' ${tool} "$@"\n`);
    chmodSync(shim, 0o755);
  }
  copyFileSync(join(__dirname, 'junit.tpl'), join(bin, 'contrib', 'junit.tpl'));
  return bin;
}
