import * as l10n from '@vscode/l10n';
// CodeBuild test cases (DescribeTestCases) as findings. CodeBuild keeps of a JUnit <testcase> only its
// classname (`prefix`), `name`, status, the failure's `message` and the suite's name, so where a
// finding is comes from the text each tool puts there:
//   gitleaks (--report-format junit): name "aws-access-token has detected a secret in file leak.js, line 2."
//   hadolint (the template's jq → JUnit): prefix "DL3007", name "Dockerfile:3", message "warning: Using latest…"
//   trivy (contrib/junit.tpl): prefix "lodash-4.17.11", name "[CRITICAL] CVE-2019-10744", suite = the target
//   smoke test (the template's own case): prefix "smoke-test"
// Messages are composed here from the rule, never copied from the report, so no secret can reach them.

export type FindingSeverity = 'error' | 'warning' | 'info';

/** Where a finding points before it is placed in the workspace (see placement.ts). */
export type FindingAnchor =
  /** A repository-relative file and 1-based line, as of the built commit. */
  | { readonly kind: 'line'; readonly path: string; readonly line: number }
  /** A vulnerable package: the lock file that declares it, else the Dockerfile's FROM line. */
  | {
      readonly kind: 'package';
      /** Name/version splits of trivy's `<name>-<version>` classname, most likely first. */
      readonly candidates: readonly { readonly name: string; readonly version: string }[];
      /** trivy's target: a lock file path (fs), or an image's "Node.js" / "image (debian 12.5)". */
      readonly target: string;
    }
  /** Something about the image as a whole (the smoke test): the Dockerfile. */
  | { readonly kind: 'dockerfile' }
  | { readonly kind: 'none' };

export interface Finding {
  /** The tool that reported it: gitleaks, hadolint, trivy, smoke-test, or the report's own prefix. */
  readonly tool: string;
  /** The tool's rule: aws-access-token, DL3007, CVE-2019-10744. */
  readonly ruleId: string;
  /** What was found, for titles: "AWS access key", "Vulnerable package lodash 4.17.11". */
  readonly title: string;
  /** The diagnostic's message (never the secret). */
  readonly message: string;
  readonly severity: FindingSeverity;
  /** The rule's documentation. */
  readonly docsUrl?: string;
  readonly anchor: FindingAnchor;
}

/** The fields of CodeBuild's TestCase this module reads. */
export interface TestCaseInput {
  readonly prefix?: string;
  readonly name?: string;
  readonly status?: string;
  readonly message?: string;
  readonly testSuiteName?: string;
}

/** Test cases that are findings: FAILED and ERROR (SKIPPED are findings below the failure threshold). */
export function isFailedCase(tc: TestCaseInput): boolean {
  return tc.status === 'FAILED' || tc.status === 'ERROR';
}

const GITLEAKS_NAME = /^(\S+) has detected a secret in file (.+), line (\d+)(?:, at commit ([0-9a-f]+))?\.$/;
const HADOLINT_CODE = /^(?:DL|SC)\d{4}$/;
const TRIVY_NAME = /^\[(CRITICAL|HIGH|MEDIUM|LOW|UNKNOWN)\] (\S+)$/;

/** gitleaks rules users meet, by what they found; other rules read "Secret". */
const GITLEAKS_TITLES: Record<string, string> = {
  'aws-access-token': 'AWS access key',
  'private-key': 'Private key',
  'generic-api-key': 'API key or secret',
  'github-pat': 'GitHub token',
  'github-fine-grained-pat': 'GitHub token',
  'gcp-api-key': 'GCP API key',
  'slack-bot-token': 'Slack token',
  'npm-access-token': 'npm token',
};

export const GITLEAKS_VERSION = '8.21.2';

