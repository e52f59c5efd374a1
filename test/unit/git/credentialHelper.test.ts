// The helper's decisions with a fake clock, config and credential chain: who gets an answer, which
// profile and region sign it, and what git shows when it fails (never a secret).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SharedConfig } from '../../../src/aws/profiles';
import { codeCommitGitCredentials, type AwsCredentialValues } from '../../../src/git/codecommitSigner';
import { answerCredentialHelper, helperProfile, type HelperDeps } from '../../../src/git/credentialHelper';

const NOW = new Date('2024-03-05T07:08:09Z');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TOKEN = 'IQoJb3JpZ2luX2VjEXAMPLETOKEN';
const shared: SharedConfig = {
  configFile: {
    default: { region: 'eu-west-1' },
    workshop: { region: 'us-west-2' },
    corp: { sso_session: 'corp', region: 'eu-central-1' },
  },
  credentialsFile: {},
};

function deps(
  env: Record<string, string> = {},
  credentials?: AwsCredentialValues | Error,
): HelperDeps & { profiles: (string | undefined)[] } {
  const profiles: (string | undefined)[] = [];
  return {
    profiles,
    env,
    now: () => NOW,
    sharedConfig: () => Promise.resolve(shared),
    credentials: (profile) => {
      profiles.push(profile);
      if (credentials instanceof Error) return Promise.reject(credentials);
      return Promise.resolve(
        credentials ?? { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
      );
    },
  };
}

const CODECOMMIT = 'protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/MyDemoRepo\n\n';

describe('answerCredentialHelper', () => {
  it('answers get for a CodeCommit host with the signed user name and password', async () => {
    const out = await answerCredentialHelper('get', CODECOMMIT, deps());
    const expected = codeCommitGitCredentials({
      host: 'git-codecommit.us-east-1.amazonaws.com',
      path: '/v1/repos/MyDemoRepo',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET, sessionToken: TOKEN },
      now: NOW,
    });
    assert.equal(out.stdout, `username=${expected.username}\npassword=${expected.password}\n`);
    assert.equal(out.stderr, '');
  });

  it('answers nothing for store, erase, unknown actions, other hosts and http to AWS', async () => {
    const d = deps({ CODE_COMMIT_ENDPOINT: 'http://127.0.0.1:4566' });
    for (const [action, input] of [
      ['store', `${CODECOMMIT}username=u\npassword=p\n`],
      ['erase', CODECOMMIT],
      [undefined, CODECOMMIT],
      ['capability', CODECOMMIT],
      ['get', 'protocol=https\nhost=example.com\npath=v1/repos/x\n\n'],
      ['get', 'protocol=http\nhost=git-codecommit.us-east-1.amazonaws.com\npath=v1/repos/x\n\n'],
      ['get', 'protocol=http\nhost=127.0.0.1:9999\npath=v1/repos/x\n\n'],
      ['get', 'protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\ngarbage\n\n'],
    ] as const) {
      assert.deepEqual(
        await answerCredentialHelper(action, input, d),
        { stdout: '', stderr: '' },
        `${action} ${input}`,
      );
    }
    assert.deepEqual(d.profiles, [], 'credentials were never even resolved');
  });

  it('signs for the CODE_COMMIT_ENDPOINT host with the region from the environment', async () => {
    const d = deps({
      CODE_COMMIT_ENDPOINT: '127.0.0.1:4566',
      AWS_REGION: 'ap-northeast-2',
      WORKSHOP_PIPELINE_REGION: 'us-east-1',
    });
    const out = await answerCredentialHelper('get', 'protocol=http\nhost=127.0.0.1:4566\npath=v1/repos/r\n\n', d);
    const { password } = codeCommitGitCredentials({
      host: '127.0.0.1',
      path: '/v1/repos/r',
      region: 'us-east-1',
      credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET },
      now: NOW,
    });
    assert.match(out.stdout, new RegExp(`\npassword=${password}\n$`));
  });

  it('takes the region from the host before the environment, and from the profile last', async () => {
    const sign = (region: string) =>
      codeCommitGitCredentials({
        host: 'h',
        path: '/v1/repos/r',
        region,
        credentials: { accessKeyId: 'A', secretAccessKey: 'S' },
        now: NOW,
      }).password;
    const keys = { accessKeyId: 'A', secretAccessKey: 'S' };
    const request = 'protocol=http\nhost=h\npath=v1/repos/r\n\n';
    const run = async (env: Record<string, string>) =>
      (await answerCredentialHelper('get', request, deps({ CODE_COMMIT_ENDPOINT: 'h', ...env }, keys))).stdout;
    assert.ok((await run({ AWS_REGION: 'sa-east-1', AWS_DEFAULT_REGION: 'us-east-2' })).includes(sign('sa-east-1')));
    assert.ok((await run({ AWS_DEFAULT_REGION: 'us-east-2' })).includes(sign('us-east-2')));
    assert.ok((await run({ WORKSHOP_PIPELINE_PROFILE: 'workshop' })).includes(sign('us-west-2')));
    assert.ok((await run({})).includes(sign('eu-west-1')), "the default profile's region");
    const aws = await answerCredentialHelper('get', CODECOMMIT, deps({ AWS_REGION: 'sa-east-1' }, keys));
    assert.ok(
      aws.stdout.includes(
        codeCommitGitCredentials({
          host: 'git-codecommit.us-east-1.amazonaws.com',
          path: 'v1/repos/MyDemoRepo',
          region: 'us-east-1',
          credentials: keys,
          now: NOW,
        }).password,
      ),
    );
  });

  it('uses WORKSHOP_PIPELINE_PROFILE before AWS_PROFILE, else the default chain', async () => {
    assert.equal(helperProfile({ WORKSHOP_PIPELINE_PROFILE: 'workshop', AWS_PROFILE: 'other' }), 'workshop');
    assert.equal(helperProfile({ WORKSHOP_PIPELINE_PROFILE: ' ', AWS_PROFILE: 'other' }), 'other');
    assert.equal(helperProfile({}), undefined);
    const d = deps({ WORKSHOP_PIPELINE_PROFILE: 'workshop', AWS_PROFILE: 'other' });
    await answerCredentialHelper('get', CODECOMMIT, d);
    assert.deepEqual(d.profiles, ['workshop']);
  });

  it('explains an expired SSO session in one line, quits git, and echoes nothing from the SDK', async () => {
    const leaky = new Error(`Token for ${SECRET} expired at https://sso.example`);
    const out = await answerCredentialHelper('get', CODECOMMIT, deps({ AWS_PROFILE: 'corp' }, leaky));
    assert.equal(out.stdout, 'quit=1\n');
    assert.equal(
      out.stderr,
      'git-credential-codecommit: no valid AWS credentials for profile "corp": its SSO session is missing or expired. Run "aws sso login --profile corp", then retry.\n',
    );
  });

  it('names the profile and the fix when there are no credentials at all', async () => {
    const out = await answerCredentialHelper(
      'get',
      CODECOMMIT,
      deps({}, new Error('Could not load credentials from any providers')),
    );
    assert.equal(out.stdout, 'quit=1\n');
    assert.match(
      out.stderr,
      /^git-credential-codecommit: no AWS credentials for profile "default"\. Run "aws configure --profile default"/,
    );
    assert.equal(out.stderr.split('\n').length, 2, 'one line');
  });

  it('asks for credential.useHttpPath when git sent no path, and for a region when none is known', async () => {
    const noPath = await answerCredentialHelper(
      'get',
      'protocol=https\nhost=git-codecommit.us-east-1.amazonaws.com\n\n',
      deps(),
    );
    assert.equal(noPath.stdout, 'quit=1\n');
    assert.match(noPath.stderr, /credential\.useHttpPath=true/);
    const d = deps({ CODE_COMMIT_ENDPOINT: 'http://127.0.0.1:4566', WORKSHOP_PIPELINE_PROFILE: 'nowhere' });
    const noRegion = await answerCredentialHelper('get', 'protocol=http\nhost=127.0.0.1:4566\npath=v1/repos/r\n\n', d);
    assert.equal(noRegion.stdout, 'quit=1\n');
    assert.match(
      noRegion.stderr,
      /no AWS region for 127\.0\.0\.1:4566: set AWS_REGION, or a region for profile "nowhere"/,
    );
  });

  it('refuses credentials that would break the protocol, without echoing them', async () => {
    const out = await answerCredentialHelper(
      'get',
      CODECOMMIT,
      deps({}, { accessKeyId: 'AKID', secretAccessKey: 'x', sessionToken: `a\nhost=evil${TOKEN}` }),
    );
    assert.equal(out.stdout, 'quit=1\n');
    assert.ok(!out.stderr.includes(TOKEN));
  });

  it('still signs when the shared config cannot be read', async () => {
    const d = { ...deps(), sharedConfig: () => Promise.reject(new Error('EACCES')) };
    const out = await answerCredentialHelper('get', CODECOMMIT, d);
    assert.match(out.stdout, /^username=AKIDEXAMPLE%.+\npassword=20240305T070809Z[0-9a-f]{64}\n$/);
  });
});
