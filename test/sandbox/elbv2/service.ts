// Elastic Load Balancing v2 (awsQuery, 2015-12-01): the describe calls the extension's health view
// uses. Load balancers and target groups come from CloudFormation (provider.ts); targets from ECS.
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { subnetAddressing } from '../ec2/addressing';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { elbv2ResourceProviders, HOSTED_ZONE } from './provider';
import { loadBalancerHostRoute, startServing, stopServing } from './serving';
import {
  checkRegisteredTarget,
  drainTarget,
  elbState,
  findTargetGroup,
  loadBalancersOf,
  registerTarget,
  type Listener,
  type LoadBalancer,
  type TargetGroup,
} from './store';
import { str } from '../core/values';
import { isIPv4 } from 'node:net';

for (const [type, provider] of Object.entries(elbv2ResourceProviders)) registerResourceProvider(type, provider);

const invalidMarker = (): AwsError => new AwsError('ValidationError', 'Invalid value for parameter Marker');

export const elbv2Service: ServiceDefinition = {
  signingName: 'elasticloadbalancing',
  protocol: 'awsQuery',
  xmlNamespace: 'http://elasticloadbalancing.amazonaws.com/doc/2015-12-01/',
  unknownKeyErrorCode: 'InvalidClientTokenId',
  // The load balancers answer HTTP on a loopback port of their own (serving.ts).
  start: startServing,
  stop: stopServing,
  // ... and on the sandbox's endpoint for a Host that is one of their DNS names.
  hostRoutes: [loadBalancerHostRoute],
  operations: {
    DescribeLoadBalancers: (input, ctx) => {
      const arns = stringList(input.LoadBalancerArns);
      const names = stringList(input.Names);
      if (arns && names)
        throw new AwsError(
          'ValidationError',
          'Load balancer names and load balancer ARNs cannot be specified at the same time',
        );
      const all = ownLoadBalancers(ctx);
      let selected = all;
      if (arns || names) {
        selected = all.filter((lb) => arns?.includes(lb.arn) || names?.includes(lb.name));
        if (selected.length !== (arns ?? names ?? []).length) {
          throw new AwsError(
            'LoadBalancerNotFound',
            names
              ? `Load balancers '[${names.filter((n) => !all.some((lb) => lb.name === n)).join(', ')}]' not found`
              : 'One or more load balancers not found',
          );
        }
      }
      const page = paginate(selected, input.Marker, pageLimit(input.PageSize, 400, 400, 'pageSize'), invalidMarker);
      return { LoadBalancers: page.items.map((lb) => describeLoadBalancer(lb, ctx)), NextMarker: page.nextToken };
    },

    // The listeners of a load balancer (or by ARN): the extension reads the one forwarding to the
    // service's target group for the URL when no stack output names it.
    DescribeListeners: (input, ctx) => {
      const lbArn = typeof input.LoadBalancerArn === 'string' ? input.LoadBalancerArn : undefined;
      const arns = stringList(input.ListenerArns);
      if (!lbArn && !arns)
        throw new AwsError('ValidationError', 'You must specify either listener ARNs or a load balancer ARN');
      if (lbArn && arns)
        throw new AwsError(
          'ValidationError',
          'Listener ARNs and a load balancer ARN cannot be specified at the same time',
        );
      const lbs = elbState(ctx.sandbox).loadBalancers;
      if (lbArn && !ownLoadBalancers(ctx).some((lb) => lb.arn === lbArn))
        throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
      const all = Object.values(elbState(ctx.sandbox).listeners).filter((l) => {
        const lb = lbs[l.loadBalancerArn];
        return lb?.accountId === ctx.accountId && lb.region === ctx.region;
      });
      const selected = lbArn
        ? all.filter((l) => l.loadBalancerArn === lbArn)
        : all.filter((l) => arns?.includes(l.arn));
      if (arns && selected.length !== arns.length)
        throw new AwsError('ListenerNotFound', 'One or more listeners not found');
      const page = paginate(selected, input.Marker, pageLimit(input.PageSize, 400, 400, 'pageSize'), invalidMarker);
      return { Listeners: page.items.map(describeListener), NextMarker: page.nextToken };
    },

    DescribeTargetGroups: (input, ctx) => {
      const arns = stringList(input.TargetGroupArns);
      const names = stringList(input.Names);
      const lbArn = typeof input.LoadBalancerArn === 'string' ? input.LoadBalancerArn : undefined;
      if (lbArn && !elbState(ctx.sandbox).loadBalancers[lbArn])
        throw new AwsError('LoadBalancerNotFound', 'One or more load balancers not found');
      const all = ownTargetGroups(ctx);
      let selected = all.filter((tg) => !lbArn || loadBalancersOf(ctx.sandbox, tg.arn).includes(lbArn));
      if (arns || names) {
        selected = selected.filter((tg) => arns?.includes(tg.arn) || names?.includes(tg.name));
        if (selected.length !== (arns ?? names ?? []).length) {
          throw new AwsError(
            'TargetGroupNotFound',
            names
              ? `Target groups '[${names.filter((n) => !all.some((tg) => tg.name === n)).join(', ')}]' not found`
              : 'One or more target groups not found',
          );
        }
      }
      const page = paginate(selected, input.Marker, pageLimit(input.PageSize, 400, 400, 'pageSize'), invalidMarker);
      return {
        TargetGroups: page.items.map((tg) => describeTargetGroup(tg, loadBalancersOf(ctx.sandbox, tg.arn))),
        NextMarker: page.nextToken,
      };
    },

    // Targets of an `ip` group are addresses (ECS registers its tasks' addresses itself); a new target
    // starts in `initial` and passes its health checks if a running task has that address.
    RegisterTargets: (input, ctx) => {
      const group = ownTargetGroup(ctx, str(input.TargetGroupArn));
      const targets = requestedTargets(input, group);
      for (const t of targets) {
        if (group.targetType === 'ip' && !isIPv4(t.id))
          throw new AwsError('ValidationError', `The IP address '${t.id}' is not a valid IPv4 address`);
        // AWS's words for an address given to an instance group (seen in aws-load-balancer-controller#3668).
        if (group.targetType === 'instance' && !/^i-[0-9a-f]{8,17}$/.test(t.id))
          throw new AwsError('ValidationError', `Instance ID '${t.id}' is not valid`);
      }
      for (const t of targets) {
        // Registering a target that is registered (and not leaving) changes nothing.
        if (group.targets.some((x) => x.id === t.id && x.port === t.port && x.state !== 'draining')) continue;
        registerTarget(ctx.sandbox, group.arn, t);
        checkRegisteredTarget(ctx.sandbox, group.arn, t.id);
      }
      return {};
    },

    // The load balancer stops sending the targets requests at once; they drain for the group's
    // deregistration delay and are gone after it. A target that is not registered is no error.
    DeregisterTargets: (input, ctx) => {
      const group = ownTargetGroup(ctx, str(input.TargetGroupArn));
      for (const t of requestedTargets(input, group)) {
        if (group.targets.some((x) => x.id === t.id && x.port === t.port)) {
          drainTarget(ctx.sandbox, group.arn, t.id, t.port);
        }
      }
      return {};
    },

    DescribeTargetHealth: (input, ctx) => {
      const arn = typeof input.TargetGroupArn === 'string' ? input.TargetGroupArn : '';
      if (arn === '')
        throw new AwsError(
          'ValidationError',
          "1 validation error detected: Value null at 'targetGroupArn' failed to satisfy constraint: Member must not be null",
        );
      const group = ownTargetGroup(ctx, arn);
      const inUse = loadBalancersOf(ctx.sandbox, arn).length > 0;
      const wanted = Array.isArray(input.Targets) ? (input.Targets as { Id?: unknown; Port?: unknown }[]) : undefined;
      const targets = wanted
        ? wanted.map((w) => {
            const found = group.targets.find(
              (t) => t.id === w.Id && (w.Port === undefined || str(t.port) === str(w.Port)),
            );
            return (
              found ?? {
                id: String(w.Id),
                port: Number(w.Port ?? group.port),
                state: 'unused' as const,
                reason: 'Target.NotRegistered',
                description: 'Target is not registered to the target group',
              }
            );
          })
        : group.targets;
      return {
        TargetHealthDescriptions: targets.map((t) => {
          // A target group no listener forwards to does not health-check its targets.
          const unused = !inUse && t.state !== 'draining' && t.reason !== 'Target.NotRegistered';
          return {
            Target: { Id: t.id, Port: t.port, AvailabilityZone: t.availabilityZone },
            HealthCheckPort: String(t.port),
            TargetHealth: unused
              ? {
                  State: 'unused',
                  Reason: 'Target.NotInUse',
                  Description: 'Target group is not configured to receive traffic from the load balancer',
                }
              : { State: t.state, Reason: t.reason, Description: t.description },
          };
        }),
      };
    },
  },
};

