// Findings of a built commit placed in today's workspace, on real git repositories: the line whose
// text still matches (moved when lines were inserted above it), a renamed file, a changed or deleted
// line or file (dropped), a vulnerable package on its lock file line, an image's on the FROM line.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isLockFile, packageLine, placeFinding, relocateLine } from '../../../src/findings/placement';
import { findingOf, type Finding } from '../../../src/findings/reportFindings';
import { runGit } from '../../../src/git/gitCli';
import { parseNameStatus, RepoFilesAtCommit } from '../../../src/git/repoFiles';

const LEAK = 'const key = "AKIA' + 'Q3EGRIGHTSIDEUPQ";';
const LOCK = JSON.stringify(
  {
    name: 'app',
    lockfileVersion: 3,
    packages: {
      '': { name: 'app', dependencies: { lodash: '4.17.11' } },
      'node_modules/express': { version: '4.19.2' },
      'node_modules/lodash': { version: '4.17.11' },
    },
  },
  null,
  2,
);
const DOCKERFILE =
  '# app image\nFROM node:18-alpine AS build\nRUN npm ci\nFROM nginx:latest\nCOPY . /usr/share/nginx/html\n';

const secret = (path: string, line: number): Finding =>
  findingOf({ name: `aws-access-token has detected a secret in file ${path}, line ${line}.`, status: 'FAILED' })!;
const vulnerable = (classname: string, target: string): Finding =>
  findingOf({ prefix: classname, name: '[HIGH] CVE-2020-8203', status: 'FAILED', testSuiteName: target })!;

