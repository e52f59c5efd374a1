// ECS through the session's cached client: the service and its task definitions (health model).
import type { HealthApi } from '../health/healthApi';
import type { AwsSession } from './awsSession';

export type EcsApi = Pick<HealthApi, 'describeService' | 'describeTaskDefinition'>;

export function ecsApi(session: AwsSession): EcsApi {
  const sdk = session.sdkModule;
  const client = () => session.client('ecs', (s, config) => new s.ECSClient(config));
  return {
    describeService: (cluster, service) => client().send(new sdk.DescribeServicesCommand({ cluster, services: [service] })),
    describeTaskDefinition: (taskDefinition) => client().send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition })),
  };
}