function ownTargetGroup(ctx: RequestContext, arn: string): TargetGroup {
  const group = findTargetGroup(ctx.sandbox, arn);
  if (!group || group.accountId !== ctx.accountId || group.region !== ctx.region) {
    throw new AwsError('TargetGroupNotFound', `Target groups '${arn}' not found`);
  }
  return group;
}

/** The targets of a RegisterTargets/DeregisterTargets request, each with its port (the group's by default). */
function requestedTargets(input: Record<string, unknown>, group: TargetGroup): { id: string; port: number }[] {
  const list = Array.isArray(input.Targets) ? (input.Targets as { Id?: unknown; Port?: unknown }[]) : [];
  return list.map((t) => ({ id: str(t.Id), port: t.Port === undefined ? group.port : Number(t.Port) }));
}

function stringList(value: unknown): string[] | undefined {
  return Array.isArray(value) ? value.map(String) : undefined;
}

function ownLoadBalancers(ctx: RequestContext): LoadBalancer[] {
  return Object.values(elbState(ctx.sandbox).loadBalancers).filter(
    (lb) => lb.accountId === ctx.accountId && lb.region === ctx.region,
  );
}

function ownTargetGroups(ctx: RequestContext): TargetGroup[] {
  return Object.values(elbState(ctx.sandbox).targetGroups).filter(
    (tg) => tg.accountId === ctx.accountId && tg.region === ctx.region,
  );
}

