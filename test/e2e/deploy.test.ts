// "AWS: Deploy Workshop Pipeline" in a real editor against the sandbox: the target confirmation,
// the change-set preview, the success notification, and the stack in the Pipeline view.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { useEditor } from './harness/fixture';
import { clickDialogButton, dialogText, notification, runCommand, screenshot, viewPane } from './harness/workbench';

describe('Deploy Workshop Pipeline in code-server', () => {
  const fx = useEditor('deploy', async ({ tempDir, onClose }) => {
    const sandbox = await startSandbox({ port: 0, speed: 200, services });
    onClose(() => sandbox.close());
    const home = tempDir('wp-e2e-deploy-');
    return {
      workspace: home,
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
      },
      openContainer: true,
    };
  });

  it(
    'offers the deploy in the empty Pipeline view',
    fx.evidence('empty-view', async () => {
      const page = fx.page;
      const pipeline = viewPane(page, 'Pipeline');
      await pipeline.getByText('No pipeline deployed yet in this account and region.').waitFor({ timeout: 60_000 });
      await pipeline.getByRole('button', { name: 'Deploy Workshop Pipeline' }).waitFor();
    }),
  );

  it(
    'offers the service stack first, says where it deploys, previews each change set, and reports success',
    fx.evidence('first-deploy', async () => {
      const page = fx.page;
      await runCommand(page, 'AWS: Deploy Workshop Pipeline');
      assert.match(
        await dialogText(page),
        /The ECS service ModernService in cluster ModernizationCluster does not exist in 000000000000 \(us-east-1\)\./,
      );
      await screenshot(page, 'deploy-0-service-missing');
      await clickDialogButton(page, 'Deploy Service Stack First');
      const target = await dialogText(page);
      assert.match(target, /Deploy Workshop Pipeline to 000000000000 \(us-east-1\)\?/);
      assert.match(target, /Stack WorkshopPipeline will be created\./);
      // The repositories do not exist in a fresh account, so the deploy creates them.
      assert.match(
        target,
        /Create the CodeCommit repository: true \(not found in this account, so the stack creates it\)/,
      );
      await screenshot(page, 'deploy-1-target');
      await clickDialogButton(page, 'Deploy');

      const servicePreview = await dialogText(page).catch(async (error: unknown) => {
        await screenshot(page, 'deploy-failure-service-preview');
        throw error;
      });
      assert.match(servicePreview, /Create stack WorkshopPipeline-Service: \d+ to add, 0 to change, 0 to remove\./);
      await clickDialogButton(page, 'Create Stack');

      const preview = await dialogText(page, 120_000);
      assert.match(preview, /Create stack WorkshopPipeline: \d+ to add, 0 to change, 0 to remove\./);
      assert.match(preview, /Add\s+Pipeline \(AWS::CodePipeline::Pipeline\)/);
      await screenshot(page, 'deploy-2-preview');
      await clickDialogButton(page, 'Create Stack');

      const done = await notification(page, 'Workshop Pipeline is deployed', 120_000);
      assert.match(
        await done.innerText(),
        /stack WorkshopPipeline is CREATE_COMPLETE, pipeline WorkshopPipeline-Pipeline-/,
      );
      const pipeline = viewPane(page, 'Pipeline');
      await pipeline.getByText('Stack WorkshopPipeline').waitFor({ timeout: 30_000 });
      await screenshot(page, 'deploy-3-success');
    }),
  );

  it(
    'a second deploy with nothing changed says the pipeline is up to date',
    fx.evidence('up-to-date', async () => {
      const page = fx.page;
      await runCommand(page, 'AWS: Deploy Workshop Pipeline');
      const target = await dialogText(page);
      assert.match(target, /Stack WorkshopPipeline exists and will be updated through a change set you can review\./);
      await clickDialogButton(page, 'Deploy');
      await notification(page, 'Workshop Pipeline is up to date', 60_000);
    }),
  );
});
