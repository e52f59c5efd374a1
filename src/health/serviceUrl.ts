// Where a service is served: the service stack's ServiceUrl output when the service is that
// stack's, else the URL of the load balancer in front of its target group (the listener that
// forwards to the group gives the scheme and port).
import type { Elbv2Api, Listener } from '../aws/elbv2';

/** `http://name-123.us-east-1.elb.amazonaws.com`, with `:port` unless it is the scheme's default. */
export function listenerUrl(dnsName: string, listener: Pick<Listener, 'Protocol' | 'Port'> | undefined): string {
  const secure = listener?.Protocol === 'HTTPS';
  const scheme = secure ? 'https' : 'http';
  const port = listener?.Port;
  const defaultPort = secure ? 443 : 80;
  return `${scheme}://${dnsName}${port !== undefined && port !== defaultPort ? `:${port}` : ''}`;
}

/** The listener whose default action forwards to the target group (directly or weighted). */
export function listenerFor(listeners: readonly Listener[], targetGroupArn: string): Listener | undefined {
  return listeners.find((l) =>
    (l.DefaultActions ?? []).some(
      (a) =>
        a.TargetGroupArn === targetGroupArn ||
        (a.ForwardConfig?.TargetGroups ?? []).some((t) => t.TargetGroupArn === targetGroupArn),
    ),
  );
}

/** The URL of the load balancer in front of the first target group that has one, or undefined. */
export async function loadBalancerUrl(
  elbv2: Pick<Elbv2Api, 'describeTargetGroup' | 'describeLoadBalancer' | 'describeListeners'>,
  targetGroupArns: readonly string[],
): Promise<string | undefined> {
  for (const arn of targetGroupArns) {
    const group = await elbv2.describeTargetGroup(arn);
    const lbArn = group?.LoadBalancerArns?.[0];
    if (!lbArn) {
      continue;
    }
    const lb = await elbv2.describeLoadBalancer(lbArn);
    if (!lb?.DNSName) {
      continue;
    }
    return listenerUrl(lb.DNSName, listenerFor(await elbv2.describeListeners(lbArn), arn));
  }
  return undefined;
}
