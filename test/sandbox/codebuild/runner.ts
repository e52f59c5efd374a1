// Runs a build through CodeBuild's phases in simulated time, writing CodeBuild-style lines to
// CloudWatch Logs. What a build does is read from its project's buildspec: a buildspec that runs
// gitleaks is the security-tests build (its PRE_BUILD scans the commit for secrets for real), one
// that writes imagedefinitions.json pushes the image to ECR and hands that file to the Deploy stage.
import { randomUUID } from 'node:crypto';
import { repositoryDir } from '../codecommit/repositories';
import type { Sandbox } from '../core/types';
import { findRepository as findEcrRepository, pushImage } from '../ecr/store';
import { appendLogEvents } from '../logs/store';
import { readCommitFile, scanCommit } from './secretScan';
import { buildsOf, codeBuildState, type Build, type EnvironmentVariable, type Project } from './store';

export interface BuildSource {
  readonly repositoryName: string;
  readonly commitId: string;
}

export interface BuildRequest {
  readonly project: Project;
  readonly source: BuildSource;
  /** Pipeline-provided variables (COMMIT_ID …), overriding the project's. */
  readonly environmentOverrides: readonly EnvironmentVariable[];
  readonly initiator: string;
}

export interface BuildOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED';
  /** e.g. "Error while executing command: … Reason: exit status 1" */
  readonly message?: string;
  readonly failedPhase?: string;
  /** imagedefinitions.json written by an image-pushing build. */
  readonly imageDefinitions?: string;
}

/** Simulated AWS milliseconds per phase. */
const PHASE_MS: Record<string, number> = {
  SUBMITTED: 500,
  QUEUED: 1_000,
  PROVISIONING: 12_000,
  DOWNLOAD_SOURCE: 3_000,
  INSTALL: 15_000,
  PRE_BUILD: 20_000,
  BUILD: 30_000,
  POST_BUILD: 1_000,
  UPLOAD_ARTIFACTS: 2_000,
  FINALIZING: 2_000,
};

class PhaseFailure extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

export function createBuild(sandbox: Sandbox, request: BuildRequest): Build {
  const { project } = request;
  const uuid = randomUUID();
  const id = `${project.name}:${uuid}`;
  const now = sandbox.clock.now().getTime();
  const previous = buildsOf(sandbox, project.accountId, project.region, project.name)[0];
  const build: Build = {
    id,
    arn: `arn:aws:codebuild:${project.region}:${project.accountId}:build/${id}`,
    buildNumber: (previous?.buildNumber ?? 0) + 1,
    projectName: project.name,
    accountId: project.accountId,
    region: project.region,
    startTime: now,
    currentPhase: 'SUBMITTED',
    buildStatus: 'IN_PROGRESS',
    buildComplete: false,
    sourceVersion: request.source.commitId,
    initiator: request.initiator,
    phases: [{ phaseType: 'SUBMITTED', startTime: now }],
    logGroupName: project.logGroupName ?? `/aws/codebuild/${project.name}`,
    logStreamName: uuid,
    environmentVariables: mergeVariables(project.environment.environmentVariables, request.environmentOverrides),
  };
  codeBuildState(sandbox).builds[id] = build;
  sandbox.changed();
  return build;
}

