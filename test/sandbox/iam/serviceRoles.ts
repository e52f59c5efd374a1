// What a service does on a stack's behalf, it does with the role the stack gave it: it assumes the
// role (the role's trust policy must let the service principal, with aws:SourceAccount and
// aws:SourceArn, call sts:AssumeRole), then each call is authorized against the role's policies,
// as the session `arn:aws:sts::<account>:assumed-role/<role>/<session>`. Calls go over the
// service's internal paths: aws:SecureTransport is true.
import { randomUUID } from 'node:crypto';
import type { Sandbox } from '../core/types';
import { authorizationLog, authorize, type AuthorizationResult } from './authorizer';
import { evaluate } from './evaluate';
import { roleSessionPrincipal, type Principal } from './principal';
import { findStackRole } from './stackRoles';

export interface RoleSession {
  readonly principal: Principal;
  readonly roleArn: string;
  readonly region: string;
  /** Authorizes one call the service makes in this session (recorded like every decision). */
  can(
    action: string,
    resource: string,
    keys?: Readonly<Record<string, string | readonly string[] | undefined>>,
  ): AuthorizationResult;
}

export type AssumeResult =
  { readonly ok: true; readonly session: RoleSession } | { readonly ok: false; readonly reason: string };

/** Role ids are stable per role name within a sandbox run (AWS gives each role one `AROA…` id). */
const roleIds = new Map<string, string>();

function roleId(arn: string): string {
  let id = roleIds.get(arn);
  if (!id) {
    id = `AROA${randomUUID().replace(/-/g, '').toUpperCase().slice(0, 17)}`;
    roleIds.set(arn, id);
  }
  return id;
}

/**
 * The service `service` (e.g. `codebuild.amazonaws.com`) assumes `roleArn` for the resource
 * `sourceArn` in `accountId`. Fails as STS does when no stack created the role or its trust policy
 * does not let the service in.
 */
export function assumeServiceRole(
  sandbox: Sandbox,
  options: {
    readonly roleArn: string;
    readonly service: string;
    readonly sessionName: string;
    readonly accountId: string;
    readonly region: string;
    readonly sourceArn: string;
  },
): AssumeResult {
  const role = findStackRole(sandbox, options.roleArn);
  const context = new Map<string, readonly string[]>([
    ['aws:sourceaccount', [options.accountId]],
    ['aws:sourcearn', [options.sourceArn]],
    ['aws:securetransport', ['true']],
    ['aws:principalservicename', [options.service]],
  ]);
  const decision = role
    ? evaluate(
        {
          caller: { principalArn: options.service, accountId: options.accountId, service: options.service },
          action: 'sts:AssumeRole',
          resource: role.arn,
          context,
        },
        { identity: [], resource: { name: `trust policy of role/${role.name}`, document: role.trustPolicy } },
      )
    : undefined;
  authorizationLog(sandbox).push({
    arn: options.service,
    principalArn: options.service,
    action: 'sts:AssumeRole',
    resource: options.roleArn,
    verdict: decision?.verdict ?? 'implicitDeny',
    allowedBy: decision?.allowedBy ?? [],
    deniedBy: decision?.deniedBy ?? [],
  });
  if (!role || decision?.verdict !== 'allowed')
    return { ok: false, reason: role ? 'the trust policy does not allow it' : 'no such role' };
  const principal = roleSessionPrincipal(role, options.sessionName, roleId(role.arn));
  return {
    ok: true,
    session: {
      principal,
      roleArn: role.arn,
      region: options.region,
      can: (action, resource, keys) =>
        authorize(sandbox, principal, action, resource, {
          region: options.region,
          secureTransport: true,
          serviceCall: true,
          ...(keys ? { keys } : {}),
        }),
    },
  };
}
