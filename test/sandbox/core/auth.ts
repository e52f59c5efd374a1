// Who is calling: the sandbox's access keys, the error each protocol answers a signature that does
// not check out with, and the request context a verified identity gives a service handler.
import type { IncomingHttpHeaders } from 'node:http';
import type { VerifyResult } from './sigv4';
import {
  AwsError,
  type Protocol,
  type RequestContext,
  type Sandbox,
  type SandboxCredentials,
  type ServiceDefinition,
} from './types';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  accountId: DEFAULT_ACCOUNT_ID,
};

const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';

/**
 * The identity behind an access key id: the default `test` key plus the configured ones (which may
 * override it), then the temporary credentials the services issued.
 */
export function credentialLookup(
  extra: readonly SandboxCredentials[] = [],
  issued: (accessKeyId: string) => SandboxCredentials | undefined = () => undefined,
): (accessKeyId: string) => SandboxCredentials | undefined {
  const credentials = new Map<string, SandboxCredentials>([[DEFAULT_CREDENTIALS.accessKeyId, DEFAULT_CREDENTIALS]]);
  for (const pair of extra) credentials.set(pair.accessKeyId, pair);
  return (accessKeyId) => credentials.get(accessKeyId) ?? issued(accessKeyId);
}

/** The error a JSON or query service answers when the signature is missing or incomplete, or undefined. */
export function unsignedError(verified: VerifyResult, protocol: Protocol): AwsError | undefined {
  if (verified.ok) return undefined;
  const json = protocol === 'awsJson1_1';
  if (verified.kind === 'missing') {
    return json
      ? new AwsError('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
      : new AwsError('MissingAuthenticationToken', 'Request is missing Authentication Token', 403);
  }
  if (verified.kind === 'incomplete')
    return new AwsError(json ? 'IncompleteSignatureException' : 'IncompleteSignature', verified.message, 400);
  return undefined;
}

/** The error AWS returns for a request whose signature does not check out, or undefined when it does. */
export function authenticationError(
  verified: VerifyResult,
  protocol: Protocol,
  service: ServiceDefinition | undefined,
): AwsError | undefined {
  const signatureCode = protocol === 'awsJson1_1' ? 'InvalidSignatureException' : 'SignatureDoesNotMatch';
  if (verified.ok) {
    if (service && verified.auth.service !== service.signingName) {
      return new AwsError(
        signatureCode,
        `Credential should be scoped to correct service: '${service.signingName}'. `,
        403,
      );
    }
    return undefined;
  }
  switch (verified.kind) {
    case 'unknownKey':
      return new AwsError(
        service?.unknownKeyErrorCode ??
          (protocol === 'awsJson1_1' ? 'UnrecognizedClientException' : 'InvalidClientTokenId'),
        INVALID_TOKEN_MESSAGE,
        403,
      );
    case 'expired':
      return new AwsError(signatureCode, verified.message, 403);
    case 'tokenExpired':
      return new AwsError(
        protocol === 'awsJson1_1' ? 'ExpiredTokenException' : 'ExpiredToken',
        'The security token included in the request is expired',
        403,
      );
    default:
      return new AwsError(signatureCode, SIGNATURE_MISMATCH_MESSAGE, 403);
  }
}

/** S3's answers to a request it cannot authenticate. */
export function restAuthenticationError(verified: VerifyResult): AwsError | undefined {
  if (verified.ok) return undefined;
  switch (verified.kind) {
    case 'missing':
      return new AwsError('AccessDenied', 'Access Denied', 403);
    case 'incomplete':
      return new AwsError('AuthorizationHeaderMalformed', verified.message, 400);
    case 'unknownKey':
      return new AwsError(
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
        403,
      );
    case 'expired':
      return new AwsError(
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
        403,
      );
    case 'tokenExpired':
      return new AwsError('ExpiredToken', 'The provided token has expired.', 400);
    case 'mismatch':
      return new AwsError(
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
        403,
      );
  }
}

/** What a service handler learns about the caller of a verified request. */
export function requestContext(
  sandbox: Sandbox,
  verified: Extract<VerifyResult, { ok: true }>,
  requestId: string,
  headers: IncomingHttpHeaders,
  fallbackHost: string,
  authorize?: RequestContext['authorize'],
): RequestContext {
  const identity = verified.credentials;
  return {
    ...(authorize ? { authorize } : {}),
    sandbox,
    accountId: identity.accountId,
    region: verified.auth.region,
    accessKeyId: identity.accessKeyId,
    requestId,
    host: headers.host ?? fallbackHost,
    principal: {
      arn: identity.arn ?? `arn:aws:iam::${identity.accountId}:root`,
      userId: identity.userId ?? identity.accountId,
    },
  };
}
