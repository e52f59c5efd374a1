// When the ECS service cannot be shown, why, in words a user can act on: the cluster or the service
// does not exist where the extension looks, the identity may not read it, or the credentials do
// not work. Throttling and network failures are not problems of the service: they are left to the
// poller, which backs off and says "offline/throttled, retrying".
import * as l10n from '@vscode/l10n';
import { errorCode, identityProblemOf, pollErrorKind, type ErrorContext } from '../aws/errors';

/** Where the extension looked: the account and region named in "does not exist in …". */
export interface ServiceLocation {
  readonly account: string;
  readonly region: string;
  readonly cluster: string;
  readonly service: string;
}

export type ServiceProblem =
  | {
      /** The cluster, or the service in it, does not exist (or is INACTIVE: deleted). */
      readonly kind: 'missing';
      readonly what: 'cluster' | 'service';
      readonly message: string;
    }
  | { readonly kind: 'accessDenied'; readonly message: string }
  | { readonly kind: 'credentials'; readonly message: string };

export function missingProblem(what: 'cluster' | 'service', at: ServiceLocation): ServiceProblem {
  return {
    kind: 'missing',
    what,
    message:
      what === 'cluster'
        ? l10n.t('Cluster {0} does not exist in {1} {2}.', at.cluster, at.account, at.region)
        : l10n.t(
            'Service {0} in cluster {1} does not exist in {2} {3}.',
            at.service,
            at.cluster,
            at.account,
            at.region,
          ),
  };
}

/**
 * The problem an ECS read error stands for, or undefined when it is not one the user can fix by
 * choosing something (throttling, the network, a 5xx: the caller rethrows those to the poller).
 */
export function serviceProblemOf(
  error: unknown,
  at: ServiceLocation,
  context: ErrorContext | undefined,
): ServiceProblem | undefined {
  if (pollErrorKind(error) !== 'error') {
    return undefined;
  }
  const code = errorCode(error);
  if (code === 'ClusterNotFoundException') {
    return missingProblem('cluster', at);
  }
  if (code === 'ServiceNotFoundException') {
    return missingProblem('service', at);
  }
  if (!context) {
    return undefined;
  }
  return identityProblemOf(
    error,
    context,
    l10n.t(
      'Watching the service needs ecs:DescribeServices, ecs:DescribeTaskDefinition and elasticloadbalancing:DescribeTargetHealth',
    ),
  );
}