function describeLoadBalancer(lb: LoadBalancer, ctx: RequestContext): Record<string, unknown> {
  const subnets = lb.subnets.map((id) => subnetAddressing(ctx.sandbox, lb.accountId, lb.region, id));
  return {
    LoadBalancerArn: lb.arn,
    DNSName: lb.dnsName,
    CanonicalHostedZoneId: HOSTED_ZONE[lb.region] ?? 'Z35SXDOTRQ7X7K',
    CreatedTime: new Date(lb.createdTime),
    LoadBalancerName: lb.name,
    Scheme: lb.scheme,
    VpcId: lb.vpcId ?? subnets[0]?.vpcId,
    State: { Code: lb.state },
    Type: lb.type,
    AvailabilityZones: subnets.map((subnet) => ({
      ZoneName: subnet.availabilityZone,
      SubnetId: subnet.subnetId,
      LoadBalancerAddresses: [],
    })),
    SecurityGroups: lb.securityGroups,
    IpAddressType: 'ipv4',
  };
}

function describeListener(l: Listener): Record<string, unknown> {
  const [first] = l.targetGroupArns;
  return {
    ListenerArn: l.arn,
    LoadBalancerArn: l.loadBalancerArn,
    Port: l.port,
    Protocol: l.protocol,
    DefaultActions:
      first === undefined
        ? []
        : [
            {
              Type: 'forward',
              // One group: AWS names it at the top and in ForwardConfig; several only in ForwardConfig.
              ...(l.targetGroupArns.length === 1 ? { TargetGroupArn: first } : {}),
              ForwardConfig: {
                TargetGroups: l.targetGroupArns.map((arn) => ({ TargetGroupArn: arn, Weight: 1 })),
                TargetGroupStickinessConfig: { Enabled: false },
              },
            },
          ],
  };
}

function describeTargetGroup(tg: TargetGroup, loadBalancerArns: string[]): Record<string, unknown> {
  return {
    TargetGroupArn: tg.arn,
    TargetGroupName: tg.name,
    Protocol: tg.protocol,
    Port: tg.port,
    VpcId: tg.vpcId,
    HealthCheckProtocol: tg.protocol,
    HealthCheckPort: 'traffic-port',
    HealthCheckEnabled: true,
    HealthCheckIntervalSeconds: tg.healthCheckIntervalSeconds,
    HealthCheckTimeoutSeconds: tg.healthCheckTimeoutSeconds,
    HealthyThresholdCount: tg.healthyThresholdCount,
    UnhealthyThresholdCount: tg.unhealthyThresholdCount,
    HealthCheckPath: tg.healthCheckPath,
    Matcher: { HttpCode: tg.matcher },
    LoadBalancerArns: loadBalancerArns,
    TargetType: tg.targetType,
    ProtocolVersion: 'HTTP1',
    IpAddressType: 'ipv4',
  };
}
