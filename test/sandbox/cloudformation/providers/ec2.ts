// Record-only VPC networking resources (the sandbox has no EC2 service). A subnet's CidrBlock is
// checked as EC2 checks it (a network address inside its VPC's block, overlapping no other subnet),
// and its record keeps the Availability Zone it got: tasks take their addresses from both.
import { cidrWithin, parseCidr, subnetsOf, vpcCidr } from '../../ec2/addressing.js';
import { availabilityZones } from '../engine/intrinsics.js';
import { ec2Id, generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ProviderContext, ResourceProvider } from './registry.js';
import { serviceFailure } from './serviceFailure.js';

const AZ_IDS: Record<string, string> = { a: 'az1', b: 'az2', c: 'az4', d: 'az6', e: 'az3', f: 'az5' };

export const ec2Providers: Record<string, ResourceProvider> = {
  'AWS::EC2::VPC': recordOnlyProvider({
    type: 'AWS::EC2::VPC',
    attributes: [
      'CidrBlock',
      'CidrBlockAssociations',
      'DefaultNetworkAcl',
      'DefaultSecurityGroup',
      'Ipv6CidrBlocks',
      'VpcId',
    ],
    createMs: 13_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('vpc'),
    attributeValues: (id, p) => ({
      VpcId: id,
      CidrBlock: stringProp(p, 'CidrBlock') ?? '10.0.0.0/16',
      CidrBlockAssociations: [ec2Id('vpc-cidr-assoc')],
      DefaultNetworkAcl: ec2Id('acl'),
      DefaultSecurityGroup: ec2Id('sg'),
      Ipv6CidrBlocks: [],
    }),
  }),
  'AWS::EC2::Subnet': subnetProvider(
    recordOnlyProvider({
      type: 'AWS::EC2::Subnet',
      attributes: [
        'AvailabilityZone',
        'AvailabilityZoneId',
        'CidrBlock',
        'Ipv6CidrBlocks',
        'NetworkAclAssociationId',
        'OutpostArn',
        'SubnetId',
        'VpcId',
      ],
      createMs: 5_000,
      deleteMs: 2_000,
      physicalId: () => ec2Id('subnet'),
      attributeValues: (id, p, ctx) => {
        const az = stringProp(p, 'AvailabilityZone') ?? availabilityZones(ctx.region)[0];
        const short = ctx.region
          .split('-')
          .map((part) => part[0])
          .join('');
        return {
          SubnetId: id,
          VpcId: p.VpcId,
          AvailabilityZone: az,
          AvailabilityZoneId: `${short}${ctx.region.replace(/\D/g, '')}-${AZ_IDS[az.slice(-1)] ?? 'az1'}`,
          CidrBlock: p.CidrBlock,
          Ipv6CidrBlocks: [],
          NetworkAclAssociationId: ec2Id('aclassoc'),
          OutpostArn: '',
        };
      },
    }),
  ),
  'AWS::EC2::InternetGateway': recordOnlyProvider({
    type: 'AWS::EC2::InternetGateway',
    attributes: ['InternetGatewayId'],
    createMs: 16_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('igw'),
    attributeValues: (id) => ({ InternetGatewayId: id }),
  }),
  'AWS::EC2::VPCGatewayAttachment': recordOnlyProvider({
    type: 'AWS::EC2::VPCGatewayAttachment',
    attributes: [],
    createMs: 16_000,
    deleteMs: 16_000,
    physicalId: (p) => `IGW|${String(p.VpcId)}`,
  }),
  'AWS::EC2::RouteTable': recordOnlyProvider({
    type: 'AWS::EC2::RouteTable',
    attributes: ['RouteTableId'],
    createMs: 3_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('rtb'),
    attributeValues: (id) => ({ RouteTableId: id }),
  }),
  'AWS::EC2::Route': recordOnlyProvider({
    type: 'AWS::EC2::Route',
    attributes: ['CidrBlock'],
    createMs: 2_000,
    deleteMs: 2_000,
    physicalId: (p) =>
      `${String(p.RouteTableId)}|${stringProp(p, 'DestinationCidrBlock') ?? stringProp(p, 'DestinationIpv6CidrBlock') ?? ''}`,
    attributeValues: (_id, p) => ({ CidrBlock: p.DestinationCidrBlock }),
  }),
  'AWS::EC2::SubnetRouteTableAssociation': recordOnlyProvider({
    type: 'AWS::EC2::SubnetRouteTableAssociation',
    attributes: ['Id'],
    createMs: 2_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('rtbassoc'),
    attributeValues: (id) => ({ Id: id }),
  }),
  'AWS::EC2::SecurityGroup': recordOnlyProvider({
    type: 'AWS::EC2::SecurityGroup',
    attributes: ['GroupId', 'VpcId'],
    createMs: 6_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('sg'),
    attributeValues: (id, p, ctx) => ({
      GroupId: id,
      VpcId: p.VpcId,
      GroupName: stringProp(p, 'GroupName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 255 }),
    }),
  }),
  'AWS::EC2::SecurityGroupIngress': recordOnlyProvider({
    type: 'AWS::EC2::SecurityGroupIngress',
    attributes: ['Id'],
    createMs: 2_000,
    deleteMs: 2_000,
    physicalId: () => ec2Id('sgr'),
    attributeValues: (id) => ({ Id: id }),
  }),
};

ec2Providers['AWS::EC2::SecurityGroupEgress'] = recordOnlyProvider({
  type: 'AWS::EC2::SecurityGroupEgress',
  attributes: ['Id'],
  createMs: 2_000,
  deleteMs: 2_000,
  physicalId: () => ec2Id('sgr'),
  attributeValues: (id) => ({ Id: id }),
});

/** The subnet's CIDR block checked against its VPC, and its Availability Zone recorded with it. */
function subnetProvider(inner: ResourceProvider): ResourceProvider {
  const resolve = (p: Record<string, unknown>, ctx: ProviderContext, self?: string): Record<string, unknown> => {
    const cidr = stringProp(p, 'CidrBlock');
    const block = cidr === undefined ? undefined : parseCidr(cidr);
    const vpcBlock = typeof p.VpcId === 'string' ? vpcCidr(ctx.sandbox, ctx.accountId, ctx.region, p.VpcId) : undefined;
    if (
      cidr !== undefined &&
      (!block || block.prefix < 16 || block.prefix > 28 || (vpcBlock && !cidrWithin(cidr, vpcBlock)))
    )
      throw serviceFailure('Ec2', `The CIDR '${cidr}' is invalid.`);
    if (cidr !== undefined && typeof p.VpcId === 'string') {
      const clash = subnetsOf(ctx.sandbox, p.VpcId).find(
        (s) => s.subnetId !== self && (cidrWithin(cidr, s.cidrBlock) || cidrWithin(s.cidrBlock, cidr)),
      );
      if (clash) throw serviceFailure('Ec2', `The CIDR '${cidr}' conflicts with another subnet`);
    }
    return { ...p, AvailabilityZone: stringProp(p, 'AvailabilityZone') ?? availabilityZones(ctx.region)[0] };
  };
  return {
    attributes: inner.attributes,
    create: async (p, ctx) => inner.create(resolve(p, ctx), ctx),
    update: async (id, p, previous, ctx) => inner.update(id, resolve(p, ctx, id), previous, ctx),
    delete: (id, p, ctx) => inner.delete(id, p, ctx),
  };
}
