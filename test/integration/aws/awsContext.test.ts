// The session against the sandbox over real HTTP with the real SDK credential chain: profiles from
// config files, the identity and region the views show, and the messages for broken credentials.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsContext, type ConnectionState } from '../../../src/aws/awsContext';
import type { Logger } from '../../../src/shared/logger';
import { readSettings } from '../../../src/shared/settings';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';

function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const at = (level: string) => (message: string) => void lines.push(`${level}: ${message}`);
  return { lines, trace: at('trace'), debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

describe('AwsContext against the sandbox', () => {
  let sandbox: RunningSandbox;
  let dir: string;
  const env: Record<string, string> = {};

  before(async () => {
    sandbox = await startSandbox({ port: 0, speed: 100, services });
    dir = mkdtempSync(join(tmpdir(), 'wp-aws-'));
    writeFileSync(
      join(dir, 'config'),
      [
        '[profile workshop]',
        'region = us-east-1',
        '[profile broken]',
        'region = us-east-1',
        '[profile sso-user]',
        'sso_session = corp',
        'sso_account_id = 000000000000',
        'sso_role_name = Admin',
        'region = us-east-1',
        '[sso-session corp]',
        'sso_start_url = https://example.invalid/start',
        'sso_region = us-east-1',
      ].join('\n'),
    );
    writeFileSync(
      join(dir, 'credentials'),
      [
        '[workshop]',
        'aws_access_key_id = test',
        'aws_secret_access_key = test',
        '[broken]',
        'aws_access_key_id = test',
        'aws_secret_access_key = wrong-secret-value',
      ].join('\n'),
    );
    // The SDK's chain reads these; the test process is this file's own.
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    delete process.env.AWS_ACCESS_KEY_ID;
    delete process.env.AWS_SECRET_ACCESS_KEY;
    delete process.env.AWS_PROFILE;
  });

  after(async () => {
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function context(
    values: Record<string, unknown>,
    log = recordingLogger(),
  ): { aws: AwsContext; log: ReturnType<typeof recordingLogger> } {
    const { settings, problems } = readSettings((key) => ({ endpointUrl: sandbox.endpoint, ...values })[key]);
    return { aws: new AwsContext(settings, problems, { log, env }), log };
  }

  it('connects with a profile: account and region for the views, no stack yet', async () => {
    const { aws, log } = context({ profile: 'workshop' });
    const states: ConnectionState['kind'][] = [];
    aws.onDidChangeState((s) => states.push(s.kind));
    const state = await aws.refresh();
    assert.equal(state.kind, 'noPipeline');
    assert.ok(state.kind === 'noPipeline');
    assert.deepEqual(state.where, {
      account: '000000000000',
      arn: 'arn:aws:iam::000000000000:root',
      region: 'us-east-1',
      profile: 'workshop',
    });
    assert.deepEqual(states, ['noPipeline']);
    // Each call logged with service, operation, duration and request id; never the secret.
    assert.ok(
      log.lines.some((l) => /^debug: sts\.GetCallerIdentity \d+ ms request [\w-]+$/.test(l)),
      log.lines.join('\n'),
    );
    assert.ok(
      log.lines.some((l) => /^debug: cloudformation\.DescribeStacks failed after \d+ ms: ValidationError/.test(l)),
      log.lines.join('\n'),
    );
    assert.ok(
      !log.lines.join('\n').includes('aws_secret') && !/Signature=|X-Amz-Security-Token/i.test(log.lines.join('\n')),
    );
    aws.dispose();
  });

  it('reuses the session across refreshes and replaces it when the endpoint changes', async () => {
    const { aws } = context({ profile: 'workshop' });
    await aws.refresh();
    const first = aws.awsSession;
    await aws.refresh();
    assert.equal(aws.awsSession, first, 'same profile, region and endpoint: same clients');
    const { settings, problems } = readSettings(
      (key) => ({ profile: 'workshop', endpointUrl: 'http://127.0.0.1:9' })[key],
    );
    aws.updateSettings(settings, problems);
    const state = await aws.refresh();
    assert.notEqual(aws.awsSession, first);
    assert.equal(state.kind, 'error');
    assert.ok(state.kind === 'error');
    assert.match(state.message, /Could not reach http:\/\/127\.0\.0\.1:9 .*workshopPipeline\.endpointUrl/);
    aws.dispose();
  });

  it('explains a wrong secret naming the profile', async () => {
    const { aws, log } = context({ profile: 'broken' });
    const state = await aws.refresh();
    assert.equal(state.kind, 'noCredentials');
    assert.ok(state.kind === 'noCredentials');
    assert.equal(state.profile, 'broken');
    assert.match(state.message, /AWS rejected the credentials of profile "broken" \(SignatureDoesNotMatch\)/);
    assert.ok(!log.lines.join('\n').includes('wrong-secret-value'));
    aws.dispose();
  });

  it('tells an SSO profile without a session to run aws sso login', async () => {
    const { aws } = context({ profile: 'sso-user' });
    const state = await aws.refresh();
    assert.equal(state.kind, 'noCredentials');
    assert.ok(state.kind === 'noCredentials');
    assert.match(state.message, /aws sso login --profile sso-user/);
    aws.dispose();
  });

  it('names the setting when the profile does not exist, without calling AWS', async () => {
    const { aws } = context({ profile: 'ghost' });
    const state = await aws.refresh();
    assert.equal(state.kind, 'settingsError');
    assert.ok(state.kind === 'settingsError');
    assert.match(state.message, /"ghost" named by the setting workshopPipeline\.profile/);
    assert.equal(aws.awsSession, undefined);
    aws.dispose();
  });

  it('refuses a region the SDK does not know and an endpoint that is not a URL', async () => {
    const bad = context({ profile: 'workshop', region: 'us-east-9' });
    const state = await bad.aws.refresh();
    assert.ok(state.kind === 'settingsError');
    assert.match(state.message, /workshopPipeline\.region: "us-east-9" is not an AWS region/);
    bad.aws.dispose();

    const notUrl = context({ profile: 'workshop', endpointUrl: 'not a url' });
    const second = await notUrl.aws.refresh();
    assert.ok(second.kind === 'settingsError');
    assert.match(second.message, /workshopPipeline\.endpointUrl: "not a url" is not a URL/);
    notUrl.aws.dispose();
  });

  it('shares one run between concurrent refreshes', async () => {
    const { aws } = context({ profile: 'workshop' });
    sandbox.calls.clear();
    const [a, b] = await Promise.all([aws.refresh(), aws.refresh()]);
    assert.equal(a.kind, 'noPipeline');
    assert.equal(b.kind, 'noPipeline');
    // The second caller queued exactly one more run: two identity calls, not three or more.
    assert.equal(sandbox.calls.get('sts:GetCallerIdentity'), 2);
    aws.dispose();
  });
});
