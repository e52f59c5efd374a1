// git clone/push against the sandbox's CodeCommit, authenticated by the AWS CLI's own
// `aws codecommit credential-helper` (every installed CLI; fails when there is none).
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  CodeCommitClient,
  CreateRepositoryCommand,
  GetBranchCommand,
  GetRepositoryCommand,
} from '@aws-sdk/client-codecommit';
import type { CodeCommitPushEvent } from '../../sandbox/codecommit/gitHttp';
import { cliEnv, clientConfig, installedAwsClis, run, startTestSandbox, tempDir, waitFor } from './helpers';

const clis = installedAwsClis();

test('an AWS CLI is installed (the git tests need its credential helper)', () => {
  assert.ok(
    clis.length > 0,
    'neither /root/.pyenv/shims/aws nor /usr/bin/aws exists; install the AWS CLI (apt-get install -y awscli)',
  );
});

for (const aws of clis) {
  test(`git clone and push with ${aws} codecommit credential-helper`, async (t) => {
    const running = await startTestSandbox(t);
    const home = tempDir(t, 'sandbox-git-');
    const client = new CodeCommitClient(clientConfig(running.endpoint));
    t.after(() => client.destroy());
    await client.send(new CreateRepositoryCommand({ repositoryName: 'workshop' }));
    const url = `${running.endpoint}/v1/repos/workshop`;
    const helper = [
      '-c',
      'credential.helper=',
      '-c',
      `credential.helper=!${aws} codecommit credential-helper --ignore-host-check $@`,
      '-c',
      'credential.UseHttpPath=true',
    ];
    const identity = ['-c', 'user.name=Workshop Tester', '-c', 'user.email=tester@example.com'];
    const env = cliEnv(home);
    const git = (cwd: string, ...args: string[]) => run('git', [...helper, ...identity, ...args], { cwd, env });

    const pushes: CodeCommitPushEvent[] = [];
    running.sandbox.bus.on('codecommit.push', (event: CodeCommitPushEvent) => pushes.push(event));

    await git(home, 'clone', url, 'work');
    const work = join(home, 'work');
    writeFileSync(join(work, 'README.md'), '# workshop\n');
    await git(work, 'add', 'README.md');
    await git(work, 'commit', '-q', '-m', 'first commit');
    await git(work, 'push', 'origin', 'HEAD:main');
    const commitId = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();

    const event = await waitFor(() => pushes[0]);
    assert.deepEqual(event, {
      repositoryName: 'workshop',
      branch: 'main',
      commitId,
      accountId: '000000000000',
      region: 'us-east-1',
    });
    const branch = await client.send(new GetBranchCommand({ repositoryName: 'workshop', branchName: 'main' }));
    assert.equal(branch.branch?.commitId, commitId);
    assert.equal(
      (await client.send(new GetRepositoryCommand({ repositoryName: 'workshop' }))).repositoryMetadata?.defaultBranch,
      'main',
    );

    // A second push to a new branch announces only that branch.
    await git(work, 'checkout', '-q', '-b', 'feature');
    writeFileSync(join(work, 'feature.txt'), 'x\n');
    await git(work, 'add', 'feature.txt');
    await git(work, 'commit', '-q', '-m', 'feature');
    await git(work, 'push', 'origin', 'feature');
    const second = await waitFor(() => pushes[1]);
    assert.equal(second.branch, 'feature');
    assert.equal(pushes.length, 2);

    // A fresh clone checks out the default branch with the pushed content.
    await git(home, 'clone', url, 'again');
    assert.equal(readFileSync(join(home, 'again', 'README.md'), 'utf8'), '# workshop\n');
  });

  test(`git with a wrong secret or no credentials is rejected (${aws})`, async (t) => {
    const running = await startTestSandbox(t);
    const home = tempDir(t, 'sandbox-git-');
    const client = new CodeCommitClient(clientConfig(running.endpoint));
    t.after(() => client.destroy());
    await client.send(new CreateRepositoryCommand({ repositoryName: 'workshop' }));
    const url = `${running.endpoint}/v1/repos/workshop`;
    const helper = [
      '-c',
      'credential.helper=',
      '-c',
      `credential.helper=!${aws} codecommit credential-helper --ignore-host-check $@`,
      '-c',
      'credential.UseHttpPath=true',
    ];

    await assert.rejects(
      run('git', [...helper, 'clone', url, 'bad'], {
        cwd: home,
        env: cliEnv(home, { AWS_SECRET_ACCESS_KEY: 'wrong' }),
      }),
      (error: Error & { stderr?: string }) => {
        assert.match(error.stderr ?? '', /Authentication failed/);
        return true;
      },
    );
    await assert.rejects(
      run('git', ['-c', 'credential.helper=', 'clone', url, 'anonymous'], { cwd: home, env: cliEnv(home) }),
      (error: Error & { stderr?: string }) => {
        assert.match(error.stderr ?? '', /could not read Username|Authentication failed/);
        return true;
      },
    );
    const unknownRepo = await fetch(`${running.endpoint}/v1/repos/nothing/info/refs?service=git-upload-pack`);
    assert.equal(unknownRepo.status, 401);
    assert.match(unknownRepo.headers.get('www-authenticate') ?? '', /^Basic realm=/);
  });
}
