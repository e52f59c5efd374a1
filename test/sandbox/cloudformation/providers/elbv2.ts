// Placeholder Elastic Load Balancing v2 resources: record-only until the ELBv2 service registers its providers.
import { generatedName, randomHex } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

const HOSTED_ZONES: Record<string, string> = {
  'us-east-1': 'Z35SXDOTRQ7X7K',
  'us-east-2': 'Z3AADJGX6KTTL2',
  'us-west-2': 'Z1H1FL5HABSF5',
  'eu-west-1': 'Z32O12XQLNTSW2',
};

export const elbv2Providers: Record<string, ResourceProvider> = {
  'AWS::ElasticLoadBalancingV2::LoadBalancer': recordOnlyProvider({
    type: 'AWS::ElasticLoadBalancingV2::LoadBalancer',
    attributes: [
      'CanonicalHostedZoneID',
      'DNSName',
      'LoadBalancerArn',
      'LoadBalancerFullName',
      'LoadBalancerName',
      'SecurityGroups',
    ],
    createMs: 180_000,
    deleteMs: 10_000,
    physicalId: (p, ctx) => {
      const name =
        stringProp(p, 'Name') ??
        generatedName(ctx.stackName.slice(0, 8), ctx.logicalId.slice(0, 6), { max: 32, suffixLength: 12 }).replace(
          /[^A-Za-z0-9-]/g,
          '',
        );
      const kind = p.Type === 'network' ? 'net' : 'app';
      return `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:loadbalancer/${kind}/${name}/${randomHex(16)}`;
    },
    attributeValues: (arn, p, ctx) => {
      const fullName = arn.slice(arn.indexOf(':loadbalancer/') + 14);
      const name = fullName.split('/')[1];
      const internal = p.Scheme === 'internal' ? 'internal-' : '';
      return {
        LoadBalancerArn: arn,
        LoadBalancerFullName: fullName,
        LoadBalancerName: name,
        DNSName: `${internal}${name}-${String(Math.floor(1e9 + Math.random() * 9e9))}.${ctx.region}.elb.amazonaws.com`,
        CanonicalHostedZoneID: HOSTED_ZONES[ctx.region] ?? 'Z35SXDOTRQ7X7K',
        SecurityGroups: Array.isArray(p.SecurityGroups) ? p.SecurityGroups : [],
      };
    },
  }),
  'AWS::ElasticLoadBalancingV2::TargetGroup': recordOnlyProvider({
    type: 'AWS::ElasticLoadBalancingV2::TargetGroup',
    attributes: ['LoadBalancerArns', 'TargetGroupArn', 'TargetGroupFullName', 'TargetGroupName'],
    createMs: 14_000,
    deleteMs: 2_000,
    physicalId: (p, ctx) => {
      const name =
        stringProp(p, 'Name') ??
        generatedName(ctx.stackName.slice(0, 8), ctx.logicalId.slice(0, 6), { max: 32, suffixLength: 12 }).replace(
          /[^A-Za-z0-9-]/g,
          '',
        );
      return `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:targetgroup/${name}/${randomHex(16)}`;
    },
    attributeValues: (arn) => {
      const fullName = arn.slice(arn.indexOf(':targetgroup/') + 1);
      return {
        TargetGroupArn: arn,
        TargetGroupFullName: fullName,
        TargetGroupName: fullName.split('/')[1],
        LoadBalancerArns: [],
      };
    },
  }),
  'AWS::ElasticLoadBalancingV2::Listener': recordOnlyProvider({
    type: 'AWS::ElasticLoadBalancingV2::Listener',
    attributes: ['ListenerArn'],
    createMs: 2_000,
    deleteMs: 2_000,
    physicalId: (p, ctx) => {
      const lb = typeof p.LoadBalancerArn === 'string' ? p.LoadBalancerArn : '';
      const lbPart = lb.includes(':loadbalancer/')
        ? lb.slice(lb.indexOf(':loadbalancer/') + 14)
        : `app/unknown/${randomHex(16)}`;
      return `arn:aws:elasticloadbalancing:${ctx.region}:${ctx.accountId}:listener/${lbPart}/${randomHex(16)}`;
    },
    attributeValues: (arn) => ({ ListenerArn: arn }),
  }),
};
