// Bundles the extension (esbuild-sample style). Three entry points, all CommonJS for VS Code's
// Node extension host: the activation bundle, the lazily required AWS SDK chunk, and the git
// credential helper that git runs as its own process.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const entryPoints = {
  extension: 'src/extension.ts',
  // Lazy chunks: required on first use by src/aws/sdkLoader.ts, src/deploy/cfnYamlLoader.ts and
  // src/findings/secretScanLoader.ts.
  sdk: 'src/aws/sdk.ts',
  cfnYaml: 'src/deploy/cfnYaml.ts',
  secretScan: 'src/findings/secretScan.ts',
};
if (existsSync('src/git/credentialHelperMain.ts')) {
  entryPoints['git-credential-codecommit'] = 'src/git/credentialHelperMain.ts';
}

/** Keeps the lazy chunks out of the activation bundle: a loader's `require('./x')` stays a runtime require of dist/x.js. */
const lazyChunks = {
  name: 'lazy-chunks',
  setup(build) {
    build.onResolve({ filter: /^\.\/(sdk|cfnYaml|secretScan)$/ }, (args) =>
      args.importer.endsWith('Loader.ts') ? { path: `${args.path}.js`, external: true } : undefined,
    );
  },
};

/** Prints problems like tsc does, so editors' problem matchers pick them up in watch mode. */
const problemReporter = {
  name: 'problem-reporter',
  setup(build) {
    build.onStart(() => console.log(`[${watch ? 'watch' : 'build'}] started`));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) {
          console.error(`    ${location.file}:${location.line}:${location.column}:`);
        }
      }
      console.log(`[${watch ? 'watch' : 'build'}] finished`);
    });
  },
};

// A stale source map or chunk from an earlier build must not end up in the .vsix.
rmSync('dist', { recursive: true, force: true });

const ctx = await esbuild.context({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node18',
  minify: production,
  sourcemap: !production,
  sourcesContent: false,
  external: ['vscode'],
  metafile: true,
  logLevel: 'silent',
  plugins: [lazyChunks, problemReporter],
});

if (watch) {
  await ctx.watch();
} else {
  const result = await ctx.rebuild();
  await ctx.dispose();
  // The metafile feeds the bundle test and the benchmark's chunk sizes; it is not shipped.
  mkdirSync('.build', { recursive: true });
  writeFileSync('.build/meta.json', JSON.stringify(result.metafile));
  for (const [file, output] of Object.entries(result.metafile.outputs)) {
    if (file.endsWith('.js')) {
      console.log(`${file.padEnd(40)} ${(output.bytes / 1024).toFixed(1).padStart(8)} KiB`);
    }
  }
  if (result.errors.length > 0) {
    process.exit(1);
  }
}
