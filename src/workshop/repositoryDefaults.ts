// The bundled template can create its CodeCommit and ECR repositories or reuse existing ones
// (workshop accounts already have them). On a first deploy, nobody should have to know which:
// the switches follow whether the repositories exist, unless the user set them.
import type { ParameterValue } from '../deploy/parameterValues';
import type { RepositorySwitch } from './pipelineTemplate';

/**
 * Sets each create-or-reuse switch that still has its template default to match reality.
 * `exists` answers for the switch's repository. Values from settings or the stack are kept.
 */
export async function applyRepositoryDefaults(
  switches: readonly RepositorySwitch[],
  values: ParameterValue[],
  exists: (repository: RepositorySwitch, repositoryName: string) => Promise<boolean>,
): Promise<ParameterValue[]> {
  const result = [...values];
  for (const repository of switches) {
    const index = result.findIndex((v) => v.name === repository.switchParameter);
    const name = result.find((v) => v.name === repository.nameParameter)?.value;
    if (index < 0 || result[index].source !== 'default' || !name) {
      continue;
    }
    const present = await exists(repository, name);
    result[index] = { ...result[index], value: present ? 'false' : 'true', source: 'detected' };
  }
  return result;
}
