// The ECS and ELBv2 calls the health model needs, shaped like the SDK outputs (type-only imports).
import type { DescribeServicesResponse, DescribeTaskDefinitionResponse } from '@aws-sdk/client-ecs';
import type { DescribeTargetHealthOutput } from '@aws-sdk/client-elastic-load-balancing-v2';

export interface HealthApi {
  describeService(cluster: string, service: string): Promise<DescribeServicesResponse>;
  describeTaskDefinition(taskDefinitionArn: string): Promise<DescribeTaskDefinitionResponse>;
  describeTargetHealth(targetGroupArn: string): Promise<DescribeTargetHealthOutput>;
}

export type { Deployment, Service, ServiceEvent, TaskDefinition } from '@aws-sdk/client-ecs';
export type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
