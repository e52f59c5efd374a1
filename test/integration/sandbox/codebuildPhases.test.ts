// The sandbox's CodeBuild runner on real bash, without a pipeline: CodeBuild's phase transitions
// (a failed PRE_BUILD ends the build, a failed BUILD still runs POST_BUILD, `on-failure` ABORT and
// CONTINUE, `finally`), reports uploaded only when the build reaches UPLOAD_ARTIFACTS, unresolvable
// parameter-store references, nothing a build started outliving it, and a build without namespaces.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { reportState } from '../../sandbox/codebuild/reports';
import { createBuild, runBuild } from '../../sandbox/codebuild/runner';
import { openBuildShell } from '../../sandbox/codebuild/shell';
import type { Project } from '../../sandbox/codebuild/store';
import { stopBackground } from '../../sandbox/core/background';
import { createClock } from '../../sandbox/core/clock';
import type { Sandbox } from '../../sandbox/core/types';
import { findLogGroup } from '../../sandbox/logs/store';
import { createSecretRecord } from '../../sandbox/secretsmanager/store';
import { putVersion } from '../../sandbox/ssm/store';
import { waitFor } from '../../support/waitFor';

const root = mkdtempSync(join(tmpdir(), 'cb-phases-'));
const sandbox: Sandbox = {
  clock: createClock(1_000),
  state: {},
  changed: () => undefined,
  bus: new EventEmitter(),
  scenarios: {},
  dataDir: join(root, 'data'),
};

after(async () => {
  await stopBackground(sandbox);
  rmSync(root, { recursive: true, force: true });
});

function project(name: string, buildspec: string): Project {
  return {
    name,
    accountId: '000000000000',
    region: 'us-east-1',
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      computeType: 'BUILD_GENERAL1_SMALL',
      privilegedMode: false,
      imagePullCredentialsType: 'CODEBUILD',
      environmentVariables: [],
    },
    source: { type: 'CODEPIPELINE', buildspec },
    artifacts: { type: 'CODEPIPELINE' },
    timeoutInMinutes: 60,
    queuedTimeoutInMinutes: 480,
    created: 0,
    lastModified: 0,
  };
}

/** Runs the buildspec on a source of one file; returns the outcome, the phases and the log. */
async function build(name: string, buildspec: string) {
  const source = mkdtempSync(join(root, 'src-'));
  writeFileSync(join(source, 'README.md'), 'hello\n');
  const request = {
    project: project(name, buildspec),
    source: { repositoryName: 'app', commitId: 'c0ffee', artifactDir: source },
    environmentOverrides: [],
    initiator: 'test',
  };
  const b = createBuild(sandbox, request);
  const outcome = await runBuild(sandbox, b, request, new AbortController().signal);
  const group = findLogGroup(sandbox, '000000000000', 'us-east-1', b.logGroupName);
  const log = (group?.streams[b.logStreamName]?.events ?? []).map((e) => e.message).join('');
  const phases = Object.fromEntries(
    b.phases.filter((p) => p.phaseStatus).map((p) => [p.phaseType, p.phaseStatus ?? '']),
  );
  const reports = Object.values(reportState(sandbox).reports).filter((r) => r.executionId === b.arn);
  return { outcome, phases, log, reports, status: b.buildStatus };
}

const REPORT = ['reports:', '  Tests:', '    files: [out.xml]', 'artifacts:', '  files: [out.xml]'].join('\n');
const WRITE_REPORT = `echo '<testsuite name="t"><testcase classname="c" name="n"><failure message="m"/></testcase></testsuite>' > out.xml`;

