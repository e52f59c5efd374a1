// The pre-push secret scan on a typical commit: what Commit and Push runs before it commits, with the
// production chunk (dist/secretScan.js) the extension loads. A real git repository one commit ahead
// of its remote plus staged changes: several files of ordinary code, a few hundred added lines.
// "First" includes loading the chunk (the first push of a session); the median is every later push.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { SecretScanModule } from '../src/findings/secretScanLoader';
import { runGit } from '../src/git/gitCli';
import { readPushContent } from '../src/git/pushContent';
import { median, round } from './common';

export interface SecretScanResult {
  readonly files: number;
  readonly addedLines: number;
  readonly firstMs: number;
  readonly samplesMs: number[];
  readonly medianMs: number;
}

/** Ordinary source text: functions, strings and numbers, nothing secret. */
function sourceFile(seed: number, lines: number): string {
  const out: string[] = [`// module ${seed}`, "'use strict';"];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `function handler${seed}_${i}(request, response) {`,
      `  const id = request.params.id ?? 'item-${seed}-${i}';`,
      `  response.setHeader('Content-Type', 'application/json');`,
      `  return response.end(JSON.stringify({ id, total: ${seed * 1000 + i}, tags: ['a', 'b'] }));`,
      '}',
    );
  }
  return `${out.join('\n')}\n`;
}

export async function measureSecretScan(samples: number): Promise<SecretScanResult> {
  const base = mkdtempSync(join(tmpdir(), 'wp-bench-scan-'));
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: base,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(base, 'no-gitconfig'),
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.com',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.com',
  };
  try {
    const remote = join(base, 'remote.git');
    const work = join(base, 'work');
    await runGit(['init', '-q', '--bare', '-b', 'master', remote], base, env);
    await runGit(['clone', '-q', '-o', 'codecommit', remote, work], base, env);
    mkdirSync(join(work, 'src'));
    for (let f = 0; f < 20; f++) writeFileSync(join(work, 'src', `m${f}.js`), sourceFile(f, 150));
    writeFileSync(join(work, '.gitleaks.toml'), "[allowlist]\npaths = ['''^test/fixtures/''']\n");
    await runGit(['add', '-A'], work, env);
    await runGit(['commit', '-qm', 'base'], work, env);
    await runGit(['push', '-q', 'codecommit', 'HEAD:master'], work, env);
    // Ahead of the remote: one commit changing three files; staged: two more files.
    for (let f = 0; f < 3; f++) writeFileSync(join(work, 'src', `m${f}.js`), sourceFile(f + 100, 200));
    await runGit(['commit', '-qam', 'change'], work, env);
    for (let f = 3; f < 5; f++) writeFileSync(join(work, 'src', `m${f}.js`), sourceFile(f + 200, 100));
    await runGit(['add', '-A'], work, env);

    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const scanner = require(resolve('dist/secretScan.js')) as SecretScanModule;
    const once = async () => {
      const t = performance.now();
      const content = await readPushContent({ cwd: work, remote: 'codecommit', branch: 'master', staged: true, env });
      const result = await scanner.scanForSecrets(content);
      if (result.findings.length > 0) {
        throw new Error('the benchmark commit has no secrets, yet the scan found some');
      }
      return { ms: performance.now() - t, content };
    };
    const first = await once();
    const firstMs = performance.now() - started;
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push((await once()).ms);
    return {
      files: first.content.added.length,
      addedLines: first.content.added.reduce((n, a) => n + a.lines.length, 0),
      firstMs: round(firstMs, 1),
      samplesMs: times.map((t) => round(t, 1)),
      medianMs: round(median(times), 1),
    };
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
