// AWS::ElasticLoadBalancingV2::{LoadBalancer,TargetGroup,Listener}: create state in the sandbox's ELBv2.
import type { ProviderContext, ResourceProvider } from '../cloudformation/providers/registry';
import { generatedName } from '../cloudformation/providers/names';
import { subnetAddressing } from '../ec2/addressing';
import { elbState, hex16, LOAD_BALANCER_DOMAIN, loadBalancersOf, type Listener, type TargetGroup } from './store';
import { str } from '../core/values';

export const HOSTED_ZONE: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
};

/** ELB names: at most 32 letters, digits and hyphens. */
function elbName(properties: Record<string, unknown>, ctx: ProviderContext): string {
  if (typeof properties.Name === 'string' && properties.Name !== '') return properties.Name;
  return generatedName(ctx.stackName.slice(0, 8), ctx.logicalId.slice(0, 6), { max: 32, suffixLength: 12 }).replace(
    /[^A-Za-z0-9-]/g,
    '',
  );
}

const num = (value: unknown, fallback: number): number =>
  Number.isFinite(Number(value)) && value !== undefined && value !== '' ? Number(value) : fallback;

function attribute(properties: Record<string, unknown>, key: string): string | undefined {
  const list = Array.isArray(properties.TargetGroupAttributes)
    ? (properties.TargetGroupAttributes as { Key?: unknown; Value?: unknown }[])
    : [];
  const found = list.find((a) => a.Key === key);
  return found === undefined ? undefined : String(found.Value);
}

function applyTargetGroupProperties(tg: TargetGroup, p: Record<string, unknown>): void {
  tg.protocol = str(p.Protocol ?? 'HTTP');
  tg.port = num(p.Port, 80);
  tg.targetType = str(p.TargetType ?? 'instance');
  tg.vpcId = typeof p.VpcId === 'string' ? p.VpcId : undefined;
  tg.healthCheckPath = str(p.HealthCheckPath ?? '/');
  tg.healthCheckIntervalSeconds = num(p.HealthCheckIntervalSeconds, 30);
  tg.healthCheckTimeoutSeconds = num(p.HealthCheckTimeoutSeconds, 5);
  tg.healthyThresholdCount = num(p.HealthyThresholdCount, 5);
  tg.unhealthyThresholdCount = num(p.UnhealthyThresholdCount, 2);
  tg.matcher = str((p.Matcher as { HttpCode?: unknown } | undefined)?.HttpCode ?? '200');
  tg.deregistrationDelaySeconds = num(attribute(p, 'deregistration_delay.timeout_seconds'), 300);
}

function forwardedGroups(properties: Record<string, unknown>): string[] {
  const actions = Array.isArray(properties.DefaultActions)
    ? (properties.DefaultActions as Record<string, unknown>[])
    : [];
  return actions.flatMap((a) => {
    const forward = a.ForwardConfig as { TargetGroups?: { TargetGroupArn?: unknown }[] } | undefined;
    return [a.TargetGroupArn, ...(forward?.TargetGroups ?? []).map((t) => t.TargetGroupArn)].filter(
      (arn): arn is string => typeof arn === 'string',
    );
  });
}

