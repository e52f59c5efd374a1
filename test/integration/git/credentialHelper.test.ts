// The built credential helper (dist/git-credential-codecommit.js) driven by real git against the
// sandbox's CodeCommit git endpoint, wired in only through the GIT_CONFIG_* environment that
// gitEnvironment.ts builds. HOME is an empty temp dir, so no user or system config takes part.
import { CodeCommitClient, CreateRepositoryCommand, GetBranchCommand } from '@aws-sdk/client-codecommit';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { codeCommitGitCredentials } from '../../../src/git/codecommitSigner';
import { gitCredentialEnvironment } from '../../../src/git/gitEnvironment';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { ensureHelperBuilt, HELPER, isolatedEnv, readableFiles, run, transcript } from './harness';

const ACCESS_KEY_ID = 'AKIAWPGITINTEGRATION';
const SECRET = `${randomBytes(30).toString('base64')}/+`;
const TOKEN = `IQoJb3JpZ2luX2Vj${randomBytes(48).toString('base64')}`;
const PASSWORD = /\d{8}T\d{6}Z[0-9a-f]{64}/;
const REPO = 'workshop-app';

describe('git credential helper with real git and the sandbox', { timeout: 120_000 }, () => {
  let sandbox: RunningSandbox;
  let root: string;
  let home: string;
  let url: string;
  let base: NodeJS.ProcessEnv;
  let gitEnv: NodeJS.ProcessEnv;

  before(async () => {
    ensureHelperBuilt();
    sandbox = await startSandbox({
      port: 0,
      services,
      credentials: [{ accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, accountId: '111122223333' }],
    });
    root = mkdtempSync(join(tmpdir(), 'wp-git-'));
    home = join(root, 'home');
    mkdirSync(home);
    const client = new CodeCommitClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    });
    await client.send(new CreateRepositoryCommand({ repositoryName: REPO }));
    client.destroy();
    url = `${sandbox.endpoint}/v1/repos/${REPO}`;
    base = isolatedEnv(home, {
      AWS_ACCESS_KEY_ID: ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: SECRET,
      AWS_SESSION_TOKEN: TOKEN,
    });
    gitEnv = {
      ...base,
      ...gitCredentialEnvironment({
        nodePath: process.execPath,
        helperPath: HELPER,
        baseEnv: base,
        endpoint: sandbox.endpoint,
        region: 'us-east-1',
      }),
    };
  });

  after(async () => {
    await sandbox?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('clones the empty repository and pushes a commit through the helper', async () => {
    const work = join(root, 'clone-a');
    const clone = await run('git', ['clone', url, work], { env: gitEnv });
    assert.equal(clone.code, 0, clone.stderr);
    writeFileSync(join(work, 'README.md'), '# Workshop app\n');
    assert.equal((await run('git', ['add', 'README.md'], { cwd: work, env: gitEnv })).code, 0);
    assert.equal((await run('git', ['commit', '-m', 'First commit'], { cwd: work, env: gitEnv })).code, 0);
    const push = await run('git', ['push', 'origin', 'HEAD:refs/heads/main'], { cwd: work, env: gitEnv });
    assert.equal(push.code, 0, push.stderr);
    const head = (await run('git', ['rev-parse', 'HEAD'], { cwd: work, env: gitEnv })).stdout.trim();

    const client = new CodeCommitClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET },
    });
    const branch = await client.send(new GetBranchCommand({ repositoryName: REPO, branchName: 'main' }));
    client.destroy();
    assert.equal(branch.branch?.commitId, head);

    const again = join(root, 'clone-b');
    assert.equal((await run('git', ['clone', url, again], { env: gitEnv })).code, 0);
    assert.equal(
      (await run('git', ['log', '-1', '--format=%s'], { cwd: again, env: gitEnv })).stdout.trim(),
      'First commit',
    );
  });

  it('rejects a wrong secret: git fails with an authentication error and does not prompt', async () => {
    const wrong = { ...gitEnv, AWS_SECRET_ACCESS_KEY: `${SECRET}x` };
    const result = await run('git', ['ls-remote', url], { env: wrong });
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /Authentication failed/);
  });

  it("without credentials, git stops with the helper's one-line explanation", async () => {
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, AWS_SESSION_TOKEN: _t, ...noKeys } = gitEnv;
    const result = await run('git', ['ls-remote', url], { env: noKeys });
    assert.notEqual(result.code, 0);
    assert.match(
      result.stderr,
      /^git-credential-codecommit: no AWS credentials for profile "default"\. Run "aws configure --profile default"/m,
    );
    assert.match(result.stderr, /told us to quit/);

    mkdirSync(join(home, '.aws'), { recursive: true });
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile corp]',
        'sso_session = corp',
        'sso_account_id = 111122223333',
        'sso_role_name = Dev',
        'region = us-east-1',
        '[sso-session corp]',
        'sso_start_url = https://example.invalid/start',
        'sso_region = us-east-1',
        '',
      ].join('\n'),
    );
    try {
      const sso = await run('git', ['ls-remote', url], { env: { ...noKeys, WORKSHOP_PIPELINE_PROFILE: 'corp' } });
      assert.notEqual(sso.code, 0);
      assert.match(
        sso.stderr,
        /git-credential-codecommit: no valid AWS credentials for profile "corp": its SSO session is missing or expired\. Run "aws sso login --profile corp"/,
      );
    } finally {
      rmSync(join(home, '.aws'), { recursive: true, force: true });
    }
  });

  it('a credential_process that hangs, or returns expired credentials, ends git with one line of why', async () => {
    const { AWS_ACCESS_KEY_ID: _k, AWS_SECRET_ACCESS_KEY: _s, AWS_SESSION_TOKEN: _t, ...noKeys } = gitEnv;
    mkdirSync(join(home, '.aws'), { recursive: true });
    const expired = JSON.stringify({
      Version: 1,
      AccessKeyId: 'AKIAEXPIREDEXAMPLE',
      SecretAccessKey: 'expired-example',
      SessionToken: 'expired-example',
      Expiration: '2000-01-01T00:00:00Z',
    });
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile hangs]',
        'credential_process = sleep 20',
        '[profile expired]',
        `credential_process = printf '%s' '${expired}'`,
        '',
      ].join('\n'),
    );
    try {
      const hung = await run('git', ['ls-remote', url], { env: { ...noKeys, WORKSHOP_PIPELINE_PROFILE: 'hangs' } });
      assert.notEqual(hung.code, 0);
      assert.match(
        hung.stderr,
        /^git-credential-codecommit: the credential source of profile "hangs" did not answer in time .* Run it in a terminal/m,
      );
      assert.match(hung.stderr, /told us to quit/);

      const old = await run('git', ['ls-remote', url], { env: { ...noKeys, WORKSHOP_PIPELINE_PROFILE: 'expired' } });
      assert.notEqual(old.code, 0);
      assert.match(
        old.stderr,
        /^git-credential-codecommit: the AWS credentials of profile "expired" have expired: its credential_process returned expired credentials\. Renew them/m,
      );
    } finally {
      rmSync(join(home, '.aws'), { recursive: true, force: true });
    }
  });

  it('with a profile and environment keys both set, says once in one line which one it uses', async () => {
    mkdirSync(join(home, '.aws'), { recursive: true });
    // The profile's process hands out the same keys, read from the environment, so none is in a file.
    const script = join(home, '.aws', 'creds.sh');
    writeFileSync(
      script,
      `#!/bin/sh\nprintf '{"Version":1,"AccessKeyId":"%s","SecretAccessKey":"%s","SessionToken":"%s"}' "$AWS_ACCESS_KEY_ID" "$AWS_SECRET_ACCESS_KEY" "$AWS_SESSION_TOKEN"\n`,
    );
    writeFileSync(join(home, '.aws', 'config'), `[profile both]\ncredential_process = sh '${script}'\n`);
    try {
      const listed = await run('git', ['ls-remote', url], { env: { ...gitEnv, WORKSHOP_PIPELINE_PROFILE: 'both' } });
      assert.equal(listed.code, 0, listed.stderr);
      assert.doesNotMatch(listed.stderr, /Multiple credential sources|WARNING/);
      const ours = listed.stderr.split('\n').filter((line) => line.startsWith('git-credential-codecommit: '));
      assert.deepEqual(ours, [
        'git-credential-codecommit: profile "both" is used; the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment are ignored (unset them, or AWS_PROFILE, to silence this).',
      ]);
    } finally {
      rmSync(join(home, '.aws'), { recursive: true, force: true });
    }
  });

  it('gives a non-CodeCommit host nothing, and ignores store and erase', async () => {
    for (const [action, input] of [
      ['get', 'protocol=https\nhost=example.com\npath=v1/repos/x\n\n'],
      ['get', `protocol=http\nhost=127.0.0.1:${sandbox.port + 1}\npath=v1/repos/${REPO}\n\n`],
      ['store', `protocol=http\nhost=127.0.0.1:${sandbox.port}\npath=v1/repos/${REPO}\nusername=u\npassword=p\n\n`],
      ['erase', `protocol=http\nhost=127.0.0.1:${sandbox.port}\npath=v1/repos/${REPO}\n\n`],
    ]) {
      const result = await run(process.execPath, [HELPER, action], { env: gitEnv, input });
      assert.deepEqual(result, { code: 0, stdout: '', stderr: '' }, `${action}: ${input}`);
    }
  });

  it('is the only helper git asks for CodeCommit URLs, even with a global helper configured', async () => {
    const spyHome = join(root, 'spy-home');
    mkdirSync(spyHome);
    const marker = join(spyHome, 'spy-calls');
    const spy = join(spyHome, 'spy.sh');
    writeFileSync(spy, `#!/bin/sh\necho "$1" >> '${marker}'\necho username=spy\necho password=spy-password\n`);
    writeFileSync(join(spyHome, '.gitconfig'), `[credential]\n\thelper = !sh '${spy}'\n`);
    const spyBase = { ...base, HOME: spyHome, XDG_CONFIG_HOME: join(spyHome, '.config') };
    const env = {
      ...spyBase,
      ...gitCredentialEnvironment({
        nodePath: process.execPath,
        helperPath: HELPER,
        baseEnv: spyBase,
        endpoint: sandbox.endpoint,
        region: 'us-east-1',
      }),
    };

    // A real AWS host: git sends the path and our answer is the signature for that region and path.
    const fill = await run('git', ['credential', 'fill'], {
      env,
      input: 'url=https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/demo\n\n',
    });
    assert.equal(fill.code, 0, fill.stderr);
    transcript.pop(); // this output holds a password by design; it is not part of the scan
    transcript.pop();
    const answer = Object.fromEntries(
      fill.stdout
        .trim()
        .split('\n')
        .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
    );
    assert.equal(answer.path, 'v1/repos/demo');
    const stamp = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(answer.password ?? '');
    assert.ok(stamp);
    const now = new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}Z`);
    const expected = codeCommitGitCredentials({
      host: 'git-codecommit.eu-west-1.amazonaws.com',
      path: 'v1/repos/demo',
      region: 'eu-west-1',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN },
      now,
    });
    assert.equal(answer.username, expected.username);
    assert.equal(answer.password, expected.password);

    const push = await run('git', ['ls-remote', url], { env });
    assert.equal(push.code, 0, push.stderr);
    await run('git', ['credential', 'approve'], { env, input: `url=${url}\nusername=u\npassword=p\n\n` });
    assert.equal(
      existsSync(marker),
      false,
      'the global helper was never asked for, nor told to store, a CodeCommit credential',
    );

    // Other hosts (and http to AWS) keep the user's own helpers; ours is not configured there.
    const other = await run('git', ['credential', 'fill'], { env, input: 'url=https://example.com/repo.git\n\n' });
    assert.match(other.stdout, /password=spy-password/);
    const http = await run('git', ['credential', 'fill'], {
      env,
      input: 'url=http://git-codecommit.us-east-1.amazonaws.com/v1/repos/demo\n\n',
    });
    assert.match(http.stdout, /password=spy-password/);
    assert.deepEqual(readFileSync(marker, 'utf8').trim().split('\n'), ['get', 'get']);
  });

  it("the AWS CLI's own credential helper is accepted by the sandbox, and signs the same bytes as ours", async (t) => {
    const aws = ['/usr/bin/aws', '/usr/local/bin/aws'].find((p) => existsSync(p));
    if (!aws) {
      t.skip('the AWS CLI is not installed (apt-get install awscli)');
      return;
    }
    const cliEnv = { ...base, AWS_DEFAULT_REGION: 'us-east-1' };
    const listed = await run(
      'git',
      [
        '-c',
        'credential.helper=',
        '-c',
        `credential.helper=!'${aws}' codecommit credential-helper --ignore-host-check $@`,
        '-c',
        'credential.useHttpPath=true',
        'ls-remote',
        url,
      ],
      { env: cliEnv },
    );
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /refs\/heads\/main/);

    const input = 'protocol=https\nhost=git-codecommit.ap-southeast-2.amazonaws.com\npath=v1/repos/MyDemoRepo\n\n';
    const cli = await run(aws, ['codecommit', 'credential-helper', 'get'], { env: cliEnv, input });
    transcript.pop();
    transcript.pop();
    assert.equal(cli.code, 0, cli.stderr);
    const [, username, password] = /^username=(.*)\npassword=(.*)\n$/.exec(cli.stdout) ?? [];
    const stamp = /^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z/.exec(password ?? '');
    assert.ok(stamp, 'the CLI printed a password');
    const now = new Date(`${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}Z`);
    const ours = codeCommitGitCredentials({
      host: 'git-codecommit.ap-southeast-2.amazonaws.com',
      path: 'v1/repos/MyDemoRepo',
      region: 'ap-southeast-2',
      credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: TOKEN },
      now,
    });
    assert.deepEqual({ username, password }, ours);
  });

  it("leaves no secret, token or password in any file or in git's output", () => {
    const files = readableFiles(root);
    assert.ok(files.some((f) => f.endsWith(join('clone-a', '.git', 'config'))));
    const texts = [...transcript, ...files.map((f) => readFileSync(f, 'latin1'))];
    assert.ok(texts.length > 10);
    for (const text of texts) {
      assert.ok(!text.includes(SECRET), 'secret access key found');
      assert.ok(!text.includes(TOKEN), 'session token found');
      assert.doesNotMatch(text, PASSWORD);
    }
    assert.equal(existsSync(join(home, '.gitconfig')), false, 'no global config was written');
  });
});