export async function runBuild(
  sandbox: Sandbox,
  build: Build,
  request: BuildRequest,
  signal: AbortSignal,
): Promise<BuildOutcome> {
  const { project, source } = request;
  const clock = sandbox.clock;
  const env = new Map(build.environmentVariables.map((v) => [v.name, v.value]));
  const gitDir = repositoryDir(sandbox, {
    accountId: project.accountId,
    region: project.region,
    repositoryName: source.repositoryName,
  });
  const srcDir = `/codebuild/output/src${String(build.buildNumber * 7919).padStart(9, '1')}/src`;
  const log = (...lines: string[]): void =>
    appendLogEvents(sandbox, build.accountId, build.region, build.logGroupName, build.logStreamName, lines);
  const container = (text: string): string => `[Container] ${stamp(clock.now())} ${text}`;

  let buildspec = project.source.buildspec ?? 'buildspec.yml';
  let buildspecLocation = '/codebuild/readonly/buildspec.yml';
  if (!buildspec.includes('\n')) {
    // A file name: CodeBuild reads it from the source (UseRepositoryBuildspec=true).
    buildspecLocation = `${srcDir}/${buildspec}`;
    buildspec = (await readCommitFile(gitDir, source.commitId, buildspec)) ?? '';
  }
  const scansSecrets = /\bgitleaks\b/.test(buildspec);
  const pushesImage = buildspec.includes('imagedefinitions.json');
  let imageDefinitions: string | undefined;

  const steps: [string, () => Promise<void> | void][] = [
    ['QUEUED', () => undefined],
    [
      'PROVISIONING',
      () =>
        log(
          container('Running on CodeBuild On-demand'),
          container('Waiting for agent ping'),
          container('Waiting for DOWNLOAD_SOURCE'),
        ),
    ],
    [
      'DOWNLOAD_SOURCE',
      async () => {
        log(
          container('Phase is DOWNLOAD_SOURCE'),
          container(`CODEBUILD_SRC_DIR=${srcDir}`),
          container(`YAML location is ${buildspecLocation}`),
        );
        if (buildspec === '')
          throw new PhaseFailure(
            'YAML_FILE_ERROR',
            `YAML_FILE_ERROR: stat ${buildspecLocation}: no such file or directory`,
          );
        log(
          container('Setting HTTP client timeout to higher timeout for S3 source'),
          container('Processing environment variables'),
          container(`Moving to directory ${srcDir}`),
        );
        await Promise.resolve();
      },
    ],
    [
      'INSTALL',
      () => {
        log(container('Running command echo "Installing tools"'));
        if (scansSecrets)
          log(
            container('Running command gitleaks version && hadolint --version && trivy --version'),
            'v8.21.2',
            'Haskell Dockerfile Linter 2.12.0',
            'Version: 0.57.1',
          );
        else log(container('Running command trivy --version'), 'Version: 0.57.1');
      },
    ],
    [
      'PRE_BUILD',
      async () => {
        log(
          container(
            'Running command test -n "$COMMIT_ID" || { echo "COMMIT_ID is not set (the pipeline passes it)"; exit 1; }',
          ),
        );
        if (!env.get('COMMIT_ID')) {
          log('COMMIT_ID is not set (the pipeline passes it)');
          throw commandFailure('test -n "$COMMIT_ID"');
        }
        if (scansSecrets) {
          log(
            container('Running command failed=""'),
            container(
              'gitleaks dir . --no-banner --redact --exit-code 1 --report-format junit --report-path reports/secrets.xml',
            ),
          );
          const findings = await scanCommit(gitDir, source.commitId);
          for (const f of findings) log(`FINDING: ${f.rule} in ${f.file}:${f.line}`);
          log(findings.length > 0 ? `WRN leaks found: ${findings.length}` : 'INF no leaks found');
          const failed = findings.length > 0 ? ['secrets-scan'] : [];
          // hadolint reads the Dockerfile: a commit without one fails here, before any docker build.
          const dockerfile = env.get('DOCKERFILE') ?? 'Dockerfile';
          if ((await readCommitFile(gitDir, source.commitId, dockerfile)) === undefined) {
            log(`${dockerfile}: openFile: does not exist (No such file or directory)`);
            failed.push('dockerfile-lint');
          } else {
            log('hadolint: no findings at or above the threshold');
          }
          log('trivy fs: no fixable vulnerabilities found');
          if (failed.length > 0) {
            log(`Security tests failed: ${failed.join(' ')} (see the SecurityTests report)`);
            throw commandFailure('failed=""');
          }
        } else if (pushesImage) {
          log(
            container('Running command docker load --input image.tar'),
            `Loaded image: ${env.get('IMAGE_NAME') ?? 'app'}:${env.get('COMMIT_ID') ?? ''}`,
            'smoke test: GET health check answered 200',
            'trivy image: no fixable vulnerabilities found',
          );
        }
      },
    ],
    [
      'BUILD',
      () => {
        const commit = env.get('COMMIT_ID') ?? source.commitId;
        if (pushesImage) {
          const uri = env.get('REPOSITORY_URI') ?? '';
          const repoName = uri.slice(uri.indexOf('/') + 1);
          const repo = findEcrRepository(sandbox, project.accountId, project.region, repoName);
          log(
            container(
              'Running command aws ecr get-login-password --region "$AWS_DEFAULT_REGION" | docker login --username AWS --password-stdin "${REPOSITORY_URI%%/*}"',
            ),
            'Login Succeeded',
          );
          log(
            container(`Running command docker push "$REPOSITORY_URI:$COMMIT_ID"`),
            `The push refers to repository [${uri}]`,
          );
          if (!repo) {
            log(
              `name unknown: The repository with name '${repoName}' does not exist in the registry with id '${project.accountId}'`,
            );
            throw commandFailure('docker push "$REPOSITORY_URI:$COMMIT_ID"');
          }
          const image = pushImage(sandbox, repo, commit, [commit, 'latest']);
          log(`${commit}: digest: ${image.imageDigest} size: 2203`);
          imageDefinitions = `[{"name":"${env.get('CONTAINER_NAME') ?? repoName}","imageUri":"${uri}:${commit}"}]`;
          log(container('Running command cat imagedefinitions.json'), imageDefinitions);
        } else {
          log(
            container(`Running command docker build --pull --file "$DOCKERFILE" --tag "$IMAGE_NAME:$COMMIT_ID" .`),
            'Successfully built image',
            `Successfully tagged ${env.get('IMAGE_NAME') ?? 'app'}:${commit}`,
          );
        }
      },
    ],
    ['POST_BUILD', () => undefined],
    [
      'UPLOAD_ARTIFACTS',
      () =>
        log(
          container('Expanding base directory path: .'),
          container('Assembling file list'),
          container(pushesImage ? 'Found 1 file(s)' : 'Found 1 file(s)'),
        ),
    ],
    ['FINALIZING', () => undefined],
  ];

  let failure: { phase: string; statusCode: string; message: string } | undefined;
  try {
    await clock.sleep(PHASE_MS.SUBMITTED, signal);
    endPhase(sandbox, build, 'SUCCEEDED');
    for (const [phase, work] of steps) {
      // After a failed phase CodeBuild skips to FINALIZING (buildspec phases use on-failure: ABORT).
      if (failure && phase !== 'FINALIZING' && phase !== 'UPLOAD_ARTIFACTS') continue;
      startPhase(sandbox, build, phase);
      const isBuildspecPhase = ['INSTALL', 'PRE_BUILD', 'BUILD', 'POST_BUILD'].includes(phase);
      if (isBuildspecPhase) log(container(`Entering phase ${phase}`));
      await clock.sleep(PHASE_MS[phase] ?? 1_000, signal);
      try {
        if (!failure) await work();
        endPhase(sandbox, build, 'SUCCEEDED');
        if (isBuildspecPhase || phase === 'DOWNLOAD_SOURCE')
          log(
            container(`Phase complete: ${phase} State: SUCCEEDED`),
            container('Phase context status code:  Message: '),
          );
      } catch (error) {
        if (!(error instanceof PhaseFailure)) throw error;
        failure = { phase, statusCode: error.statusCode, message: error.message };
        endPhase(sandbox, build, 'FAILED', { statusCode: error.statusCode, message: error.message });
        log(
          container(`Phase complete: ${phase} State: FAILED`),
          container(`Phase context status code: ${error.statusCode} Message: ${error.message}`),
        );
      }
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    endPhase(sandbox, build, 'STOPPED');
    complete(sandbox, build, 'STOPPED');
    return { status: 'STOPPED', message: 'Build was stopped' };
  }
  complete(sandbox, build, failure ? 'FAILED' : 'SUCCEEDED');
  return failure
    ? { status: 'FAILED', failedPhase: failure.phase, message: failure.message }
    : { status: 'SUCCEEDED', ...(imageDefinitions ? { imageDefinitions } : {}) };
}

function commandFailure(command: string): PhaseFailure {
  return new PhaseFailure(
    'COMMAND_EXECUTION_ERROR',
    `Error while executing command: ${command}. Reason: exit status 1`,
  );
}

function startPhase(sandbox: Sandbox, build: Build, phase: string): void {
  build.currentPhase = phase;
  build.phases.push({ phaseType: phase, startTime: sandbox.clock.now().getTime() });
  sandbox.changed();
}

function endPhase(
  sandbox: Sandbox,
  build: Build,
  status: string,
  context?: { statusCode: string; message: string },
): void {
  const phase = build.phases[build.phases.length - 1];
  const now = sandbox.clock.now().getTime();
  phase.phaseStatus = status;
  phase.endTime = now;
  phase.durationInSeconds = Math.round((now - phase.startTime) / 1000);
  if (context) phase.contexts = [context];
  sandbox.changed();
}

function complete(sandbox: Sandbox, build: Build, status: Build['buildStatus']): void {
  const now = sandbox.clock.now().getTime();
  build.currentPhase = 'COMPLETED';
  build.buildStatus = status;
  build.buildComplete = true;
  build.endTime = now;
  build.phases.push({ phaseType: 'COMPLETED', startTime: now });
  sandbox.changed();
}

function mergeVariables(
  base: readonly EnvironmentVariable[],
  overrides: readonly EnvironmentVariable[],
): EnvironmentVariable[] {
  const merged = new Map(base.map((v) => [v.name, v]));
  for (const v of overrides) merged.set(v.name, v);
  return [...merged.values()];
}

/** CodeBuild's agent timestamps: `2024/01/31 12:34:56.789012`. */
function stamp(date: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds() * 1000, 6)}`;
}
