// CodeBuild through the session's cached client: a build's status and where its log is.
import type { AwsSession } from './awsSession';

export interface BuildInfo {
  readonly id: string;
  /** SUCCEEDED, FAILED, FAULT, TIMED_OUT, IN_PROGRESS, STOPPED. */
  readonly status: string;
  readonly currentPhase?: string;
  /** CloudWatch Logs group and stream; absent until the build has started logging. */
  readonly logGroup?: string;
  readonly logStream?: string;
  readonly deepLink?: string;
  /** The build's test reports (one per report group its buildspec names). */
  readonly reportArns?: readonly string[];
}

export interface ReportInfo {
  readonly arn: string;
  readonly reportGroupArn?: string;
  /** GENERATING, SUCCEEDED, FAILED, INCOMPLETE, DELETING. */
  readonly status: string;
}

export interface TestCaseInfo {
  readonly prefix?: string;
  readonly name?: string;
  readonly status?: string;
  readonly message?: string;
  readonly testSuiteName?: string;
}

export interface CodeBuildApi {
  /** The build, or undefined when CodeBuild does not know it. */
  getBuild(buildId: string): Promise<BuildInfo | undefined>;
  /** BatchGetReports: the reports CodeBuild knows of these ARNs. */
  getReports(reportArns: readonly string[]): Promise<ReportInfo[]>;
  /** DescribeTestCases, every page (a report holds at most 500 cases). */
  listTestCases(reportArn: string): Promise<TestCaseInfo[]>;
}

export function codeBuildApi(session: AwsSession): CodeBuildApi {
  const sdk = session.sdkModule;
  const client = () => session.client('codebuild', (s, config) => new s.CodeBuildClient(config));
  return {
    async getBuild(buildId) {
      const out = await client().send(new sdk.BatchGetBuildsCommand({ ids: [buildId] }));
      const b = out.builds?.[0];
      if (!b) {
        return undefined;
      }
      return {
        id: b.id ?? buildId,
        status: b.buildStatus ?? 'IN_PROGRESS',
        currentPhase: b.currentPhase,
        logGroup: b.logs?.groupName,
        logStream: b.logs?.streamName,
        deepLink: b.logs?.deepLink,
        reportArns: b.reportArns,
      };
    },
    async getReports(reportArns) {
      if (reportArns.length === 0) {
        return [];
      }
      const out = await client().send(new sdk.BatchGetReportsCommand({ reportArns: [...reportArns] }));
      return (out.reports ?? []).map((r) => ({
        arn: r.arn ?? '',
        reportGroupArn: r.reportGroupArn,
        status: r.status ?? 'GENERATING',
      }));
    },
    async listTestCases(reportArn) {
      const cases: TestCaseInfo[] = [];
      let nextToken: string | undefined;
      do {
        const out = await client().send(new sdk.DescribeTestCasesCommand({ reportArn, nextToken, maxResults: 100 }));
        for (const tc of out.testCases ?? []) {
          cases.push({
            prefix: tc.prefix,
            name: tc.name,
            status: tc.status,
            message: tc.message,
            testSuiteName: tc.testSuiteName,
          });
        }
        nextToken = out.nextToken;
      } while (nextToken);
      return cases;
    },
  };
}

export function isBuildFinished(build: BuildInfo): boolean {
  return build.status !== 'IN_PROGRESS';
}
