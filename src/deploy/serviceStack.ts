// The pipeline deploys to an ECS service that the workshop's earlier modules created. Accounts
// without it can deploy the bundled service.yaml first; these are the values the two share.
import type { ParameterValue } from './parameterValues';

/** Parameters with the same name and meaning in pipeline.yaml and service.yaml. */
export const SHARED_WITH_SERVICE = [
  'ClusterName',
  'ServiceName',
  'ContainerName',
  'EcrRepositoryName',
  'ContainerPort',
  'HealthCheckPath',
] as const;

export function serviceStackName(pipelineStack: string): string {
  return `${pipelineStack}-Service`.slice(0, 128);
}

/** The service stack's settings: what the pipeline will target, and no tasks until an image exists. */
export function serviceStackSettings(
  pipelineValues: readonly ParameterValue[],
  imageExists: boolean,
): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of SHARED_WITH_SERVICE) {
    const value = pipelineValues.find((v) => v.name === name)?.value;
    if (value !== undefined) {
      settings[name] = value;
    }
  }
  if (!imageExists) {
    // Tasks could not pull an image that does not exist; the service would never become stable.
    settings.DesiredCount = '0';
  }
  return settings;
}

/** The pipeline targets what the service stack created (its outputs win over the typed names). */
export function withServiceOutputs(
  values: readonly ParameterValue[],
  outputs: readonly { key: string; value: string }[],
): ParameterValue[] {
  return values.map((v) => {
    const output = outputs.find((o) => o.key === v.name && (v.name === 'ClusterName' || v.name === 'ServiceName'));
    return output ? { ...v, value: output.value, source: 'detected' } : v;
  });
}
