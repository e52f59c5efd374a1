// The official AWS CLIs (v1 and Debian's v2) against the sandbox: they must print what real AWS would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliEnv, installedAwsClis, run, startTestSandbox, tempDir } from './helpers';

const clis = installedAwsClis();

test('an AWS CLI is installed', () => {
  assert.ok(
    clis.length > 0,
    'neither /root/.pyenv/shims/aws nor /usr/bin/aws exists; install the AWS CLI (apt-get install -y awscli)',
  );
});

for (const aws of clis) {
  test(`${aws}: sts and codecommit commands`, async (t) => {
    const running = await startTestSandbox(t);
    const home = tempDir(t, 'sandbox-cli-');
    const cli = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await run(aws, [...args, '--endpoint-url', running.endpoint, '--output', 'json'], {
        env: cliEnv(home),
      });
      return JSON.parse(stdout) as unknown;
    };

    assert.deepEqual(await cli('sts', 'get-caller-identity'), {
      UserId: '000000000000',
      Account: '000000000000',
      Arn: 'arn:aws:iam::000000000000:root',
    });

    const created = (await cli(
      'codecommit',
      'create-repository',
      '--repository-name',
      'workshop',
      '--repository-description',
      'Workshop app',
    )) as {
      repositoryMetadata: Record<string, unknown>;
    };
    const got = (await cli('codecommit', 'get-repository', '--repository-name', 'workshop')) as {
      repositoryMetadata: Record<string, unknown>;
    };
    assert.deepEqual(got, created);
    const meta = got.repositoryMetadata;
    assert.deepEqual(Object.keys(meta).sort(), [
      'Arn',
      'accountId',
      'cloneUrlHttp',
      'cloneUrlSsh',
      'creationDate',
      'lastModifiedDate',
      'repositoryDescription',
      'repositoryId',
      'repositoryName',
    ]);
    assert.equal(meta.cloneUrlHttp, `${running.endpoint}/v1/repos/workshop`);
    assert.equal(meta.Arn, 'arn:aws:codecommit:us-east-1:000000000000:workshop');
    // v1 prints timestamps as epoch seconds, v2 as ISO-8601: both parse the epoch seconds we send.
    const created_ = meta.creationDate;
    assert.ok(
      typeof created_ === 'number' || (typeof created_ === 'string' && /^\d{4}-\d\d-\d\dT/.test(created_)),
      `creationDate ${String(created_)}`,
    );

    // The CLI pages through ListRepositories by itself.
    await fetch(`${running.endpoint}/_sandbox/scenarios`, { method: 'PUT', body: '{"codecommit":{"pageSize":1}}' });
    await cli('codecommit', 'create-repository', '--repository-name', 'another');
    const listed = (await cli('codecommit', 'list-repositories')) as { repositories: { repositoryName: string }[] };
    assert.deepEqual(
      listed.repositories.map((r) => r.repositoryName),
      ['another', 'workshop'],
    );
    assert.equal(running.calls.get('codecommit:ListRepositories'), 2);

    await assert.rejects(
      cli('codecommit', 'get-repository', '--repository-name', 'missing'),
      (error: Error & { stderr?: string; code?: number }) => {
        assert.match(
          error.stderr ?? '',
          /An error occurred \(RepositoryDoesNotExistException\) when calling the GetRepository operation: missing does not exist/,
        );
        assert.ok(error.code === 254 || error.code === 255, `exit code ${error.code}`);
        return true;
      },
    );
    await assert.rejects(
      run(aws, ['sts', 'get-caller-identity', '--endpoint-url', running.endpoint], {
        env: cliEnv(home, { AWS_SECRET_ACCESS_KEY: 'wrong' }),
      }),
      (error: Error & { stderr?: string }) => {
        assert.match(
          error.stderr ?? '',
          /An error occurred \(SignatureDoesNotMatch\) when calling the GetCallerIdentity operation: The request signature we calculated does not match/,
        );
        return true;
      },
    );
  });
}
