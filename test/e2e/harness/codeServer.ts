// A real VS Code (code-server) on loopback with the packaged extension in fresh user-data and
// extensions directories, so nothing from the developer's own editor leaks into a test.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startGroup, waitFor, type Started } from './processGroup';
import { provisionEditor } from './provision';

export interface CodeServerOptions {
  vsix: string;
  /** More extensions (.vsix files) to install beside it, e.g. the extension-host test runner. */
  extraExtensions?: string[];
  workspace: string;
  /** Settings for the editor; machine-scoped ones go where a remote window reads them (see `splitSettings`). */
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  port?: number;
  /** The display language (`--locale`), e.g. `ko`: what `vscode.env.language` reports to extensions. */
  locale?: string;
}

export interface RunningCodeServer {
  url: string;
  /** The URL that opens `workspace`. */
  workspaceUrl: string;
  userDataDir: string;
  output: () => string;
  stop(): Promise<void>;
}

/** User settings for an editor that talks to nothing but loopback and asks nothing on start (tests, demo). */
export const QUIET_EDITOR_SETTINGS: Readonly<Record<string, unknown>> = {
  'security.workspace.trust.enabled': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
  'extensions.autoUpdate': false,
  'extensions.autoCheckUpdates': false,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
};

/**
 * In a remote window such as code-server's, VS Code reads settings of `machine` and
 * `machine-overridable` scope only from the remote machine's settings (Machine/settings.json) and
 * ignores them in the user's settings, after briefly showing them at start-up. So the extension's
 * machine-scoped settings (profile, region) are written there, as "Workshop Pipeline: Select Region" writes them.
 */
export function splitSettings(settings: Record<string, unknown>): {
  user: Record<string, unknown>;
  machine: Record<string, unknown>;
} {
  const manifest = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as {
    contributes: { configuration: { properties: Record<string, { scope?: string }> } };
  };
  const properties = manifest.contributes.configuration.properties;
  const user: Record<string, unknown> = {};
  const machine: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const scope = properties[key]?.scope;
    (scope === 'machine' || scope === 'machine-overridable' ? machine : user)[key] = value;
  }
  return { user, machine };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  const editor = provisionEditor();
  const home = mkdtempSync(join(tmpdir(), 'wp-code-server-'));
  const userDataDir = join(home, 'user-data');
  const extensionsDir = join(home, 'extensions');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  const { user, machine } = splitSettings(options.settings ?? {});
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...QUIET_EDITOR_SETTINGS, ...user }));
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify(machine));
  const config = join(home, 'config.yaml');
  writeFileSync(config, 'auth: none\ncert: false\n');
  const common = ['--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const vsix of [options.vsix, ...(options.extraExtensions ?? [])]) {
    execFileSync(editor.node, [editor.entry, ...common, '--install-extension', vsix], { stdio: 'pipe' });
  }
  if (options.locale) {
    registerLanguagePack(userDataDir, extensionsDir, options.locale);
  }

  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let server: Started | undefined;
  try {
    server = startGroup(
      editor.node,
      [
        editor.entry,
        ...common,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
        ...(options.locale ? ['--locale', options.locale] : []),
      ],
      { env: { ...process.env, ...options.env } },
    );
    const started = server;
    await waitFor(
      async () =>
        (await fetch(`${url}/healthz`).then(
          (r) => r.ok,
          () => false,
        )) || undefined,
      60_000,
      () => `code-server did not answer on ${url}:\n${started.output()}`,
    );
  } catch (error) {
    await server?.stop();
    rmSync(home, { recursive: true, force: true });
    throw error;
  }
  const running = server;
  return {
    url,
    workspaceUrl: `${url}/?folder=${encodeURIComponent(options.workspace)}`,
    userDataDir,
    output: running.output,
    async stop() {
      await running.stop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/**
 * VS Code finds display languages in languagepacks.json, which it writes when a pack is installed
 * from the UI but not by `--install-extension` (coder/code-server#4735): write the installed stub
 * pack's entry (see languagePack.ts) as the UI would.
 */
function registerLanguagePack(userDataDir: string, extensionsDir: string, locale: string): void {
  const folder = readdirSync(extensionsDir).find((name) =>
    name.startsWith(`workshop-pipeline-tests.test-language-pack-${locale}-`),
  );
  if (!folder) {
    throw new Error(`the stub language pack for ${locale} is not installed in ${extensionsDir}`);
  }
  const manifest = JSON.parse(readFileSync(join(extensionsDir, folder, 'package.json'), 'utf8')) as { version: string };
  const packs = {
    [locale]: {
      hash: `stub-${locale}-${manifest.version}`,
      extensions: [
        {
          extensionIdentifier: { id: `workshop-pipeline-tests.test-language-pack-${locale}` },
          version: manifest.version,
        },
      ],
      translations: { vscode: join(extensionsDir, folder, 'translations', 'main.i18n.json') },
      label: locale,
    },
  };
  writeFileSync(join(userDataDir, 'languagepacks.json'), JSON.stringify(packs));
}
