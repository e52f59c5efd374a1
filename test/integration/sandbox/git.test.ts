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
import { onEvent, type AwsEvent } from '../../sandbox/events/bus';
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

    const pushes: AwsEvent[] = [];
    onEvent(running.sandbox, (event) => pushes.push(event));
    const { repositoryMetadata } = await client.send(new GetRepositoryCommand({ repositoryName: 'workshop' }));

    await git(home, 'clone', url, 'work');
    const work = join(home, 'work');
    writeFileSync(join(work, 'README.md'), '# workshop\n');
    await git(work, 'add', 'README.md');
    await git(work, 'commit', '-q', '-m', 'first commit');
    await git(work, 'push', 'origin', 'HEAD:main');
    const commitId = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();

    // The event CodeCommit puts on EventBridge's default bus, as AWS shapes it.
    const event = await waitFor(() => pushes[0]);
    assert.match(event.id, /^[0-9a-f-]{36}$/);
    assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(
      { ...event, id: undefined, time: undefined },
      {
        version: '0',
        id: undefined,
        'detail-type': 'CodeCommit Repository State Change',
        source: 'aws.codecommit',
        account: '000000000000',
        time: undefined,
        region: 'us-east-1',
        resources: ['arn:aws:codecommit:us-east-1:000000000000:workshop'],
        detail: {
          callerUserArn: 'arn:aws:iam::000000000000:root',
          event: 'referenceCreated',
          repositoryName: 'workshop',
          repositoryId: repositoryMetadata?.repositoryId,
          referenceType: 'branch',
          referenceName: 'main',
          referenceFullName: 'refs/heads/main',
          commitId,
        },
      },
    );
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
    assert.equal(second.detail.referenceName, 'feature');
    assert.equal(pushes.length, 2);

    // Moving main says where from; a tag is a tag; deleting a branch is referenceDeleted.
    await git(work, 'push', 'origin', 'feature:main', 'HEAD:refs/tags/v1', ':feature');
    const [moved, tagged, deleted] = await waitFor(() => (pushes.length >= 5 ? pushes.slice(2) : undefined));
    const feature = (await git(work, 'rev-parse', 'HEAD')).stdout.trim();
    assert.equal(pushes.length, 5);
    assert.deepEqual(
      [moved, tagged, deleted]
        .map((e) => e.detail)
        .map((d) => [d.event, d.referenceType, d.referenceName, d.commitId, d.oldCommitId])
        .sort(),
      [
        ['referenceCreated', 'tag', 'v1', feature, undefined],
        ['referenceDeleted', 'branch', 'feature', undefined, feature],
        ['referenceUpdated', 'branch', 'main', feature, commitId],
      ],
    );

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
