// Each report format the pipeline's build writes, as CodeBuild's DescribeTestCases returns its cases
// (classname → prefix, the failure's message → message, the suite's name → testSuiteName), mapped to
// findings: the file and line, the rule and its documentation, the severity, and no secret.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { failureHeadline } from '../../../src/findings/findingText';
import { findingOf, packageCandidates, vulnerabilityUrl } from '../../../src/findings/reportFindings';

describe('report test cases as findings', () => {
  it('reads gitleaks JUnit: rule, file and line from the case name, never the secret', () => {
    const f = findingOf({
      prefix:
        'Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms.',
      name: 'aws-access-token has detected a secret in file src/leak.js, line 2.',
      status: 'FAILED',
      message: 'aws-access-token has detected a secret in file src/leak.js, line 2.',
      testSuiteName: 'gitleaks',
    });
    assert.ok(f);
    assert.equal(f.tool, 'gitleaks');
    assert.equal(f.ruleId, 'aws-access-token');
    assert.equal(f.severity, 'error');
    assert.deepEqual(f.anchor, { kind: 'line', path: 'src/leak.js', line: 2 });
    assert.match(
      f.docsUrl ?? '',
      /^https:\/\/github\.com\/gitleaks\/gitleaks\/blob\/v8\.21\.2\/config\/gitleaks\.toml$/,
    );
    assert.doesNotMatch(f.message, /AKIA/);
  });

  it('reads a gitleaks case with a commit (gitleaks git mode) and a ./ path', () => {
    const f = findingOf({
      name: 'private-key has detected a secret in file ./keys/id_rsa, line 1, at commit 0123abc.',
      status: 'FAILED',
    });
    assert.deepEqual(f?.anchor, { kind: 'line', path: 'keys/id_rsa', line: 1 });
    assert.equal(f?.title, 'Private key');
  });

  it('reads the template’s hadolint JUnit: rule from the classname, file:line from the name, level from the message', () => {
    const f = findingOf({
      prefix: 'DL3007',
      name: 'Dockerfile:3',
      status: 'FAILED',
      message: 'warning: Using latest is prone to errors if the image will ever update.',
      testSuiteName: 'dockerfile-lint',
    });
    assert.ok(f);
    assert.equal(f.tool, 'hadolint');
    assert.equal(f.ruleId, 'DL3007');
    assert.equal(f.severity, 'warning');
    assert.equal(f.docsUrl, 'https://github.com/hadolint/hadolint/wiki/DL3007');
    assert.deepEqual(f.anchor, { kind: 'line', path: 'Dockerfile', line: 3 });
    assert.match(f.message, /^Using latest is prone to errors/);
    const shellcheck = findingOf({
      prefix: 'SC2086',
      name: 'docker/app.Dockerfile:9',
      status: 'FAILED',
      message: 'info: Double quote',
    });
    assert.equal(shellcheck?.docsUrl, 'https://www.shellcheck.net/wiki/SC2086');
    assert.equal(shellcheck?.severity, 'info');
    assert.deepEqual(shellcheck?.anchor, { kind: 'line', path: 'docker/app.Dockerfile', line: 9 });
  });

  it('skips passing and skipped cases (hadolint findings below the threshold)', () => {
    assert.equal(
      findingOf({ prefix: 'DL3008', name: 'Dockerfile:4', status: 'SKIPPED', message: 'info: Pin versions' }),
      undefined,
    );
    assert.equal(findingOf({ prefix: 'hadolint', name: 'Dockerfile', status: 'SUCCEEDED' }), undefined);
  });

  it('reads trivy’s contrib/junit.tpl: package from the classname, severity and id from the name, the target', () => {
    const f = findingOf({
      prefix: 'lodash-4.17.11',
      name: '[CRITICAL] CVE-2019-10744',
      status: 'FAILED',
      message: 'nodejs-lodash: prototype pollution in defaultsDeep function leading to modifying properties',
      testSuiteName: 'package-lock.json',
    });
    assert.ok(f);
    assert.equal(f.tool, 'trivy');
    assert.equal(f.ruleId, 'CVE-2019-10744');
    assert.equal(f.severity, 'error');
    assert.equal(f.docsUrl, 'https://avd.aquasec.com/nvd/cve-2019-10744');
    assert.deepEqual(f.anchor, {
      kind: 'package',
      candidates: [{ name: 'lodash', version: '4.17.11' }],
      target: 'package-lock.json',
    });
    assert.equal(
      findingOf({ prefix: 'x-1', name: '[MEDIUM] GHSA-abcd-efgh-ijkl', status: 'FAILED' })?.severity,
      'warning',
    );
  });

  it('splits hyphenated package names where a version follows', () => {
    assert.deepEqual(packageCandidates('node-fetch-2.6.0'), [{ name: 'node-fetch', version: '2.6.0' }]);
    // Every split where a version could start, the likeliest (the first) first.
    assert.deepEqual(packageCandidates('libssl3-3.0.11-1~deb12u2'), [
      { name: 'libssl3', version: '3.0.11-1~deb12u2' },
      { name: 'libssl3-3.0.11', version: '1~deb12u2' },
    ]);
    assert.equal(vulnerabilityUrl('GHSA-p6mc-m468-83gw'), 'https://github.com/advisories/GHSA-p6mc-m468-83gw');
    assert.equal(vulnerabilityUrl('TEMP-0841856-B18BAF'), undefined);
  });

  it('puts a failed smoke test on the Dockerfile', () => {
    const f = findingOf({ prefix: 'smoke-test', name: 'health-check', status: 'FAILED', message: 'no answer on :80' });
    assert.deepEqual(f?.anchor, { kind: 'dockerfile' });
  });

  it('names the first finding in the failure headline, and how many more', () => {
    const first = findingOf({
      name: 'aws-access-token has detected a secret in file leak.js, line 2.',
      status: 'FAILED',
    })!;
    const other = findingOf({ prefix: 'DL3007', name: 'Dockerfile:1', status: 'FAILED', message: 'warning: latest' })!;
    assert.equal(
      failureHeadline('Build', [first, other, other]),
      'Build failed: AWS access key in `leak.js:2` (gitleaks aws-access-token) — 2 more in Problems',
    );
    assert.equal(
      failureHeadline('Build', [first]),
      'Build failed: AWS access key in `leak.js:2` (gitleaks aws-access-token)',
    );
    assert.equal(failureHeadline('Build', []), undefined);
  });
});