/** A finding of one failed test case; undefined for passing, skipped or unknown cases. */
export function findingOf(tc: TestCaseInput): Finding | undefined {
  if (!isFailedCase(tc)) {
    return undefined;
  }
  const name = tc.name ?? '';
  const prefix = tc.prefix ?? '';
  const gitleaks = GITLEAKS_NAME.exec(name);
  if (gitleaks) {
    const [, ruleId, file, line] = gitleaks;
    const title = GITLEAKS_TITLES[ruleId] ?? 'Secret';
    return {
      tool: 'gitleaks',
      ruleId,
      title,
      message: l10n.t(
        '{0} committed to the repository (gitleaks {1}). Revoke it and remove it from the code; the value is not shown here.',
        title,
        ruleId,
      ),
      severity: 'error',
      docsUrl: `https://github.com/gitleaks/gitleaks/blob/v${GITLEAKS_VERSION}/config/gitleaks.toml`,
      anchor: { kind: 'line', path: repoPath(file), line: Number(line) },
    };
  }
  const hadolintLocation = /^(.+):(\d+)$/.exec(name);
  if (HADOLINT_CODE.test(prefix) && hadolintLocation) {
    const { level, text } = levelAndText(tc.message);
    return {
      tool: 'hadolint',
      ruleId: prefix,
      title: l10n.t('Dockerfile lint finding'),
      message: l10n.t('{0} (hadolint {1}, {2})', text || l10n.t('hadolint finding'), prefix, level ?? l10n.t('failed')),
      severity: level === 'error' || level === undefined ? 'error' : level === 'warning' ? 'warning' : 'info',
      docsUrl: prefix.startsWith('DL')
        ? `https://github.com/hadolint/hadolint/wiki/${prefix}`
        : `https://www.shellcheck.net/wiki/${prefix}`,
      anchor: { kind: 'line', path: repoPath(hadolintLocation[1]), line: Number(hadolintLocation[2]) },
    };
  }
  const trivy = TRIVY_NAME.exec(name);
  if (trivy) {
    const [, severity, id] = trivy;
    const candidates = packageCandidates(prefix);
    const pkg = candidates[0];
    const what = pkg ? `${pkg.name} ${pkg.version}` : prefix;
    const title = l10n.t('Vulnerable package {0}', what);
    const summary = firstLine(tc.message);
    return {
      tool: 'trivy',
      ruleId: id,
      title,
      message: l10n.t('{0}: {1} (trivy {2}, {3})', what, summary || id, id, severity),
      severity: severity === 'CRITICAL' || severity === 'HIGH' ? 'error' : severity === 'MEDIUM' ? 'warning' : 'info',
      docsUrl: vulnerabilityUrl(id),
      anchor: { kind: 'package', candidates, target: tc.testSuiteName ?? '' },
    };
  }
  if (prefix === 'smoke-test') {
    return {
      tool: 'smoke-test',
      ruleId: name || 'smoke-test',
      title: l10n.t('Smoke test failed'),
      message: l10n.t(
        'Smoke test "{0}" failed: {1}. The container built from this Dockerfile did not answer its health check.',
        name,
        firstLine(tc.message) || 'no detail',
      ),
      severity: 'error',
      anchor: { kind: 'dockerfile' },
    };
  }
  return {
    tool: prefix || tc.testSuiteName || 'test',
    ruleId: name,
    title: l10n.t('Test {0} failed', name),
    message: `${name}: ${firstLine(tc.message) || tc.status?.toLowerCase() || 'failed'}`,
    severity: 'error',
    anchor: { kind: 'none' },
  };
}

/** "warning: Using latest…" → level and text; hadolint's levels only. */
function levelAndText(message: string | undefined): { level?: string; text: string } {
  const m = /^(error|warning|info|style): ([\s\S]*)$/.exec(message ?? '');
  return m ? { level: m[1], text: firstLine(m[2]) } : { text: firstLine(message) };
}

/** trivy's classname `<name>-<version>`: every split where a version (a digit) follows a hyphen. */
export function packageCandidates(classname: string): { name: string; version: string }[] {
  const out: { name: string; version: string }[] = [];
  for (let i = classname.indexOf('-'); i > 0; i = classname.indexOf('-', i + 1)) {
    const version = classname.slice(i + 1);
    if (/^v?\d/.test(version)) {
      out.push({ name: classname.slice(0, i), version });
    }
  }
  return out;
}

/** The advisory page trivy itself links (its PrimaryURL) for CVEs; GitHub's for GHSA ids. */
export function vulnerabilityUrl(id: string): string | undefined {
  if (/^CVE-\d{4}-\d+$/i.test(id)) {
    return `https://avd.aquasec.com/nvd/${id.toLowerCase()}`;
  }
  if (/^GHSA(-[0-9a-z]{4}){3}$/i.test(id)) {
    return `https://github.com/advisories/${id}`;
  }
  return undefined;
}

function repoPath(file: string): string {
  return file.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

function firstLine(text: string | undefined): string {
  return (text ?? '').trim().split('\n')[0].trim();
}

/** "`leak.js:2`" or the package, for one-line summaries. */
export function findingLocation(f: Finding): string | undefined {
  return f.anchor.kind === 'line' ? `${f.anchor.path}:${f.anchor.line}` : undefined;
}
