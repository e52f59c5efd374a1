// The create-or-reuse switches of the workshop template follow the account on a first deploy.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../../src/deploy/cfnYaml';
import { resolveParameterValues } from '../../../src/deploy/parameterValues';
import { parameterSpecs } from '../../../src/deploy/templateModel';
import { applyRepositoryDefaults } from '../../../src/workshop/repositoryDefaults';
import { WORKSHOP_TEMPLATE } from '../../../src/workshop/workshopTemplate';

const bundled = parameterSpecs(parseTemplate(readFileSync('media/templates/pipeline.yaml', 'utf8')));

describe('applyRepositoryDefaults', () => {
  it('creates repositories that do not exist, reuses those that do, and keeps explicit choices', async () => {
    const values = resolveParameterValues(bundled, {}, undefined);
    const asked: string[] = [];
    const result = await applyRepositoryDefaults(WORKSHOP_TEMPLATE.repositorySwitches, values, (repository, name) => {
      asked.push(`${repository.switchParameter}:${name}`);
      return Promise.resolve(repository.kind === 'ecr');
    });
    assert.deepEqual(asked, [
      'CreateCodeCommitRepository:modernization-workshop',
      'CreateEcrRepository:modernization-workshop',
    ]);
    assert.equal(result.find((v) => v.name === 'CreateCodeCommitRepository')?.value, 'true');
    assert.equal(result.find((v) => v.name === 'CreateEcrRepository')?.value, 'false');

    const fromSettings = resolveParameterValues(bundled, { CreateCodeCommitRepository: 'false' }, undefined);
    const kept = await applyRepositoryDefaults(WORKSHOP_TEMPLATE.repositorySwitches, fromSettings, () =>
      Promise.resolve(false),
    );
    assert.equal(kept.find((v) => v.name === 'CreateCodeCommitRepository')?.value, 'false');
  });
});
