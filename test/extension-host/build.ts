// Bundles the extension-host suite (and code-server's runner extension) with esbuild. The suite
// keeps `vscode` (the host provides it) and `mocha` (resolved from this repository's node_modules)
// external, so desktop VS Code and code-server load the same file.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import * as esbuild from 'esbuild';

export const ROOT = resolve(__dirname, '..', '..');
export const OUT = join(ROOT, '.build', 'extension-host');
/** The bundled suite: `run()` for @vscode/test-electron, `runSuite(log)` for the runner extension. */
export const SUITE = join(OUT, 'suite.js');

const common: esbuild.BuildOptions = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  sourcemap: 'inline',
  sourcesContent: false,
  external: ['vscode', 'mocha'],
  logLevel: 'warning',
};

export async function buildSuite(): Promise<string> {
  rmSync(OUT, { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'test', 'extension-host', 'suite', 'index.ts')],
    outfile: SUITE,
  });
  return SUITE;
}

/** Builds and packages the runner extension for code-server; returns the .vsix path. */
export async function buildRunnerExtension(): Promise<string> {
  const dir = join(OUT, 'runner');
  mkdirSync(dir, { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: [join(ROOT, 'test', 'extension-host', 'runner', 'extension.ts')],
    outfile: join(dir, 'extension.js'),
  });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify(
      {
        name: 'extension-host-test-runner',
        displayName: 'Workshop Pipeline extension-host test runner',
        description: 'Runs the Workshop Pipeline extension-host suite inside code-server (tests only).',
        version: '0.0.1',
        publisher: 'workshop-pipeline-tests',
        license: 'MIT',
        private: true,
        engines: { vscode: '^1.90.0' },
        extensionKind: ['workspace'],
        activationEvents: ['onStartupFinished'],
        main: './extension.js',
      },
      null,
      2,
    ),
  );
  writeFileSync(
    join(dir, 'README.md'),
    'Runs the Workshop Pipeline extension-host suite inside code-server. Test use only.\n',
  );
  writeFileSync(join(dir, 'LICENSE'), 'MIT\n');
  const vsix = join(OUT, 'extension-host-test-runner.vsix');
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
