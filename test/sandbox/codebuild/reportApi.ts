// CodeBuild's report APIs, as the SDK and the CLI call them (shapes from the CodeBuild API
// reference): ListReportGroups, BatchGetReportGroups, ListReportsForReportGroup, BatchGetReports,
// DescribeTestCases.
import { pageLimit, paginate } from '../core/paging';
import { AwsError, type OperationHandler } from '../core/types';
import { reportState, type Report, type ReportGroup } from './reports';
import { str } from '../core/values';

const invalidToken = (): AwsError => new AwsError('InvalidInputException', 'Invalid next token');

function describeGroup(g: ReportGroup): Record<string, unknown> {
  return {
    arn: g.arn,
    name: g.name,
    type: g.type,
    exportConfig: g.exportConfig,
    created: new Date(g.created),
    lastModified: new Date(g.lastModified),
    tags: [],
    status: 'ACTIVE',
  };
}

function describeReport(r: Report): Record<string, unknown> {
  return {
    arn: r.arn,
    type: r.type,
    name: r.name,
    reportGroupArn: r.reportGroupArn,
    executionId: r.executionId,
    status: r.status,
    created: new Date(r.created),
    expired: new Date(r.expired),
    exportConfig: r.exportConfig,
    truncated: r.truncated,
    testSummary: r.testSummary,
  };
}

function arnList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > 100)
    throw new AwsError(
      'InvalidInputException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length between 1 and 100`,
    );
  return value.map(String);
}

export const reportOperations: Record<string, OperationHandler> = {
  ListReportGroups: (input, ctx) => {
    const groups = Object.values(reportState(ctx.sandbox).groups).filter(
      (g) => g.accountId === ctx.accountId && g.region === ctx.region,
    );
    const key =
      input.sortBy === 'NAME' ? (g: ReportGroup) => g.name : (g: ReportGroup) => String(g.created).padStart(16, '0');
    const sorted = groups.sort((a, b) => key(a).localeCompare(key(b))).map((g) => g.arn);
    if (input.sortOrder === 'DESCENDING') sorted.reverse();
    const page = paginate(sorted, input.nextToken, pageLimit(input.maxResults, 100, 100, 'maxResults'), invalidToken);
    return { reportGroups: page.items, nextToken: page.nextToken };
  },

  BatchGetReportGroups: (input, ctx) => {
    const arns = arnList(input.reportGroupArns, 'reportGroupArns');
    const groups = reportState(ctx.sandbox).groups;
    const found = arns.map((a) => groups[a]).filter((g): g is ReportGroup => g?.accountId === ctx.accountId);
    return {
      reportGroups: found.map(describeGroup),
      reportGroupsNotFound: arns.filter((a) => !found.some((g) => g.arn === a)),
    };
  },

  ListReportsForReportGroup: (input, ctx) => {
    const arn = str(input.reportGroupArn ?? '');
    const state = reportState(ctx.sandbox);
    const group = state.groups[arn];
    if (!group || group.accountId !== ctx.accountId)
      throw new AwsError('ResourceNotFoundException', `Report group ${arn} does not exist`);
    const filter = (input.filter as { status?: string } | undefined)?.status;
    const reports = Object.values(state.reports)
      .filter((r) => r.reportGroupArn === arn && (!filter || r.status === filter))
      .sort((a, b) => (input.sortOrder === 'ASCENDING' ? a.created - b.created : b.created - a.created))
      .map((r) => r.arn);
    const page = paginate(reports, input.nextToken, pageLimit(input.maxResults, 100, 100, 'maxResults'), invalidToken);
    return { reports: page.items, nextToken: page.nextToken };
  },

  BatchGetReports: (input, ctx) => {
    const arns = arnList(input.reportArns, 'reportArns');
    const reports = reportState(ctx.sandbox).reports;
    const found = arns.map((a) => reports[a]).filter((r): r is Report => r?.accountId === ctx.accountId);
    return {
      reports: found.map(describeReport),
      reportsNotFound: arns.filter((a) => !found.some((r) => r.arn === a)),
    };
  },

  DescribeTestCases: (input, ctx) => {
    const arn = str(input.reportArn ?? '');
    const report = reportState(ctx.sandbox).reports[arn];
    if (!report || report.accountId !== ctx.accountId)
      throw new AwsError('ResourceNotFoundException', `Report ${arn} does not exist`);
    const filter = input.filter as { status?: string; keyword?: string } | undefined;
    const cases = report.testCases.filter(
      (tc) =>
        (!filter?.status || tc.status === filter.status) &&
        (!filter?.keyword || `${tc.name} ${tc.prefix} ${tc.message ?? ''}`.includes(filter.keyword)),
    );
    const page = paginate(cases, input.nextToken, pageLimit(input.maxResults, 100, 100, 'maxResults'), invalidToken);
    return {
      testCases: page.items.map((tc) => ({
        reportArn: tc.reportArn,
        testRawDataPath: tc.testRawData,
        prefix: tc.prefix,
        name: tc.name,
        status: tc.status,
        durationInNanoSeconds: tc.durationInNanoSeconds,
        ...(tc.message !== undefined ? { message: tc.message } : {}),
        expired: new Date(tc.expired),
        testSuiteName: tc.testSuiteName,
      })),
      nextToken: page.nextToken,
    };
  },
};
