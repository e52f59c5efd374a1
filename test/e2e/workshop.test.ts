// A new user's whole workshop in a real editor, on a fresh sandbox account, as an IAM user holding
// exactly the full policy of docs/iam: Deploy Workshop Pipeline
// (service stack first, created with no task because no image exists yet), Commit and Push catching a
// leaked key before it leaves, Push Anyway failing the Build with every finding on its line in the
// Problems panel, the fix clearing them, the first image offering to start the service's tasks, the
// app served through its load balancer with the pushed commit, and a second push rolled out without
// one failed request.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { Page, Response } from 'playwright-core';
import { startSandbox, type RunningSandbox } from '../sandbox/core/server';
import { IMAGE_TAG_HEADER } from '../sandbox/elbv2/serving';
import { browserUrl } from '../../src/health/browserUrl';
import { browserLikeAgent } from '../support/browserLikeAgent';
import { identityCredentials } from '../sandbox/iam/identities';
import { services } from '../sandbox/services';
import { APP_FILES, LEAKED_CONFIG, SECRET_FRAGMENT } from '../integration/pipeline/workshop';
import { useEditor } from './harness/fixture';
import { waitFor } from './harness/processGroup';
import { remoteHead } from './harness/workshopAccount';
import {
  clearNotifications,
  clickDialogButton,
  dialogText,
  externalTab,
  notification,
  runCommand,
  pick,
  screenshot,
  SCREENSHOTS,
  statusBarBecomes,
  viewPane,
} from './harness/workbench';

/** The test's own reads of the sandbox (remote branch, load balancer): the account's administrator. */
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
/** The user in the editor holds exactly docs/iam's full policy, as the README tells users to attach. */
const user = { accessKeyId: 'AKIAWORKSHOPUSER01', secretAccessKey: 'workshop-user-secret' };
/** A package-lock naming lodash at `version` (4.17.11 has CVE-2019-10744, critical; 4.17.21 is fixed). */
const lock = (version: string): string =>
  `${JSON.stringify(
    {
      name: 'app',
      version: '1.0.0',
      lockfileVersion: 3,
      requires: true,
      packages: {
        '': { name: 'app', version: '1.0.0', dependencies: { lodash: version } },
        'node_modules/lodash': { version },
      },
    },
    null,
    2,
  )}\n`;
const CLEAN_CONFIG = "module.exports = {\n  region: 'us-east-1',\n  accessKeyId: process.env.AWS_ACCESS_KEY_ID,\n};\n";

