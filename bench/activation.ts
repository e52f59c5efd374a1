// Activation time in the real extension host: code-server (the e2e harness) with the packaged
// .vsix and an empty extension beside it, both activated the way a user does it (opening their view
// containers), then read from VS Code's own measurement in "Developer: Show Running Extensions" —
// the extension host's codeLoadingTime + activateCallTime per extension ("Activation: N ms"). One
// sample per window, each window a fresh extension host; the two are opened in turns, first one
// then the other, so neither always pays for warming the host up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
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

/**
 * The row of `name` in the Running Extensions list. The list is virtual (only rows in view exist)
 * and sorted by activation time, so it is paged through from the top until the row appears.
 */
async function findRow(page: Page, name: string): Promise<Locator> {
  const row = page.locator('.monaco-list-row', { hasText: name }).filter({ hasText: /Activation: \d+ms/ });
  // The list fills in as the extension host reports; wait for it, then start from the top.
  const first = page
    .locator('.monaco-list-row')
    .filter({ hasText: /Activation: \d+ms/ })
    .first();
  await first.waitFor({ timeout: 60_000 });
  await first.click();
  await page.keyboard.press('Home');
  for (let pageDown = 0; pageDown < 30; pageDown++) {
    if ((await row.count()) > 0) {
      return row.first();
    }
    await page.keyboard.press('PageDown');
  }
  const shot = await screenshot(page, 'bench-activation-failure');
  throw new Error(`no activation time for ${name} in Running Extensions (screenshot ${shot})`);
}

/** Opens "Developer: Show Running Extensions" once and reads each extension's "Activation: N ms". */
async function readActivations(page: Page, names: readonly string[]): Promise<number[]> {
  await runCommand(page, 'Developer: Show Running Extensions');
  const values: number[] = [];
  for (const name of names) {
    const text = await (await findRow(page, name)).innerText();
    const match = /Activation: (\d+)ms/.exec(text);
    if (!match) {
      throw new Error(`no activation time in: ${text}`);
    }
    values.push(Number(match[1]));
  }
  return values;
}

/** Activates both in this window (in the given order) and reads both figures. */
async function sample(page: Page, emptyFirst: boolean): Promise<{ ours: number; empty: number }> {
  for (const name of emptyFirst ? [EMPTY_EXTENSION_NAME, OURS] : [OURS, EMPTY_EXTENSION_NAME]) {
    await openContainer(page, name);
  }
  const [ours, empty] = await readActivations(page, [OURS, EMPTY_EXTENSION_NAME]);
  return { ours, empty };
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
