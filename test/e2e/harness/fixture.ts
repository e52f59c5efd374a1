// The one set-up and tear-down of the code-server suites: a suite says what the editor talks to
// (its sandbox or workshop, home folder, workspace, settings and environment); the fixture starts
// code-server with the packaged extension, opens the workbench in headless Chromium, and at the end
// stops all of it, latest first, and removes every temporary folder. Failed tests keep evidence.
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Page } from 'playwright-core';
import { startCodeServer, type RunningCodeServer } from './codeServer';
import { languagePackVsix } from './languagePack';
import { launchBrowser, openContainer, openWorkbench, screenshot, SCREENSHOTS } from './workbench';

export const VSIX = 'dist-vsix/workshop-pipeline.vsix';

export interface EditorSetup {
  /** The folder the editor opens. */
  readonly workspace: string;
  /** User settings, e.g. `workshopPipeline.endpointUrl` of the suite's sandbox. */
  readonly settings: Record<string, unknown>;
  readonly env: Record<string, string>;
  /** Show the Workshop Pipeline container once the workbench is up. */
  readonly openContainer?: boolean;
  /** The editor's display language, e.g. `ko`. */
  readonly locale?: string;
}

export interface SetupContext {
  /** A fresh temporary folder, removed at tear-down. */
  readonly tempDir: (prefix: string) => string;
  /** Runs at tear-down after the editor and browser stopped (latest registered first), e.g. closing a sandbox. */
  readonly onClose: (close: () => Promise<void> | void) => void;
}

export interface EditorFixture {
  readonly page: Page;
  readonly editor: RunningCodeServer;
  /** Wraps a test body: when it fails, a screenshot and the editor's logs are kept in test-results/. */
  readonly evidence: (name: string, body: () => Promise<void>) => () => Promise<void>;
}

/** Registers the suite's before/after hooks; the returned fixture is usable inside tests. */
export function useEditor(suite: string, setup: (context: SetupContext) => Promise<EditorSetup>): EditorFixture {
  let started: { page: Page; editor: RunningCodeServer } | undefined;
  const closers: (() => Promise<void> | void)[] = [];
  const folders: string[] = [];

  before(async () => {
    const options = await setup({
      tempDir: (prefix) => {
        const folder = mkdtempSync(join(tmpdir(), prefix));
        folders.push(folder);
        return folder;
      },
      onClose: (close) => closers.push(close),
    });
    const { workspace, settings, env, locale } = options;
    const extraExtensions = locale ? [await languagePackVsix(locale, folders)] : [];
    const editor = await startCodeServer({ vsix: VSIX, workspace, settings, env, locale, extraExtensions });
    closers.push(() => editor.stop());
    const browser = await launchBrowser();
    closers.push(() => browser.close());
    const page = await openWorkbench(browser, editor.workspaceUrl);
    if (options.openContainer) {
      await openContainer(page, 'Workshop Pipeline');
    }
    started = { page, editor };
  });

  after(async () => {
    const failures: unknown[] = [];
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        failures.push(error);
      }
    }
    for (const folder of folders) {
      rmSync(folder, { recursive: true, force: true });
    }
    if (failures.length > 0) {
      throw failures[0];
    }
  });

  const current = () => {
    if (!started) {
      throw new Error(`the ${suite} editor did not start`);
    }
    return started;
  };
  return {
    get page() {
      return current().page;
    },
    get editor() {
      return current().editor;
    },
    evidence: (name, body) => async () => {
      try {
        await body();
      } catch (error) {
        if (started) {
          await screenshot(started.page, `${suite}-failure-${name}`).catch(() => undefined);
          const logs = join(SCREENSHOTS, `${suite}-e2e-logs`);
          mkdirSync(logs, { recursive: true });
          // The editor's logs and the settings it ran with (user, and machine for machine-scoped ones).
          for (const part of ['logs', 'User/settings.json', 'Machine/settings.json']) {
            try {
              cpSync(join(started.editor.userDataDir, part), join(logs, part), { recursive: true });
            } catch {
              // not written (yet): the screenshot and the rest tell what there is
            }
          }
        }
        throw error;
      }
    },
  };
}
