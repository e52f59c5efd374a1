// The CodeCommit API over real HTTP with the AWS SDK v3 client.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  CodeCommitClient,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  GetBranchCommand,
  GetRepositoryCommand,
  paginateListRepositories,
  ListRepositoriesCommand,
} from '@aws-sdk/client-codecommit';
import { startSandbox } from '../../sandbox/core/server';
import { repositoryDir } from '../../sandbox/codecommit/repositories';
import { services } from '../../sandbox/services';
import { clientConfig, startTestSandbox, tempDir } from './helpers';

test('create, get, delete a repository with real metadata and errors', async (t) => {
  const running = await startTestSandbox(t);
  const client = new CodeCommitClient(clientConfig(running.endpoint));
  t.after(() => client.destroy());
  const before = running.sandbox.clock.now().getTime();
  const created = await client.send(
    new CreateRepositoryCommand({ repositoryName: 'workshop', repositoryDescription: 'demo repo' }),
  );
  const meta = created.repositoryMetadata!;
  assert.equal(meta.repositoryName, 'workshop');
  assert.equal(meta.repositoryDescription, 'demo repo');
  assert.equal(meta.accountId, '000000000000');
  assert.equal(meta.Arn, 'arn:aws:codecommit:us-east-1:000000000000:workshop');
  assert.equal(meta.cloneUrlHttp, `${running.endpoint}/v1/repos/workshop`);
  assert.equal(meta.cloneUrlSsh, 'ssh://git-codecommit.us-east-1.amazonaws.com/v1/repos/workshop');
  assert.ok(meta.creationDate instanceof Date && meta.creationDate.getTime() >= before - 1000);
  assert.equal(meta.defaultBranch, undefined);
  assert.ok(
    existsSync(
      repositoryDir(running.sandbox, { accountId: '000000000000', region: 'us-east-1', repositoryName: 'workshop' }),
    ),
  );

  const got = await client.send(new GetRepositoryCommand({ repositoryName: 'workshop' }));
  assert.equal(got.repositoryMetadata?.repositoryId, meta.repositoryId);

  await assert.rejects(client.send(new CreateRepositoryCommand({ repositoryName: 'workshop' })), {
    name: 'RepositoryNameExistsException',
    message: 'Repository named workshop already exists',
  });
  await assert.rejects(client.send(new CreateRepositoryCommand({ repositoryName: 'bad name!' })), {
    name: 'InvalidRepositoryNameException',
  });
  await assert.rejects(client.send(new GetRepositoryCommand({ repositoryName: 'missing' })), {
    name: 'RepositoryDoesNotExistException',
    message: 'missing does not exist',
  });
  await assert.rejects(client.send(new GetBranchCommand({ repositoryName: 'workshop', branchName: 'main' })), {
    name: 'BranchDoesNotExistException',
  });
  await assert.rejects(client.send(new GetBranchCommand({ repositoryName: 'missing', branchName: 'main' })), {
    name: 'RepositoryDoesNotExistException',
  });

  const deleted = await client.send(new DeleteRepositoryCommand({ repositoryName: 'workshop' }));
  assert.equal(deleted.repositoryId, meta.repositoryId);
  assert.equal(
    (await client.send(new DeleteRepositoryCommand({ repositoryName: 'workshop' }))).repositoryId,
    undefined,
  );
  await assert.rejects(client.send(new GetRepositoryCommand({ repositoryName: 'workshop' })), {
    name: 'RepositoryDoesNotExistException',
  });
});

test('ListRepositories pages with nextToken and sorts', async (t) => {
  const running = await startTestSandbox(t);
  const client = new CodeCommitClient(clientConfig(running.endpoint));
  t.after(() => client.destroy());
  for (const name of ['delta', 'alpha', 'echo', 'charlie', 'bravo'])
    await client.send(new CreateRepositoryCommand({ repositoryName: name }));

  const all = await client.send(new ListRepositoriesCommand({}));
  assert.deepEqual(
    all.repositories?.map((r) => r.repositoryName),
    ['alpha', 'bravo', 'charlie', 'delta', 'echo'],
  );
  assert.equal(all.nextToken, undefined);

  await fetch(`${running.endpoint}/_sandbox/scenarios`, { method: 'PUT', body: '{"codecommit":{"pageSize":2}}' });
  const pages: string[][] = [];
  for await (const page of paginateListRepositories({ client }, { order: 'descending' })) {
    pages.push(page.repositories?.map((r) => r.repositoryName ?? '') ?? []);
  }
  assert.deepEqual(pages, [['echo', 'delta'], ['charlie', 'bravo'], ['alpha']]);
  await assert.rejects(client.send(new ListRepositoriesCommand({ nextToken: 'garbage' })), {
    name: 'InvalidContinuationTokenException',
  });
});

test('repositories survive a restart with --state-dir', async (t) => {
  const stateDir = tempDir(t, 'sandbox-persist-');
  const first = await startSandbox({ port: 0, services, stateDir });
  const client1 = new CodeCommitClient(clientConfig(first.endpoint));
  await client1.send(new CreateRepositoryCommand({ repositoryName: 'kept' }));
  client1.destroy();
  await first.close();

  const second = await startSandbox({ port: 0, services, stateDir });
  t.after(() => second.close());
  const client2 = new CodeCommitClient(clientConfig(second.endpoint));
  t.after(() => client2.destroy());
  const got = await client2.send(new GetRepositoryCommand({ repositoryName: 'kept' }));
  assert.equal(got.repositoryMetadata?.cloneUrlHttp, `${second.endpoint}/v1/repos/kept`);
  assert.ok(
    existsSync(
      repositoryDir(second.sandbox, { accountId: '000000000000', region: 'us-east-1', repositoryName: 'kept' }),
    ),
  );
  await second.close(); // before the state dir is removed
});