export const elbv2ResourceProviders: Record<string, ResourceProvider> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': {
    attributes: [
      'CanonicalHostedZoneID',
      'DNSName',
      'LoadBalancerArn',
      'LoadBalancerFullName',
      'LoadBalancerName',
      'SecurityGroups',
    ],
    async create(p, ctx) {
      const name = elbName(p, ctx);
      const type = str(p.Type ?? 'application');
      const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${type === 'network' ? 'net' : 'app'}/${name}/${hex16()}`;
      const scheme = str(p.Scheme ?? 'internet-facing');
      const mappings = Array.isArray(p.SubnetMappings) ? (p.SubnetMappings as { SubnetId?: unknown }[]) : [];
      const subnets = Array.isArray(p.Subnets) ? p.Subnets.map(String) : mappings.map((m) => str(m.SubnetId));
      const lb = {
        arn,
        name,
        accountId: ctx.accountId,
        region: ctx.region,
        // Under `.localhost` (as LocalStack does): browsers resolve it to loopback (RFC 6761), and the
        // sandbox serves the load balancer by that Host on its endpoint (serving.ts).
        dnsName: `${scheme === 'internal' ? 'internal-' : ''}${name}-${1_000_000_000 + Math.floor(Math.random() * 8_999_999_999)}.${ctx.region}.${LOAD_BALANCER_DOMAIN}`,
        scheme,
        type,
        createdTime: ctx.sandbox.clock.now().getTime(),
        subnets,
        // A load balancer lives in the VPC of its subnets.
        ...(subnets[0] !== undefined
          ? { vpcId: subnetAddressing(ctx.sandbox, ctx.accountId, ctx.region, subnets[0]).vpcId }
          : {}),
        securityGroups: Array.isArray(p.SecurityGroups) ? p.SecurityGroups.map(String) : [],
        state: 'provisioning' as 'provisioning' | 'active',
      };
      elbState(ctx.sandbox).loadBalancers[arn] = lb;
      ctx.sandbox.changed();
      ctx.initiated(arn);
      // An application load balancer takes a few minutes to become active.
      await ctx.sandbox.clock.sleep(150_000, ctx.signal);
      lb.state = 'active';
      ctx.sandbox.changed();
      const fullName = arn.slice(arn.indexOf(':loadbalancer/') + 14);
      return {
        physicalId: arn,
        attributes: {
          LoadBalancerArn: arn,
          LoadBalancerFullName: fullName,
          LoadBalancerName: name,
          DNSName: lb.dnsName,
          CanonicalHostedZoneID: HOSTED_ZONE[ctx.region] ?? 'Z35SXDOTRQ7X7K',
          SecurityGroups: lb.securityGroups,
        },
      };
    },
    update(arn, _p, _previous, ctx) {
      const lb = elbState(ctx.sandbox).loadBalancers[arn];
      const fullName = arn.slice(arn.indexOf(':loadbalancer/') + 14);
      return Promise.resolve({
        attributes: {
          LoadBalancerArn: arn,
          LoadBalancerFullName: fullName,
          LoadBalancerName: lb?.name,
          DNSName: lb?.dnsName,
          CanonicalHostedZoneID: HOSTED_ZONE[ctx.region] ?? 'Z35SXDOTRQ7X7K',
          SecurityGroups: lb?.securityGroups ?? [],
        },
      });
    },
    async delete(arn, _p, ctx) {
      await ctx.sandbox.clock.sleep(10_000, ctx.signal);
      const state = elbState(ctx.sandbox);
      delete state.loadBalancers[arn];
      for (const [id, l] of Object.entries(state.listeners)) if (l.loadBalancerArn === arn) delete state.listeners[id];
      ctx.sandbox.changed();
    },
  },

  'AWS::ElasticLoadBalancingV2::TargetGroup': {
    attributes: ['LoadBalancerArns', 'TargetGroupArn', 'TargetGroupFullName', 'TargetGroupName'],
    async create(p, ctx) {
      const name = elbName(p, ctx);
      const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${name}/${hex16()}`;
      const tg = { arn, name, accountId: ctx.accountId, region: ctx.region, targets: [] } as unknown as TargetGroup;
      applyTargetGroupProperties(tg, p);
      await ctx.sandbox.clock.sleep(2_000, ctx.signal);
      elbState(ctx.sandbox).targetGroups[arn] = tg;
      ctx.sandbox.changed();
      return { physicalId: arn, attributes: targetGroupAttributes(arn, []) };
    },
    update(arn, p, _previous, ctx) {
      const tg = elbState(ctx.sandbox).targetGroups[arn];
      if (tg) {
        applyTargetGroupProperties(tg, p);
        ctx.sandbox.changed();
      }
      return Promise.resolve({ attributes: targetGroupAttributes(arn, loadBalancersOf(ctx.sandbox, arn)) });
    },
    delete(arn, _p, ctx) {
      delete elbState(ctx.sandbox).targetGroups[arn];
      ctx.sandbox.changed();
      return Promise.resolve();
    },
  },

  'AWS::ElasticLoadBalancingV2::Listener': {
    attributes: ['ListenerArn'],
    async create(p, ctx) {
      const lbArn = str(p.LoadBalancerArn ?? '');
      const lbPart = lbArn.includes(':loadbalancer/')
        ? lbArn.slice(lbArn.indexOf(':loadbalancer/') + 14)
        : `app/unknown/${hex16()}`;
      const arn = `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener/${lbPart}/${hex16()}`;
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const listener: Listener = {
        arn,
        loadBalancerArn: lbArn,
        port: num(p.Port, 80),
        protocol: str(p.Protocol ?? 'HTTP'),
        targetGroupArns: forwardedGroups(p),
      };
      elbState(ctx.sandbox).listeners[arn] = listener;
      ctx.sandbox.changed();
      return { physicalId: arn, attributes: { ListenerArn: arn } };
    },
    update(arn, p, _previous, ctx) {
      const listener = elbState(ctx.sandbox).listeners[arn];
      if (listener) {
        listener.port = num(p.Port, 80);
        listener.protocol = str(p.Protocol ?? 'HTTP');
        listener.targetGroupArns = forwardedGroups(p);
        ctx.sandbox.changed();
      }
      return Promise.resolve({ attributes: { ListenerArn: arn } });
    },
    delete(arn, _p, ctx) {
      delete elbState(ctx.sandbox).listeners[arn];
      ctx.sandbox.changed();
      return Promise.resolve();
    },
  },
};

function targetGroupAttributes(arn: string, loadBalancerArns: string[]): Record<string, unknown> {
  const fullName = arn.slice(arn.indexOf(':targetgroup/') + 1);
  return {
    TargetGroupArn: arn,
    TargetGroupFullName: fullName,
    TargetGroupName: fullName.split('/')[1],
    LoadBalancerArns: loadBalancerArns,
  };
}
