// Parameter Store state: per account and region, each parameter's versions (newest last), plus a
// pinned set of the public parameters AWS publishes under /aws/service/ (read-only, every account).
import type { Sandbox } from '../core/types';

export type ParameterType = 'String' | 'StringList' | 'SecureString';

export interface ParameterVersion {
  name: string;
  type: ParameterType;
  value: string;
  version: number;
  /** Epoch milliseconds (sandbox clock). */
  lastModified: number;
  lastModifiedUser: string;
  description?: string;
  allowedPattern?: string;
  keyId?: string;
  dataType: string;
  tier: 'Standard' | 'Advanced';
  tags: { Key: string; Value: string }[];
}

interface SsmState {
  /** `<account>:<region>` → name → versions, oldest first. */
  parameters: Record<string, Record<string, ParameterVersion[]>>;
}

function ssmState(sandbox: Sandbox): SsmState {
  const state = (sandbox.state.ssm ??= { parameters: {} }) as SsmState;
  state.parameters ??= {};
  return state;
}

function scope(sandbox: Sandbox, accountId: string, region: string): Record<string, ParameterVersion[]> {
  return (ssmState(sandbox).parameters[`${accountId}:${region}`] ??= {});
}

/**
 * A few of the public parameters AWS publishes in every account (values pinned; the real ones change
 * as AWS releases new images). Templates commonly take AMI ids from them.
 */
const PUBLIC: Record<string, string> = {
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64': 'ami-0c02fb55956c7d316',
  '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64': 'ami-0a8b4cd432b1c3063',
  '/aws/service/ami-amazon-linux-latest/amzn2-ami-hvm-x86_64-gp2': 'ami-0b5eea76982371e91',
  '/aws/service/ecs/optimized-ami/amazon-linux-2023/recommended/image_id': 'ami-05ab12222a9f39021',
};

export function isPublicName(name: string): boolean {
  return name.startsWith('/aws/service/');
}

/** Every version of a parameter (oldest first), or undefined. Public parameters have one version. */
export function findParameter(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
): ParameterVersion[] | undefined {
  if (Object.hasOwn(PUBLIC, name))
    return [
      {
        name,
        type: 'String',
        value: PUBLIC[name],
        version: 1,
        lastModified: Date.UTC(2024, 0, 1),
        lastModifiedUser: 'arn:aws:iam::aws:root',
        dataType: name.includes('image') || name.includes('ami') ? 'aws:ec2:image' : 'text',
        tier: 'Standard',
        tags: [],
      },
    ];
  const own = scope(sandbox, accountId, region);
  return Object.hasOwn(own, name) ? own[name] : undefined;
}

export function listParameters(sandbox: Sandbox, accountId: string, region: string): ParameterVersion[] {
  return Object.values(scope(sandbox, accountId, region))
    .map((versions) => versions[versions.length - 1])
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function putVersion(sandbox: Sandbox, accountId: string, region: string, version: ParameterVersion): void {
  const own = scope(sandbox, accountId, region);
  const versions = (own[version.name] ??= []);
  versions.push(version);
  // Parameter Store keeps the 100 most recent versions.
  if (versions.length > 100) versions.shift();
  sandbox.changed();
}

export function removeParameter(sandbox: Sandbox, accountId: string, region: string, name: string): boolean {
  const own = scope(sandbox, accountId, region);
  if (!Object.hasOwn(own, name)) return false;
  delete own[name];
  sandbox.changed();
  return true;
}

export function parameterArn(accountId: string, region: string, name: string): string {
  if (isPublicName(name)) return `arn:aws:ssm:${region}::parameter${name}`;
  return `arn:aws:ssm:${region}:${accountId}:parameter${name.startsWith('/') ? name : `/${name}`}`;
}
