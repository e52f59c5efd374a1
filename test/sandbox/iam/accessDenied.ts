// The AccessDenied answer of each protocol family, as the services send it: JSON services
// `AccessDeniedException` (HTTP 400; "on resource: *" for actions without resource-level
// permissions), query services (CloudFormation, ELB) `AccessDenied` (HTTP 403; no "on resource"
// for those actions), REST-JSON services `AccessDeniedException` (HTTP 403), and S3 `AccessDenied` (HTTP 403, the resource ARN in quotes).
import { AwsError, type Protocol } from '../core/types';
import { deniedMessage } from './authorizer';
import type { Verdict } from './evaluate';

export function accessDeniedError(
  protocol: Protocol,
  principalArn: string,
  action: string,
  resource: string,
  verdict: Verdict,
): AwsError {
  switch (protocol) {
    case 'awsJson1_1':
      return new AwsError('AccessDeniedException', deniedMessage(principalArn, action, resource, verdict), 400);
    case 'awsQuery':
      return new AwsError(
        'AccessDenied',
        deniedMessage(principalArn, action, resource, verdict, { omitResource: resource === '*' }),
        403,
      );
    case 'restJson1':
      // REST-JSON services (the SSO portal, authorized by its bearer token, never gets here).
      return new AwsError('AccessDeniedException', deniedMessage(principalArn, action, resource, verdict), 403);
    case 'restXml':
      return new AwsError(
        'AccessDenied',
        deniedMessage(principalArn, action, resource, verdict, { quoteResource: true }),
        403,
      );
  }
}
