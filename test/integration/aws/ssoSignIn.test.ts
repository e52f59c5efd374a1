// IAM Identity Center sign-in against the sandbox's SSO OIDC and portal services over real HTTP:
// the device flow with the SDK's OIDC client, the token cached where the CLI and the SDK read it,
// then the SDK's own SSO credential provider and the AWS CLI using that cached token, refresh with
// the refresh token, and the service's answers to polling too fast, a denial and a bad token.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { ssoSignInConfig, type SsoSignInConfig } from '../../../src/aws/ssoConfig';
import { refreshSsoToken, signInWithDeviceFlow, SsoSignInError } from '../../../src/aws/ssoDeviceFlow';
import { ssoOidcApi, type DisposableSsoOidcApi } from '../../../src/aws/ssoOidc';
import { readSsoToken, ssoCacheFile, writeSsoToken, type CachedSsoToken } from '../../../src/aws/ssoTokenCache';
import type { Logger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';

const run = promisify(execFile);
const quiet: Logger = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };
const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    });
  });

/** What a user does in the browser: open the verification page, check the code, press a button. */
async function answerInBrowser(url: string, userCode: string, decision: 'allow' | 'deny'): Promise<void> {
  const page = await fetch(url);
  const html = await page.text();
  assert.equal(page.status, 200, html);
  assert.match(html, new RegExp(`<strong id="user-code">${userCode}</strong>`));
  const answer = await fetch(new URL('/_sso/device', url), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ user_code: userCode, decision }).toString(),
  });
  assert.equal(answer.status, 200, await answer.text());
}

