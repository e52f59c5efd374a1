// ECS through the session's cached client: the service and its task definitions (health model).
import type { HealthApi } from '../health/healthApi';
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export type EcsApi = Pick<HealthApi, 'describeService' | 'describeTaskDefinition'>;

export function ecsApi(session: AwsSession): EcsApi {
  const sdk = session.sdkModule;
  const client = () => session.client('ecs', (s, config) => new s.ECSClient(config));
  return {
    describeService: (cluster, service) =>
      client().send(new sdk.DescribeServicesCommand({ cluster, services: [service] })),
    describeTaskDefinition: (taskDefinition) =>
      client().send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition })),
  };
}

/** Whether the service exists and is ACTIVE (DescribeServices reports a missing one as a MISSING failure). */
export async function ecsServiceActive(session: AwsSession, cluster: string, service: string): Promise<boolean> {
  try {
    const out = await ecsApi(session).describeService(cluster, service);
    return (out.services ?? []).some((s) => s.status === 'ACTIVE');
  } catch (error) {
    if (errorCode(error) === 'ClusterNotFoundException') {
      return false;
    }
    throw error;
  }
}
