// `npm run test:exthost`: runs the extension-host suite inside code-server's extension host.
// The packaged extension and a small runner extension (runner/extension.ts) go into a fresh
// code-server, with the sandbox as its AWS. code-server starts an extension host when a client
// connects, so headless Chromium opens the workbench; the runner extension then runs the suite and
// writes its result to a file that this process polls, with a deadline. Every process started here
// is stopped again, also when something fails.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { startCodeServer, type RunningCodeServer } from '../e2e/harness/codeServer';
import { waitFor } from '../e2e/harness/processGroup';
import { launchBrowser, openWorkbench, screenshot } from '../e2e/harness/workbench';
import { ROOT, buildRunnerExtension, buildSuite } from './build';
import type { SuiteResult } from './suite/index';

const VSIX = join(ROOT, 'dist-vsix', 'workshop-pipeline.vsix');
const DEADLINE_MS = Number(process.env.WP_EXTHOST_TIMEOUT_MS ?? 120_000);

async function main(): Promise<number> {
  if (!existsSync(VSIX)) throw new Error(`${VSIX} is missing: run \`npm run package\` first`);
  const started = Date.now();
  const suite = await buildSuite();
  const runner = await buildRunnerExtension();
  const home = mkdtempSync(join(tmpdir(), 'wp-exthost-'));
  const resultFile = join(home, 'result.json');
  const logFile = `${resultFile}.log`;
  let sandbox: RunningSandbox | undefined;
  let editor: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  let printed = 0;
  const printLog = (): void => {
    if (!existsSync(logFile)) return;
    const text = readFileSync(logFile, 'utf8');
    process.stdout.write(text.slice(printed));
    printed = text.length;
  };
  try {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    editor = await startCodeServer({
      vsix: VSIX,
      extraExtensions: [runner],
      workspace: home,
      settings: { 'workshopPipeline.endpointUrl': sandbox.endpoint, 'workshopPipeline.region': 'us-east-1' },
      env: {
        WP_EXTHOST_SUITE: suite,
        WP_EXTHOST_RESULT: resultFile,
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: join(home, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
      },
    });
    browser = await launchBrowser();
    const page = await openWorkbench(browser, editor.workspaceUrl);
    const running = editor;
    const result = await waitFor(
      () => {
        printLog();
        return existsSync(resultFile) ? (JSON.parse(readFileSync(resultFile, 'utf8')) as SuiteResult) : undefined;
      },
      DEADLINE_MS,
      () => `the extension-host suite did not finish in code-server.\ncode-server output:\n${running.output()}`,
      250,
    ).catch(async (error: unknown) => {
      await screenshot(page, 'exthost-timeout').catch(() => undefined);
      throw error;
    });
    printLog();
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`extension host (code-server): ${result.passed} passed, ${result.failed} failed in ${seconds} s`);
    return result.failed === 0 && result.passed > 0 ? 0 : 1;
  } finally {
    await browser?.close().catch(() => undefined);
    await editor?.stop();
    await sandbox?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
