// `npm start` — the demo: after the prerequisites step (package.json runs it first), provisions
// code-server (once), builds and packages the extension, starts the sandbox (the local AWS) and
// code-server (browser VS Code) with the extension and a sample application workspace, and prints
// the URL to open. Everything lives under .sandbox/, so a second `npm start` resumes where the last
// one stopped. Ctrl-C stops everything: code-server runs in its own process group, which is killed
// as a whole; the sandbox runs in this process and writes its state on the way out.
//
//   npm start [-- --port 8420] [--sandbox-port 4567] [--speed 20] [--no-build] [--reset]
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve, join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox, type RunningSandbox } from '../test/sandbox/core/server';
import { services } from '../test/sandbox/services';
import { loadBalancerEndpoint } from '../test/sandbox/elbv2/serving';
import { startGroup, waitFor, type Started } from '../test/e2e/harness/processGroup';
import { QUIET_EDITOR_SETTINGS } from '../test/e2e/harness/codeServer';
import { ProvisionError, provisionEditor } from '../test/e2e/harness/provision';

const USAGE = `usage: npm start [-- --port N] [--sandbox-port N] [--speed X] [--no-build] [--reset]

  --port N          code-server (the editor) on 127.0.0.1:N (default 8420)
  --sandbox-port N  the sandbox's AWS endpoint on 127.0.0.1:N (default 4567)
  --speed X         simulated AWS time per real time (default 20: a pipeline run takes well under a minute)
  --no-build        use the last packaged dist-vsix/workshop-pipeline.vsix as it is
  --reset           forget the demo's state (.sandbox/) and start from scratch`;

const ROOT = resolve(__dirname, '..');
const STATE = join(ROOT, '.sandbox');
const SANDBOX_STATE = join(STATE, 'state');
const WORKSPACE = join(STATE, 'workspace');
const EDITOR_HOME = join(STATE, 'code-server');
const USER_DATA = join(EDITOR_HOME, 'user-data');
const EXTENSIONS = join(EDITOR_HOME, 'extensions');
const AWS_DIR = join(STATE, 'aws');
const LOGS = join(STATE, 'logs');
const VSIX = join(ROOT, 'dist-vsix', 'workshop-pipeline.vsix');
const SAMPLE_APP = join(ROOT, 'demo', 'app');

class DemoError extends Error {}

interface Options {
  port: number;
  sandboxPort: number;
  speed: number;
  build: boolean;
  reset: boolean;
}

function parseOptions(): Options {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'sandbox-port': { type: 'string' },
        speed: { type: 'string' },
        'no-build': { type: 'boolean' },
        reset: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    throw new DemoError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const port = (name: string, text: string | undefined, fallback: number): number => {
    const n = Number(text ?? fallback);
    if (!Number.isInteger(n) || n < 1 || n > 65535)
      throw new DemoError(`invalid --${name} '${text}': a port from 1 to 65535\n\n${USAGE}`);
    return n;
  };
  const speed = Number(values.speed ?? 20);
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new DemoError(`invalid --speed '${values.speed}': a positive number\n\n${USAGE}`);
  const options = {
    port: port('port', values.port, 8420),
    sandboxPort: port('sandbox-port', values['sandbox-port'], 4567),
    speed,
    build: !values['no-build'],
    reset: values.reset === true,
  };
  if (options.port === options.sandboxPort) throw new DemoError('--port and --sandbox-port must differ');
  return options;
}

/** Fails with a clear message when something already listens on 127.0.0.1:port. */
async function ensurePortFree(port: number, what: string, flag: string): Promise<void> {
  await new Promise<void>((resolvePort, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is already in use (is another `npm start` running?)'
          : `cannot be used (${error.code ?? error.message})`;
      reject(
        new DemoError(
          `Port ${port} for the ${what} ${why}. Stop whatever uses it, or choose another port: npm start -- ${flag} <port>`,
        ),
      );
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolvePort()));
  });
}

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0)
    throw new DemoError(`${command} ${args.join(' ')} failed (${result.signal ?? `exit ${result.status}`})`);
}

/** The sample application, copied out of the clone and made a git repository on first start. */
function prepareWorkspace(): void {
  if (existsSync(join(WORKSPACE, '.git'))) return;
  rmSync(WORKSPACE, { recursive: true, force: true });
  cpSync(SAMPLE_APP, WORKSPACE, { recursive: true });
  const git = (...args: string[]) => execFileSync('git', args, { cwd: WORKSPACE, stdio: 'pipe' });
  git('init', '-q', '-b', 'master');
  git('config', 'user.name', 'Workshop Demo');
  git('config', 'user.email', 'demo@example.com');
  git('add', '-A');
  git('commit', '-qm', 'Workshop app: web server with a /health endpoint');
  console.log(`Created the sample application workspace ${WORKSPACE}`);
}