describe('IAM Identity Center sign-in against the sandbox', () => {
  let sandbox: RunningSandbox;
  let home: string;
  let api: DisposableSsoOidcApi;
  let config: SsoSignInConfig;
  const saved = { HOME: process.env.HOME, AWS_CONFIG_FILE: process.env.AWS_CONFIG_FILE };

  before(async () => {
    sandbox = await startSandbox({ port: 0, services });
    home = mkdtempSync(join(tmpdir(), 'wp-sso-'));
    mkdirSync(join(home, '.aws'));
    writeFileSync(
      join(home, '.aws', 'config'),
      [
        '[profile corp]',
        'sso_session = corp',
        'sso_account_id = 000000000000',
        'sso_role_name = AdministratorAccess',
        'region = us-east-1',
        '',
        '[profile denied-role]',
        'sso_session = corp',
        'sso_account_id = 000000000000',
        'sso_role_name = BillingAccess',
        'region = us-east-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://d-9067example.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    // The SDK reads HOME for the token cache and AWS_CONFIG_FILE for profiles; this file runs in its own process.
    process.env.HOME = home;
    process.env.AWS_CONFIG_FILE = join(home, '.aws', 'config');
    const shared = await loadSharedConfigFiles({ ignoreCache: true });
    const resolved = ssoSignInConfig(shared, 'corp');
    assert.ok(resolved.ok);
    config = resolved.config;
    api = ssoOidcApi(config.ssoRegion, sandbox.endpoint, quiet);
  });

  after(async () => {
    api.dispose();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    rmSync(home, { recursive: true, force: true });
    await sandbox.close();
  });

  const signIn = (decision: 'allow' | 'deny', previous?: CachedSsoToken) =>
    signInWithDeviceFlow(config, previous, {
      api,
      now: Date.now,
      sleep,
      clientName: 'workshop-pipeline-test',
      onPrompt: (prompt) => answerInBrowser(prompt.url, prompt.userCode, decision),
    });

  it('signs in with the device flow and caches the token the way the AWS CLI does', async () => {
    const token = await signIn('allow');
    const file = ssoCacheFile(home, 'corp');
    await writeSsoToken(file, token);

    // The file the SDK and the CLI look for: sha1 of the session name, owner-only.
    assert.equal(file, join(home, '.aws', 'sso', 'cache', 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json'));
    assert.equal(statSync(file).mode & 0o777, 0o600);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(cached).sort(), [
      'accessToken',
      'clientId',
      'clientSecret',
      'expiresAt',
      'refreshToken',
      'region',
      'registrationExpiresAt',
      'startUrl',
    ]);
    assert.equal(cached.startUrl, 'https://d-9067example.awsapps.com/start');
    assert.equal(cached.region, 'us-east-1');
    assert.match(String(cached.expiresAt), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.ok(Date.parse(String(cached.expiresAt)) - Date.now() > 7 * 3600_000, 'an 8-hour session');
  });

  it("lets the SDK's own SSO credential provider get role credentials with the cached token", async () => {
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: fromNodeProviderChain({ profile: 'corp', clientConfig: { endpoint: sandbox.endpoint } }),
    });
    try {
      const identity = await sts.send(new GetCallerIdentityCommand({}));
      assert.equal(identity.Account, '000000000000');
      assert.match(
        identity.Arn ?? '',
        /^arn:aws:sts::000000000000:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/workshop-user$/,
      );
    } finally {
      sts.destroy();
    }
  });

  it('lets the AWS CLI v1 in a terminal use the cached token (aws sts get-caller-identity --profile corp)', async () => {
    const cli = '/root/.pyenv/shims/aws';
    assert.ok(existsSync(cli), 'the AWS CLI v1 is not installed at /root/.pyenv/shims/aws');
    const { stdout } = await run(cli, ['sts', 'get-caller-identity', '--profile', 'corp', '--output', 'json'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: home,
        ...(process.env.PYENV_ROOT !== undefined ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
        AWS_CONFIG_FILE: join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'none'),
        // The CLI's configured endpoint: every client, the SSO portal's included, talks to the sandbox.
        AWS_ENDPOINT_URL: sandbox.endpoint,
      },
    });
    const identity = JSON.parse(stdout) as { Account: string; Arn: string };
    assert.equal(identity.Account, '000000000000');
    assert.match(identity.Arn, /assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]{16}\/workshop-user$/);
  });

  it("lets Debian's AWS CLI v2 find the cached token (it then calls the SSO portal, which it cannot redirect)", async () => {
    const cli = '/usr/bin/aws';
    assert.ok(existsSync(cli), "Debian's AWS CLI v2 is not installed at /usr/bin/aws");
    // CLI 2.9 has no configured endpoints, so GetRoleCredentials goes to AWS; a refused proxy ends it
    // at once. Reaching that call proves it read our cache file and found the token valid.
    const outcome = await run(cli, ['sts', 'get-caller-identity', '--profile', 'corp'], {
      env: {
        PATH: '/usr/bin:/bin',
        HOME: home,
        AWS_CONFIG_FILE: join(home, '.aws', 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, '.aws', 'none'),
        AWS_MAX_ATTEMPTS: '1',
        HTTPS_PROXY: 'http://127.0.0.1:9',
      },
    }).then(
      () => ({ stderr: 'it succeeded without reaching AWS' }),
      (error: { stderr?: string }) => ({ stderr: error.stderr ?? '' }),
    );
    assert.match(outcome.stderr, /proxy|portal\.sso\.us-east-1\.amazonaws\.com/i);
    assert.doesNotMatch(outcome.stderr, /Error loading SSO Token|Token has expired/i);
  });

  it('refreshes the token with its refresh token, and the old refresh token stops working', async () => {
    const file = ssoCacheFile(home, 'corp');
    const before = await readSsoToken(file);
    assert.ok(before?.refreshToken);
    const refreshed = await refreshSsoToken(config, before, api, Date.now());
    assert.ok(refreshed.ok);
    assert.notEqual(refreshed.token.accessToken, before.accessToken);
    assert.notEqual(refreshed.token.refreshToken, before.refreshToken);
    assert.equal(refreshed.token.clientId, before.clientId);
    await writeSsoToken(file, refreshed.token);

    const again = await refreshSsoToken(config, before, api, Date.now());
    assert.deepEqual(again, { ok: false, reason: 'rejected' });
  });

  it('reuses the cached client registration on the next sign-in', async () => {
    const previous = await readSsoToken(ssoCacheFile(home, 'corp'));
    const calls = () => sandbox.calls.get('sso-oauth:RegisterClient') ?? 0;
    const registrations = calls();
    const token = await signIn('allow', previous);
    assert.equal(calls(), registrations);
    assert.equal(token.clientId, previous?.clientId);
  });

  it('reports a denial in the browser as a denied sign-in', async () => {
    await assert.rejects(signIn('deny'), (error: unknown) => {
      assert.ok(error instanceof SsoSignInError);
      assert.equal(error.reason, 'denied');
      return true;
    });
  });

  it('answers a poll before the interval with slow_down and an unanswered one with authorization_pending', async () => {
    const client = await api.registerClient({ clientName: 'impatient', clientType: 'public' });
    const device = await api.startDeviceAuthorization({ ...client, startUrl: config.startUrl });
    assert.equal(device.interval, 1);
    const poll = async () => {
      const response = await fetch(`${sandbox.endpoint}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          clientId: client.clientId,
          clientSecret: client.clientSecret,
          grantType: 'urn:ietf:params:oauth:grant-type:device_code',
          deviceCode: device.deviceCode,
        }),
      });
      return { status: response.status, type: response.headers.get('x-amzn-errortype'), body: await response.json() };
    };
    assert.deepEqual(await poll(), {
      status: 400,
      type: 'AuthorizationPendingException',
      body: { error: 'authorization_pending' },
    });
    assert.deepEqual(await poll(), { status: 400, type: 'SlowDownException', body: { error: 'slow_down' } });
  });

  it('refuses role credentials for a bad token (401) and a role the user is not assigned (403)', async () => {
    const getRoleCredentials = (token: string, role: string) =>
      fetch(`${sandbox.endpoint}/federation/credentials?role_name=${role}&account_id=000000000000`, {
        headers: { 'x-amz-sso_bearer_token': token },
      }).then(async (r) => ({ status: r.status, type: r.headers.get('x-amzn-errortype'), body: await r.json() }));
    assert.deepEqual(await getRoleCredentials('not-a-token', 'AdministratorAccess'), {
      status: 401,
      type: 'UnauthorizedException',
      body: { message: 'Session token not found or invalid' },
    });
    const token = await readSsoToken(ssoCacheFile(home, 'corp'));
    assert.deepEqual(await getRoleCredentials(token?.accessToken ?? '', 'BillingAccess'), {
      status: 403,
      type: 'ForbiddenException',
      body: { message: 'No access' },
    });
  });

  it('refuses the role credentials without their session token, as AWS refuses temporary keys', async () => {
    const token = await readSsoToken(ssoCacheFile(home, 'corp'));
    const response = await fetch(
      `${sandbox.endpoint}/federation/credentials?role_name=AdministratorAccess&account_id=000000000000`,
      { headers: { 'x-amz-sso_bearer_token': token?.accessToken ?? '' } },
    );
    const { roleCredentials } = (await response.json()) as {
      roleCredentials: { accessKeyId: string; secretAccessKey: string; expiration: number };
    };
    assert.ok(roleCredentials.expiration > Date.now() + 50 * 60_000, 'expiration is epoch milliseconds');
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: sandbox.endpoint,
      credentials: { accessKeyId: roleCredentials.accessKeyId, secretAccessKey: roleCredentials.secretAccessKey },
    });
    try {
      await assert.rejects(
        sts.send(new GetCallerIdentityCommand({})),
        /The security token included in the request is invalid/,
      );
    } finally {
      sts.destroy();
    }
  });

  it('judges requests by the model: CreateToken without clientSecret is an InvalidRequestException', async () => {
    const response = await fetch(`${sandbox.endpoint}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ clientId: 'x', grantType: 'refresh_token' }),
    });
    assert.equal(response.status, 400);
    assert.equal(response.headers.get('x-amzn-errortype'), 'InvalidRequestException');
    assert.match(JSON.stringify(await response.json()), /clientSecret.*Member must not be null/);
  });
});
