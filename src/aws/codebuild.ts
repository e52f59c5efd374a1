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
}

export interface CodeBuildApi {
  /** The build, or undefined when CodeBuild does not know it. */
  getBuild(buildId: string): Promise<BuildInfo | undefined>;
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
      };
    },
  };
}

export function isBuildFinished(build: BuildInfo): boolean {
  return build.status !== 'IN_PROGRESS';
}
