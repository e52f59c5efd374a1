// Elastic Load Balancing v2 through the session's client: target health per target group, and the
// load balancer in front of a target group (its DNS name and the listener that forwards to it).
import type {
  DescribeTargetHealthOutput,
  Listener,
  LoadBalancer,
  TargetGroup,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import type { AwsSession } from './awsSession';

export interface Elbv2Api {
  describeTargetHealth(targetGroupArn: string): Promise<DescribeTargetHealthOutput>;
  describeTargetGroup(targetGroupArn: string): Promise<TargetGroup | undefined>;
  describeLoadBalancer(loadBalancerArn: string): Promise<LoadBalancer | undefined>;
  describeListeners(loadBalancerArn: string): Promise<readonly Listener[]>;
}

export type {
  Listener,
  LoadBalancer,
  TargetGroup,
  TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';

export function elbv2Api(session: AwsSession): Elbv2Api {
  const sdk = session.sdkModule;
  const client = () => session.client('elbv2', (s, config) => new s.ElasticLoadBalancingV2Client(config));
  return {
    describeTargetHealth: (targetGroupArn) =>
      client().send(new sdk.DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn })),
    async describeTargetGroup(targetGroupArn) {
      const out = await client().send(new sdk.DescribeTargetGroupsCommand({ TargetGroupArns: [targetGroupArn] }));
      return out.TargetGroups?.[0];
    },
    async describeLoadBalancer(loadBalancerArn) {
      const out = await client().send(new sdk.DescribeLoadBalancersCommand({ LoadBalancerArns: [loadBalancerArn] }));
      return out.LoadBalancers?.[0];
    },
    async describeListeners(loadBalancerArn) {
      const listeners: Listener[] = [];
      let marker: string | undefined;
      do {
        const out = await client().send(
          new sdk.DescribeListenersCommand({ LoadBalancerArn: loadBalancerArn, Marker: marker }),
        );
        listeners.push(...(out.Listeners ?? []));
        marker = out.NextMarker;
      } while (marker);
      return listeners;
    },
  };
}
