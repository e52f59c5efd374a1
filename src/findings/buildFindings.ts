// The findings of one CodeBuild build: BatchGetBuilds names the build's reports (`reportArns`, one per
// report group its buildspec writes), BatchGetReports says whether each is complete, and
// DescribeTestCases lists their cases. Finished builds are read once and kept; a build whose report
// is still GENERATING is read again shortly, within a deadline.
import * as l10n from '@vscode/l10n';
import type { CodeBuildApi } from '../aws/codebuild';
import { findingOf, type Finding } from './reportFindings';

export interface ReportSummary {
  /** The report group's name (the last part of its ARN): `<stack>-Build-SecurityTests`. */
  readonly group: string;
  /** SUCCEEDED, FAILED, INCOMPLETE, GENERATING. */
  readonly status: string;
}

export interface BuildFindings {
  readonly buildId: string;
  readonly reports: readonly ReportSummary[];
  readonly findings: readonly Finding[];
  /** False while the build runs or a report is still being generated. */
  readonly complete: boolean;
}

export async function loadBuildFindings(api: CodeBuildApi, buildId: string): Promise<BuildFindings> {
  const build = await api.getBuild(buildId);
  if (!build) {
    return { buildId, reports: [], findings: [], complete: true };
  }
  const reports = await api.getReports(build.reportArns ?? []);
  const findings: Finding[] = [];
  for (const report of reports) {
    for (const tc of await api.listTestCases(report.arn)) {
      const finding = findingOf(tc);
      if (finding) {
        findings.push(finding);
      }
    }
  }
  return {
    buildId,
    reports: reports.map((r) => ({ group: groupName(r.reportGroupArn ?? r.arn), status: r.status })),
    findings: ordered(findings),
    complete: build.status !== 'IN_PROGRESS' && reports.every((r) => r.status !== 'GENERATING'),
  };
}

/** Secrets first, then by severity, each in report order: the first is the one a notification names. */
function ordered(findings: Finding[]): Finding[] {
  const rank = (f: Finding): number =>
    (f.tool === 'gitleaks' ? 0 : 10) + (f.severity === 'error' ? 0 : f.severity === 'warning' ? 1 : 2);
  return findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .map((x) => x.f);
}

function groupName(arn: string): string {
  const m = /:report(?:-group)?\/([^:]+)/.exec(arn);
  return m ? m[1] : arn;
}

export interface BuildFindingsCacheOptions {
  /** How long to keep re-reading a build whose reports are not complete yet. */
  readonly settleMs?: number;
  readonly retryMs?: number;
  readonly delay?: (ms: number) => Promise<void>;
  readonly limit?: number;
}

/** One read per build at a time; complete results are kept (a finished build's reports never change). */
export class BuildFindingsCache {
  private readonly done = new Map<string, BuildFindings>();
  private readonly running = new Map<string, Promise<BuildFindings>>();
  private readonly settleMs: number;
  private readonly retryMs: number;
  private readonly delay: (ms: number) => Promise<void>;
  private readonly limit: number;

  constructor(
    private readonly api: () => CodeBuildApi | undefined,
    options: BuildFindingsCacheOptions = {},
  ) {
    this.settleMs = options.settleMs ?? 10_000;
    this.retryMs = options.retryMs ?? 500;
    this.delay = options.delay ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.limit = options.limit ?? 50;
  }

  /** The cached findings of a build, if it was read completely. */
  peek(buildId: string): BuildFindings | undefined {
    return this.done.get(buildId);
  }

  load(buildId: string): Promise<BuildFindings> {
    const cached = this.done.get(buildId);
    if (cached) {
      return Promise.resolve(cached);
    }
    let running = this.running.get(buildId);
    if (!running) {
      running = this.read(buildId).finally(() => this.running.delete(buildId));
      this.running.set(buildId, running);
    }
    return running;
  }

  private async read(buildId: string): Promise<BuildFindings> {
    const api = this.api();
    if (!api) {
      throw new Error(l10n.t('Not connected to AWS.'));
    }
    const deadline = Date.now() + this.settleMs;
    for (;;) {
      const result = await loadBuildFindings(api, buildId);
      if (result.complete) {
        this.done.set(buildId, result);
        if (this.done.size > this.limit) {
          this.done.delete(this.done.keys().next().value!);
        }
        return result;
      }
      if (Date.now() >= deadline) {
        return result;
      }
      await this.delay(this.retryMs);
    }
  }
}
