// The Commit and Push flow without the editor, on real git repositories: a bare repository stands in
// for CodeCommit, the questions are answered by a script, and git's own pull --rebase does the rebase.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pullRebase, runGit } from '../../../src/git/gitCli';
import { HELPER_MESSAGE_PREFIX } from '../../../src/git/credentialHelper';
import { scanForSecrets, type SecretFinding } from '../../../src/findings/secretScan';
import { readPushContent } from '../../../src/git/pushContent';
import {
  commitAndPush,
  type PushFlowDeps,
  type PushPrompts,
  type PushRepository,
  type ScanRequest,
} from '../../../src/git/pushFlow';
import { silentLogger } from '../../../src/shared/logger';
import { CliGitRepository } from '../../support/cliGitRepository';

const target = { repositoryName: 'modernization-workshop', branch: 'master' };

describe('push flow', () => {
  let base: string;
  let env: NodeJS.ProcessEnv;
  let count = 0;

  before(() => {
    base = mkdtempSync(join(tmpdir(), 'wp-push-flow-'));
    // No user or system git config can reach these repositories.
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

  const git = async (cwd: string, ...args: string[]) => (await runGit(args, cwd, env)).stdout.trim();

  /** A bare "CodeCommit" repository, optionally with a first commit on master, and its clone URL. */
  async function remote(withFirstCommit: boolean): Promise<{ path: string; cloneUrl: string }> {
    const path = join(base, `remote-${++count}.git`);
    await runGit(['init', '-q', '--bare', '-b', 'master', path], base, env);
    if (withFirstCommit) {
      const seed = join(base, `seed-${count}`);
      await runGit(['clone', '-q', path, seed], base, env);
      writeFileSync(join(seed, 'app.js'), 'console.log("v1");\n');
      await git(seed, 'add', '-A');
      await git(seed, 'commit', '-qm', 'First');
      await git(seed, 'push', '-q', 'origin', 'HEAD:master');
    }
    return { path, cloneUrl: `file://${path}` };
  }

  async function clone(from: { cloneUrl: string }, remoteName = 'codecommit'): Promise<CliGitRepository> {
    const dir = join(base, `work-${++count}`);
    await runGit(['clone', '-q', '-o', remoteName, from.cloneUrl, dir], base, env);
    return new CliGitRepository(dir, env);
  }

  /** Answers every question as told and records what was asked. */
  function script(answers: Partial<Record<keyof PushPrompts, unknown>> = {}) {
    const asked: string[] = [];
    const prompts: PushPrompts = {
      addRemote: (repository, name) => (
        asked.push(`addRemote ${repository} ${name}`),
        Promise.resolve(answers.addRemote !== false)
      ),
      stageAll: (changes) => (asked.push(`stageAll ${changes}`), Promise.resolve(answers.stageAll !== false)),
      commitMessage: () => (asked.push('commitMessage'), Promise.resolve(answers.commitMessage as string | undefined)),
      otherBranch: (head) => (
        asked.push(`otherBranch ${head}`),
        Promise.resolve(answers.otherBranch as 'push' | 'switch')
      ),
      pullRebase: () => (asked.push('pullRebase'), Promise.resolve(answers.pullRebase !== false)),
      pushing: (_target, push) => push(),
    };
    return { prompts, asked };
  }

  function deps(repository: PushRepository, cloneUrl: string, prompts: PushPrompts, followed: string[]): PushFlowDeps {
    return {
      destination: { target, cloneUrl },
      repository,
      prompts,
      pullRebase: (cwd, remoteName, branch) => pullRebase(cwd, remoteName, branch, env),
      onPushed: (commitId) => followed.push(commitId),
      log: silentLogger,
    };
  }

  it('adds the remote and stages everything with consent, commits with the typed message, pushes and follows the commit', async () => {
    const codecommit = await remote(false);
    const dir = join(base, `fresh-${++count}`);
    await runGit(['init', '-q', '-b', 'master', dir], base, env);
    writeFileSync(join(dir, 'server.js'), 'require("http").createServer().listen(8080);\n');
    const repo = new CliGitRepository(dir, env);
    const { prompts, asked } = script({ commitMessage: '  Add the server  ' });
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.deepEqual(asked, ['addRemote modernization-workshop codecommit', 'stageAll 1', 'commitMessage']);
    const head = await git(dir, 'rev-parse', 'HEAD');
    assert.deepEqual(result, { kind: 'pushed', commitId: head, remote: 'codecommit' });
    assert.deepEqual(followed, [head]);
    assert.equal(await git(dir, 'log', '-1', '--format=%s'), 'Add the server');
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), head);
    // Pushed with upstream, so the branch now tracks the CodeCommit remote.
    assert.equal(await git(dir, 'rev-parse', '--abbrev-ref', '@{upstream}'), 'codecommit/master');
  });

  it('commits the staged changes with the Source Control message, without asking, and clears the message box', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    writeFileSync(join(repo.rootUri.fsPath, 'app.js'), 'console.log("v2");\n');
    writeFileSync(join(repo.rootUri.fsPath, 'notes.txt'), 'not staged\n');
    await git(repo.rootUri.fsPath, 'add', 'app.js');
    repo.inputBox.value = 'Version 2';
    const { prompts, asked } = script();
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.equal(result.kind, 'pushed');
    assert.deepEqual(asked, []);
    assert.equal(repo.inputBox.value, '');
    assert.equal(await git(repo.rootUri.fsPath, 'show', '--name-only', '--format=%s', 'HEAD'), 'Version 2\n\napp.js');
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), followed[0]);
  });

  it('declining to stage changes nothing and pushes nothing', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    writeFileSync(join(repo.rootUri.fsPath, 'app.js'), 'console.log("v2");\n');
    const before = await git(repo.rootUri.fsPath, 'rev-parse', 'HEAD');
    const { prompts, asked } = script({ stageAll: false });
    const followed: string[] = [];

    assert.deepEqual(await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed)), { kind: 'stopped' });
    assert.deepEqual(asked, ['stageAll 1']);
    assert.equal(await git(repo.rootUri.fsPath, 'rev-parse', 'HEAD'), before);
    assert.equal(await git(repo.rootUri.fsPath, 'status', '--porcelain'), 'M app.js');
    assert.deepEqual(followed, []);
  });

  it('a push the remote rejects is rebased onto it with consent, and the rebased commit is the one followed', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    const colleague = await clone(codecommit, 'origin');
    writeFileSync(join(colleague.rootUri.fsPath, 'README.md'), 'Shared notes\n');
    await git(colleague.rootUri.fsPath, 'add', '-A');
    await git(colleague.rootUri.fsPath, 'commit', '-qm', 'Add notes');
    await git(colleague.rootUri.fsPath, 'push', '-q', 'origin', 'master');

    writeFileSync(join(repo.rootUri.fsPath, 'VERSION'), '2\n');
    await git(repo.rootUri.fsPath, 'add', 'VERSION');
    const { prompts, asked } = script({ commitMessage: 'Bump version' });
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.deepEqual(asked, ['commitMessage', 'pullRebase']);
    const head = await git(repo.rootUri.fsPath, 'rev-parse', 'HEAD');
    assert.deepEqual(result, { kind: 'pushed', commitId: head, remote: 'codecommit' });
    assert.deepEqual(followed, [head]);
    assert.deepEqual((await git(repo.rootUri.fsPath, 'log', '--format=%s')).split('\n'), [
      'Bump version',
      'Add notes',
      'First',
    ]);
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), head);
  });

  it('a rebase that conflicts is undone, says where, and pushes nothing', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    const colleague = await clone(codecommit, 'origin');
    writeFileSync(join(colleague.rootUri.fsPath, 'app.js'), 'console.log("theirs");\n');
    await git(colleague.rootUri.fsPath, 'commit', '-qam', 'Theirs');
    await git(colleague.rootUri.fsPath, 'push', '-q', 'origin', 'master');
    const remoteHead = await git(codecommit.path, 'rev-parse', 'master');

    writeFileSync(join(repo.rootUri.fsPath, 'app.js'), 'console.log("mine");\n');
    await git(repo.rootUri.fsPath, 'add', 'app.js');
    const { prompts } = script({ commitMessage: 'Mine' });
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.equal(result.kind, 'stopped');
    assert.ok(result.kind === 'stopped' && result.notice);
    assert.equal(result.notice.severity, 'error');
    assert.match(result.notice.message, /^Rebasing onto codecommit\/master conflicts in app\.js\. Nothing was changed/);
    assert.equal(await git(repo.rootUri.fsPath, 'log', '-1', '--format=%s'), 'Mine');
    assert.equal(await git(repo.rootUri.fsPath, 'status', '--porcelain'), '');
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), remoteHead);
    assert.deepEqual(followed, []);
  });

  it('uncommitted work that conflicts with the pulled changes stops before pushing and says where it is', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    const colleague = await clone(codecommit, 'origin');
    writeFileSync(join(colleague.rootUri.fsPath, 'app.js'), 'console.log("theirs");\n');
    await git(colleague.rootUri.fsPath, 'commit', '-qam', 'Theirs');
    await git(colleague.rootUri.fsPath, 'push', '-q', 'origin', 'master');
    const remoteHead = await git(codecommit.path, 'rev-parse', 'master');

    const dir = repo.rootUri.fsPath;
    writeFileSync(join(dir, 'server.js'), 'listen(8080);\n');
    await git(dir, 'add', 'server.js');
    writeFileSync(join(dir, 'app.js'), 'console.log("my uncommitted edit");\n');
    const { prompts, asked } = script({ commitMessage: 'Server' });
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.deepEqual(asked, ['commitMessage', 'pullRebase']);
    assert.equal(result.kind, 'stopped');
    assert.ok(result.kind === 'stopped' && result.notice);
    assert.equal(result.notice.severity, 'error');
    assert.match(result.notice.message, /^Nothing was pushed\./);
    assert.match(result.notice.message, /conflict with the pulled ones in app\.js/);
    assert.match(result.notice.message, /safe in the stash \(stash@\{0\}\)/);
    assert.match(result.notice.message, /git checkout HEAD -- app\.js/);
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), remoteHead);
    assert.deepEqual(followed, []);
    // The edit is really in the stash, and the undo the message gives brings the pulled file back.
    assert.match(await git(dir, 'stash', 'show', '-p', 'stash@{0}'), /\+console\.log\("my uncommitted edit"\);/);
    await git(dir, 'checkout', 'HEAD', '--', 'app.js');
    assert.equal(await git(dir, 'status', '--porcelain'), '');
    assert.equal(await git(dir, 'stash', 'list'), 'stash@{0}: autostash');
  });

  it('a pull that git refuses keeps git’s whole error, naming the file, and pushes nothing', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    const colleague = await clone(codecommit, 'origin');
    writeFileSync(join(colleague.rootUri.fsPath, 'new.txt'), 'theirs\n');
    await git(colleague.rootUri.fsPath, 'add', 'new.txt');
    await git(colleague.rootUri.fsPath, 'commit', '-qm', 'New');
    await git(colleague.rootUri.fsPath, 'push', '-q', 'origin', 'master');

    const dir = repo.rootUri.fsPath;
    writeFileSync(join(dir, 'server.js'), 'listen(8080);\n');
    await git(dir, 'add', 'server.js');
    writeFileSync(join(dir, 'new.txt'), 'mine, untracked\n');
    const { prompts } = script({ commitMessage: 'Server' });
    const followed: string[] = [];

    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, followed));

    assert.equal(result.kind, 'stopped');
    assert.ok(result.kind === 'stopped' && result.notice);
    assert.match(result.notice.message, /^Pulling codecommit\/master with rebase failed, so nothing was pushed\./);
    assert.match(result.notice.message, /untracked working tree files would be overwritten[\s\S]*new\.txt/);
    assert.deepEqual(followed, []);
  });

  it('a Cancel is honoured before the push and before the pull, saying what had already happened', async () => {
    const codecommit = await remote(true);
    const remoteHead = await git(codecommit.path, 'rev-parse', 'master');
    const repo = await clone(codecommit);
    const dir = repo.rootUri.fsPath;
    writeFileSync(join(dir, 'app.js'), 'console.log("v2");\n');
    await git(dir, 'add', 'app.js');
    // Cancel pressed while the commit message was being typed: the commit is made, nothing is pushed.
    const controller = new AbortController();
    const typed = script();
    typed.prompts.commitMessage = () => (controller.abort(), Promise.resolve('v2'));
    const followed: string[] = [];
    const first = await commitAndPush({
      ...deps(repo, codecommit.cloneUrl, typed.prompts, followed),
      signal: controller.signal,
    });
    const head = await git(dir, 'rev-parse', 'HEAD');
    assert.deepEqual(first, {
      kind: 'stopped',
      notice: {
        severity: 'info',
        message: `Commit and Push cancelled: your commit ${head.slice(0, 7)} was made locally and not pushed. Run Commit and Push again to push it.`,
      },
    });
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), remoteHead);

    // The remote moved on; Cancel pressed while the pull question was open: nothing is pulled.
    const colleague = await clone(codecommit, 'origin');
    writeFileSync(join(colleague.rootUri.fsPath, 'other.js'), '1\n');
    await git(colleague.rootUri.fsPath, 'add', 'other.js');
    await git(colleague.rootUri.fsPath, 'commit', '-qm', 'Theirs');
    await git(colleague.rootUri.fsPath, 'push', '-q', 'origin', 'master');
    const theirs = await git(codecommit.path, 'rev-parse', 'master');
    const again = new AbortController();
    const asked = script();
    asked.prompts.pullRebase = () => (again.abort(), Promise.resolve(true));
    const second = await commitAndPush({
      ...deps(repo, codecommit.cloneUrl, asked.prompts, followed),
      signal: again.signal,
    });
    assert.deepEqual(second, {
      kind: 'stopped',
      notice: {
        severity: 'info',
        message: 'Commit and Push cancelled: nothing was pulled or pushed; your commits and work are as they were.',
      },
    });
    assert.equal(await git(dir, 'rev-parse', 'HEAD'), head);
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), theirs);
    assert.deepEqual(followed, []);
  });

  it('from another branch, pushes HEAD to the watched branch when asked, or switches to it', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    await git(repo.rootUri.fsPath, 'checkout', '-qb', 'feature');
    writeFileSync(join(repo.rootUri.fsPath, 'feature.js'), '1\n');
    await git(repo.rootUri.fsPath, 'add', '-A');
    await git(repo.rootUri.fsPath, 'commit', '-qm', 'Feature');

    const switching = script({ otherBranch: 'switch' });
    const switched = await commitAndPush(deps(repo, codecommit.cloneUrl, switching.prompts, []));
    assert.deepEqual(switching.asked, ['otherBranch feature']);
    assert.deepEqual(switched, {
      kind: 'stopped',
      notice: {
        severity: 'info',
        message: 'Switched to master. Commit your change there and run Commit and Push again.',
      },
    });
    assert.equal(await git(repo.rootUri.fsPath, 'branch', '--show-current'), 'master');

    await git(repo.rootUri.fsPath, 'checkout', '-q', 'feature');
    const pushing = script({ otherBranch: 'push' });
    const followed: string[] = [];
    const pushed = await commitAndPush(deps(repo, codecommit.cloneUrl, pushing.prompts, followed));
    const head = await git(repo.rootUri.fsPath, 'rev-parse', 'HEAD');
    assert.equal(pushed.kind, 'pushed');
    assert.equal(await git(codecommit.path, 'rev-parse', 'master'), head);
    assert.equal(await git(codecommit.path, 'branch', '--list', 'feature'), '');
    assert.deepEqual(followed, [head]);
  });

  it('with nothing to commit and the branch up to date, says so and pushes nothing', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    const { prompts, asked } = script();
    const result = await commitAndPush(deps(repo, codecommit.cloneUrl, prompts, []));
    assert.deepEqual(asked, []);
    assert.deepEqual(result, {
      kind: 'stopped',
      notice: { severity: 'info', message: 'Nothing to commit, and master is up to date with codecommit/master.' },
    });
  });

  it('a push refused by the credential helper ends with the helper’s own words', async () => {
    const codecommit = await remote(true);
    const repo = await clone(codecommit);
    writeFileSync(join(repo.rootUri.fsPath, 'app.js'), 'console.log("v2");\n');
    await git(repo.rootUri.fsPath, 'add', 'app.js');
    const refused = Object.assign(Object.create(repo) as CliGitRepository, {
      push: () =>
        Promise.reject(
          Object.assign(new Error('git push failed'), {
            stderr: `${HELPER_MESSAGE_PREFIX}no AWS credentials for profile "default". Run "aws configure".\nfatal: could not read Username`,
          }),
        ),
    });
    const { prompts } = script({ commitMessage: 'v2' });
    const followed: string[] = [];
    const result = await commitAndPush(deps(refused, codecommit.cloneUrl, prompts, followed));
    assert.deepEqual(result, {
      kind: 'stopped',
      notice: { severity: 'error', message: 'no AWS credentials for profile "default". Run "aws configure".' },
    });
    assert.deepEqual(followed, []);
  });

  describe('the secret scan before the push', () => {
    // Split so that no scanner of this repository takes the test itself for a leak.
    const LEAK = `const id = "${'AKIA' + 'Q3EGRIGHTSIDEUPQ'}";\n`;

    /** The real scan of what the push would send; the answer to a finding is scripted. */
    function scanning(answer: 'push' | 'stop') {
      const requests: ScanRequest[] = [];
      const found: SecretFinding[][] = [];
      const scanBeforePush = async (request: ScanRequest) => {
        requests.push(request);
        const { findings } = await scanForSecrets(await readPushContent({ ...request, env }));
        found.push([...findings]);
        return findings.length > 0 ? answer : 'push';
      };
      return { scanBeforePush, requests, found };
    }

    it('Cancel on a staged key commits nothing and leaves the remote branch unchanged', async () => {
      const codecommit = await remote(true);
      const repo = await clone(codecommit);
      const dir = repo.rootUri.fsPath;
      writeFileSync(join(dir, 'leak.js'), `// config\n${LEAK}`);
      await git(dir, 'add', 'leak.js');
      const remoteBefore = await git(codecommit.path, 'rev-parse', 'master');
      const headBefore = await git(dir, 'rev-parse', 'HEAD');
      const scan = scanning('stop');
      const followed: string[] = [];

      const result = await commitAndPush({
        ...deps(repo, codecommit.cloneUrl, script({ commitMessage: 'leak' }).prompts, followed),
        scanBeforePush: scan.scanBeforePush,
      });

      assert.deepEqual(result, { kind: 'stopped' });
      assert.deepEqual(
        scan.found.flat().map((f) => `${f.path}:${f.line} ${f.ruleId}`),
        ['leak.js:2 aws-access-token'],
      );
      assert.equal(scan.requests[0]?.staged, true);
      assert.equal(await git(dir, 'rev-parse', 'HEAD'), headBefore);
      assert.equal(await git(codecommit.path, 'rev-parse', 'master'), remoteBefore);
      assert.deepEqual(followed, []);
    });

    it('finds a key in a commit ahead of the remote branch, even one a later commit removed it from', async () => {
      const codecommit = await remote(true);
      const repo = await clone(codecommit);
      const dir = repo.rootUri.fsPath;
      writeFileSync(join(dir, 'leak.js'), LEAK);
      await git(dir, 'add', 'leak.js');
      await git(dir, 'commit', '-qm', 'leak');
      const leaking = await git(dir, 'rev-parse', 'HEAD');
      writeFileSync(join(dir, 'leak.js'), 'const id = process.env.KEY_ID;\n');
      await git(dir, 'commit', '-qam', 'fix');
      const remoteBefore = await git(codecommit.path, 'rev-parse', 'master');
      const scan = scanning('stop');

      const result = await commitAndPush({
        ...deps(repo, codecommit.cloneUrl, script().prompts, []),
        scanBeforePush: scan.scanBeforePush,
      });

      assert.deepEqual(result, { kind: 'stopped' });
      assert.equal(scan.requests[0]?.staged, false);
      assert.deepEqual(
        scan.found.flat().map((f) => `${f.commit}:${f.path}:${f.line}`),
        [`${leaking}:leak.js:1`],
      );
      assert.equal(await git(codecommit.path, 'rev-parse', 'master'), remoteBefore);
    });

    it('Push Anyway commits and pushes the key; a clean change is pushed without a question', async () => {
      const codecommit = await remote(true);
      const repo = await clone(codecommit);
      const dir = repo.rootUri.fsPath;
      writeFileSync(join(dir, 'leak.js'), LEAK);
      await git(dir, 'add', 'leak.js');
      const anyway = scanning('push');
      const followed: string[] = [];
      const pushed = await commitAndPush({
        ...deps(repo, codecommit.cloneUrl, script({ commitMessage: 'leak' }).prompts, followed),
        scanBeforePush: anyway.scanBeforePush,
      });
      assert.equal(pushed.kind, 'pushed');
      assert.equal(anyway.found.flat().length, 1);
      assert.equal(await git(codecommit.path, 'rev-parse', 'master'), followed[0]);

      writeFileSync(join(dir, 'leak.js'), 'const id = process.env.KEY_ID;\n');
      await git(dir, 'add', 'leak.js');
      const clean = scanning('stop');
      const again = await commitAndPush({
        ...deps(repo, codecommit.cloneUrl, script({ commitMessage: 'fix' }).prompts, followed),
        scanBeforePush: clean.scanBeforePush,
      });
      assert.equal(again.kind, 'pushed');
      assert.deepEqual(clean.found, [[]]);
    });

    it('reads a first push whole: every commit no ref of the remote has', async () => {
      const codecommit = await remote(false);
      const dir = join(base, `fresh-${++count}`);
      await runGit(['init', '-q', '-b', 'master', dir], base, env);
      writeFileSync(join(dir, 'a.js'), 'one\ntwo\n');
      await git(dir, 'add', '-A');
      await git(dir, 'commit', '-qm', 'first');
      writeFileSync(join(dir, 'a.js'), `one\n${LEAK}two\n`);
      await git(dir, 'commit', '-qam', 'second');
      await git(dir, 'remote', 'add', 'codecommit', codecommit.cloneUrl);
      const content = await readPushContent({ cwd: dir, remote: 'codecommit', branch: 'master', staged: false, env });
      assert.equal(content.commits, 2);
      const second = content.added.find((a) => a.content.includes('AKIA'));
      assert.deepEqual(second && { path: second.path, lines: second.lines }, { path: 'a.js', lines: [2] });
    });
  });
});
