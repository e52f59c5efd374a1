// The extension from the moment the editor opens a workspace with a CodeCommit remote, before the
// user touches anything: the pipeline indicator is in the status bar with the view closed, and a
// `git push` typed in the integrated terminal is signed by the extension's credential helper. Then
// IAM Identity Center: a profile whose SSO session has no token offers Sign In, the device flow
// completes in the browser against the sandbox, the views load, and the AWS CLI in a terminal uses
// the token the extension cached.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { services } from '../sandbox/services';
import { useEditor } from './harness/fixture';
import { waitFor } from './harness/processGroup';
import { deployWorkshopStacks, remoteHead } from './harness/workshopAccount';
import {
  externalTab,
  openContainer,
  pick,
  runCommand,
  screenshot,
  statusBarBecomes,
  viewPane,
} from './harness/workbench';

const run = promisify(execFile);
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const CLI_V1 = '/root/.pyenv/shims/aws';

describe('start-up and IAM Identity Center in code-server', () => {
  let sandbox: RunningSandbox;
  let home: string;
  let workspace: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: workspace,
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
    }).trim();

  const fx = useEditor('startup', async ({ tempDir, onClose }) => {
    sandbox = await startSandbox({ port: 0, speed: 60, services });
    onClose(() => sandbox.close());
    await deployWorkshopStacks({ endpoint: sandbox.endpoint, credentials }, { service: false });

    home = tempDir('wp-e2e-startup-home-');
    workspace = tempDir('wp-e2e-startup-app-');
    // A clone of the workshop's repository as the workshop page has users make it: the CodeCommit
    // remote is there, nothing else is set up.
    git('init', '-q', '-b', 'master');
    git('config', 'user.name', 'Workshop User');
    git('config', 'user.email', 'user@example.com');
    git('remote', 'add', 'origin', `${sandbox.endpoint}/v1/repos/modernization-workshop`);
    writeFileSync(join(workspace, 'README.md'), '# My workshop app\n');
    git('add', '-A');
    git('commit', '-qm', 'Start');
    writeFileSync(
      join(home, 'config'),
      [
        '[default]',
        'region = us-east-1',
        '',
        '[profile corp]',
        'sso_session = corp',
        'sso_account_id = 000000000000',
        'sso_role_name = AdministratorAccess',
        'region = us-east-1',
        '',
        '[sso-session corp]',
        'sso_start_url = https://d-9067example.awsapps.com/start',
        'sso_region = us-east-1',
        'sso_registration_scopes = sso:account:access',
        '',
      ].join('\n'),
    );
    writeFileSync(join(home, 'credentials'), '[default]\naws_access_key_id = test\naws_secret_access_key = test\n');
    return {
      workspace,
      settings: {
        'workshopPipeline.endpointUrl': sandbox.endpoint,
        'workshopPipeline.region': 'us-east-1',
        'git.openRepositoryInParentFolders': 'always',
        'git.autofetch': false,
        // The DOM renderer, so a failure's screenshot shows the terminal's text.
        'terminal.integrated.gpuAcceleration': 'off',
      },
      env: {
        AWS_CONFIG_FILE: join(home, 'config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_TERMINAL_PROMPT: '0',
      },
    };
  });
  const evidence = fx.evidence;

  it(
    'shows the pipeline indicator in the status bar without the view being opened',
    evidence('status-bar', async () => {
      const page = fx.page;
      const status = page.locator('[id$="workshopPipeline.status"]').first();
      await status.waitFor({ timeout: 60_000 });
      await statusBarBecomes(page, /Failed at Source|Succeeded|In progress|WorkshopPipeline/, 60_000);
      // Nobody opened the Workshop Pipeline container: the side bar still shows the Explorer.
      assert.equal(await page.locator('.pane-header', { hasText: 'Service Health' }).count(), 0);
      await screenshot(page, 'startup-1-status-bar');
    }),
  );

  it(
    'signs a git push typed in the terminal before any command was run',
    evidence('terminal-push', async () => {
      const page = fx.page;
      const local = git('rev-parse', 'HEAD');
      await runCommand(page, 'Terminal: Create New Terminal');
      const terminal = page.locator('.terminal-wrapper.active .xterm').first();
      await terminal.waitFor({ timeout: 30_000 });
      await terminal.click();
      await page.keyboard.type('git push -q origin master\n');
      assert.equal(
        await waitFor(
          async () => ((await remoteHead({ endpoint: sandbox.endpoint, credentials })) === local ? local : undefined),
          60_000,
          () => 'the terminal push never reached the remote',
          250,
        ),
        local,
      );
      assert.doesNotMatch(readFileSync(join(workspace, '.git', 'config'), 'utf8'), /credential|helper/i);
      await screenshot(page, 'startup-2-terminal-push');
    }),
  );

  it(
    'offers Sign In for an SSO profile without a token, completes the device flow, and the views load',
    evidence('sso-sign-in', async () => {
      const page = fx.page;
      await openContainer(page, 'Workshop Pipeline');
      await runCommand(page, 'Workshop Pipeline: Select Profile');
      await pick(page, 'corp');
      const pipeline = viewPane(page, 'Pipeline');
      const signIn = pipeline.getByRole('button', { name: 'Sign In with IAM Identity Center' });
      await signIn.waitFor({ timeout: 60_000 });
      await screenshot(page, 'startup-3-sign-in');

      const tab = await externalTab(page, () => signIn.click());
      await tab.getByRole('button', { name: 'Allow access' }).click();
      await tab.close();

      await pipeline.getByText('WorkshopPipeline-Pipeline-').first().waitFor({ timeout: 60_000 });
      // The token is cached where the AWS CLI and the SDK look for it (sha1 of the session name).
      const cached = join(home, '.aws', 'sso', 'cache', 'ee0bfd2552fbd840c02cc48b6e823320543c450f.json');
      assert.ok(existsSync(cached), 'no cached SSO token');
      await screenshot(page, 'startup-4-signed-in');

      // The AWS CLI finds the same cached token (v1: it honours AWS_ENDPOINT_URL for the SSO portal too).
      assert.ok(existsSync(CLI_V1), `the AWS CLI v1 is not installed at ${CLI_V1}`);
      const { stdout } = await run(CLI_V1, ['sts', 'get-caller-identity', '--profile', 'corp', '--output', 'json'], {
        env: {
          ...process.env,
          HOME: home,
          AWS_CONFIG_FILE: join(home, 'config'),
          AWS_SHARED_CREDENTIALS_FILE: join(home, 'none'),
          AWS_ENDPOINT_URL: sandbox.endpoint,
        },
      });
      assert.match(
        (JSON.parse(stdout) as { Arn: string }).Arn,
        /^arn:aws:sts::000000000000:assumed-role\/AWSReservedSSO_AdministratorAccess_[0-9a-f]+\//,
      );
    }),
  );
});
