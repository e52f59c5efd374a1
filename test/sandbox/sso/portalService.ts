// The IAM Identity Center portal (restJson1, signing name awsssoportal): what a signed-in user may
// assume (ListAccounts, ListAccountRoles) and the role credentials for one permission set
// (GetRoleCredentials) — the call the SDKs' and the CLI's SSO credential providers make with the
// cached access token. The credentials it issues are temporary: they need their session token and
// stop working when they expire, as AWS's do.
import { createHash } from 'node:crypto';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type SandboxCredentials, type ServiceDefinition } from '../core/types';
import { str } from '../core/values';
import {
  ALPHANUMERIC,
  assignments,
  opaqueToken,
  randomText,
  SSO_USER_NAME,
  ssoState,
  UPPER_ALPHANUMERIC,
  type SsoToken,
} from './store';

/** Role credentials last one hour (the permission set's default session duration). */
const ROLE_SESSION_MS = 3600 * 1000;

export const ssoPortalService: ServiceDefinition = {
  signingName: 'awsssoportal',
  protocol: 'restJson1',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  issuedCredentials: (sandbox, accessKeyId) => {
    const state = (sandbox.state as { sso?: ReturnType<typeof ssoState> }).sso;
    const issued = state && Object.hasOwn(state.credentials, accessKeyId) ? state.credentials[accessKeyId] : undefined;
    if (!issued) return undefined;
    const credentials: SandboxCredentials = {
      accessKeyId,
      secretAccessKey: issued.secretAccessKey,
      sessionToken: issued.sessionToken,
      expiration: new Date(issued.expiration),
      accountId: issued.accountId,
      ...roleSessionIdentity(issued.accountId, issued.roleName),
    };
    return credentials;
  },
  operations: {
    GetRoleCredentials: (input, ctx) => {
      requireToken(input, ctx);
      const accountId = str(input.accountId);
      const roleName = str(input.roleName);
      const assigned = assignments(ctx.sandbox).some((a) => a.accountId === accountId && a.roles.includes(roleName));
      if (!assigned) throw new AwsError('ForbiddenException', 'No access', 403);
      const accessKeyId = `ASIA${randomText(16, UPPER_ALPHANUMERIC)}`;
      const expiration = Date.now() + ROLE_SESSION_MS;
      const secretAccessKey = randomText(40, ALPHANUMERIC);
      const sessionToken = opaqueToken('IQoJb3JpZ2luX2Vj');
      ssoState(ctx.sandbox).credentials[accessKeyId] = {
        secretAccessKey,
        sessionToken,
        accountId,
        roleName,
        expiration,
      };
      ctx.sandbox.changed();
      // `expiration` is epoch milliseconds on this API (the CLI and SDKs read it so).
      return { roleCredentials: { accessKeyId, secretAccessKey, sessionToken, expiration } };
    },

    ListAccounts: (input, ctx) => {
      requireToken(input, ctx);
      const accounts = assignments(ctx.sandbox).map(({ accountId, accountName, emailAddress }) => ({
        accountId,
        accountName,
        emailAddress,
      }));
      const page = paginate(
        accounts,
        input.nextToken,
        pageLimit(input.maxResults, 20, 100, 'maxResults'),
        invalidToken,
      );
      return { accountList: page.items, nextToken: page.nextToken };
    },

    ListAccountRoles: (input, ctx) => {
      requireToken(input, ctx);
      const accountId = str(input.accountId);
      const assignment = assignments(ctx.sandbox).find((a) => a.accountId === accountId);
      if (!assignment) throw new AwsError('ResourceNotFoundException', 'Account not found', 404);
      const roles = assignment.roles.map((roleName) => ({ roleName, accountId }));
      const page = paginate(roles, input.nextToken, pageLimit(input.maxResults, 20, 100, 'maxResults'), invalidToken);
      return { roleList: page.items, nextToken: page.nextToken };
    },

    Logout: (input, ctx) => {
      requireToken(input, ctx);
      // Role credentials already issued stay valid until they expire (AWS documents the same).
      delete ssoState(ctx.sandbox).tokens[str(input.accessToken)];
      ctx.sandbox.changed();
      return {};
    },
  },
};

const invalidToken = (): AwsError => new AwsError('InvalidRequestException', 'Invalid next token', 400);

function requireToken(input: Record<string, unknown>, ctx: RequestContext): SsoToken {
  const state = ssoState(ctx.sandbox);
  const accessToken = str(input.accessToken);
  const token = Object.hasOwn(state.tokens, accessToken) ? state.tokens[accessToken] : undefined;
  if (!token || token.expiresAt <= Date.now())
    throw new AwsError('UnauthorizedException', 'Session token not found or invalid', 401);
  return token;
}

/** Who GetCallerIdentity says the caller is: the permission set's reserved role, session named after the user. */
function roleSessionIdentity(accountId: string, roleName: string): { arn: string; userId: string } {
  const suffix = createHash('sha256').update(`${accountId}/${roleName}`).digest('hex').slice(0, 16);
  const roleId = `AROA${createHash('sha256').update(roleName).digest('hex').slice(0, 17).toUpperCase()}`;
  return {
    arn: `arn:aws:sts::${accountId}:assumed-role/AWSReservedSSO_${roleName}_${suffix}/${SSO_USER_NAME}`,
    userId: `${roleId}:${SSO_USER_NAME}`,
  };
}