describe('placing findings of a commit in the workspace', () => {
  let base: string;
  let env: NodeJS.ProcessEnv;
  let count = 0;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'wp-placement-'));
    env = {
      PATH: process.env.PATH,
      HOME: base,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: join(base, 'no-gitconfig'),
      GIT_AUTHOR_NAME: 'Workshop User',
      GIT_AUTHOR_EMAIL: 'user@example.com',
      GIT_COMMITTER_NAME: 'Workshop User',
      GIT_COMMITTER_EMAIL: 'user@example.com',
    };
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  /** A repository with one commit of these files; returns its root and the commit. */
  async function repo(
    files: Record<string, string>,
  ): Promise<{ root: string; commit: string; files: RepoFilesAtCommit }> {
    const root = join(base, `r${++count}`);
    mkdirSync(root);
    await runGit(['init', '-q', '-b', 'master'], root, env);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    await runGit(['add', '-A'], root, env);
    await runGit(['commit', '-q', '-m', 'built'], root, env);
    const commit = (await runGit(['rev-parse', 'HEAD'], root, env)).stdout.trim();
    return { root, commit, files: new RepoFilesAtCommit(root, commit, isLockFile, env) };
  }

  const options = { dockerfile: 'Dockerfile' };

  it('keeps an unchanged line where the report put it', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n` });
    const p = await placeFinding(secret('leak.js', 2), r.files, options);
    assert.deepEqual(p && { path: p.path, line: p.line, text: p.text }, { path: 'leak.js', line: 2, text: LEAK });
  });

  it('follows the line when lines were inserted above it since the commit', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n` });
    writeFileSync(join(r.root, 'leak.js'), `// config\n// more\n// and more\n${LEAK}\n`);
    assert.equal((await placeFinding(secret('leak.js', 2), r.files, options))?.line, 4);
  });

  it('drops the finding when the line was changed (the key removed)', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n` });
    writeFileSync(join(r.root, 'leak.js'), `// config\nconst key = process.env.KEY;\n`);
    assert.equal(await placeFinding(secret('leak.js', 2), r.files, options), undefined);
  });

  it('follows a file renamed since the commit', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n` });
    mkdirSync(join(r.root, 'src'));
    renameSync(join(r.root, 'leak.js'), join(r.root, 'src', 'config.js'));
    await runGit(['add', '-A'], r.root, env);
    const p = await placeFinding(secret('leak.js', 2), r.files, options);
    assert.deepEqual(p && { path: p.path, line: p.line }, { path: 'src/config.js', line: 2 });
  });

  it('follows a file renamed in the working tree but not staged, leaving the index as it was', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n`, 'index.js': 'x\n' });
    mkdirSync(join(r.root, 'lib'));
    renameSync(join(r.root, 'leak.js'), join(r.root, 'lib', 'keys.js'));
    writeFileSync(join(r.root, 'lib', 'keys.js'), `// config\n// moved here\n${LEAK}\n`);
    const before = (await runGit(['status', '--porcelain=v1', '-z'], r.root, env)).stdout;
    const p = await placeFinding(secret('leak.js', 2), r.files, options);
    assert.deepEqual(p && { path: p.path, line: p.line }, { path: 'lib/keys.js', line: 3 });
    assert.equal((await runGit(['status', '--porcelain=v1', '-z'], r.root, env)).stdout, before, 'index untouched');
    assert.match(before, /\?\? lib\//, 'the renamed file is still untracked');
  });

  it('drops the finding of a file deleted since the commit', async () => {
    const r = await repo({ 'leak.js': `${LEAK}\n`, 'index.js': 'x\n' });
    rmSync(join(r.root, 'leak.js'));
    assert.equal(await placeFinding(secret('leak.js', 1), r.files, options), undefined);
  });

  it('uses the report’s line as is when the built commit is not in the local repository', async () => {
    const r = await repo({ 'leak.js': `// config\n${LEAK}\n` });
    const unknown = new RepoFilesAtCommit(r.root, 'f'.repeat(40), isLockFile, env);
    assert.equal((await placeFinding(secret('leak.js', 2), unknown, options))?.line, 2);
    assert.equal(await placeFinding(secret('leak.js', 9), unknown, options), undefined);
  });

  it('puts a vulnerable dependency on the lock file line that declares it', async () => {
    const r = await repo({ 'package-lock.json': LOCK, Dockerfile: DOCKERFILE });
    const p = await placeFinding(vulnerable('lodash-4.17.11', 'package-lock.json'), r.files, options);
    assert.equal(p?.path, 'package-lock.json');
    assert.match(p?.text ?? '', /"node_modules\/lodash": \{/);
  });

  it('drops a vulnerable dependency once the lock file upgraded it', async () => {
    const r = await repo({ 'package-lock.json': LOCK, Dockerfile: DOCKERFILE });
    writeFileSync(join(r.root, 'package-lock.json'), LOCK.replace('"version": "4.17.11"', '"version": "4.17.21"'));
    assert.equal(await placeFinding(vulnerable('lodash-4.17.11', 'package-lock.json'), r.files, options), undefined);
  });

  it('puts a package of the base image on the Dockerfile’s last FROM line', async () => {
    const r = await repo({ 'package-lock.json': LOCK, Dockerfile: DOCKERFILE });
    const p = await placeFinding(
      vulnerable('libssl3-3.0.11-1~deb12u2', 'nginx:latest (debian 12.5)'),
      r.files,
      options,
    );
    assert.deepEqual(p && { path: p.path, line: p.line }, { path: 'Dockerfile', line: 4 });
  });

  it('finds packages in yarn and pnpm lock files', () => {
    const yarn = '# yarn lockfile v1\n\n\n"lodash@^4.17.0", lodash@^4.17.11:\n  version "4.17.11"\n  resolved "x"\n';
    assert.equal(packageLine(yarn, 'yarn.lock', 'lodash', '4.17.11'), 4);
    const pnpm = "lockfileVersion: '9.0'\npackages:\n\n  lodash@4.17.11:\n    resolution: {integrity: x}\n";
    assert.equal(packageLine(pnpm, 'pnpm-lock.yaml', 'lodash', '4.17.11'), 4);
    assert.equal(packageLine(pnpm, 'pnpm-lock.yaml', 'lodash', '4.17.21'), undefined);
  });

  it('relocates to the nearest identical line and never follows a blank one', () => {
    assert.equal(relocateLine('x', 5, ['x', '', '', '', 'y', '', 'x']), 7);
    assert.equal(relocateLine('', 2, ['a', 'b', '']), undefined);
  });

  it('reads renames and deletions from git diff --name-status -z', () => {
    const map = parseNameStatus('R087\0old.js\0new.js\0D\0gone.js\0M\0kept.js\0');
    assert.deepEqual(
      [...map],
      [
        ['old.js', 'new.js'],
        ['gone.js', null],
      ],
    );
  });
});
