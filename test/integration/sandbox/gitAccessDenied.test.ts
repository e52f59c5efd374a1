// Git over HTTPS to CodeCommit is authorized as codecommit:GitPull (clone, fetch) and
// codecommit:GitPush: an identity allowed only to pull clones, and its push is refused with the
// bare 403 git reports as against AWS ("The requested URL returned error: 403").
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CodeCommitClient, CreateRepositoryCommand, GetBranchCommand } from '@aws-sdk/client-codecommit';
import { identityCredentials } from '../../sandbox/iam/identities';
import { cliEnv, clientConfig, installedAwsClis, run, startTestSandbox, tempDir } from './helpers';

test('git with a pull-only identity clones, and its push gets 403 from CodeCommit', async (t) => {
  const [aws] = installedAwsClis();
  assert.ok(aws, 'no AWS CLI installed: git needs its codecommit credential-helper (apt-get install -y awscli)');
  const repository = 'arn:aws:codecommit:us-east-1:000000000000:workshop';
  const running = await startTestSandbox(t, {
    credentials: [
      identityCredentials(
        {
          accessKeyId: 'AKIAREADER',
          secretAccessKey: 'reader-secret',
          user: 'reader',
          policies: [
            {
              name: 'pull',
              document: {
                Version: '2012-10-17',
                Statement: [{ Effect: 'Allow', Action: 'codecommit:GitPull', Resource: repository }],
              },
            },
          ],
        },
        '.',
      ),
    ],
  });
  const home = tempDir(t, 'sandbox-git-denied-');
  const admin = new CodeCommitClient(clientConfig(running.endpoint));
  t.after(() => admin.destroy());
  await admin.send(new CreateRepositoryCommand({ repositoryName: 'workshop' }));
  const env = cliEnv(home, { AWS_ACCESS_KEY_ID: 'AKIAREADER', AWS_SECRET_ACCESS_KEY: 'reader-secret' });
  const git = (cwd: string, ...args: string[]) =>
    run(
      'git',
      [
        '-c',
        'credential.helper=',
        '-c',
        `credential.helper=!${aws} codecommit credential-helper --ignore-host-check $@`,
        '-c',
        'credential.UseHttpPath=true',
        '-c',
        'user.name=Reader',
        '-c',
        'user.email=reader@example.com',
        ...args,
      ],
      { cwd, env },
    );

  const url = `${running.endpoint}/v1/repos/workshop`;
  await git(home, 'clone', '--quiet', url, 'work');
  const work = join(home, 'work');
  writeFileSync(join(work, 'README.md'), '# workshop\n');
  await git(work, 'add', 'README.md');
  await git(work, 'commit', '--quiet', '-m', 'first commit');
  await assert.rejects(git(work, 'push', 'origin', 'HEAD:main'), (error: Error & { stderr?: string }) => {
    assert.equal(error.stderr?.trim(), `fatal: unable to access '${url}/': The requested URL returned error: 403`);
    return true;
  });
  await assert.rejects(admin.send(new GetBranchCommand({ repositoryName: 'workshop', branchName: 'main' })), {
    name: 'BranchDoesNotExistException',
  });
  const denied = running.authorizations.filter((a) => a.verdict !== 'allowed');
  assert.deepEqual(
    denied.map((a) => [a.arn, a.action, a.resource]),
    [['arn:aws:iam::000000000000:user/reader', 'codecommit:GitPush', repository]],
  );
});
