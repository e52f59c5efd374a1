// Elastic Load Balancing v2 through the session's client: target health per target group.
import type { DescribeTargetHealthOutput } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsSession } from './awsSession';

export interface Elbv2Api {
  describeTargetHealth(targetGroupArn: string): Promise<DescribeTargetHealthOutput>;
}

export type { TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';

export function elbv2Api(session: AwsSession): Elbv2Api {
  const sdk = session.sdkModule;
  const client = () => session.client('elbv2', (s, config) => new s.ElasticLoadBalancingV2Client(config));
  return {
    describeTargetHealth: (targetGroupArn) =>
      client().send(new sdk.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
  };
}
