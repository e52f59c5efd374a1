import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SharedConfig } from '../../../src/aws/profiles';
import { listProfiles } from '../../../src/aws/profiles';
import { resolveSession, sessionKey } from '../../../src/aws/sessionConfig';
import { readSettings, type Settings } from '../../../src/shared/settings';

const shared: SharedConfig = {
  configFile: {
    default: { region: 'eu-west-1' },
    workshop: { region: 'us-west-2', sso_session: 'corp', sso_account_id: '123456789012' },
    'sso-session.corp': { sso_start_url: 'https://example.awsapps.com/start' },
  },
  credentialsFile: { default: { aws_access_key_id: 'AKIDEXAMPLE' }, keysonly: { aws_access_key_id: 'AKIDOTHER' } },
};
const known = (region: string) => ['us-east-1', 'us-west-2', 'eu-west-1', 'ap-northeast-2'].includes(region);
const settings = (values: Record<string, unknown> = {}): Settings => readSettings((k) => values[k]).settings;

describe('resolveSession', () => {
  it('takes the profile from the setting before AWS_PROFILE, and its region from the config file', () => {
    const r = resolveSession(
      settings({ profile: 'workshop' }),
      { AWS_PROFILE: 'keysonly', AWS_REGION: 'eu-west-1' },
      shared,
      known,
    );
    assert.ok(r.ok);
    assert.deepEqual(r.session, { profile: 'workshop', region: 'us-west-2', endpointUrl: undefined, sso: true });
  });

  it('falls back to AWS_PROFILE, then AWS_REGION when the profile has no region', () => {
    const r = resolveSession(settings(), { AWS_PROFILE: 'keysonly', AWS_REGION: 'ap-northeast-2' }, shared, known);
    assert.ok(r.ok);
    assert.equal(r.session.profile, 'keysonly');
    assert.equal(r.session.region, 'ap-northeast-2');
  });

  it('uses the default chain with the default profile region when nothing is named', () => {
    const r = resolveSession(settings(), {}, shared, known);
    assert.ok(r.ok);
    assert.equal(r.session.profile, undefined);
    assert.equal(r.session.region, 'eu-west-1');
  });

  it('lets the region setting win over the profile', () => {
    const r = resolveSession(
      settings({ profile: 'workshop', region: 'us-east-1', endpointUrl: 'http://127.0.0.1:4566' }),
      {},
      shared,
      known,
    );
    assert.ok(r.ok);
    assert.equal(r.session.region, 'us-east-1');
    assert.equal(r.session.endpointUrl, 'http://127.0.0.1:4566');
  });

  it('names the setting when its profile does not exist', () => {
    const r = resolveSession(settings({ profile: 'nope' }), {}, shared, known);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.equal(r.kind, 'profile');
    assert.match(r.message, /"nope" named by the setting workshopPipeline\.profile is not in ~\/\.aws\/config/);
    assert.match(r.message, /Workshop Pipeline: Select Profile/);
  });

  it('names AWS_PROFILE when that is where a missing profile came from', () => {
    const r = resolveSession(settings(), { AWS_PROFILE: 'ghost' }, shared, known);
    assert.ok(!r.ok);
    assert.match(r.message, /the AWS_PROFILE environment variable/);
  });

  it('asks for a region when none can be found', () => {
    const r = resolveSession(settings(), {}, { configFile: {}, credentialsFile: {} }, known);
    assert.ok(!r.ok);
    assert.equal(r.kind, 'needsRegion');
  });

  it('refuses a region the SDK does not know, naming where it came from', () => {
    const r = resolveSession(settings({ region: 'us-east-9' }), {}, shared, known);
    assert.ok(!r.ok);
    assert.equal(r.kind, 'region');
    assert.match(r.message, /^workshopPipeline\.region: "us-east-9" is not an AWS region/);
  });

  it('gives equal keys to equal sessions and different keys when the endpoint differs', () => {
    const a = resolveSession(settings({ region: 'us-east-1' }), {}, shared, known);
    const b = resolveSession(settings({ region: 'us-east-1', endpointUrl: 'http://127.0.0.1:1' }), {}, shared, known);
    assert.ok(a.ok && b.ok);
    assert.equal(sessionKey(a.session), sessionKey({ ...a.session }));
    assert.notEqual(sessionKey(a.session), sessionKey(b.session));
  });
});

describe('listProfiles', () => {
  it('lists profiles from both files once, default first, without sso-session sections', () => {
    const profiles = listProfiles(shared);
    assert.deepEqual(
      profiles.map((p) => p.name),
      ['default', 'keysonly', 'workshop'],
    );
    assert.deepEqual(profiles[0].files, ['config', 'credentials']);
    assert.equal(profiles[2].sso, true);
  });
});
