// CodeBuild projects and builds in the sandbox state. Builds are run by runner.ts.
import { AwsError, type Sandbox } from '../core/types';

export interface EnvironmentVariable {
  name: string;
  value: string;
  type: string;
}

export interface Project {
  readonly name: string;
  readonly accountId: string;
  readonly region: string;
  description?: string;
  serviceRole?: string;
  /** The API's `environment`, `source`, `artifacts` (camelCase). */
  environment: {
    type: string;
    image: string;
    computeType: string;
    privilegedMode: boolean;
    imagePullCredentialsType: string;
    environmentVariables: EnvironmentVariable[];
  };
  source: { type: string; buildspec?: string };
  artifacts: { type: string };
  logGroupName?: string;
  timeoutInMinutes: number;
  queuedTimeoutInMinutes: number;
  readonly created: number;
  lastModified: number;
}

export interface BuildPhase {
  phaseType: string;
  phaseStatus?: string;
  startTime: number;
  endTime?: number;
  durationInSeconds?: number;
  contexts?: { statusCode: string; message: string }[];
}

export interface Build {
  readonly id: string;
  readonly arn: string;
  readonly buildNumber: number;
  readonly projectName: string;
  readonly accountId: string;
  readonly region: string;
  readonly startTime: number;
  endTime?: number;
  currentPhase: string;
  buildStatus: 'IN_PROGRESS' | 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'FAULT' | 'TIMED_OUT';
  buildComplete: boolean;
  readonly sourceVersion: string;
  readonly initiator: string;
  readonly phases: BuildPhase[];
  readonly logGroupName: string;
  readonly logStreamName: string;
  readonly environmentVariables: EnvironmentVariable[];
}

interface CodeBuildState {
  projects: Record<string, Project>;
  builds: Record<string, Build>;
}

export function codeBuildState(sandbox: Sandbox): CodeBuildState {
  const state = sandbox.state as { codebuild?: CodeBuildState };
  state.codebuild ??= { projects: {}, builds: {} };
  return state.codebuild;
}

const key = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;
export const projectArn = (p: Pick<Project, 'accountId' | 'region' | 'name'>): string =>
  `arn:aws:codebuild:${p.region}:${p.accountId}:project/${p.name}`;

export function findProject(sandbox: Sandbox, accountId: string, region: string, name: string): Project | undefined {
  return codeBuildState(sandbox).projects[key(accountId, region, name)];
}

export function saveProject(sandbox: Sandbox, project: Project): void {
  codeBuildState(sandbox).projects[key(project.accountId, project.region, project.name)] = project;
  sandbox.changed();
}

export function deleteProject(sandbox: Sandbox, accountId: string, region: string, name: string): void {
  delete codeBuildState(sandbox).projects[key(accountId, region, name)];
  sandbox.changed();
}

export function requireProject(sandbox: Sandbox, accountId: string, region: string, name: unknown): Project {
  const project = typeof name === 'string' ? findProject(sandbox, accountId, region, name) : undefined;
  if (!project) {
    throw new AwsError(
      'ResourceNotFoundException',
      `Project cannot be found: arn:aws:codebuild:${region}:${accountId}:project/${String(name)}`,
    );
  }
  return project;
}

/** Builds of a project, newest first. */
export function buildsOf(sandbox: Sandbox, accountId: string, region: string, projectName: string): Build[] {
  return Object.values(codeBuildState(sandbox).builds)
    .filter((b) => b.accountId === accountId && b.region === region && b.projectName === projectName)
    .sort((a, b) => b.buildNumber - a.buildNumber);
}

export function logDeepLink(build: Pick<Build, 'region' | 'logGroupName' | 'logStreamName'>): string {
  return `https://console.aws.amazon.com/cloudwatch/home?region=${build.region}#logEvent:group=${build.logGroupName};stream=${build.logStreamName}`;
}

export function buildConsoleUrl(build: Pick<Build, 'region' | 'id' | 'accountId'>): string {
  const [project, uuid] = build.id.split(':');
  return `https://${build.region}.console.aws.amazon.com/codesuite/codebuild/${build.accountId}/projects/${project}/build/${project}%3A${uuid}/?region=${build.region}`;
}
