// The .vsix users install: one way of packaging for `npm run package` (scripts/package.ts) and for
// the test that checks what the package shows. Its README is packagedReadme()'s rewrite of the
// repository's, with screenshots linked at WORKSHOP_PIPELINE_IMAGES_URL when that is set.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createVSIX } from '@vscode/vsce';
import { packagedReadme } from './packagedReadme';

export const ROOT = resolve(__dirname, '..');
export const VSIX_PATH = join(ROOT, 'dist-vsix', 'workshop-pipeline.vsix');

/** Packages what dist/ holds now (plus the files .vscodeignore lets through) into `packagePath`. */
export async function packageVsix(
  packagePath: string = VSIX_PATH,
  imagesUrl: string | undefined = process.env.WORKSHOP_PIPELINE_IMAGES_URL || undefined,
): Promise<void> {
  mkdirSync(dirname(packagePath), { recursive: true });
  const readmePath = join(ROOT, '.build', 'vsix', `README-${process.pid}.md`);
  mkdirSync(dirname(readmePath), { recursive: true });
  writeFileSync(readmePath, packagedReadme(readFileSync(join(ROOT, 'README.md'), 'utf8'), imagesUrl));
  try {
    await createVSIX({
      cwd: ROOT,
      packagePath,
      readmePath: relative(ROOT, readmePath),
      dependencies: false,
      allowMissingRepository: true,
      // The README's links are ours already (there is no repository for vsce to point them at).
      rewriteRelativeLinks: false,
    });
  } finally {
    rmSync(readmePath, { force: true });
  }
}
