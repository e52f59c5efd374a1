// The pipeline deploys to an ECS service that the workshop's earlier modules created. Accounts
// without it can deploy the bundled service stack first; these are the values the two share.
import type { ParameterValue } from '../deploy/parameterValues';
import type { ServiceStackTemplate } from './pipelineTemplate';

/** The service stack's settings: what the pipeline will target, and no tasks until an image exists. */
export function serviceStackSettings(
  service: ServiceStackTemplate,
  pipelineValues: readonly ParameterValue[],
  imageExists: boolean,
): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const name of service.sharedParameters) {
    const value = pipelineValues.find((v) => v.name === name)?.value;
    if (value !== undefined) {
      settings[name] = value;
    }
  }
  if (!imageExists) {
    // Tasks could not pull an image that does not exist; the service would never become stable.
    settings[service.desiredCountParameter] = '0';
  }
  return settings;
}

/** The pipeline targets what the service stack created (its cluster and service outputs win over the typed names). */
export function withServiceOutputs(
  service: ServiceStackTemplate,
  values: readonly ParameterValue[],
  outputs: readonly { key: string; value: string }[],
): ParameterValue[] {
  const targets = new Set([service.clusterParameter, service.serviceParameter]);
  return values.map((v) => {
    const output = targets.has(v.name) ? outputs.find((o) => o.key === v.name) : undefined;
    return output ? { ...v, value: output.value, source: 'detected' } : v;
  });
}
