// The authorization step of the request pipeline: after the signature is verified and the request
// judged by its model, the caller's identity is asked, for each action and resource the operation
// needs (iam/operationActions.ts), whether it may; the first denial is answered with the service's
// AccessDenied. Handlers that authorize more (S3's per-key deletes) get the same check as
// `ctx.authorize`.
import { accessDeniedError } from '../iam/accessDenied';
import { authorize } from '../iam/authorizer';
import type { Needed } from '../iam/operationActions';
import { credentialsPrincipal } from '../iam/principal';
import type { AwsError, Protocol, Sandbox, SandboxCredentials } from './types';

export interface Caller {
  readonly credentials: SandboxCredentials;
  readonly region: string;
  readonly protocol: Protocol;
  readonly sourceIp?: string;
}

export type Authorize = (action: string, resource: string, keys?: Needed['keys']) => AwsError | undefined;

/** The caller's check of one action on one resource: undefined when allowed, else the service's AccessDenied. */
export function callerAuthorizer(sandbox: Sandbox, caller: Caller): Authorize {
  const principal = credentialsPrincipal(caller.credentials);
  return (action, resource, keys) => {
    const result = authorize(sandbox, principal, action, resource, {
      region: caller.region,
      // The sandbox's endpoint stands for AWS's HTTPS endpoints, which every SDK and CLI uses.
      secureTransport: true,
      ...(caller.sourceIp !== undefined ? { sourceIp: caller.sourceIp } : {}),
      ...(keys ? { keys } : {}),
    });
    return result.allowed
      ? undefined
      : accessDeniedError(caller.protocol, principal.arn, action, resource, result.decision.verdict);
  };
}

/** The first denial among the operation's needs, or undefined when the caller may do them all. */
export function authorizeNeeds(check: Authorize, needs: readonly Needed[]): AwsError | undefined {
  for (const need of needs) {
    const denied = check(need.action, need.resource, need.keys);
    if (denied) return denied;
  }
  return undefined;
}

/** The client's address as IAM's aws:SourceIp sees it (IPv4-mapped IPv6 as plain IPv4). */
export function sourceIpOf(remoteAddress: string | undefined): string | undefined {
  return remoteAddress?.replace(/^::ffff:/, '');
}
