// AWS CodeBuild (awsJson1_1, CodeBuild_20161006): builds the pipeline started, read by the extension.
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { paginate } from '../core/paging';
import { AwsError, type Sandbox, type ServiceDefinition } from '../core/types';
import { codeBuildResourceProviders } from './provider';
import { reportOperations } from './reportApi';
import { reportState } from './reports';
import { stopBuild } from './runner';
import { str } from '../core/values';
import {
  buildsOf,
  codeBuildState,
  findProject,
  logDeepLink,
  projectArn,
  requireProject,
  type Build,
  type Project,
} from './store';

for (const [type, provider] of Object.entries(codeBuildResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError => new AwsError('InvalidInputException', 'Invalid next token');

export const codeBuildService: ServiceDefinition = {
  signingName: 'codebuild',
  protocol: 'awsJson1_1',
  targetPrefix: 'CodeBuild_20161006',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    ...reportOperations,

    StopBuild: (input, ctx) => {
      const id = str(input.id ?? '');
      const build = codeBuildState(ctx.sandbox).builds[
        id.includes(':build/') ? id.slice(id.indexOf(':build/') + 7) : id
      ];
      if (!build || build.accountId !== ctx.accountId)
        throw new AwsError('ResourceNotFoundException', `Build ${id} does not exist`);
      // A build that already ended is returned as it is, as CodeBuild does.
      if (!build.buildComplete) {
        stopBuild(build.id);
        build.buildStatus = 'STOPPED';
      }
      return {
        build: describeBuild(
          build,
          findProject(ctx.sandbox, build.accountId, build.region, build.projectName),
          reportArns(ctx.sandbox, build),
        ),
      };
    },

    BatchGetBuilds: (input, ctx) => {
      const ids = requireList(input.ids, 'ids');
      const builds = codeBuildState(ctx.sandbox).builds;
      const found = ids
        .map((id) => builds[id.includes(':build/') ? id.slice(id.indexOf(':build/') + 7) : id])
        .filter((b): b is Build => b !== undefined && b.accountId === ctx.accountId);
      const foundIds = new Set(found.flatMap((b) => [b.id, b.arn]));
      return {
        builds: found.map((b) =>
          describeBuild(b, findProject(ctx.sandbox, b.accountId, b.region, b.projectName), reportArns(ctx.sandbox, b)),
        ),
        buildsNotFound: ids.filter((id) => !foundIds.has(id)),
      };
    },

    ListBuildsForProject: (input, ctx) => {
      const project = requireProject(ctx.sandbox, ctx.accountId, ctx.region, input.projectName);
      const ids = buildsOf(ctx.sandbox, ctx.accountId, ctx.region, project.name).map((b) => b.id);
      if (input.sortOrder === 'ASCENDING') ids.reverse();
      const page = paginate(ids, input.nextToken, 100, invalidToken);
      return { ids: page.items, nextToken: page.nextToken };
    },

    BatchGetProjects: (input, ctx) => {
      const names = requireList(input.names, 'names');
      const found = names.map((n) =>
        findProject(
          ctx.sandbox,
          ctx.accountId,
          ctx.region,
          n.includes(':project/') ? n.slice(n.indexOf(':project/') + 9) : n,
        ),
      );
      return {
        projects: found.filter((p): p is Project => p !== undefined).map(describeProject),
        projectsNotFound: names.filter((_n, i) => found[i] === undefined),
      };
    },

    ListProjects: (input, ctx) => {
      const names = Object.values(codeBuildState(ctx.sandbox).projects)
        .filter((p) => p.accountId === ctx.accountId && p.region === ctx.region)
        .map((p) => p.name)
        .sort();
      const page = paginate(names, input.nextToken, 100, invalidToken);
      return { projects: page.items, nextToken: page.nextToken };
    },
  },
};

function requireList(value: unknown, name: string): string[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new AwsError(
      'InvalidInputException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length greater than or equal to 1`,
    );
  if (value.length > 100)
    throw new AwsError(
      'InvalidInputException',
      `1 validation error detected: Value at '${name}' failed to satisfy constraint: Member must have length less than or equal to 100`,
    );
  return value.map(String);
}

/** The build's reports (Build.reportArns), one per report group its buildspec wrote. */
function reportArns(sandbox: Sandbox, b: Build): string[] {
  return Object.values(reportState(sandbox).reports)
    .filter((r) => r.executionId === b.arn)
    .map((r) => r.arn);
}

function describeBuild(b: Build, project: Project | undefined, reports: string[]): Record<string, unknown> {
  return {
    id: b.id,
    arn: b.arn,
    buildNumber: b.buildNumber,
    startTime: new Date(b.startTime),
    endTime: b.endTime === undefined ? undefined : new Date(b.endTime),
    currentPhase: b.currentPhase,
    buildStatus: b.buildStatus,
    sourceVersion: b.sourceVersion,
    resolvedSourceVersion: b.sourceVersion,
    projectName: b.projectName,
    phases: b.phases.map((p) => ({
      phaseType: p.phaseType,
      phaseStatus: p.phaseStatus,
      startTime: new Date(p.startTime),
      endTime: p.endTime === undefined ? undefined : new Date(p.endTime),
      durationInSeconds: p.durationInSeconds,
      contexts: p.phaseStatus === undefined ? undefined : (p.contexts ?? [{ statusCode: '', message: '' }]),
    })),
    source: { type: 'CODEPIPELINE', buildspec: project?.source.buildspec, insecureSsl: false },
    secondarySources: [],
    secondarySourceVersions: [],
    artifacts: { location: '' },
    cache: { type: 'NO_CACHE' },
    environment: project ? { ...project.environment, environmentVariables: b.environmentVariables } : undefined,
    serviceRole: project?.serviceRole,
    logs: {
      groupName: b.logGroupName,
      streamName: b.logStreamName,
      deepLink: logDeepLink(b),
      cloudWatchLogsArn: `arn:aws:logs:${b.region}:${b.accountId}:log-group:${b.logGroupName}:log-stream:${b.logStreamName}`,
      cloudWatchLogs: { status: 'ENABLED', groupName: b.logGroupName },
      s3Logs: { status: 'DISABLED', encryptionDisabled: false },
    },
    timeoutInMinutes: project?.timeoutInMinutes ?? 60,
    queuedTimeoutInMinutes: project?.queuedTimeoutInMinutes ?? 480,
    buildComplete: b.buildComplete,
    initiator: b.initiator,
    reportArns: reports.length > 0 ? reports : undefined,
    encryptionKey: `arn:aws:kms:${b.region}:${b.accountId}:alias/aws/s3`,
  };
}

export function describeProject(p: Project): Record<string, unknown> {
  return {
    name: p.name,
    arn: projectArn(p),
    description: p.description,
    source: { ...p.source, insecureSsl: false },
    secondarySources: [],
    artifacts: p.artifacts,
    cache: { type: 'NO_CACHE' },
    environment: p.environment,
    serviceRole: p.serviceRole,
    timeoutInMinutes: p.timeoutInMinutes,
    queuedTimeoutInMinutes: p.queuedTimeoutInMinutes,
    encryptionKey: `arn:aws:kms:${p.region}:${p.accountId}:alias/aws/s3`,
    created: new Date(p.created),
    lastModified: new Date(p.lastModified),
    badge: { badgeEnabled: false },
    logsConfig: {
      cloudWatchLogs: { status: 'ENABLED', ...(p.logGroupName ? { groupName: p.logGroupName } : {}) },
      s3Logs: { status: 'DISABLED', encryptionDisabled: false },
    },
    projectVisibility: 'PRIVATE',
  };
}
