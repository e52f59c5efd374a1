// The pipeline feature in a real editor: the packaged extension in code-server, connected to the
// sandbox where both workshop stacks are deployed. A push runs through Source, Build, PostBuild and
// Deploy and the status bar reaches success; a push with a leaked key fails at Build, the tree
// shows the error, and "Show Build Logs" opens the build's log with the finding.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { APP_FILES, LEAKED_CONFIG, STAGES, startWorkshop, type Workshop } from '../integration/pipeline/workshop';
import { startCodeServer, type RunningCodeServer } from './harness/codeServer';
import { waitFor } from './harness/processGroup';
import { launchBrowser, openContainer, openWorkbench, screenshot, viewPane } from './harness/workbench';

const VSIX = 'dist-vsix/workshop-pipeline.vsix';

describe('pipeline in code-server', () => {
  let workshop: Workshop;
  let editor: RunningCodeServer;
  let browser: Browser;
  let page: Page;
  let home: string;

  before(async () => {
    workshop = await startWorkshop({ speed: 60 });
    home = mkdtempSync(join(tmpdir(), 'wp-e2e-pipeline-'));
    writeFileSync(join(home, 'config'), '[default]\nregion = us-east-1\n');
    writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
    editor = await startCodeServer({
      vsix: VSIX,
      workspace: home,
      settings: { 'workshopPipeline.endpointUrl': workshop.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: {
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
      },
    });
    browser = await launchBrowser();
    page = await openWorkbench(browser, editor.workspaceUrl);
  });

  /** Runs a test body; on failure keeps a screenshot and the editor's logs in test-results/. */
  const evidence = (name: string, body: () => Promise<void>) => async () => {
    try {
      await body();
    } catch (error) {
      await screenshot(page, `pipeline-failure-${name}`).catch(() => undefined);
      mkdirSync('test-results/pipeline-e2e-logs', { recursive: true });
      cpSync(join(editor.userDataDir, 'logs'), 'test-results/pipeline-e2e-logs', { recursive: true });
      throw error;
    }
  };

  after(async () => {
    await browser?.close();
    await editor?.stop();
    await workshop?.close();
    if (home) {
      rmSync(home, { recursive: true, force: true });
    }
  });

  const statusItem = () => page.locator('[id$="workshopPipeline.status"]').first();
  const statusText = async () =>
    (
      await statusItem()
        .innerText()
        .catch(() => '')
    ).trim();

  it(
    'lists the pipeline with the stages Source, Build, PostBuild and Deploy',
    evidence('stages', async () => {
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
      let seen = '';
      await waitFor(
        async () => {
          seen = await statusText();
          return /Succeeded/.test(seen) ? true : undefined;
        },
        180_000,
        () => `status bar: ${seen}`,
        250,
      );
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
      await workshop.push({ 'app/config.js': LEAKED_CONFIG }, 'Configure credentials');
      let seen = '';
      await waitFor(
        async () => {
          seen = await statusText();
          return /Failed at Build/.test(seen) ? true : undefined;
        },
        180_000,
        () => `status bar: ${seen}`,
        250,
      );
      const pane = viewPane(page, 'Pipeline');
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
});
