// Sizes of what ships: the activation chunk, the lazy chunks, the credential helper (from the
// production build's esbuild metafile, cross-checked on disk) and the .vsix itself.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';

export interface BundleSizes {
  /** bytes per dist file */
  readonly chunks: Record<string, number>;
  readonly vsixBytes: number;
}

export const CHUNKS = [
  'dist/extension.js',
  'dist/sdk.js',
  'dist/cfnYaml.js',
  'dist/secretScan.js',
  'dist/git-credential-codecommit.js',
] as const;
export const VSIX = 'dist-vsix/workshop-pipeline.vsix';

/** Runs the production package build (`npm run package`), which also writes .build/meta.json. */
export function packageProduction(): void {
  execFileSync('npm', ['run', '--silent', 'package'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

export function measureBundleSizes(): BundleSizes {
  const meta = JSON.parse(readFileSync('.build/meta.json', 'utf8')) as { outputs: Record<string, { bytes: number }> };
  const chunks: Record<string, number> = {};
  for (const file of CHUNKS) {
    if (!existsSync(file)) {
      throw new Error(`${file} is missing after the production build`);
    }
    const onDisk = statSync(file).size;
    const inMeta = meta.outputs[file]?.bytes;
    if (inMeta !== undefined && inMeta !== onDisk) {
      throw new Error(`${file}: ${onDisk} bytes on disk but ${inMeta} in .build/meta.json (stale build?)`);
    }
    chunks[file] = onDisk;
  }
  return { chunks, vsixBytes: statSync(VSIX).size };
}