describe('the workshop, start to end state, in code-server', () => {
  let sandbox: RunningSandbox;
  let workspace: string;
  let home: string;
  const git = (...args: string[]) =>
    execFileSync('git', args, {
      cwd: workspace,
      env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' },
      encoding: 'utf8',
    }).trim();
  const write = (files: Record<string, string>) => {
    for (const [name, content] of Object.entries(files)) {
      mkdirSync(dirname(join(workspace, name)), { recursive: true });
      writeFileSync(join(workspace, name), content);
    }
  };

  const fx = useEditor('workshop', async ({ tempDir, onClose }) => {
    // 60×: builds run their commands in real time and the template's CodeBuild timeout scales.
    sandbox = await startSandbox({
      port: 0,
      speed: 60,
      services,
      credentials: [
        identityCredentials(
          {
            ...user,
            user: 'workshop-user',
            policies: [{ name: 'full', file: 'docs/iam/workshop-pipeline-full.json' }],
          },
          process.cwd(),
        ),
      ],
    });
    onClose(() => sandbox.close());
    home = tempDir('wp-e2e-workshop-home-');
    workspace = tempDir('wp-e2e-workshop-app-');
    // The user's app as they start the workshop: committed locally, no remote, no AWS set-up.
    git('init', '-q', '-b', 'master');
    git('config', 'user.name', 'Workshop User');
    git('config', 'user.email', 'user@example.com');
    write({ ...APP_FILES, 'app/package-lock.json': lock('4.17.21'), 'app/config.js': CLEAN_CONFIG });
    git('add', '-A');
    git('commit', '-qm', 'Start the workshop app');
    return {
      workspace,
      settings: {
        'workshopPipeline.endpointUrl': sandbox.endpoint,
        'workshopPipeline.region': 'us-east-1',
        'git.openRepositoryInParentFolders': 'always',
        'git.autofetch': false,
        // As a user's editor starts: the Welcome page instantiates VS Code's walkthrough service at
        // start-up, which only then records the steps' completion events (see the walkthrough test).
        'workbench.startupEditor': 'welcomePage',
      },
      env: {
        AWS_ACCESS_KEY_ID: user.accessKeyId,
        AWS_SECRET_ACCESS_KEY: user.secretAccessKey,
        AWS_CONFIG_FILE: join(home, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(home, 'no-credentials'),
        AWS_EC2_METADATA_DISABLED: 'true',
        HOME: home,
        GIT_CONFIG_NOSYSTEM: '1',
      },
      openContainer: true,
    };
  });
  const evidence = fx.evidence;

  /** Commit and Push from the palette, staging everything when asked, with `message`. */
  const commitAndPush = async (page: Page, message: string) => {
    await runCommand(page, 'AWS: Commit and Push to CodeCommit');
    const first = await dialogText(page);
    if (/Stage all \d+ changes? and commit them\?/.test(first)) {
      await clickDialogButton(page, 'Stage All and Commit');
    }
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(message);
    await input.press('Enter');
  };
  const problems = (page: Page) => page.locator('.markers-panel .monaco-list-row');
  const markerTexts = async (page: Page) =>
    (await problems(page).allInnerTexts())
      .map((t) => t.replace(/\s+/g, ' '))
      .filter((t) => /Workshop Pipeline/.test(t));

  it(
    'deploys the service stack first, then the pipeline; the service is not serving and waits for its first image',
    evidence('deploy', async () => {
      const page = fx.page;
      const pipeline = viewPane(page, 'Pipeline');
      await pipeline.getByText('No pipeline deployed yet in this account and region.').waitFor({ timeout: 60_000 });
      await pipeline.getByRole('button', { name: 'Deploy Workshop Pipeline' }).waitFor();
      await runCommand(page, 'AWS: Deploy Workshop Pipeline');
      assert.match(
        await dialogText(page),
        /The ECS service ModernService in cluster ModernizationCluster does not exist in 000000000000 \(us-east-1\)\./,
      );
      await screenshot(page, 'deploy-0-service-missing');
      await clickDialogButton(page, 'Deploy Service Stack First');
      const target = await dialogText(page);
      assert.match(target, /Deploy Workshop Pipeline to 000000000000 \(us-east-1\)\?/);
      assert.match(target, /Stack WorkshopPipeline will be created\./);
      assert.match(
        target,
        /Create the CodeCommit repository: true \(not found in this account, so the stack creates it\)/,
      );
      await screenshot(page, 'deploy-1-target');
      await clickDialogButton(page, 'Deploy');
      assert.match(
        await dialogText(page),
        /Create stack WorkshopPipeline-Service: \d+ to add, 0 to change, 0 to remove\./,
      );
      await clickDialogButton(page, 'Create Stack');
      const preview = await dialogText(page, 120_000);
      assert.match(preview, /Create stack WorkshopPipeline: \d+ to add, 0 to change, 0 to remove\./);
      assert.match(preview, /Add\s+Pipeline \(AWS::CodePipeline::Pipeline\)/);
      await screenshot(page, 'deploy-2-preview');
      await clickDialogButton(page, 'Create Stack');
      const done = await notification(page, 'Workshop Pipeline is deployed', 120_000);
      assert.match(
        await done.innerText(),
        /stack WorkshopPipeline is CREATE_COMPLETE, pipeline WorkshopPipeline-Pipeline-/,
      );
      await pipeline.getByText('Stack WorkshopPipeline').waitFor({ timeout: 30_000 });
      await screenshot(page, 'deploy-3-success');

      // No image exists yet, so the service was created without tasks: the view says so, and why.
      const health = viewPane(page, 'Service Health');
      await health.getByText('Not serving: 0 tasks').first().waitFor({ timeout: 60_000 });
      await health
        .locator('.monaco-list-row', { hasText: 'Start 2 Tasks' })
        .filter({ hasText: 'waiting for the first image' })
        .first()
        .waitFor({ timeout: 30_000 });
    }),
  );

  it(
    'catches a leaked key before the push: Cancel leaves the remote and HEAD unchanged',
    evidence('scan-cancel', async () => {
      const page = fx.page;
      const head = git('rev-parse', 'HEAD');
      write({ 'app/config.js': LEAKED_CONFIG });
      await runCommand(page, 'AWS: Commit and Push to CodeCommit');
      assert.match(
        await dialogText(page),
        /No remote points at the CodeCommit repository modernization-workshop\. Add remote "codecommit"\?/,
      );
      await clickDialogButton(page, 'Add Remote');
      assert.match(await dialogText(page), /Stage all 1 change and commit them\?/);
      // The scan reads what would be committed before asking for a message.
      await clickDialogButton(page, 'Stage All and Commit');
      const question = await dialogText(page);
      assert.match(
        question,
        /app\/config\.js:3 looks like an AWS access key\. The pipeline's Build will reject this commit\./,
      );
      assert.ok(!question.includes(SECRET_FRAGMENT), 'the dialog shows the key');
      await screenshot(page, 'push-0-secret-caught');
      await clickDialogButton(page, 'Cancel');
      assert.equal(git('rev-parse', 'HEAD'), head, 'Cancel made a commit');
      assert.equal(await remoteHead({ endpoint: sandbox.endpoint, credentials }), undefined, 'Cancel pushed something');
    }),
  );

  it(
    'Push Anyway: the Build fails and within 3 s the Problems panel has every finding on its line',
    evidence('findings', async () => {
      const page = fx.page;
      // Two more findings in the same push: a Dockerfile error (relative WORKDIR, hadolint DL3000, above
      // the template's "error" threshold) and a dependency with a critical advisory.
      write({
        Dockerfile: APP_FILES.Dockerfile.replace('WORKDIR /app', 'WORKDIR app'),
        'app/package-lock.json': lock('4.17.11'),
      });
      git('add', '-A');
      await clearNotifications(page);
      await runCommand(page, 'AWS: Commit and Push to CodeCommit');
      assert.match(await dialogText(page), /app\/config\.js:3 looks like an AWS access key/);
      await clickDialogButton(page, 'Push Anyway');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor();
      await input.fill('Configure the AWS client');
      await input.press('Enter');
      await notification(page, 'Pushed ', 60_000);
      const pushed = git('rev-parse', 'HEAD');
      assert.equal(await remoteHead({ endpoint: sandbox.endpoint, credentials }), pushed);

      await statusBarBecomes(page, /Failed at Build/, 240_000);
      const failedAt = Date.now();
      await page.keyboard.press('Control+Shift+M');
      let seen: string[] = [];
      await waitFor(
        async () => {
          seen = await markerTexts(page);
          return seen.length >= 3 ? true : undefined;
        },
        3_000,
        () => `Problems panel ${Date.now() - failedAt} ms after the failure: ${JSON.stringify(seen)}`,
        100,
      );
      const find = (pattern: RegExp) =>
        seen.find((t) => pattern.test(t)) ?? assert.fail(`${pattern} in ${seen.join(' | ')}`);
      assert.match(find(/aws-access-token/), /\[Ln 3, Col \d+\]/);
      assert.match(find(/DL3000/), /\[Ln 2, Col \d+\]/);
      assert.match(find(/CVE-2019-10744/), /lodash/);
      for (const text of seen) {
        assert.ok(!text.includes(SECRET_FRAGMENT), `the Problems panel shows the key: ${text}`);
      }
      await screenshot(page, 'workshop-1-findings');

      // The failure notification names the first finding and the others' place.
      const toast = await notification(page, 'Build failed: AWS access key in', 30_000);
      assert.match(
        await toast.innerText(),
        /app\/config\.js:3.{0,2} \(gitleaks aws-access-token\) — 2 more in Problems/,
      );
    }),
  );

  it(
    'fixing the lines clears the findings when the run passes, and the first image offers to start the tasks',
    evidence('fixed', async () => {
      const page = fx.page;
      await clearNotifications(page);
      write({
        'app/config.js': CLEAN_CONFIG,
        Dockerfile: APP_FILES.Dockerfile,
        'app/package-lock.json': lock('4.17.21'),
      });
      await commitAndPush(page, 'Read the key from the environment');
      await notification(page, 'Pushed ', 60_000);
      await statusBarBecomes(page, /Succeeded/, 240_000);
      let left: string[] = [];
      await waitFor(
        async () => {
          left = await markerTexts(page);
          return left.length === 0 ? true : undefined;
        },
        10_000,
        () => `findings left after the passing run: ${JSON.stringify(left)}`,
        100,
      );

      const offer = await notification(page, 'runs no task yet', 60_000);
      assert.match(await offer.innerText(), /start the 2 tasks it should run\?/);
      await offer.getByRole('button', { name: 'Start 2 Tasks' }).click();
      await viewPane(page, 'Service Health')
        .getByText('Healthy · 2/2 running, 2/2 targets healthy')
        .first()
        .waitFor({ timeout: 120_000 });
    }),
  );

  it(
    'Open in Browser shows the app, served from the pushed commit',
    evidence('open-in-browser', async () => {
      const page = fx.page;
      const commit = git('rev-parse', 'HEAD');
      const health = viewPane(page, 'Service Health');
      const row = health.locator('.monaco-list-row', { hasText: 'Open in Browser' }).first();
      await row.waitFor({ timeout: 30_000 });
      await screenshot(page, 'workshop-2-serving');
      const tab = await externalTab(page, () => row.click());
      await tab.waitForLoadState('domcontentloaded');
      // The load balancer's own name, on the sandbox endpoint's port (it resolves to loopback).
      assert.match(tab.url(), new RegExp(`^http://[a-z0-9-]+\\.us-east-1\\.elb\\.localhost:${sandbox.port}/$`));
      const response: Response | null = await tab.reload();
      assert.ok(response, `no response from ${tab.url()}`);
      assert.equal(response.status(), 200, `${tab.url()} answered ${response.status()}`);
      // The sandbox's load balancer answers for the task that served (it runs no container).
      assert.match(await response.text(), new RegExp(`^Served by task \\S+ running \\S+:${commit}`));
      assert.equal(response.headers()[IMAGE_TAG_HEADER], commit);
      await tab.close();
    }),
  );

  it(
    'a second push rolls the service to the new commit without one failed request',
    evidence('rollout', async () => {
      const page = fx.page;
      const elb = new ElasticLoadBalancingV2Client({ endpoint: sandbox.endpoint, region: 'us-east-1', credentials });
      const dns = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers?.[0]?.DNSName ?? '';
      elb.destroy();
      // Where Open in Browser goes, requested as the browser does (the name resolves to loopback).
      const url = browserUrl(`http://${dns}/`, sandbox.endpoint);
      const agent = browserLikeAgent();
      const first = git('rev-parse', 'HEAD');
      const failures: string[] = [];
      const tags = new Set<string>();
      let polling = true;
      // Polls the app as a user's browser would, through the whole rollout.
      const poller = (async () => {
        while (polling) {
          try {
            const res = await fetch(url, { dispatcher: agent });
            const tag = res.headers.get(IMAGE_TAG_HEADER) ?? '';
            await res.text();
            if (res.status !== 200) {
              failures.push(`${res.status} during the rollout`);
            }
            tags.add(tag);
          } catch (error) {
            failures.push(String(error));
          }
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      })();
      try {
        await clearNotifications(page);
        write({
          'app/server.js': APP_FILES['app/server.js'].replace("'hello'", "'hello, workshop'"),
        });
        await commitAndPush(page, 'Greet the workshop');
        await notification(page, 'Pushed ', 60_000);
        const second = git('rev-parse', 'HEAD');
        await statusBarBecomes(page, /Succeeded/, 240_000);
        await waitFor(
          async () => {
            const res = await fetch(url, { dispatcher: agent });
            await res.text();
            return res.headers.get(IMAGE_TAG_HEADER) === second ? true : undefined;
          },
          120_000,
          () => `the load balancer never served ${second.slice(0, 7)}; seen ${[...tags].join(', ')}`,
          100,
        );
        polling = false;
        await poller;
        assert.deepEqual(failures, []);
        assert.ok(tags.has(first) && tags.has(second), `served ${[...tags].join(', ')}`);
        await viewPane(page, 'Service Health')
          .getByText('Healthy · 2/2 running, 2/2 targets healthy')
          .first()
          .waitFor({ timeout: 60_000 });
        await screenshot(page, 'workshop-3-rolled-out');
      } finally {
        polling = false;
        await poller;
        await agent.close();
      }
    }),
  );

  it(
    'a second deploy with nothing changed says the pipeline is up to date and keeps the tasks running',
    evidence('up-to-date', async () => {
      const page = fx.page;
      await runCommand(page, 'AWS: Deploy Workshop Pipeline');
      const target = await dialogText(page);
      assert.match(target, /Stack WorkshopPipeline exists and will be updated through a change set you can review\./);
      await clickDialogButton(page, 'Deploy');
      await notification(page, 'Workshop Pipeline is up to date', 60_000);
      await viewPane(page, 'Service Health')
        .getByText('Healthy · 2/2 running, 2/2 targets healthy')
        .first()
        .waitFor({ timeout: 30_000 });
    }),
  );

  it(
    'gives every row of both views a screen-reader label that says its state in words',
    evidence('a11y', async () => {
      const page = fx.page;
      const labels: string[] = [];
      for (const title of ['Pipeline', 'Service Health']) {
        const rows = viewPane(page, title).locator('.monaco-list-row');
        for (const row of await rows.all()) {
          labels.push(`${title}: ${(await row.getAttribute('aria-label')) ?? '(none)'}`);
        }
      }
      // The dump a reviewer reads, kept with the screenshots.
      writeFileSync(join(SCREENSHOTS, 'workshop-a11y-labels.txt'), `${labels.join('\n')}\n`);
      for (const stage of ['Source', 'Build', 'PostBuild', 'Deploy']) {
        assert.ok(
          labels.some((l) => new RegExp(`^Pipeline: ${stage} stage, Succeeded, \\d+ (second|minute)s?`).test(l)),
          `no spoken state for the ${stage} stage in:\n${labels.join('\n')}`,
        );
      }
      assert.ok(
        labels.some((l) =>
          /^Service Health: ModernService ECS service, Healthy, 2\/2 running, 2\/2 targets healthy/.test(l),
        ),
        labels.join('\n'),
      );
      for (const label of labels) {
        assert.doesNotMatch(label, /\$\(|\(none\)$/, 'a codicon or no label is read out');
      }
    }),
  );

  it(
    'the walkthrough has every step done: credentials, deploy, commit and push, watch it run',
    evidence('walkthrough', async () => {
      const page = fx.page;
      await runCommand(page, 'Welcome: Open Walkthrough...');
      await pick(page, 'Get Started with Workshop Pipeline');
      const steps = page.locator('.getting-started-step');
      await steps.first().waitFor({ timeout: 30_000 });
      for (const title of ['Choose your AWS credentials', 'Deploy the pipeline', 'Commit and push', 'Watch it run']) {
        const step = steps.filter({ hasText: title }).first();
        await step.waitFor({ timeout: 10_000 });
        // What a screen reader hears, and the check mark: "<title>: Completed".
        await step.locator('[role="checkbox"][aria-checked="true"]').first().waitFor({ timeout: 10_000 });
      }
      await screenshot(page, 'workshop-4-walkthrough');
    }),
  );

  it(
    'did all of it as the user holding the full policy, with no AWS call denied',
    evidence('as-policy-user', () => {
      const mine = sandbox.authorizations.filter((a) => a.principalArn.endsWith(':user/workshop-user'));
      // Deploy, push, follow, findings, start, open and redeploy: hundreds of calls, none refused.
      assert.ok(mine.length > 100, `only ${mine.length} calls were made as workshop-user`);
      const denied = mine.filter((a) => a.verdict !== 'allowed').map((a) => `${a.action} on ${a.resource}`);
      assert.deepEqual(denied, []);
      return Promise.resolve();
    }),
  );
});
