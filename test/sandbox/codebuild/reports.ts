// CodeBuild test reports: report groups, the reports a build's `reports:` section produces from the
// files its commands wrote, and their test cases (CodeBuild's Report and TestCase shapes).
// JUnit XML is parsed as CodeBuild reads it: every <testcase> of every <testsuite> is a test case,
// its status FAILED (a <failure>), ERROR (an <error>), SKIPPED (<skipped>) or SUCCEEDED; `prefix`
// is the classname, `message` the failure's message, `testRawDataPath` the report file's path.
// What a report says about file and line is kept (a testcase's `file`/`line` attributes).
import { readFileSync } from 'node:fs';
import { XMLParser } from 'fast-xml-parser';
import { AwsError, type Sandbox } from '../core/types';

export interface ReportGroup {
  readonly arn: string;
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  readonly type: 'TEST' | 'CODE_COVERAGE';
  exportConfig: { exportConfigType: string };
  readonly created: number;
  lastModified: number;
  deleteReports?: boolean;
}

export interface TestCase {
  readonly reportArn: string;
  readonly testRawData: string;
  readonly prefix: string;
  readonly name: string;
  readonly status: 'SUCCEEDED' | 'FAILED' | 'ERROR' | 'SKIPPED' | 'UNKNOWN';
  readonly durationInNanoSeconds: number;
  readonly message?: string;
  readonly testSuiteName: string;
  readonly expired: number;
  /** Where the finding is, when the report file said so (kept for diagnostics; not in the API). */
  readonly file?: string;
  readonly line?: number;
}

export interface Report {
  readonly arn: string;
  readonly type: 'TEST';
  readonly name: string;
  readonly reportGroupArn: string;
  readonly executionId: string;
  status: 'GENERATING' | 'SUCCEEDED' | 'FAILED' | 'INCOMPLETE';
  readonly created: number;
  readonly expired: number;
  readonly accountId: string;
  readonly region: string;
  testSummary: { total: number; statusCounts: Record<string, number>; durationInNanoSeconds: number };
  truncated: boolean;
  exportConfig: { exportConfigType: string };
  testCases: TestCase[];
}

interface ReportState {
  groups: Record<string, ReportGroup>;
  reports: Record<string, Report>;
}

export function reportState(sandbox: Sandbox): ReportState {
  const state = sandbox.state as { codebuildReports?: ReportState };
  state.codebuildReports ??= { groups: {}, reports: {} };
  return state.codebuildReports;
}

export const reportGroupArn = (accountId: string, region: string, name: string): string =>
  `arn:aws:codebuild:${region}:${accountId}:report-group/${name}`;

export function createReportGroup(
  sandbox: Sandbox,
  params: {
    accountId: string;
    region: string;
    name: string;
    type?: string;
    exportConfigType?: string;
    deleteReports?: boolean;
  },
): ReportGroup {
  const arn = reportGroupArn(params.accountId, params.region, params.name);
  const groups = reportState(sandbox).groups;
  if (groups[arn]) throw new AwsError('ResourceAlreadyExistsException', `Report group ${arn} already exists`);
  const now = sandbox.clock.now().getTime();
  const group: ReportGroup = {
    arn,
    name: params.name,
    accountId: params.accountId,
    region: params.region,
    type: params.type === 'CODE_COVERAGE' ? 'CODE_COVERAGE' : 'TEST',
    exportConfig: { exportConfigType: params.exportConfigType ?? 'NO_EXPORT' },
    created: now,
    lastModified: now,
    ...(params.deleteReports !== undefined ? { deleteReports: params.deleteReports } : {}),
  };
  groups[arn] = group;
  sandbox.changed();
  return group;
}

export function deleteReportGroup(sandbox: Sandbox, arn: string): void {
  const state = reportState(sandbox);
  delete state.groups[arn];
  for (const [key, report] of Object.entries(state.reports))
    if (report.reportGroupArn === arn) delete state.reports[key];
  sandbox.changed();
}

/** The group a buildspec report names: an ARN as given, else `<project>-<name>`, created on first use. */
export function groupForBuild(
  sandbox: Sandbox,
  project: { name: string; accountId: string; region: string },
  reportName: string,
): ReportGroup {
  const arn = reportName.startsWith('arn:')
    ? reportName
    : reportGroupArn(project.accountId, project.region, `${project.name}-${reportName}`);
  const existing = reportState(sandbox).groups[arn];
  if (existing) return existing;
  if (reportName.startsWith('arn:')) throw new AwsError('ResourceNotFoundException', `Report group ${arn} not found`);
  return createReportGroup(sandbox, {
    accountId: project.accountId,
    region: project.region,
    name: `${project.name}-${reportName}`,
  });
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped', 'testsuites'].includes(name),
});

