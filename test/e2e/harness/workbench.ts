// Drives the VS Code workbench in headless Chromium the way a person does: palette, views,
// notifications, status bar. Selectors are VS Code's stable ARIA labels and class names.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { waitFor } from './processGroup';

export const SCREENSHOTS = 'test-results';

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export async function openWorkbench(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.goto(url);
  await page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
  // The activity bar appears once extensions' contributions are registered.
  await page.locator('.activitybar').waitFor({ timeout: 60_000 });
  return page;
}

/** Runs a command from the palette by its full title, e.g. "Workshop Pipeline: Select Region". */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
  await row.waitFor({ timeout: 20_000 });
  await input.press('Enter');
}

/** Picks an item in the open quick pick by its visible label. */
export async function pick(page: Page, label: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(label);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().waitFor();
  await input.press('Enter');
}

export async function openContainer(page: Page, name: string): Promise<void> {
  const tab = page.locator(`.activitybar [aria-label^="${name}"]`).first();
  await tab.waitFor({ timeout: 30_000 });
  const selected = await tab.getAttribute('aria-selected').catch(() => null);
  if (selected !== 'true') {
    await tab.click();
  }
}

/** The pane of a view, by its title as shown in the side bar. */
export function viewPane(page: Page, title: string) {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: title }) }).first();
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

/** Clicks a button of the open modal dialog (VS Code's custom dialog in the browser). */
export async function clickDialogButton(page: Page, label: string, timeout = 60_000): Promise<void> {
  // Exact name: "Deploy" must not match "Deploy with options…".
  const button = page
    .locator('.monaco-dialog-box .dialog-buttons')
    .getByRole('button', { name: label, exact: true })
    .first();
  await button.waitFor({ timeout });
  await button.click();
  // The next dialog must not be confused with this one.
  await page
    .locator('.monaco-dialog-box')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

/** The text of the open modal dialog (message and detail). */
export async function dialogText(page: Page, timeout = 60_000): Promise<string> {
  const box = page.locator('.monaco-dialog-box').first();
  await box.waitFor({ timeout });
  return box.innerText();
}

/** Waits for a notification toast containing `text`. */
export async function notification(page: Page, text: string, timeout = 60_000) {
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
  await toast.waitFor({ timeout });
  return toast;
}

/** Dismisses every notification, so the next wait cannot match an earlier toast. */
export async function clearNotifications(page: Page): Promise<void> {
  await runCommand(page, 'Notifications: Clear All Notifications');
  await page
    .locator('.notifications-toasts .notification-toast')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
}

/**
 * Runs `open` (a click that makes the extension call `openExternal`) and returns the browser tab it
 * opened, answering "Open" when the editor first asks whether to open an external website.
 */
export async function externalTab(page: Page, open: () => Promise<void>, timeout = 30_000): Promise<Page> {
  const tab = page.context().waitForEvent('page', { timeout });
  await open();
  const asked = page.locator('.monaco-dialog-box', { hasText: 'open the external website' }).first();
  const first = await Promise.race([
    tab.then(() => 'tab' as const),
    asked.waitFor({ timeout }).then(() => 'asked' as const),
  ]);
  if (first === 'asked') {
    await clickDialogButton(page, 'Open');
  }
  return tab;
}

/** The text of the extension's status bar item (empty while it is hidden). */
export async function statusBarText(page: Page): Promise<string> {
  return (
    await page
      .locator('[id$="workshopPipeline.status"]')
      .first()
      .innerText()
      .catch(() => '')
  ).trim();
}

/** Waits until the extension's status bar item matches `pattern`; the error names what it showed last. */
export async function statusBarBecomes(page: Page, pattern: RegExp, timeout: number): Promise<void> {
  let seen = '';
  await waitFor(
    async () => {
      seen = await statusBarText(page);
      return pattern.test(seen) ? true : undefined;
    },
    timeout,
    () => `status bar: ${seen}`,
    100,
  );
}
