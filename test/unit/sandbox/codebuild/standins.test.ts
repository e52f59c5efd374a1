// The stand-in tools' findings and output formats (gitleaks, hadolint, trivy), and docker build's COPY.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  formatJunitReport,
  formatVerbose,
  loadConfig,
  redact,
  scanText,
} from '../../../sandbox/codebuild/standins/gitleaks';
import { failsThreshold, formatJson, lintDockerfile } from '../../../sandbox/codebuild/standins/hadolint';
import { main as docker } from '../../../sandbox/codebuild/standins/docker';
import { renderJunit, satisfies } from '../../../sandbox/codebuild/standins/trivy';

const KEY = ['AKIA', 'Q3MZ7KPL', 'XWRT2VNB'].join('');

test("gitleaks: a key id alone is an aws-access-token finding; AWS's EXAMPLE key is allowlisted", () => {
  const [finding] = scanText('app/config.js', `a\nb\nconst id = '${KEY}';\n`, loadConfig(undefined));
  assert.equal(finding.RuleID, 'aws-access-token');
  assert.equal(finding.StartLine, 3);
  assert.equal(finding.Fingerprint, `app/config.js:aws-access-token:3`);
  const example = ['AKIA', 'IOSFODNN7', 'EXAMPLE'].join('');
  assert.deepEqual(scanText('x.js', `const id = '${example}';\n`, loadConfig(undefined)), []);
  const shown = formatVerbose(redact(finding));
  assert.ok(!shown.includes(KEY));
  assert.match(shown, /^RuleID: {6}aws-access-token\nEntropy: {5}\d\.\d{6}\nFile: {8}app\/config\.js\nLine: {8}3\n/m);
  const xml = formatJunitReport([redact(finding)]);
  assert.match(xml, /<testsuite failures="1" name="gitleaks" tests="1" time="">/);
  assert.match(xml, /name="aws-access-token has detected a secret in file app\/config\.js, line 3\."/);
  assert.ok(!xml.includes(KEY));
});

test('hadolint: DL3007 is a warning, failing only at threshold warning or below; JSON as hadolint writes it', () => {
  const findings = lintDockerfile('FROM node:latest\nUSER root\n', 'Dockerfile', { ignored: [], override: {} });
  assert.deepEqual(
    findings.map((f) => [f.code, f.level, f.line]),
    [
      ['DL3007', 'warning', 1],
      ['DL3002', 'warning', 2],
    ],
  );
  assert.equal(failsThreshold(findings, 'error'), false);
  assert.equal(failsThreshold(findings, 'warning'), true);
  assert.match(
    formatJson(findings),
    /^\[\{"code":"DL3007","column":1,"file":"Dockerfile","level":"warning","line":1,"message":"Using latest/,
  );
  const ignored = lintDockerfile('# hadolint ignore=DL3006\nFROM node\n', 'Dockerfile', { ignored: [], override: {} });
  assert.deepEqual(ignored, []);
  assert.deepEqual(
    lintDockerfile('FROM debian:12\nRUN apt-get update && apt-get install -y curl\n', 'Dockerfile', {
      ignored: [],
      override: {},
    }).map((f) => f.code),
    ['DL3008'],
  );
});

test('trivy: advisory ranges and the junit.tpl output', () => {
  assert.equal(satisfies('4.17.11', '<4.17.12'), true);
  assert.equal(satisfies('1.2.5', '<0.2.4 || >=1.0.0 <1.2.6'), true);
  assert.equal(satisfies('1.2.6', '<0.2.4 || >=1.0.0 <1.2.6'), false);
  const xml = renderJunit([
    {
      Target: 'package-lock.json',
      Class: 'lang-pkgs',
      Type: 'npm',
      Vulnerabilities: [
        {
          VulnerabilityID: 'CVE-2019-10744',
          PkgName: 'lodash',
          InstalledVersion: '4.17.11',
          FixedVersion: '4.17.12',
          Severity: 'CRITICAL',
          Title: 'a "title"',
          Description: 'd',
        },
      ],
    },
  ]);
  assert.match(xml, /<testcase classname="lodash-4\.17\.11" name="\[CRITICAL\] CVE-2019-10744" time="">/);
  assert.match(xml, /<failure message="a &#34;title&#34;" type="description">d<\/failure>/);
});

test('hadolint: DL3002 per stage, DL3008 counts `pkg=version`, `pkg/release` and .deb files as pinned', () => {
  const none = { ignored: [], override: {} };
  assert.deepEqual(
    lintDockerfile('FROM node:20 AS build\nUSER root\nFROM node:20\nUSER node\n', 'Dockerfile', none).map((f) => [
      f.code,
      f.line,
    ]),
    [['DL3002', 2]],
  );
  assert.deepEqual(
    lintDockerfile(
      'FROM debian:12\nRUN apt-get install -y -t bookworm-backports curl=7.88 git/bookworm ./x.deb\n',
      'Dockerfile',
      none,
    ),
    [],
  );
});

test('docker build: COPY into `.` or an existing WORKDIR keeps the file name, as BuildKit does', async () => {
  const home = mkdtempSync(join(tmpdir(), 'docker-standin-'));
  const saved = process.env.HOME;
  process.env.HOME = home;
  try {
    const context = join(home, 'app');
    mkdirSync(context);
    writeFileSync(join(context, 'server.js'), 'ok\n');
    writeFileSync(
      join(context, 'Dockerfile'),
      'FROM node:20-alpine\nCOPY server.js .\nWORKDIR /srv\nCOPY server.js .\n',
    );
    const errors: string[] = [];
    const ignore = (): void => undefined;
    const run = (argv: string[]) =>
      docker(
        argv,
        ignore,
        (t) => errors.push(t),
        () => Promise.resolve(''),
        [],
      );
    assert.equal(
      await run(['build', '--file', join(context, 'Dockerfile'), '--tag', 'app:1', context]),
      0,
      errors.join(''),
    );
    const archive = join(home, 'app.tar');
    assert.equal(await run(['save', '--output', archive, 'app:1']), 0, errors.join(''));
    const [{ Layers }] = JSON.parse(
      execFileSync('tar', ['-xOf', archive, './manifest.json'], { encoding: 'utf8' }),
    ) as {
      Layers: string[];
    }[];
    const layer = execFileSync('tar', ['-xOf', archive, `./${Layers[0]}`]);
    const files = execFileSync('tar', ['-t'], { input: layer, encoding: 'utf8' }).split('\n');
    assert.ok(
      files.some((f) => /^(\.\/)?server\.js$/.test(f)),
      files.join(' '),
    );
    assert.ok(
      files.some((f) => /^(\.\/)?srv\/server\.js$/.test(f)),
      files.join(' '),
    );
  } finally {
    process.env.HOME = saved;
    rmSync(home, { recursive: true, force: true });
  }
});
