import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { listProfiles, profileKind, PROFILE_KIND_LABELS, type SharedConfig } from '../../../src/aws/profiles';

describe('profile kinds (what Select Profile says about each profile)', () => {
  const shared: SharedConfig = {
    configFile: {
      corp: { sso_session: 'corp', sso_account_id: '123456789012', sso_role_name: 'Admin', region: 'eu-west-1' },
      legacy: { sso_start_url: 'https://d-1.awsapps.com/start', sso_region: 'us-east-1' },
      admin: { role_arn: 'arn:aws:iam::123456789012:role/Admin', source_profile: 'keys' },
      ec2: { role_arn: 'arn:aws:iam::123456789012:role/Admin', credential_source: 'Ec2InstanceMetadata' },
      web: { role_arn: 'arn:aws:iam::123456789012:role/Ci', web_identity_token_file: '/tmp/token' },
      vault: { credential_process: 'aws-vault export --format=json work' },
      console: { login_session: 'arn:aws:iam::123456789012:user/me' },
      regionOnly: { region: 'ap-northeast-2' },
      'sso-session.corp': { sso_start_url: 'https://d-1.awsapps.com/start', sso_region: 'us-east-1' },
    },
    credentialsFile: {
      keys: { aws_access_key_id: 'AKIAEXAMPLE', aws_secret_access_key: 'secret' },
      // Keys in the credentials file win over the config file's role, as in the SDK's ini provider.
      regionOnly: { aws_access_key_id: 'AKIAEXAMPLE2', aws_secret_access_key: 'secret2' },
    },
  };

  it('names the kind of every profile in either file, and sso only for IAM Identity Center', () => {
    const kinds = Object.fromEntries(listProfiles(shared).map((p) => [p.name, [p.kind, p.sso]]));
    assert.deepEqual(kinds, {
      admin: ['role', false],
      console: ['login', false],
      corp: ['sso', true],
      ec2: ['role', false],
      keys: ['keys', false],
      legacy: ['sso', true],
      regionOnly: ['keys', false],
      vault: ['process', false],
      web: ['webIdentity', false],
    });
  });

  it('does not list sso-session sections as profiles', () => {
    assert.ok(!listProfiles(shared).some((p) => p.name.startsWith('sso-session')));
  });

  it('needs both halves of a key pair, and exactly one role source', () => {
    assert.equal(profileKind({ aws_access_key_id: 'AKIA' }), 'none');
    assert.equal(profileKind({ role_arn: 'arn', source_profile: 'a', credential_source: 'Environment' }), 'none');
    assert.equal(profileKind({ region: 'us-east-1' }), 'none');
  });

  it('says each kind in words', () => {
    assert.equal(PROFILE_KIND_LABELS.sso, 'IAM Identity Center (SSO)');
    for (const label of Object.values(PROFILE_KIND_LABELS)) assert.ok(label.length > 0);
  });
});