test('a failed PRE_BUILD ends the build: no BUILD, POST_BUILD or UPLOAD_ARTIFACTS, so no report', async () => {
  const r = await build(
    'pre-fails',
    [
      'version: 0.2',
      'phases:',
      '  pre_build:',
      '    commands:',
      `      - ${JSON.stringify(WRITE_REPORT)}`,
      '      - exit 3',
      '      - echo never',
      '    finally:',
      '      - echo cleaning up',
      '  build:',
      '    commands: [echo building]',
      '  post_build:',
      '    commands: [echo post]',
      REPORT,
    ].join('\n'),
  );
  assert.equal(r.status, 'FAILED');
  assert.equal(r.outcome.message, 'Error while executing command: exit 3. Reason: exit status 3');
  assert.equal(r.phases.PRE_BUILD, 'FAILED');
  assert.equal(r.phases.BUILD, undefined);
  assert.equal(r.phases.POST_BUILD, undefined);
  assert.equal(r.phases.UPLOAD_ARTIFACTS, undefined);
  assert.equal(r.phases.FINALIZING, 'SUCCEEDED');
  assert.match(r.log, /^cleaning up$/m, 'finally runs after the failed command');
  assert.doesNotMatch(r.log, /^never$|^building$|^post$/m);
  assert.deepEqual(r.reports, []);
});

test('pre_build on-failure CONTINUE: BUILD runs with CODEBUILD_BUILD_SUCCEEDING=0 and the report is uploaded', async () => {
  const r = await build(
    'pre-continues',
    [
      'version: 0.2',
      'phases:',
      '  pre_build:',
      '    on-failure: CONTINUE',
      `    commands: [${JSON.stringify(WRITE_REPORT)}, "false"]`,
      '  build:',
      '    commands: [\'echo "succeeding=$CODEBUILD_BUILD_SUCCEEDING"\']',
      REPORT,
    ].join('\n'),
  );
  assert.equal(r.status, 'FAILED');
  assert.equal(r.phases.PRE_BUILD, 'FAILED');
  assert.equal(r.phases.BUILD, 'SUCCEEDED');
  assert.equal(r.phases.UPLOAD_ARTIFACTS, 'SUCCEEDED');
  assert.match(r.log, /^succeeding=0$/m);
  assert.equal(r.reports.length, 1);
  assert.equal(r.reports[0].status, 'FAILED');
  assert.deepEqual(
    r.reports[0].testCases.map((c) => [c.prefix, c.name, c.status, c.message]),
    [['c', 'n', 'FAILED', 'm']],
  );
});

test('a failed BUILD still runs POST_BUILD and UPLOAD_ARTIFACTS; on-failure ABORT does not', async () => {
  const spec = (onFailure: string) =>
    [
      'version: 0.2',
      'phases:',
      '  build:',
      ...(onFailure ? [`    on-failure: ${onFailure}`] : []),
      `    commands: [${JSON.stringify(WRITE_REPORT)}, "exit 1"]`,
      '  post_build:',
      '    commands: [\'echo "post succeeding=$CODEBUILD_BUILD_SUCCEEDING"\']',
      REPORT,
    ].join('\n');
  const plain = await build('build-fails', spec(''));
  assert.equal(plain.phases.BUILD, 'FAILED');
  assert.equal(plain.phases.POST_BUILD, 'SUCCEEDED');
  assert.equal(plain.phases.UPLOAD_ARTIFACTS, 'SUCCEEDED');
  assert.match(plain.log, /^post succeeding=0$/m);
  assert.equal(plain.reports.length, 1);

  const aborted = await build('build-aborts', spec('ABORT'));
  assert.equal(aborted.status, 'FAILED');
  assert.equal(aborted.phases.BUILD, 'FAILED');
  assert.equal(aborted.phases.POST_BUILD, undefined);
  assert.equal(aborted.phases.UPLOAD_ARTIFACTS, undefined);
  assert.deepEqual(aborted.reports, []);
});

