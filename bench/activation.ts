// Activation time in the real extension host: code-server (the e2e harness) with the packaged
// .vsix, the extension activated the way a user does it (opening its view container), then read
// from VS Code's own measurement in "Developer: Show Running Extensions" — the extension host's
// codeLoadingTime + activateCallTime for this extension ("Activation: N ms"). One cold sample
// after start, then one per newly opened window (a fresh extension host each time).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from '../test/e2e/harness/codeServer';
import { launchBrowser, openContainer, openWorkbench, runCommand, screenshot } from '../test/e2e/harness/workbench';
import { startSandbox, type RunningSandbox } from '../test/sandbox/core/server';
import { services } from '../test/sandbox/services';
import { log, median } from './common';
import { VSIX } from './bundleSize';

export interface ActivationResult {
  readonly samplesMs: number[];
  readonly medianMs: number;
}

async function readActivation(page: Page): Promise<number> {
  await openContainer(page, 'Workshop Pipeline');
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page
    .locator('.monaco-list-row', { hasText: 'Workshop Pipeline' })
    .filter({ hasText: /Activation: \d+ms/ })
    .first();
  try {
    await row.waitFor({ timeout: 60_000 });
  } catch (error) {
    const shot = await screenshot(page, 'bench-activation-failure');
    const rows = await page.locator('.monaco-list-row', { hasText: 'Workshop Pipeline' }).allInnerTexts();
    throw new Error(`no activation time for Workshop Pipeline (rows: ${JSON.stringify(rows)}; screenshot ${shot})`, {
      cause: error,
    });
  }
  const text = await row.innerText();
  const match = /Activation: (\d+)ms/.exec(text);
  if (!match) {
    throw new Error(`no activation time in: ${text}`);
  }
  return Number(match[1]);
}

export async function measureActivation(samples: number): Promise<ActivationResult> {
  let sandbox: RunningSandbox | undefined;
  let editor: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const workspace = mkdtempSync(join(tmpdir(), 'wp-bench-ws-'));
  try {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    log('activation: starting code-server with the packaged .vsix');
    editor = await startCodeServer({
      vsix: VSIX,
      workspace,
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    browser = await launchBrowser();
    let page = await openWorkbench(browser, editor.workspaceUrl);
    const values: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (i > 0) {
        // A new window: its own extension host, so the extension activates afresh.
        await page.close();
        page = await openWorkbench(browser, editor.workspaceUrl);
      }
      let ms: number;
      try {
        ms = await readActivation(page);
      } catch (error) {
        // The palette occasionally misses keystrokes while the workbench still loads: one more window.
        log(`activation: retrying in a new window (${String(error).split('\n')[0]})`);
        await page.close();
        page = await openWorkbench(browser, editor.workspaceUrl);
        ms = await readActivation(page);
      }
      values.push(ms);
      log(`activation: sample ${i + 1}/${samples}: ${ms} ms`);
    }
    return { samplesMs: values, medianMs: median(values) };
  } finally {
    await browser?.close();
    await editor?.stop();
    await sandbox?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}
