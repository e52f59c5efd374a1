import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GetPipelineOutput } from '../../../src/aws/codepipeline';
import { resolvePushDestination, type PushDestinationInput } from '../../../src/workshop/pushDestination';
import { WORKSHOP_TEMPLATE } from '../../../src/workshop/workshopTemplate';

const sourcePipeline = (repositoryName: string, branch: string): GetPipelineOutput => ({
  pipeline: {
    name: 'P',
    roleArn: 'arn:aws:iam::1:role/r',
    stages: [
      {
        name: 'Source',
        actions: [
          {
            name: 'Source',
            actionTypeId: { category: 'Source', owner: 'AWS', provider: 'CodeCommit', version: '1' },
            configuration: { RepositoryName: repositoryName, BranchName: branch },
          },
        ],
      },
    ],
  },
});

function input(overrides: Partial<PushDestinationInput> = {}): PushDestinationInput & { asked: string[] } {
  const asked: string[] = [];
  return {
    template: WORKSHOP_TEMPLATE,
    stack: {
      name: 'WorkshopPipeline',
      outputs: [{ key: 'PipelineName', value: 'WP-Pipeline', description: undefined }],
    },
    pipelineName: undefined,
    codePipeline: {
      getPipeline: (name) => {
        asked.push(`pipeline ${name}`);
        return Promise.resolve(sourcePipeline('app', 'main'));
      },
    },
    codeCommit: {
      getRepository: (name) => {
        asked.push(`repository ${name}`);
        return Promise.resolve({ name, cloneUrlHttp: `https://git.example/${name}`, defaultBranch: 'main' });
      },
    },
    asked,
    ...overrides,
  };
}

describe('push destination', () => {
  it('is the repository and branch the stack pipeline’s CodeCommit source watches', async () => {
    const request = input();
    assert.deepEqual(await resolvePushDestination(request), {
      ok: true,
      destination: { target: { repositoryName: 'app', branch: 'main' }, cloneUrl: 'https://git.example/app' },
    });
    assert.deepEqual(request.asked, ['pipeline WP-Pipeline', 'repository app']);
  });

  it('follows workshopPipeline.pipelineName over the stack output', async () => {
    const request = input({ pipelineName: 'Other' });
    await resolvePushDestination(request);
    assert.equal(request.asked[0], 'pipeline Other');
  });

  it('says what is missing: the output, the source action, the repository', async () => {
    assert.deepEqual(await resolvePushDestination(input({ stack: { name: 'WorkshopPipeline', outputs: [] } })), {
      ok: false,
      message: 'Stack WorkshopPipeline has no PipelineName output; set workshopPipeline.pipelineName.',
    });
    assert.deepEqual(
      await resolvePushDestination(
        input({ codePipeline: { getPipeline: () => Promise.resolve({ pipeline: undefined }) } }),
      ),
      { ok: false, message: 'Pipeline WP-Pipeline has no CodeCommit source action to push to.' },
    );
    assert.deepEqual(
      await resolvePushDestination(input({ codeCommit: { getRepository: () => Promise.resolve(undefined) } })),
      {
        ok: false,
        message:
          'The CodeCommit repository app that pipeline WP-Pipeline watches does not exist. Deploy with CreateCodeCommitRepository=true to create it.',
      },
    );
  });
});
