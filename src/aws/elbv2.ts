// Elastic Load Balancing v2 through the session's cached client: target health per target group,
// and the health model's whole API (ECS + ELBv2) in one object.
import type { HealthApi } from '../health/healthApi';
import type { AwsSession } from './awsSession';
import { ecsApi } from './ecs';

export type Elbv2Api = Pick<HealthApi, 'describeTargetHealth'>;

export function elbv2Api(session: AwsSession): Elbv2Api {
  const sdk = session.sdkModule;
  const client = () => session.client('elbv2', (s, config) => new s.ElasticLoadBalancingV2Client(config));
  return {
    describeTargetHealth: (targetGroupArn) =>
      client().send(new sdk.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
  };
}

export function healthApi(session: AwsSession): HealthApi {
  return { ...ecsApi(session), ...elbv2Api(session) };
}
