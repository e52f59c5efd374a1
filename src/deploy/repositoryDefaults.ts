// The bundled template can create its CodeCommit and ECR repositories or reuse existing ones
// (workshop accounts already have them). On a first deploy, nobody should have to know which:
// the switches follow whether the repositories exist, unless the user set them.
import type { ParameterValue } from './parameterValues';

export interface RepositorySwitch {
  /** Parameter that says "create it" ('true') or "reuse it" ('false'). */
  switchParameter: string;
  /** Parameter holding the repository's name. */
  nameParameter: string;
}

export const REPOSITORY_SWITCHES: readonly RepositorySwitch[] = [
  { switchParameter: 'CreateCodeCommitRepository', nameParameter: 'RepositoryName' },
  { switchParameter: 'CreateEcrRepository', nameParameter: 'EcrRepositoryName' },
];

/**
 * Sets each create-or-reuse switch that still has its template default to match reality.
 * `exists` answers for the switch's repository name. Values from settings or the stack are kept.
 */
export async function applyRepositoryDefaults(
  values: ParameterValue[],
  exists: (switchParameter: string, repositoryName: string) => Promise<boolean>,
): Promise<ParameterValue[]> {
  const result = [...values];
  for (const { switchParameter, nameParameter } of REPOSITORY_SWITCHES) {
    const index = result.findIndex((v) => v.name === switchParameter);
    const name = result.find((v) => v.name === nameParameter)?.value;
    if (index < 0 || result[index].source !== 'default' || !name) {
      continue;
    }
    const present = await exists(switchParameter, name);
    result[index] = { ...result[index], value: present ? 'false' : 'true', source: 'detected' };
  }
  return result;
}
