// IPv4 addressing of the sandbox's VPCs and subnets (CloudFormation's EC2 records): which VPC and
// Availability Zone a subnet is in, and free addresses from its CIDR block for the network
// interfaces of tasks. A subnet the sandbox never created is one of the account's default subnets
// (default VPC 172.31.0.0/16, a /20 per Availability Zone), as on a fresh AWS account.
import { createHash, randomInt } from 'node:crypto';
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';

export interface SubnetAddressing {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly cidrBlock: string;
  readonly availabilityZone: string;
}

const DEFAULT_VPC_CIDR = '172.31.0.0/16';

/** A parsed IPv4 CIDR block: first address and prefix length. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((n, o) => n * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (address % size !== 0) return undefined; // host bits set: not a network address
  return { base: address, prefix };
}

export function formatIp(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.');
}

/** Whether an IPv4 address lies in the block. */
export function cidrContains(cidr: string, ip: string): boolean {
  return cidrWithin(`${ip}/32`, cidr);
}

/** Whether `inner` lies entirely within `outer`. */
export function cidrWithin(inner: string, outer: string): boolean {
  const a = parseCidr(inner);
  const b = parseCidr(outer);
  if (!a || !b || a.prefix < b.prefix) return false;
  return Math.floor(a.base / 2 ** (32 - b.prefix)) === Math.floor(b.base / 2 ** (32 - b.prefix));
}

/**
 * A free address of the block, chosen at random as EC2 does. AWS reserves the first four and the
 * last address of every subnet. Undefined when the block is full.
 */
export function freeAddress(cidr: string, used: ReadonlySet<string>): string | undefined {
  const block = parseCidr(cidr);
  if (!block) return undefined;
  const first = block.base + 4;
  const last = block.base + 2 ** (32 - block.prefix) - 2;
  const count = last - first + 1;
  if (count <= 0) return undefined;
  const start = randomInt(count);
  for (let i = 0; i < count; i++) {
    const ip = formatIp(first + ((start + i) % count));
    if (!used.has(ip)) return ip;
  }
  return undefined;
}

/** The account's default VPC id in a region (stable, like the real one). */
export function defaultVpcId(accountId: string, region: string): string {
  return `vpc-0${createHash('sha256').update(`${accountId}/${region}/default-vpc`).digest('hex').slice(0, 16)}`;
}

export function subnetAddressing(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  subnetId: string,
): SubnetAddressing {
  const record = cfnState(sandbox).records['AWS::EC2::Subnet']?.[subnetId];
  const p = record?.properties;
  if (p && typeof p.CidrBlock === 'string' && typeof p.VpcId === 'string') {
    return {
      subnetId,
      vpcId: p.VpcId,
      cidrBlock: p.CidrBlock,
      availabilityZone: typeof p.AvailabilityZone === 'string' ? p.AvailabilityZone : `${region}a`,
    };
  }
  // A default subnet: the hash of its id picks its Availability Zone and its /20 of 172.31.0.0/16.
  const index = parseInt(createHash('sha256').update(subnetId).digest('hex').slice(0, 8), 16) % 6;
  return {
    subnetId,
    vpcId: defaultVpcId(accountId, region),
    cidrBlock: `172.31.${index * 16}.0/20`,
    availabilityZone: `${region}${'abcdef'[index]}`,
  };
}

/** The CIDR block of a VPC: one the sandbox created, or the account's default VPC. */
export function vpcCidr(sandbox: Sandbox, accountId: string, region: string, vpcId: string): string | undefined {
  if (vpcId === defaultVpcId(accountId, region)) return DEFAULT_VPC_CIDR;
  const cidr = cfnState(sandbox).records['AWS::EC2::VPC']?.[vpcId]?.properties.CidrBlock;
  return typeof cidr === 'string' ? cidr : undefined;
}

/** Subnets the sandbox created in a VPC: id and CIDR block. */
export function subnetsOf(sandbox: Sandbox, vpcId: string): { subnetId: string; cidrBlock: string }[] {
  return Object.entries(cfnState(sandbox).records['AWS::EC2::Subnet'] ?? {})
    .filter(([, r]) => r.properties.VpcId === vpcId && typeof r.properties.CidrBlock === 'string')
    .map(([subnetId, r]) => ({ subnetId, cidrBlock: String(r.properties.CidrBlock) }));
}
