// ECS through the session's client: the service and its task definitions (the health model), and
// whether a service exists (the deploy plan). Outputs keep the SDK's shapes (type-only imports).
import type { DescribeServicesResponse, DescribeTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface EcsApi {
  describeService(cluster: string, service: string): Promise<DescribeServicesResponse>;
  describeTaskDefinition(taskDefinitionArn: string): Promise<DescribeTaskDefinitionResponse>;
  /** Whether the service exists and is ACTIVE (DescribeServices reports a missing one as a MISSING failure). */
  serviceActive(cluster: string, service: string): Promise<boolean>;
  /** Sets the number of tasks the service keeps running (UpdateService with only desiredCount: no new deployment). */
  setDesiredCount(cluster: string, service: string, desiredCount: number): Promise<void>;
}

export type { Deployment, Service, ServiceEvent, TaskDefinition } from '@aws-sdk/client-ecs';

export function ecsApi(session: AwsSession): EcsApi {
  const sdk = session.sdkModule;
  const client = () => session.client('ecs', (s, config) => new s.ECSClient(config));
  const describeService = (cluster: string, service: string) =>
    client().send(new sdk.DescribeServicesCommand({ cluster, services: [service] }));
  return {
    describeService,
    describeTaskDefinition: (taskDefinition) =>
      client().send(new sdk.DescribeTaskDefinitionCommand({ taskDefinition })),
    async setDesiredCount(cluster, service, desiredCount) {
      await client().send(new sdk.UpdateServiceCommand({ cluster, service, desiredCount }));
    },
    async serviceActive(cluster, service) {
      try {
        const out = await describeService(cluster, service);
        return (out.services ?? []).some((s) => s.status === 'ACTIVE');
      } catch (error) {
        if (errorCode(error) === 'ClusterNotFoundException') {
          return false;
        }
        throw error;
      }
    },
  };
}
