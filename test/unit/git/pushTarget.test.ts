import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetPipelineOutput } from '@aws-sdk/client-codepipeline';
import { codeCommitSource, freeRemoteName, sameRepositoryUrl } from '../../../src/git/pushTarget';

const pipeline = (
  actions: { category: string; provider: string; configuration?: Record<string, string> }[],
): GetPipelineOutput =>
  ({
    $metadata: {},
    pipeline: {
      name: 'P',
      roleArn: 'arn:aws:iam::1:role/r',
      stages: [
        {
          name: 'Source',
          actions: actions.map((a, i) => ({
            name: `A${i}`,
            actionTypeId: { category: a.category, owner: 'AWS', provider: a.provider, version: '1' },
            configuration: a.configuration,
          })),
        },
      ],
    },
  }) as GetPipelineOutput;

describe('codeCommitSource', () => {
  it('reads the repository and branch the CodeCommit source action watches', () => {
    const target = codeCommitSource(
      pipeline([
        {
          category: 'Source',
          provider: 'CodeCommit',
          configuration: {
            RepositoryName: 'modernization-workshop',
            BranchName: 'main',
            PollForSourceChanges: 'false',
          },
        },
      ]),
    );
    assert.deepEqual(target, { repositoryName: 'modernization-workshop', branch: 'main' });
  });

  it('finds nothing for pipelines with another source', () => {
    assert.equal(
      codeCommitSource(
        pipeline([
          { category: 'Source', provider: 'CodeStarSourceConnection', configuration: { FullRepositoryId: 'o/r' } },
        ]),
      ),
      undefined,
    );
  });
});

describe('sameRepositoryUrl', () => {
  it('matches clone URLs regardless of user info, host case and a trailing .git', () => {
    assert.ok(
      sameRepositoryUrl(
        'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
        'https://AKIA%25tok@Git-CodeCommit.us-east-1.amazonaws.com/v1/repos/app.git',
      ),
    );
    assert.ok(sameRepositoryUrl('http://127.0.0.1:4566/v1/repos/app/', 'http://127.0.0.1:4566/v1/repos/app'));
  });

  it('keeps different repositories, hosts and ports apart', () => {
    assert.ok(
      !sameRepositoryUrl(
        'https://git-codecommit.us-east-1.amazonaws.com/v1/repos/app',
        'https://git-codecommit.us-west-2.amazonaws.com/v1/repos/app',
      ),
    );
    assert.ok(!sameRepositoryUrl('http://127.0.0.1:4566/v1/repos/app', 'http://127.0.0.1:4567/v1/repos/app'));
    assert.ok(!sameRepositoryUrl('http://127.0.0.1:4566/v1/repos/app', 'http://127.0.0.1:4566/v1/repos/application'));
    assert.ok(
      !sameRepositoryUrl('git@github.com:o/r.git', 'git@github.com:o/r.git'),
      'scp-style remotes are never CodeCommit HTTPS',
    );
  });
});

describe('freeRemoteName', () => {
  it('uses codecommit unless it is taken', () => {
    assert.equal(freeRemoteName(['origin']), 'codecommit');
    assert.equal(freeRemoteName(['origin', 'codecommit', 'codecommit-2']), 'codecommit-3');
  });
});
