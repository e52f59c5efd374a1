// The .vsix users install: one set of packaging options for `npm run package` (scripts/package.ts)
// and for the test that checks what the package ships. README links stay relative
// (rewriteRelativeLinks: false; there is no public repository to point them at), so the images they
// name must be inside the package, where the Extensions view resolves them.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createVSIX } from '@vscode/vsce';

export const ROOT = resolve(__dirname, '..');
export const VSIX_PATH = join(ROOT, 'dist-vsix', 'workshop-pipeline.vsix');

/** Packages what dist/ holds now (plus the files .vscodeignore lets through) into `packagePath`. */
export async function packageVsix(packagePath: string = VSIX_PATH): Promise<void> {
  mkdirSync(dirname(packagePath), { recursive: true });
  await createVSIX({
    cwd: ROOT,
    packagePath,
    dependencies: false,
    allowMissingRepository: true,
    rewriteRelativeLinks: false,
  });
}
