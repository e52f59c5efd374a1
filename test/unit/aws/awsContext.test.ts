// An invalid workshopPipeline.stackName is not replaced by the default behind the user's back: the
// connection state (and so both views and the deploy) stops on it and names the setting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsContext } from '../../../src/aws/awsContext';
import { silentLogger } from '../../../src/shared/logger';
import { readSettings } from '../../../src/shared/settings';

describe('AwsContext with an invalid stackName setting', () => {
  it('reports the setting as the connection state instead of following the default stack', async () => {
    const raw: Record<string, unknown> = { stackName: 'my_stack', region: 'us-east-1' };
    const { settings, problems } = readSettings((key) => raw[key]);
    const aws = new AwsContext(settings, problems, {
      log: silentLogger,
      env: {},
      loadSharedConfig: () => Promise.resolve({ configFile: {}, credentialsFile: {} }),
    });
    try {
      const state = await aws.refresh();
      assert.equal(state.kind, 'settingsError');
      assert.ok(state.kind === 'settingsError');
      assert.match(state.message, /^workshopPipeline\.stackName: "my_stack" is not a valid stack name/);
      assert.equal(aws.awsSession, undefined, 'no session: nothing can be deployed or read for another stack');
    } finally {
      aws.dispose();
    }
  });
});
