// Who a request is made by, as IAM sees it: the ARN that error messages and GetCallerIdentity print,
// the principal ARN policies name (a role for its sessions), the policies that apply to it, and the
// global condition keys the request context carries for it.
import type { SandboxCredentials } from '../core/types';
import type { NamedPolicy } from './evaluate';
import type { ContextValues } from './patterns';

export interface Principal {
  /** As messages print it: `arn:aws:iam::…:user/viewer`, `arn:aws:sts::…:assumed-role/Role/session`, `arn:aws:iam::…:root`. */
  readonly arn: string;
  /** aws:PrincipalArn: the user, the role of a session, or the root. */
  readonly principalArn: string;
  readonly accountId: string;
  readonly type: 'Account' | 'User' | 'AssumedRole';
  readonly userId: string;
  /** The root user: not limited by identity policies. */
  readonly unrestricted: boolean;
  policies(): readonly NamedPolicy[];
}

/** The principal behind a verified access key (the `test` key and keys without policies are the account root). */
export function credentialsPrincipal(credentials: SandboxCredentials): Principal {
  const accountId = credentials.accountId;
  const arn = credentials.arn ?? `arn:aws:iam::${accountId}:root`;
  const root = credentials.policies === undefined;
  const session = /^arn:aws[\w-]*:sts::(\d{12}):assumed-role\/([^/]+)\/(.+)$/.exec(arn);
  const policies = credentials.policies ?? [];
  return {
    arn,
    principalArn: session ? `arn:aws:iam::${session[1]}:role/${session[2]}` : arn,
    accountId,
    type: root && arn.endsWith(':root') ? 'Account' : session ? 'AssumedRole' : 'User',
    userId: credentials.userId ?? accountId,
    unrestricted: root,
    policies: () => policies,
  };
}

/** A session a service opened on a role (CodeBuild's `AWSCodeBuild-<build>`, ECS's task id, …). */
export function roleSessionPrincipal(
  role: { readonly arn: string; readonly name: string; readonly accountId: string; policies(): NamedPolicy[] },
  sessionName: string,
  roleId: string,
): Principal {
  return {
    arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
    principalArn: role.arn,
    accountId: role.accountId,
    type: 'AssumedRole',
    userId: `${roleId}:${sessionName}`,
    unrestricted: false,
    policies: () => role.policies(),
  };
}

export interface RequestFacts {
  readonly region: string;
  /** The sandbox's endpoint stands for AWS's TLS endpoints; service calls go over internal paths. */
  readonly secureTransport: boolean;
  readonly sourceIp?: string;
  /** The call is a service's, on a role's behalf (aws:ViaAWSService is false for those too). */
  readonly serviceCall?: boolean;
  /** Service-specific and resource keys, e.g. `ecs:cluster`, `iam:PassedToService`. */
  readonly keys?: Readonly<Record<string, string | readonly string[] | undefined>>;
}

/** The request context: global keys for the principal and the request, plus the action's own keys. */
export function requestContext(principal: Principal, facts: RequestFacts): ContextValues {
  const now = new Date();
  const entries: [string, string | readonly string[] | undefined][] = [
    ['aws:PrincipalArn', principal.principalArn],
    ['aws:PrincipalAccount', principal.accountId],
    ['aws:PrincipalType', principal.type],
    ['aws:userid', principal.userId],
    ['aws:username', principal.type === 'User' ? principal.arn.slice(principal.arn.lastIndexOf('/') + 1) : undefined],
    ['aws:SecureTransport', String(facts.secureTransport)],
    ['aws:SourceIp', facts.sourceIp],
    ['aws:RequestedRegion', facts.region],
    ['aws:CurrentTime', now.toISOString().replace(/\.\d{3}Z$/, 'Z')],
    ['aws:EpochTime', String(Math.floor(now.getTime() / 1000))],
    ['aws:ViaAWSService', 'false'],
    ...Object.entries(facts.keys ?? {}),
  ];
  const context = new Map<string, readonly string[]>();
  for (const [key, value] of entries) {
    if (value === undefined) continue;
    context.set(key.toLowerCase(), typeof value === 'string' ? [value] : value);
  }
  return context;
}
