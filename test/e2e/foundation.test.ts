// The foundation in a real editor: the packaged extension in code-server, talking to the sandbox.
// A bad region setting shows up as a message and welcome content; Select Region and Select Profile
// fix it from the palette; a profile with a wrong secret is explained, naming the profile.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { useEditor } from './harness/fixture';
import { waitFor } from './harness/processGroup';
import { openContainer, pick, runCommand, screenshot, viewPane } from './harness/workbench';

describe('foundation in code-server', () => {
  let sandbox: RunningSandbox;
  const fx = useEditor('foundation', async ({ tempDir, onClose }) => {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    onClose(() => sandbox.close());
    const home = tempDir('wp-e2e-home-');
    writeFileSync(
      join(home, 'config'),
      '[profile workshop]\nregion = us-east-1\n\n[profile broken]\nregion = us-east-1\n',
    );
    writeFileSync(
      join(home, 'credentials'),
      '[workshop]\naws_access_key_id = test\naws_secret_access_key = test\n\n[broken]\naws_access_key_id = test\naws_secret_access_key = not-the-secret\n',
    );
    return {
      workspace: home,
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-9' },
      env: {
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
      },
    };
  });

  // Machine-scoped settings land in the remote host's settings (code-server's Machine folder), which
  // override the user's; read both as the editor does.
  const userSettings = (): Record<string, unknown> => {
    const read = (folder: string): Record<string, unknown> => {
      const file = join(fx.editor.userDataDir, folder, 'settings.json');
      return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>) : {};
    };
    return { ...read('User'), ...read('Machine') };
  };
  /** The editor writes settings.json asynchronously: wait until `key` has `value`. */
  const settingBecomes = (key: string, value: unknown) =>
    waitFor(
      () => (userSettings()[key] === value ? true : undefined),
      10_000,
      () => `${key} is ${JSON.stringify(userSettings()[key])}, expected ${JSON.stringify(value)}`,
    );

  it('explains a region that does not exist, in a notification and the welcome content', async () => {
    const page = fx.page;
    await openContainer(page, 'Workshop Pipeline');
    const pipeline = viewPane(page, 'Pipeline');
    await pipeline.getByText('A Workshop Pipeline setting has a value it cannot use').waitFor({ timeout: 60_000 });
    await page.locator('.notifications-toasts').getByText('"us-east-9" is not an AWS region').first().waitFor();
    await screenshot(page, 'foundation-1-bad-region');
  });

  it('Workshop Pipeline: Select Region fixes it: the views say account and region, and that no pipeline is deployed yet', async () => {
    const page = fx.page;
    await runCommand(page, 'Workshop Pipeline: Select Region');
    await pick(page, 'us-east-1');
    const pipeline = viewPane(page, 'Pipeline');
    await pipeline.getByText('No pipeline deployed yet in this account and region.').waitFor({ timeout: 30_000 });
    await pipeline.locator('.pane-header').getByText('000000000000 · us-east-1').waitFor();
    await settingBecomes('workshopPipeline.region', 'us-east-1');
    await screenshot(page, 'foundation-2-connected');
  });

  it('Workshop Pipeline: Select Profile lists the profiles; a wrong secret is explained naming the profile', async () => {
    const page = fx.page;
    await runCommand(page, 'Workshop Pipeline: Select Profile');
    await pick(page, 'broken');
    const pipeline = viewPane(page, 'Pipeline');
    await pipeline.getByText('No valid AWS credentials for the profile shown above').waitFor({ timeout: 30_000 });
    await pipeline.locator('.pane-header').getByText('profile broken · us-east-1').waitFor();
    await page
      .locator('.notifications-toasts')
      .getByText('AWS rejected the credentials of profile "broken"')
      .first()
      .waitFor();
    await settingBecomes('workshopPipeline.profile', 'broken');
    await screenshot(page, 'foundation-3-bad-credentials');

    await runCommand(page, 'Workshop Pipeline: Select Profile');
    await pick(page, 'workshop');
    await pipeline.getByText('No pipeline deployed yet in this account and region.').waitFor({ timeout: 30_000 });
  });

  it('Workshop Pipeline: Refresh looks again and finds a stack created meanwhile', async () => {
    const page = fx.page;
    // The stack appears through the sandbox's CloudFormation; Refresh must pick it up.
    const { CloudFormationClient, CreateStackCommand } = await import('@aws-sdk/client-cloudformation');
    const cfn = new CloudFormationClient({
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await cfn.send(
      new CreateStackCommand({
        StackName: 'WorkshopPipeline',
        TemplateBody: JSON.stringify({
          Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } },
          Outputs: { Note: { Value: 'hello' } },
        }),
      }),
    );
    cfn.destroy();
    await runCommand(page, 'Workshop Pipeline: Refresh');
    const pipeline = viewPane(page, 'Pipeline');
    await pipeline.getByText('Stack WorkshopPipeline').waitFor({ timeout: 30_000 });
    await screenshot(page, 'foundation-4-stack');
  });
});
