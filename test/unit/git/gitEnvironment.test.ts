import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  gitCredentialEnvironment,
  helperCommand,
  servedUrlPatterns,
  shellQuote,
} from '../../../src/git/gitEnvironment';

const NODE = '/usr/bin/node';
const HELPER = '/ext/dist/git-credential-codecommit.js';
const COMMAND = `!ELECTRON_RUN_AS_NODE=1 '/usr/bin/node' '/ext/dist/git-credential-codecommit.js'`;

/** The GIT_CONFIG_* entries of an environment as [key, value] pairs, in order. */
function entries(env: Record<string, string | undefined>): [string, string][] {
  const count = Number(env.GIT_CONFIG_COUNT ?? 0);
  return Array.from({ length: count }, (_, i) => [
    env[`GIT_CONFIG_KEY_${i}`] ?? '<missing>',
    env[`GIT_CONFIG_VALUE_${i}`] ?? '<missing>',
  ]);
}

describe('gitCredentialEnvironment', () => {
  it('scopes the helper to CodeCommit URLs: reset, helper, useHttpPath', () => {
    const env = gitCredentialEnvironment({ nodePath: NODE, helperPath: HELPER, baseEnv: {} });
    assert.equal(env.GIT_CONFIG_COUNT, '12');
    assert.deepEqual(entries(env).slice(0, 3), [
      ['credential.https://git-codecommit.*.amazonaws.com.helper', ''],
      ['credential.https://git-codecommit.*.amazonaws.com.helper', COMMAND],
      ['credential.https://git-codecommit.*.amazonaws.com.useHttpPath', 'true'],
    ]);
    assert.deepEqual(
      entries(env)
        .filter(([k]) => k.endsWith('.useHttpPath'))
        .map(([k]) => k),
      [
        'credential.https://git-codecommit.*.amazonaws.com.useHttpPath',
        'credential.https://git-codecommit-fips.*.amazonaws.com.useHttpPath',
        'credential.https://git-codecommit.*.amazonaws.com.cn.useHttpPath',
        'credential.https://git-codecommit-fips.*.amazonaws.com.cn.useHttpPath',
      ],
    );
    assert.ok(!entries(env).some(([k]) => k === 'credential.helper'), 'never a global helper');
    assert.equal(env.CODE_COMMIT_ENDPOINT, undefined);
  });

  it('appends to existing GIT_CONFIG_COUNT entries instead of clobbering them', () => {
    const baseEnv = {
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_0: 'user.name',
      GIT_CONFIG_VALUE_0: 'Ada',
      GIT_CONFIG_KEY_1: 'core.editor',
      GIT_CONFIG_VALUE_1: 'vi',
    };
    const env = gitCredentialEnvironment({ nodePath: NODE, helperPath: HELPER, baseEnv });
    assert.equal(env.GIT_CONFIG_COUNT, '14');
    assert.equal(env.GIT_CONFIG_KEY_0, undefined, 'existing entries are left as they are');
    assert.equal(env.GIT_CONFIG_KEY_2, 'credential.https://git-codecommit.*.amazonaws.com.helper');
    const merged = entries({ ...baseEnv, ...env });
    assert.deepEqual(merged.slice(0, 2), [
      ['user.name', 'Ada'],
      ['core.editor', 'vi'],
    ]);
    assert.equal(merged.length, 14);
  });

  it('replaces a malformed count, which git would refuse anyway', () => {
    for (const count of ['x', '-1', '1.5', '']) {
      assert.equal(
        gitCredentialEnvironment({ nodePath: NODE, helperPath: HELPER, baseEnv: { GIT_CONFIG_COUNT: count } })
          .GIT_CONFIG_KEY_0,
        'credential.https://git-codecommit.*.amazonaws.com.helper',
      );
    }
  });

  it('adds the endpoint host for its protocols, and passes endpoint, profile and region to the helper', () => {
    const env = gitCredentialEnvironment({
      nodePath: NODE,
      helperPath: HELPER,
      baseEnv: {},
      endpoint: 'http://127.0.0.1:4566',
      profile: 'workshop',
      region: 'us-east-1',
    });
    assert.deepEqual(entries(env).slice(12), [
      ['credential.http://127.0.0.1:4566.helper', ''],
      ['credential.http://127.0.0.1:4566.helper', COMMAND],
      ['credential.http://127.0.0.1:4566.useHttpPath', 'true'],
    ]);
    assert.equal(env.CODE_COMMIT_ENDPOINT, 'http://127.0.0.1:4566');
    assert.equal(env.WORKSHOP_PIPELINE_PROFILE, 'workshop');
    assert.equal(env.WORKSHOP_PIPELINE_REGION, 'us-east-1');
    assert.deepEqual(servedUrlPatterns('git.internal:8443').slice(4), [
      'https://git.internal:8443',
      'http://git.internal:8443',
    ]);
    assert.equal(
      gitCredentialEnvironment({ nodePath: NODE, helperPath: HELPER, baseEnv: {}, endpoint: 'ftp://x' })
        .CODE_COMMIT_ENDPOINT,
      undefined,
    );
  });
});

describe('helperCommand', () => {
  it('single-quotes paths with spaces, quotes and shell characters', () => {
    assert.equal(shellQuote(`/Users/O'Brien/My Ext $HOME/\`x\`;"`), `'/Users/O'\\''Brien/My Ext $HOME/\`x\`;"'`);
    assert.equal(
      helperCommand(
        'C:\\Program Files\\Microsoft VS Code\\Code.exe',
        'C:\\Users\\me\\.vscode\\extensions\\wp\\dist\\git-credential-codecommit.js',
      ),
      `!ELECTRON_RUN_AS_NODE=1 'C:\\Program Files\\Microsoft VS Code\\Code.exe' 'C:\\Users\\me\\.vscode\\extensions\\wp\\dist\\git-credential-codecommit.js'`,
    );
    assert.throws(() => shellQuote('a\0b'));
  });
});
