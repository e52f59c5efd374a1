// The device authorization loop with a fake OIDC API and clock: it waits `interval` between polls,
// five seconds more after each slow_down, stops at the device code's expiry, and reports denial.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getHomeDir, getSSOTokenFilepath } from '@smithy/shared-ini-file-loader';
import { ssoSignInConfig, type SsoSignInConfig } from '../../../src/aws/ssoConfig';
import { signInWithDeviceFlow, SsoSignInError, type SsoOidcApi } from '../../../src/aws/ssoDeviceFlow';
import { ssoCacheFile } from '../../../src/aws/ssoTokenCache';

const config: SsoSignInConfig = {
  profile: 'corp',
  sessionName: 'corp',
  startUrl: 'https://d-1.awsapps.com/start',
  ssoRegion: 'us-east-1',
  registrationScopes: ['sso:account:access'],
  cacheKey: 'corp',
};

function awsError(name: string): Error {
  const error = new Error('');
  error.name = name;
  return error;
}

/** A fake OIDC service answering CreateToken from a script, and a clock that moves only when the flow sleeps. */
function fakeService(answers: string[], interval = 1, expiresIn = 600) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const api: SsoOidcApi = {
    registerClient: () => Promise.resolve({ clientId: 'c', clientSecret: 's', clientSecretExpiresAt: 2_000_000_000 }),
    startDeviceAuthorization: () =>
      Promise.resolve({ deviceCode: 'd', userCode: 'ABCD-EFGH', verificationUri: 'https://v', expiresIn, interval }),
    createToken: () => {
      const answer = answers.shift() ?? 'AuthorizationPendingException';
      return answer === 'token'
        ? Promise.resolve({ accessToken: 'aoa', expiresIn: 3600, refreshToken: 'aor' })
        : Promise.reject(awsError(answer));
    },
  };
  const deps = {
    api,
    now: () => now,
    sleep: (ms: number) => {
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    onPrompt: () => {},
    clientName: 'test',
  };
  return { deps, sleeps };
}

describe('IAM Identity Center device flow', () => {
  it('polls every interval while pending, adds five seconds per slow_down, and caches the token with its registration', async () => {
    const { deps, sleeps } = fakeService([
      'AuthorizationPendingException',
      'SlowDownException',
      'AuthorizationPendingException',
      'token',
    ]);
    const token = await signInWithDeviceFlow(config, undefined, deps);
    assert.deepEqual(sleeps, [1000, 1000, 6000, 6000]);
    assert.equal(token.accessToken, 'aoa');
    assert.equal(token.refreshToken, 'aor');
    assert.equal(token.clientId, 'c');
    assert.equal(token.startUrl, config.startUrl);
    assert.equal(token.region, 'us-east-1');
    assert.match(token.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.equal(token.registrationExpiresAt, '2033-05-18T03:33:20Z');
  });

  it('gives up when the device code expires before approval', async () => {
    const { deps } = fakeService([], 5, 12);
    await assert.rejects(
      signInWithDeviceFlow(config, undefined, deps),
      (e: unknown) => e instanceof SsoSignInError && e.reason === 'expired',
    );
  });

  it('reports a denial', async () => {
    const { deps } = fakeService(['AccessDeniedException']);
    await assert.rejects(
      signInWithDeviceFlow(config, undefined, deps),
      (e: unknown) => e instanceof SsoSignInError && e.reason === 'denied',
    );
  });

  it('stops when cancelled', async () => {
    const { deps } = fakeService([]);
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(
      signInWithDeviceFlow(config, undefined, { ...deps, signal: abort.signal }),
      (e: unknown) => e instanceof SsoSignInError && e.reason === 'cancelled',
    );
  });
});

describe('IAM Identity Center profile configuration', () => {
  it('reads an sso-session profile and caches under the sha1 of the session name, as the CLI does', () => {
    const result = ssoSignInConfig(
      {
        configFile: {
          corp: { sso_session: 'my-sso' },
          'sso-session.my-sso': { sso_start_url: 'https://d-1.awsapps.com/start', sso_region: 'eu-west-1' },
        },
        credentialsFile: {},
      },
      'corp',
    );
    assert.ok(result.ok);
    assert.deepEqual(result.config.registrationScopes, ['sso:account:access']);
    // The file the SDK's own SSO token provider reads (the CLI names it the same way).
    assert.equal(ssoCacheFile(getHomeDir(), result.config.cacheKey), getSSOTokenFilepath('my-sso'));
  });

  it('reads a legacy profile (start URL in the profile) and caches under the sha1 of the start URL', () => {
    const result = ssoSignInConfig(
      {
        configFile: { old: { sso_start_url: 'https://d-1.awsapps.com/start', sso_region: 'us-east-1' } },
        credentialsFile: {},
      },
      'old',
    );
    assert.ok(result.ok);
    assert.equal(result.config.cacheKey, 'https://d-1.awsapps.com/start');
    assert.equal(
      ssoCacheFile(getHomeDir(), result.config.cacheKey),
      getSSOTokenFilepath('https://d-1.awsapps.com/start'),
    );
    assert.deepEqual(result.config.registrationScopes, []);
  });

  it('explains a missing sso-session section', () => {
    const result = ssoSignInConfig({ configFile: { corp: { sso_session: 'gone' } }, credentialsFile: {} }, 'corp');
    assert.ok(!result.ok);
    assert.match(result.message, /no \[sso-session gone\] section/);
  });
});
