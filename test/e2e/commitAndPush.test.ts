// "AWS: Commit and Push to CodeCommit" in a real editor: no git set-up at all, the remote added
// on request, all changes staged with consent, the push signed by our credential helper; then a
// rejected non-fast-forward push rebased without losing the local commit — and no secret on disk.
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { useEditor } from './harness/fixture';
import { waitFor } from './harness/processGroup';
import { deployWorkshopStacks, remoteHead } from './harness/workshopAccount';
import {
  clearNotifications,
  clickDialogButton,
  dialogText,
  notification,
  runCommand,
  screenshot,
  statusBarBecomes,
  viewPane,
} from './harness/workbench';

const SECRET = 'test-secret-key-never-on-disk';
const execFileAsync = promisify(execFile);

describe('Commit and Push to CodeCommit in code-server', () => {
  let sandbox: RunningSandbox;
  let home: string;
  let workspace: string;
  const credentials = { accessKeyId: 'pusher', secretAccessKey: SECRET };
  const git = (args: string[], cwd = workspace, env: NodeJS.ProcessEnv = {}) =>
    execFileSync('git', args, {
      cwd,
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...env },
      encoding: 'utf8',
    }).trim();
  // Git that talks to the sandbox must not block this process: the sandbox answers from its event loop.
  const gitAsync = async (args: string[], cwd: string, env: NodeJS.ProcessEnv) =>
    (
      await execFileAsync('git', args, { cwd, env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...env } })
    ).stdout.trim();

  const fx = useEditor('push', async ({ tempDir, onClose }) => {
    sandbox = await startSandbox({
      port: 0,
      // 60×, not faster: the pushed commit's builds run their commands in real time, and the
      // template's 30-minute CodeBuild timeout is 30 real seconds at this speed (9 at 200×).
      speed: 60,
      services,
      credentials: [{ ...credentials, accountId: '000000000000' }],
    });
    onClose(() => sandbox.close());
    // The workshop as a user meets it: the service and the pipeline deployed, nothing pushed yet.
    await deployWorkshopStacks({ endpoint: sandbox.endpoint, credentials }, { service: true });

    home = tempDir('wp-e2e-push-home-');
    workspace = tempDir('wp-e2e-push-app-');
    git(['init', '-q', '-b', 'master']);
    git(['config', 'user.name', 'Workshop User']);
    git(['config', 'user.email', 'user@example.com']);
    writeFileSync(join(workspace, 'Dockerfile'), 'FROM node:20-alpine\nCOPY server.js .\nCMD ["node", "server.js"]\n');
    writeFileSync(join(workspace, 'server.js'), "require('http').createServer((q, s) => s.end('ok')).listen(8080);\n");
    git(['add', '-A']);
    git(['commit', '-qm', 'Initial app']);

    return {
      workspace,
      settings: {
        'workshopPipeline.endpointUrl': sandbox.endpoint,
        'workshopPipeline.region': 'us-east-1',
        'git.openRepositoryInParentFolders': 'always',
        'git.autofetch': false,
      },
      env: {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_CONFIG_FILE: join(home, 'none'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
      },
      openContainer: true,
    };
  });

  it('adds the CodeCommit remote, stages and commits everything with consent, and pushes', async () => {
    const page = fx.page;
    writeFileSync(
      join(workspace, 'server.js'),
      "require('http').createServer((q, s) => s.end(q.url === '/health' ? 'healthy' : 'ok')).listen(8080);\n",
    );
    await runCommand(page, 'AWS: Commit and Push to CodeCommit');
    assert.match(
      await dialogText(page),
      /No remote points at the CodeCommit repository modernization-workshop\. Add remote "codecommit"\?/,
    );
    await clickDialogButton(page, 'Add Remote');
    assert.match(await dialogText(page), /There are no staged changes\. Stage all 1 change and commit them\?/);
    await clickDialogButton(page, 'Stage All and Commit');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('Add a health endpoint');
    await input.press('Enter');
    await notification(page, 'Pushed ', 60_000);
    await screenshot(page, 'push-1-pushed');

    const local = git(['rev-parse', 'HEAD']);
    assert.equal(git(['log', '-1', '--format=%s']), 'Add a health endpoint');
    assert.equal(
      await waitFor(
        async () => ((await remoteHead({ endpoint: sandbox.endpoint, credentials })) === local ? local : undefined),
        10_000,
        () => 'remote master never reached the local commit',
      ),
      local,
    );
  });

  it('follows the pushed commit through the pipeline to success, and shows the service healthy', async () => {
    const page = fx.page;
    const short = git(['rev-parse', '--short=7', 'HEAD']);
    await statusBarBecomes(page, /Succeeded/, 180_000);
    const pipeline = viewPane(page, 'Pipeline');
    const run = pipeline.getByText(`${short} Add a health endpoint`).first();
    await run.waitFor({ timeout: 5_000 }).catch(async () => {
      await pipeline.getByText('Execution History').click(); // collapsed by default
      await run.waitFor({ timeout: 30_000 });
    });
    await viewPane(page, 'Service Health')
      .getByText(/Healthy · \d+\/\d+ running/)
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'push-3-succeeded');
  });

  it('offers Pull (Rebase) and Push when the branch moved on, and keeps the local commit', async () => {
    const page = fx.page;
    // Someone else pushes to master first, through the AWS CLI's own credential helper.
    const other = mkdtempSync(join(tmpdir(), 'wp-e2e-push-other-'));
    try {
      const cliEnv = {
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_DEFAULT_REGION: 'us-east-1',
        GIT_TERMINAL_PROMPT: '0',
      };
      const helper = [
        '-c',
        'credential.helper=!aws codecommit credential-helper --ignore-host-check $@',
        '-c',
        'credential.UseHttpPath=true',
      ];
      await gitAsync(
        [...helper, 'clone', '-q', `${sandbox.endpoint}/v1/repos/modernization-workshop`, other],
        home,
        cliEnv,
      );
      writeFileSync(join(other, 'README.md'), 'Shared notes\n');
      git(['add', 'README.md'], other);
      git(['-c', 'user.name=Colleague', '-c', 'user.email=c@example.com', 'commit', '-qm', 'Add notes'], other);
      await gitAsync([...helper, 'push', '-q', 'origin', 'master'], other, cliEnv);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }

    await clearNotifications(page);
    writeFileSync(join(workspace, 'VERSION'), '2\n');
    git(['add', 'VERSION']);
    await runCommand(page, 'AWS: Commit and Push to CodeCommit');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill('Bump version');
    await input.press('Enter');
    assert.match(await dialogText(page), /has commits you do not have, so the push was rejected/);
    await screenshot(page, 'push-2-rejected');
    await clickDialogButton(page, 'Pull (Rebase) and Push');
    await notification(page, 'Pushed ', 60_000);

    const log = git(['log', '--format=%s', '-3']).split('\n');
    assert.deepEqual(log.slice(0, 3), ['Bump version', 'Add notes', 'Add a health endpoint']);
    assert.equal(await remoteHead({ endpoint: sandbox.endpoint, credentials }), git(['rev-parse', 'HEAD']));
  });

  it('writes no secret into the repository, the git config or the editor logs (output channel included)', () => {
    const config = readFileSync(join(workspace, '.git', 'config'), 'utf8');
    assert.doesNotMatch(config, /credential|helper/i, 'no credential helper was written into the repository config');
    // grep exits 1 when it finds nothing, which is the only acceptable outcome here.
    const found = spawnSync('grep', ['-rl', SECRET, workspace, home, fx.editor.userDataDir], { encoding: 'utf8' });
    assert.equal(found.status, 1, `the secret was found in: ${found.stdout}`);
  });
});
