// The activation benchmark's yardstick: an extension that does nothing, activated the way ours is
// (opening its view container, `onView` derived from its contributed view), so the figure of ours
// can be read against what the same code-server spends on any extension at all.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const OUT = join(ROOT, '.build', 'bench', 'empty-extension');

/** Its name in the activity bar and in "Developer: Show Running Extensions". */
export const EMPTY_EXTENSION_NAME = 'Empty Activation Baseline';

/** Writes and packages the empty extension; returns the .vsix path. */
export function buildEmptyExtension(): string {
  rmSync(OUT, { recursive: true, force: true });
  const dir = join(OUT, 'extension');
  mkdirSync(join(dir, 'media'), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'empty-activation-baseline',
        displayName: EMPTY_EXTENSION_NAME,
        description: 'Does nothing when activated: the yardstick of the activation benchmark (benchmarks only).',
        version: '0.0.1',
        publisher: 'workshop-pipeline-bench',
        license: 'MIT',
        private: true,
        engines: { vscode: '^1.90.0' },
        extensionKind: ['workspace'],
        activationEvents: [],
        main: './extension.js',
        contributes: {
          viewsContainers: {
            activitybar: [{ id: 'emptyBaseline', title: EMPTY_EXTENSION_NAME, icon: 'media/icon.svg' }],
          },
          views: { emptyBaseline: [{ id: 'emptyBaseline.view', name: 'Nothing' }] },
        },
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'extension.js'),
    'exports.activate = () => undefined;\nexports.deactivate = () => undefined;\n',
  );
  writeFileSync(
    join(dir, 'media', 'icon.svg'),
    '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24" viewBox="0 0 24 24"><circle cx="12" cy="12" r="8" fill="none" stroke="currentColor"/></svg>\n',
  );
  writeFileSync(join(dir, 'README.md'), 'Does nothing when activated. Benchmark use only.\n');
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  const vsix = join(OUT, 'empty-activation-baseline.vsix');
  execFileSync(
    process.execPath,
    [
      join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'),
      'package',
      '--no-dependencies',
      '--allow-missing-repository',
      '--out',
      vsix,
    ],
    { cwd: dir, stdio: 'pipe' },
  );
  return vsix;
}