/** Isolated AWS configuration: the sandbox's test credentials, never the user's own profiles. */
function prepareAws(): Record<string, string> {
  mkdirSync(AWS_DIR, { recursive: true });
  writeFileSync(join(AWS_DIR, 'config'), '[default]\nregion = us-east-1\n');
  writeFileSync(join(AWS_DIR, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
  return {
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(AWS_DIR, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(AWS_DIR, 'credentials'),
  };
}

/** User settings: ours are (re)written on every start, the user's own changes are kept. */
function prepareSettings(endpoint: string): void {
  const file = join(USER_DATA, 'User', 'settings.json');
  mkdirSync(join(USER_DATA, 'User'), { recursive: true });
  let current: Record<string, unknown> = {};
  if (existsSync(file)) {
    try {
      current = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch {
      console.warn(`Could not read ${file} (comments are not supported here); rewriting it.`);
    }
  }
  const settings = {
    ...QUIET_EDITOR_SETTINGS,
    'git.openRepositoryInParentFolders': 'always',
    'git.autofetch': false,
    'workshopPipeline.region': 'us-east-1',
    ...current,
    // The sandbox's port may differ from the last run.
    'workshopPipeline.endpointUrl': endpoint,
  };
  writeFileSync(file, `${JSON.stringify(settings, null, 2)}\n`);
}

/** Environment for code-server without the user's AWS variables or an outer npm's settings. */
function editorEnv(aws: Record<string, string>): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^(AWS_|npm_)/i.test(key) && key !== 'NODE'),
  );
  return { ...inherited, ...aws };
}

async function main(): Promise<void> {
  const options = parseOptions();
  await ensurePortFree(options.port, 'editor (code-server)', '--port');
  await ensurePortFree(options.sandboxPort, 'sandbox', '--sandbox-port');
  if (options.reset) {
    console.log(`Removing ${STATE}`);
    rmSync(STATE, { recursive: true, force: true });
  }

  // The slow step that can fail on a fresh machine comes first.
  const editor = provisionEditor();
  if (options.build) {
    run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'package']);
  } else if (!existsSync(VSIX)) {
    throw new DemoError(`${VSIX} does not exist: run without --no-build`);
  }
  mkdirSync(LOGS, { recursive: true });
  prepareWorkspace();
  const aws = prepareAws();

  let sandbox: RunningSandbox | undefined;
  let codeServer: Started | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await codeServer?.stop();
      await sandbox?.close();
    })());
  // A terminal's Ctrl-C reaches this process twice (from the terminal, and relayed by tsx): only a
  // signal well after the first one means "stop right away".
  let firstSignalAt: number | undefined;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < 2000) return;
      console.log('Stopping right away.');
      if (codeServer?.child.pid !== undefined) {
        try {
          process.kill(-codeServer.child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      process.exit(130);
    }
    firstSignalAt = Date.now();
    console.log(`\n${signal}: stopping code-server and the sandbox (state is kept in ${STATE})…`);
    stop().then(
      () => {
        console.log('Stopped. `npm start` resumes the demo.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Could not stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  try {
    sandbox = await startSandbox({
      port: options.sandboxPort,
      speed: options.speed,
      stateDir: SANDBOX_STATE,
      services,
    });
    console.log(`Sandbox endpoint: ${sandbox.endpoint} (speed ${options.speed}, state in ${SANDBOX_STATE})`);
    const loadBalancers = await loadBalancerEndpoint(sandbox.sandbox);
    console.log(`Load balancers: ${loadBalancers}`);
    prepareSettings(sandbox.endpoint);

    const config = join(EDITOR_HOME, 'config.yaml');
    writeFileSync(config, 'auth: none\ncert: false\n');
    mkdirSync(EXTENSIONS, { recursive: true });
    const common = ['--config', config, '--user-data-dir', USER_DATA, '--extensions-dir', EXTENSIONS];
    console.log('Installing the extension into code-server…');
    execFileSync(editor.node, [editor.entry, ...common, '--install-extension', VSIX, '--force'], {
      stdio: 'pipe',
      env: editorEnv(aws),
    });

    const log = createWriteStream(join(LOGS, 'code-server.log'), { flags: 'a' });
    codeServer = startGroup(
      editor.node,
      [
        editor.entry,
        ...common,
        '--auth',
        'none',
        '--bind-addr',
        `127.0.0.1:${options.port}`,
        '--disable-telemetry',
        '--disable-update-check',
        '--disable-workspace-trust',
        '--disable-getting-started-override',
      ],
      { cwd: WORKSPACE, env: editorEnv(aws) },
    );
    codeServer.child.stdout?.pipe(log);
    codeServer.child.stderr?.pipe(log);
    const started = codeServer;
    const url = `http://127.0.0.1:${options.port}`;
    await waitFor(
      async () => {
        if (started.child.exitCode !== null || started.child.signalCode !== null)
          throw new DemoError(`code-server exited:\n${started.output()}`);
        return (
          (await fetch(`${url}/healthz`).then(
            (r) => r.ok,
            () => false,
          )) || undefined
        );
      },
      60_000,
      () => `code-server did not answer on ${url}:\n${started.output()}`,
    );
    started.child.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(
          `code-server stopped unexpectedly (${signal ?? `exit ${code}`}); see ${join(LOGS, 'code-server.log')}`,
        );
        void stop().then(() => process.exit(1));
      }
    });
    console.log(`
Workshop Pipeline demo is running.

  Open:     ${url}/?folder=${encodeURIComponent(WORKSPACE)}
  Sandbox:  ${sandbox.endpoint}  (AWS credentials test/test, region us-east-1)
  Load balancers: ${loadBalancers}  (the deployed service answers here once its tasks are healthy)
  State:    ${STATE}  (npm start -- --reset starts over)

In the editor: open the Workshop Pipeline view in the activity bar, run "AWS: Deploy Workshop Pipeline",
edit a file, then "AWS: Commit and Push to CodeCommit" and watch the commit go through the pipeline.
Press Ctrl-C to stop.`);
  } catch (error) {
    await stop();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof DemoError || error instanceof ProvisionError ? `npm start: ${error.message}` : error);
  process.exit(1);
});
