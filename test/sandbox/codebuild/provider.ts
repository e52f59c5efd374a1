// AWS::CodeBuild::Project: creates the project in the sandbox's CodeBuild, keeping what the
// runner needs (buildspec, environment variables, log group).
import type { ProviderContext, ResourceProvider } from '../cloudformation/providers/registry';
import { camelKeys } from '../ecs/provider';
import { deleteProject, findProject, projectArn, saveProject, type Project } from './store';
import { str } from '../core/values';
import { createReportGroup, deleteReportGroup, reportState } from './reports';

function toProject(p: Record<string, unknown>, ctx: ProviderContext, name: string, created: number): Project {
  const env = (p.Environment ?? {}) as Record<string, unknown>;
  const source = (p.Source ?? {}) as Record<string, unknown>;
  const logs = (p.LogsConfig as { CloudWatchLogs?: { GroupName?: unknown } } | undefined)?.CloudWatchLogs ?? {};
  const variables = Array.isArray(env.EnvironmentVariables)
    ? (env.EnvironmentVariables as Record<string, unknown>[])
    : [];
  return {
    name,
    accountId: ctx.accountId,
    region: ctx.region,
    ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
    // CodeBuild takes a role name or ARN and always reports the ARN.
    ...(typeof p.ServiceRole === 'string'
      ? {
          serviceRole: p.ServiceRole.startsWith('arn:')
            ? p.ServiceRole
            : `arn:aws:iam::${ctx.accountId}:role/${p.ServiceRole}`,
        }
      : {}),
    environment: {
      type: str(env.Type ?? 'LINUX_CONTAINER'),
      image: str(env.Image ?? 'aws/codebuild/amazonlinux-x86_64-standard:5.0'),
      computeType: str(env.ComputeType ?? 'BUILD_GENERAL1_SMALL'),
      privilegedMode: env.PrivilegedMode === true || env.PrivilegedMode === 'true',
      imagePullCredentialsType: 'CODEBUILD',
      environmentVariables: variables.map((v) => ({
        name: str(v.Name),
        value: str(v.Value ?? ''),
        type: str(v.Type ?? 'PLAINTEXT'),
      })),
    },
    source: {
      type: str(source.Type ?? 'CODEPIPELINE'),
      ...(typeof source.BuildSpec === 'string' ? { buildspec: source.BuildSpec } : {}),
    },
    artifacts: camelKeys(p.Artifacts ?? { Type: 'NO_ARTIFACTS' }) as { type: string },
    ...(typeof logs.GroupName === 'string' ? { logGroupName: logs.GroupName } : {}),
    timeoutInMinutes: Number(p.TimeoutInMinutes ?? 60),
    queuedTimeoutInMinutes: Number(p.QueuedTimeoutInMinutes ?? 480),
    created,
    lastModified: ctx.sandbox.clock.now().getTime(),
  };
}

export const codeBuildResourceProviders: Record<string, ResourceProvider> = {
  'AWS::CodeBuild::Project': {
    attributes: ['Arn'],
    async create(p, ctx) {
      const name = typeof p.Name === 'string' ? p.Name : `${ctx.logicalId}-${Math.random().toString(36).slice(2, 14)}`;
      await ctx.sandbox.clock.sleep(2_000, ctx.signal);
      const project = toProject(p, ctx, name, ctx.sandbox.clock.now().getTime());
      saveProject(ctx.sandbox, project);
      return { physicalId: name, attributes: { Arn: projectArn(project) } };
    },
    update(name, p, _previous, ctx) {
      const existing = findProject(ctx.sandbox, ctx.accountId, ctx.region, name);
      const project = toProject(p, ctx, name, existing?.created ?? ctx.sandbox.clock.now().getTime());
      saveProject(ctx.sandbox, project);
      return Promise.resolve({ attributes: { Arn: projectArn(project) } });
    },
    delete(name, _p, ctx) {
      deleteProject(ctx.sandbox, ctx.accountId, ctx.region, name);
      return Promise.resolve();
    },
  },
  'AWS::CodeBuild::ReportGroup': {
    attributes: ['Arn'],
    async create(p, ctx) {
      const name = typeof p.Name === 'string' ? p.Name : `${ctx.stackName}-${ctx.logicalId}`;
      await ctx.sandbox.clock.sleep(2_000, ctx.signal);
      const group = createReportGroup(ctx.sandbox, {
        accountId: ctx.accountId,
        region: ctx.region,
        name,
        type: str(p.Type ?? 'TEST'),
        exportConfigType: str(
          (p.ExportConfig as { ExportConfigType?: unknown } | undefined)?.ExportConfigType ?? 'NO_EXPORT',
        ),
        deleteReports: p.DeleteReports === true || p.DeleteReports === 'true',
      });
      return { physicalId: group.arn, attributes: { Arn: group.arn } };
    },
    update(arn, _p, _previous, ctx) {
      const group = reportState(ctx.sandbox).groups[arn];
      if (group) group.lastModified = ctx.sandbox.clock.now().getTime();
      return Promise.resolve({ attributes: { Arn: arn } });
    },
    delete(arn, _p, ctx) {
      deleteReportGroup(ctx.sandbox, arn);
      return Promise.resolve();
    },
  },
};
