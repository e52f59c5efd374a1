// `npm run test:desktop`: the same extension-host suite under desktop VS Code, through
// @vscode/test-electron. It downloads VS Code into .vscode-test/ on first use, so it needs a machine
// with internet (and a display: on a headless Linux machine run it under `xvfb-run -a`). Offline it
// fails with a message instead of waiting. Like test:exthost, it runs against the sandbox.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { ROOT, buildSuite } from './build';

const VERSION = process.env.WP_VSCODE_VERSION ?? 'stable';
/** With no data for this long the download has failed (offline machines often just drop packets). */
const DOWNLOAD_IDLE_MS = 20_000;
/** The whole download must end within this, however slowly data trickles in. */
const DOWNLOAD_DEADLINE_MS = 10 * 60_000;

async function download(): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no VS Code after ${DOWNLOAD_DEADLINE_MS / 60_000} minutes`)),
      DOWNLOAD_DEADLINE_MS,
    );
    timer.unref();
  });
  try {
    return await Promise.race([
      downloadAndUnzipVSCode({ version: VERSION, cachePath: join(ROOT, '.vscode-test'), timeout: DOWNLOAD_IDLE_MS }),
      deadline,
    ]);
  } catch (error) {
    throw new Error(
      `npm run test:desktop could not get VS Code ${VERSION} (${error instanceof Error ? error.message : String(error)}).\n` +
        '@vscode/test-electron downloads VS Code into .vscode-test/ on first use, which needs internet access.\n' +
        'On a machine without it, run the same suite inside code-server instead: npm run test:exthost',
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

async function main(): Promise<void> {
  const suite = await buildSuite();
  const vscodeExecutablePath = await download();
  const home = mkdtempSync(join(tmpdir(), 'wp-desktop-'));
  let sandbox: RunningSandbox | undefined;
  try {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    const userData = join(home, 'user-data');
    mkdirSync(join(userData, 'User'), { recursive: true });
    writeFileSync(
      join(userData, 'User', 'settings.json'),
      JSON.stringify({
        'security.workspace.trust.enabled': false,
        'workbench.startupEditor': 'none',
        'extensions.autoUpdate': false,
        'update.mode': 'none',
        'telemetry.telemetryLevel': 'off',
        'workshopPipeline.endpointUrl': sandbox.endpoint,
        'workshopPipeline.region': 'us-east-1',
      }),
    );
    const workspace = join(home, 'workspace');
    mkdirSync(workspace);
    await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: suite,
      launchArgs: [
        workspace,
        '--user-data-dir',
        userData,
        '--extensions-dir',
        join(home, 'extensions'),
        '--disable-workspace-trust',
        '--skip-welcome',
        '--skip-release-notes',
      ],
      extensionTestsEnv: {
        AWS_ACCESS_KEY_ID: 'test',
        AWS_SECRET_ACCESS_KEY: 'test',
        AWS_CONFIG_FILE: join(home, 'aws-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
      },
    });
  } finally {
    await sandbox?.close();
    rmSync(home, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