test('a parameter-store reference that cannot be resolved fails DOWNLOAD_SOURCE as CodeBuild does', async () => {
  const r = await build(
    'ssm',
    [
      'version: 0.2',
      'env:',
      '  parameter-store:',
      '    TOKEN: /app/token',
      'phases:',
      '  build:',
      '    commands: [echo hi]',
    ].join('\n'),
  );
  assert.equal(r.status, 'FAILED');
  assert.equal(r.phases.DOWNLOAD_SOURCE, 'FAILED');
  assert.match(
    r.log,
    /Phase context status code: Decrypted Variables Error Message: parameter does not exist: \/app\/token$/m,
  );
  assert.equal(r.phases.INSTALL, undefined);
});

test("parameter-store and secrets-manager variables are read from the sandbox's Parameter Store and Secrets Manager", async () => {
  putVersion(sandbox, '000000000000', 'us-east-1', {
    name: '/app/greeting',
    type: 'String',
    value: 'hello-from-ssm',
    version: 1,
    lastModified: Date.now(),
    lastModifiedUser: 'arn:aws:iam::000000000000:root',
    dataType: 'text',
    tier: 'Standard',
    tags: [],
  });
  createSecretRecord(sandbox, '000000000000', 'us-east-1', {
    name: 'app/db',
    secretString: JSON.stringify({ user: 'admin', password: 'hunter2' }),
  });
  const r = await build(
    'secrets',
    [
      'version: 0.2',
      'env:',
      '  parameter-store:',
      '    GREETING: /app/greeting',
      '  secrets-manager:',
      '    DB_USER: app/db:user',
      '    DB_JSON: app/db',
      'phases:',
      '  build:',
      '    commands: [\'echo "$GREETING $DB_USER ${#DB_JSON}"\']',
    ].join('\n'),
  );
  assert.equal(r.status, 'SUCCEEDED', r.log);
  assert.match(r.log, /^hello-from-ssm admin 37$/m);
});

test('nothing a build started outlives it, not even a process that left its process group', async () => {
  const marker = String(86_000 + Math.floor(Math.random() * 400));
  const r = await build(
    'detached',
    [
      'version: 0.2',
      'phases:',
      '  build:',
      `    commands: ["setsid sleep ${marker} > /dev/null 2>&1 < /dev/null &", "sleep ${marker} > /dev/null 2>&1 &", "echo started"]`,
    ].join('\n'),
  );
  assert.equal(r.status, 'SUCCEEDED', r.log);
  const alive = (): string[] =>
    readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .filter((pid) => {
        try {
          return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim() === `sleep ${marker}`;
        } catch {
          return false;
        }
      });
  // The kernel tears the build's processes down as the build ends; give it a moment, not forever.
  await waitFor(
    () => (alive().length === 0 ? true : undefined),
    5_000,
    () => `no \`sleep\` the build started is still running: ${alive().join(', ')}`,
  );
});

test('without user namespaces a build still runs, and its shell says why it is not isolated', async () => {
  // An `unshare` that fails as it does where unprivileged user namespaces are forbidden.
  const fakeBin = join(root, 'no-userns');
  mkdirSync(fakeBin, { recursive: true });
  writeFileSync(
    join(fakeBin, 'unshare'),
    '#!/bin/sh\necho "unshare: unshare failed: Operation not permitted" >&2\nexit 1\n',
  );
  chmodSync(join(fakeBin, 'unshare'), 0o755);
  const state = mkdtempSync(join(root, 'state-'));
  const path = process.env.PATH;
  process.env.PATH = `${fakeBin}:${path ?? ''}`;
  try {
    const shell = await openBuildShell({
      shell: 'sh',
      env: { PATH: path ?? '/usr/bin:/bin' },
      cwd: state,
      stateDir: state,
    });
    assert.equal(shell.isolationProblem, 'unshare: unshare failed: Operation not permitted');
    const lines: string[] = [];
    assert.equal(await shell.run('echo "runs anyway"', (l) => lines.push(l)), 0);
    assert.deepEqual(lines, ['runs anyway']);
    shell.kill();
  } finally {
    process.env.PATH = path;
  }
});
