// Runs one test suite (`unit`, `integration`, …) with node's built-in runner over TypeScript via tsx.
// Node 20's `--test` cannot glob .ts files itself, so the files are listed here. Commands the
// prerequisites step installed into the cache (cfn-lint, when the machine had none) go on PATH.
import { readdirSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { toolsBinDir } from './cache.cjs';

const suite = process.argv[2];
if (!suite) {
  console.error('usage: node scripts/run-tests.mjs <suite> [--coverage]');
  process.exit(2);
}
const dir = join('test', suite);
const files = readdirSync(dir, { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join(dir, f))
  .sort();
if (files.length === 0) {
  console.error(`no test files under ${dir}`);
  process.exit(1);
}
const nodeArgs = ['--import', 'tsx', '--test', '--test-reporter', 'spec', ...files];
const coverage = process.argv.includes('--coverage');
const [cmd, args] = coverage
  ? [
      process.execPath,
      [
        join('node_modules', 'c8', 'bin', 'c8.js'),
        '--reporter',
        'text-summary',
        '--reporter',
        'html',
        '--include',
        'src/**',
        '--include',
        'test/sandbox/**',
        process.execPath,
        ...nodeArgs,
      ],
    ]
  : [process.execPath, nodeArgs];
const env = { ...process.env, PATH: [process.env.PATH, toolsBinDir()].filter(Boolean).join(delimiter) };
const result = spawnSync(cmd, args, { stdio: 'inherit', env });
process.exit(result.status ?? 1);
