// The pipeline feature in a real editor: the packaged extension in code-server, connected to the
// sandbox where both workshop stacks are deployed. A push runs through Source, Build, PostBuild and
// Deploy and the status bar reaches success; a push with a leaked key fails at Build, the tree
// shows the error and the finding under the action, "Show Build Logs" opens the build's log
// at the finding, and the Problems panel has it on its line.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  APP_FILES,
  LEAKED_CONFIG,
  SECRET_FRAGMENT,
  STAGES,
  startWorkshop,
  type Workshop,
} from '../integration/pipeline/workshop';
import { useEditor } from './harness/fixture';
import { waitFor } from './harness/processGroup';
import { openContainer, screenshot, statusBarBecomes, viewPane } from './harness/workbench';

describe('pipeline in code-server', () => {
  let workshop: Workshop;
  const fx = useEditor('pipeline', async ({ tempDir, onClose }) => {
    workshop = await startWorkshop({ speed: 60 });
    onClose(() => workshop.close());
    // The editor opens the working copy the pushes are made from, as a user's would be: findings
    // land on its files.
    const checkout = await workshop.checkout();
    const home = tempDir('wp-e2e-pipeline-');
    writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\n');
    writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
    return {
      workspace: checkout,
      settings: { 'workshopPipeline.endpointUrl': workshop.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: {
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    };
  });
  const evidence = fx.evidence;

  const statusItem = () => fx.page.locator('[id$="workshopPipeline.status"]').first();

  it(
    'lists the pipeline with the stages Source, Build, PostBuild and Deploy',
    evidence('stages', async () => {
      const page = fx.page;
      await openContainer(page, 'Workshop Pipeline');
      const pane = viewPane(page, 'Pipeline');
      await pane.getByText(workshop.outputs.PipelineName).first().waitFor({ timeout: 60_000 });
      for (const stage of STAGES) {
        await pane
          .locator('.monaco-list-row', { hasText: new RegExp(`^${stage}`) })
          .first()
          .waitFor({ timeout: 30_000 });
      }
      await pane.getByText('Execution History').waitFor();
      await pane.getByText('Stack WorkshopPipeline').waitFor();
      await statusItem().waitFor({ timeout: 30_000 });
      await screenshot(page, 'pipeline-1-stages');
    }),
  );

  it(
    'follows a push to success in the status bar, and shows the healthy service',
    evidence('success', async () => {
      const page = fx.page;
      const commitId = await workshop.push(APP_FILES, 'Add the app');
      const short = commitId.slice(0, 7);
      const pane = viewPane(page, 'Pipeline');
      await pane
        .getByText(`${short} Add the app`)
        .first()
        .waitFor({ timeout: 60_000 })
        .catch(async () => {
          // The history node is collapsed by default: open it to see the run.
          await pane.getByText('Execution History').click();
          await pane.getByText(`${short} Add the app`).first().waitFor({ timeout: 60_000 });
        });
      await statusBarBecomes(page, /Succeeded/, 180_000);
      const health = viewPane(page, 'Service Health');
      await health
        .getByText(/Healthy · \d+\/\d+ running/)
        .first()
        .waitFor({ timeout: 60_000 });
      await screenshot(page, 'pipeline-2-success');
    }),
  );

  it(
    'shows a failed Build with its error, and Show Build Logs opens the log with the finding',
    evidence('failed-build', async () => {
      const page = fx.page;
      await workshop.push({ 'app/config.js': LEAKED_CONFIG }, 'Configure credentials');
      await statusBarBecomes(page, /Failed at Build/, 180_000);
      const pane = viewPane(page, 'Pipeline');
      // The report's finding under the failed action, named by file and line (not the console's words).
      await pane
        .locator('.monaco-list-row', { hasText: 'AWS access key' })
        .filter({ hasText: 'app/config.js:3' })
        .first()
        .waitFor({ timeout: 30_000 });
      await pane
        .getByText(/COMMAND_EXECUTION_ERROR/)
        .first()
        .waitFor({ timeout: 30_000 });
      await screenshot(page, 'pipeline-3-build-failed');

      const row = pane.locator('.monaco-list-row', { hasText: 'SecurityTestsAndBuild' }).first();
      await row.click({ button: 'right' });
      const item = page.getByRole('menuitem', { name: 'Show Build Logs' }).first();
      await item.waitFor({ timeout: 10_000 });
      await item.hover();
      await item.click();
      const tab = page.locator('.tabs-container .tab', { hasText: '.log' }).first();
      await tab.waitFor({ timeout: 30_000 });
      // Monaco renders spaces as no-break spaces.
      const editorText = page.locator('.editor-instance .view-lines').first();
      await waitFor(
        async () =>
          (await editorText.innerText().catch(() => ''))
            .replace(/\u00a0/g, ' ')
            // gitleaks --verbose: the finding's rule, file and line (the key itself redacted).
            .match(/RuleID: +aws-access-token\s+Entropy: .*\s+File: +app\/config\.js\s+Line: +3/)
            ? true
            : undefined,
        60_000,
        () => 'no gitleaks finding in the log editor',
        250,
      );
      await screenshot(page, 'pipeline-4-build-log');
    }),
  );

  it(
    'puts the finding on its line in the Problems panel, without the secret',
    evidence('problems', async () => {
      const page = fx.page;
      await page.keyboard.press('Control+Shift+M');
      const markers = page.locator('.markers-panel .monaco-list-row');
      const row = markers.filter({ hasText: 'aws-access-token' }).first();
      await row.waitFor({ timeout: 30_000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      assert.match(text, /Workshop Pipeline/);
      assert.match(text, /\[Ln 3, Col \d+\]/);
      assert.ok(!text.includes(SECRET_FRAGMENT), text);
      // Its file is the pushed one.
      await markers.filter({ hasText: 'config.js' }).first().waitFor({ timeout: 10_000 });
      await screenshot(page, 'pipeline-5-problems');
    }),
  );
});
