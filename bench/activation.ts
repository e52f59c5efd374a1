// Activation time in the real extension host: code-server (the e2e harness) with the packaged
// .vsix and an empty extension beside it, both activated the way a user does it (opening their view
// containers), then read from VS Code's own measurement in "Developer: Show Running Extensions" —
// the extension host's codeLoadingTime + activateCallTime per extension ("Activation: N ms"). One
// sample per window, each window a fresh extension host; the two are opened in turns, first one
// then the other, so neither always pays for warming the host up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from '../test/e2e/harness/codeServer';
import { launchBrowser, openContainer, openWorkbench, runCommand, screenshot } from '../test/e2e/harness/workbench';
import { startSandbox, type RunningSandbox } from '../test/sandbox/core/server';
import { services } from '../test/sandbox/services';
import { VSIX } from './bundleSize';
import { log, median } from './common';
import { buildEmptyExtension, EMPTY_EXTENSION_NAME } from './emptyExtension';

const OURS = 'Workshop Pipeline';

export interface ActivationResult {
  readonly samplesMs: number[];
  readonly medianMs: number;
  /** The empty extension, in the same windows. */
  readonly emptySamplesMs: number[];
  readonly emptyMedianMs: number;
  /** medianMs / emptyMedianMs (undefined when the empty extension measured 0 ms). */
  readonly ratio: number | undefined;
}

async function readActivation(page: Page, name: string): Promise<number> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const row = page
    .locator('.monaco-list-row', { hasText: name })
    .filter({ hasText: /Activation: \d+ms/ })
    .first();
  try {
    await row.waitFor({ timeout: 60_000 });
  } catch (error) {
    const shot = await screenshot(page, 'bench-activation-failure');
    const rows = await page.locator('.monaco-list-row', { hasText: name }).allInnerTexts();
    throw new Error(`no activation time for ${name} (rows: ${JSON.stringify(rows)}; screenshot ${shot})`, {
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

/** Activates both in this window (in the given order) and reads both figures. */
async function sample(page: Page, emptyFirst: boolean): Promise<{ ours: number; empty: number }> {
  for (const name of emptyFirst ? [EMPTY_EXTENSION_NAME, OURS] : [OURS, EMPTY_EXTENSION_NAME]) {
    await openContainer(page, name);
  }
  return { ours: await readActivation(page, OURS), empty: await readActivation(page, EMPTY_EXTENSION_NAME) };
}

export async function measureActivation(samples: number): Promise<ActivationResult> {
  let sandbox: RunningSandbox | undefined;
  let editor: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const workspace = mkdtempSync(join(tmpdir(), 'wp-bench-ws-'));
  try {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    log('activation: starting code-server with the packaged .vsix and an empty extension');
    editor = await startCodeServer({
      vsix: VSIX,
      extraExtensions: [buildEmptyExtension()],
      workspace,
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: { AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_EC2_METADATA_DISABLED: 'true' },
    });
    browser = await launchBrowser();
    let page = await openWorkbench(browser, editor.workspaceUrl);
    const ours: number[] = [];
    const empty: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (i > 0) {
        // A new window: its own extension host, so both activate afresh.
        await page.close();
        page = await openWorkbench(browser, editor.workspaceUrl);
      }
      let measured: { ours: number; empty: number };
      try {
        measured = await sample(page, i % 2 === 1);
      } catch (error) {
        // The palette occasionally misses keystrokes while the workbench still loads: one more window.
        log(`activation: retrying in a new window (${String(error).split('\n')[0]})`);
        await page.close();
        page = await openWorkbench(browser, editor.workspaceUrl);
        measured = await sample(page, i % 2 === 1);
      }
      ours.push(measured.ours);
      empty.push(measured.empty);
      log(`activation: window ${i + 1}/${samples}: ours ${measured.ours} ms, empty extension ${measured.empty} ms`);
    }
    const medianMs = median(ours);
    const emptyMedianMs = median(empty);
    return {
      samplesMs: ours,
      medianMs,
      emptySamplesMs: empty,
      emptyMedianMs,
      ratio: emptyMedianMs > 0 ? medianMs / emptyMedianMs : undefined,
    };
  } finally {
    await browser?.close();
    await editor?.stop();
    await sandbox?.close();
    rmSync(workspace, { recursive: true, force: true });
  }
}