type XmlNode = Record<string, unknown>;
const nodes = (v: unknown): XmlNode[] => (Array.isArray(v) ? (v as XmlNode[]) : v ? [v as XmlNode] : []);
const text = (v: unknown): string | undefined =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;

/** Test cases of a JUnit XML file; throws when the file is not JUnit XML. */
export function parseJunit(xml: string, reportArn: string, rawDataPath: string, expired: number): TestCase[] {
  const doc = parser.parse(xml, true) as XmlNode;
  const suites: XmlNode[] = [];
  for (const top of nodes(doc.testsuites)) suites.push(...nodes(top.testsuite));
  suites.push(...nodes(doc.testsuite));
  if (!doc.testsuites && !doc.testsuite) throw new Error('not a JUnit XML report: no <testsuites> or <testsuite>');
  const cases: TestCase[] = [];
  for (const suite of suites) {
    for (const tc of nodes(suite.testcase)) {
      const failure = nodes(tc.failure)[0];
      const error = nodes(tc.error)[0];
      const skipped = tc.skipped !== undefined ? (nodes(tc.skipped)[0] ?? {}) : undefined;
      const status = failure ? 'FAILED' : error ? 'ERROR' : skipped ? 'SKIPPED' : 'SUCCEEDED';
      const detail = failure ?? error ?? skipped;
      const message = detail ? (text(detail.message) ?? text(detail['#text'])) : undefined;
      const seconds = Number(text(tc.time) ?? 0);
      const file = text(tc.file);
      const line = Number(text(tc.line));
      cases.push({
        reportArn,
        testRawData: rawDataPath,
        prefix: text(tc.classname) ?? '',
        name: text(tc.name) ?? '',
        status,
        durationInNanoSeconds: Number.isFinite(seconds) ? Math.round(seconds * 1e9) : 0,
        ...(message !== undefined ? { message } : {}),
        testSuiteName: text(suite.name) ?? '',
        expired,
        ...(file ? { file } : {}),
        ...(Number.isInteger(line) && line > 0 ? { line } : {}),
      });
    }
  }
  return cases;
}

export function startReport(sandbox: Sandbox, group: ReportGroup, build: { id: string; arn: string }): Report {
  const now = sandbox.clock.now().getTime();
  const uuid = build.id.slice(build.id.indexOf(':') + 1);
  const arn = `${group.arn.replace(':report-group/', ':report/')}:${uuid}`;
  const report: Report = {
    arn,
    type: 'TEST',
    name: `${group.name}:${uuid}`,
    reportGroupArn: group.arn,
    executionId: build.arn,
    status: 'GENERATING',
    created: now,
    expired: now + 30 * 86_400_000,
    accountId: group.accountId,
    region: group.region,
    testSummary: { total: 0, statusCounts: {}, durationInNanoSeconds: 0 },
    truncated: false,
    exportConfig: group.exportConfig,
    testCases: [],
  };
  reportState(sandbox).reports[arn] = report;
  sandbox.changed();
  return report;
}

/** Reads the report files into the report and settles its status, as CodeBuild does after the build. */
export function completeReport(
  sandbox: Sandbox,
  report: Report,
  files: { path: string; rawDataPath: string }[],
): string[] {
  const problems: string[] = [];
  for (const file of files) {
    try {
      report.testCases.push(
        ...parseJunit(readFileSync(file.path, 'utf8'), report.arn, file.rawDataPath, report.expired),
      );
    } catch (error) {
      problems.push(`Error parsing report file ${file.rawDataPath}: ${(error as Error).message}`);
    }
  }
  const counts: Record<string, number> = {};
  for (const tc of report.testCases) counts[tc.status] = (counts[tc.status] ?? 0) + 1;
  report.testSummary = {
    total: report.testCases.length,
    statusCounts: { ERROR: 0, FAILED: 0, SKIPPED: 0, SUCCEEDED: 0, UNKNOWN: 0, ...counts },
    durationInNanoSeconds: report.testCases.reduce((sum, tc) => sum + tc.durationInNanoSeconds, 0),
  };
  report.status =
    files.length === 0 || problems.length > 0
      ? 'INCOMPLETE'
      : (counts.FAILED ?? 0) + (counts.ERROR ?? 0) > 0
        ? 'FAILED'
        : 'SUCCEEDED';
  sandbox.changed();
  return problems;
}
