// Runs a build as CodeBuild does: the buildspec (inline in the project, or the named file of the
// source) is parsed, its commands run with bash/sh in a fresh copy of the input artifact, each output
// line goes to CloudWatch Logs as it is printed, and the phases follow CodeBuild's transitions
// (INSTALL/PRE_BUILD failures end the build; a BUILD failure still runs POST_BUILD; artifacts and
// reports are uploaded after BUILD/POST_BUILD whatever their outcome; `finally` blocks always run;
// `on-failure: ABORT` ends the build, `on-failure: CONTINUE` goes on to the next phase). Artifacts are the files the commands wrote;
// reports are the files the commands wrote, parsed into the build's report groups. Phases without
// commands take simulated time (scaled by --speed); commands take the real time they take.
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryDir } from '../codecommit/repositories';
import type { Sandbox } from '../core/types';
import { unzipInto } from '../codepipeline/artifactZip';
import { appendLogEvents, findLogGroup } from '../logs/store';
import type { RoleSession } from '../iam/serviceRoles';
import { startAgentServer, type AgentServer } from './agentServer';
import { selectFiles, writeArtifact } from './artifacts';
import { BuildspecError, parseBuildspec, type Buildspec, type PhaseName } from './buildspec';
import { completeReport, groupForBuild, reportGroupArn, reportState, startReport } from './reports';
import { openBuildShell, type BuildShell } from './shell';
import { standins } from './standins/bundle';
import { buildsOf, codeBuildState, type Build, type EnvironmentVariable, type Project } from './store';
import { parameterArn, parameterValue, secretArn, secretValue } from './secretValues';
import { buildSession, goAccessDenied, logsDenied, s3AccessDenied } from './serviceRole';
import { copyArtifact, createWorkspace, extractCommit, type Workspace } from './workspace';

export interface BuildSource {
  readonly repositoryName: string;
  readonly commitId: string;
  /** The input artifact's zip, from the pipeline's artifact bucket. */
  readonly zip?: Buffer;
  /** Where the input artifact's zip is in the artifact bucket (the build's role must read it). */
  readonly location?: S3Location;
  /** Why the input artifact could not be downloaded (S3's error), failing DOWNLOAD_SOURCE. */
  readonly downloadError?: string;
  /** The input artifact's files, when there is no zip (a pipeline without an artifact bucket). */
  readonly artifactDir?: string;
}

export interface BuildRequest {
  readonly project: Project;
  readonly source: BuildSource;
  /** Pipeline-provided variables (COMMIT_ID …), overriding the project's. */
  readonly environmentOverrides: readonly EnvironmentVariable[];
  readonly initiator: string;
  /** Where the output artifact goes in the pipeline's artifact bucket (the build's role uploads it). */
  readonly artifactLocation?: S3Location;
}

export interface S3Location {
  readonly bucket: string;
  readonly key: string;
}

export interface BuildOutcome {
  readonly status: 'SUCCEEDED' | 'FAILED' | 'STOPPED' | 'TIMED_OUT';
  readonly message?: string;
  /** Directory holding the uploaded artifact (the files the buildspec's `artifacts:` selected). */
  readonly artifactDir?: string;
  /** `env: exported-variables` with their values at the end of the build. */
  readonly exportedVariables?: Record<string, string>;
}

/** Simulated AWS milliseconds of the phases that run no commands. */
const PHASE_MS: Record<string, number> = {
  SUBMITTED: 500,
  QUEUED: 1_000,
  PROVISIONING: 12_000,
  DOWNLOAD_SOURCE: 3_000,
  UPLOAD_ARTIFACTS: 2_000,
  FINALIZING: 2_000,
};

const BUILDSPEC_PHASES: [PhaseName, string][] = [
  ['install', 'INSTALL'],
  ['pre_build', 'PRE_BUILD'],
  ['build', 'BUILD'],
  ['post_build', 'POST_BUILD'],
];

class PhaseFailure extends Error {
  constructor(
    readonly statusCode: string,
    message: string,
  ) {
    super(message);
  }
}

class BuildTimeout extends Error {}

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

/** Stop requests for running builds (StopBuild), by build id. */
const stopControllers = new Map<string, AbortController>();

export function stopBuild(buildId: string): boolean {
  const controller = stopControllers.get(buildId);
  controller?.abort(new DOMException('Build was stopped', 'AbortError'));
  return controller !== undefined;
}

export async function runBuild(
  sandbox: Sandbox,
  build: Build,
  request: BuildRequest,
  outerSignal: AbortSignal,
): Promise<BuildOutcome> {
  const { project, source } = request;
  const clock = sandbox.clock;
  const stopper = new AbortController();
  stopControllers.set(build.id, stopper);
  const signal = AbortSignal.any([outerSignal, stopper.signal]);
  // Nothing reaches the log until the build's role has created its stream (PROVISIONING), and
  // nothing at all when PutLogEvents is denied.
  const assumed = buildSession(sandbox, project, build.logStreamName);
  const session = assumed.ok ? assumed.session : undefined;
  let logging = assumed.ok && !session;
  const log = (...lines: string[]): void => {
    if (logging)
      appendLogEvents(sandbox, build.accountId, build.region, build.logGroupName, build.logStreamName, lines);
  };
  /** The role's AccessDenied message for the first call it may not make, or undefined. */
  const denied = (...calls: (readonly [action: string, resource: string])[]): string | undefined => {
    if (!session) return undefined;
    for (const [action, resource] of calls) {
      const result = session.can(action, resource);
      if (!result.allowed) return result.message;
    }
    return undefined;
  };
  /** The agent's first act: the build's log stream (and its group, when missing), with the role. */
  const openLogStream = (role: RoleSession): void => {
    const groupArn = `arn:aws:logs:${build.region}:${build.accountId}:log-group:${build.logGroupName}`;
    const streamArn = `${groupArn}:log-stream:${build.logStreamName}`;
    const exists = findLogGroup(sandbox, build.accountId, build.region, build.logGroupName) !== undefined;
    const refused =
      (exists ? undefined : denied(['logs:CreateLogGroup', `${groupArn}:log-stream:`])) ??
      denied(['logs:CreateLogStream', streamArn]);
    if (refused) throw new PhaseFailure('ACCESS_DENIED', logsDenied(role.roleArn, build.arn, refused));
    // Without PutLogEvents the build runs on and its lines are lost.
    logging = !denied(['logs:PutLogEvents', streamArn]);
  };
  const container = (text: string): string => `[Container] ${stamp(new Date())} ${text}`;

  let workspace: Workspace | undefined;
  let shell: BuildShell | undefined;
  let agent: AgentServer | undefined;
  let spec: Buildspec | undefined;
  let env: Record<string, string> = {};
  let failure: { phase: string; statusCode: string; message: string } | undefined;
  let succeeding = true;
  let artifactDir: string | undefined;
  let exportedVariables: Record<string, string> | undefined;
  // The project's timeout, in real time at the sandbox's speed.
  const timeoutMs = (project.timeoutInMinutes * 60_000) / clock.speed;
  const timer = new AbortController();
  const timeout = setTimeout(() => {
    timer.abort(new BuildTimeout('Build has timed out. '));
    shell?.kill();
  }, timeoutMs);
  const combined = AbortSignal.any([signal, timer.signal]);
  const onStop = (): void => shell?.kill();
  signal.addEventListener('abort', onStop);

  const phase = async (name: string, work: () => Promise<void>, logged = true): Promise<boolean> => {
    startPhase(sandbox, build, name);
    if (logged && BUILDSPEC_PHASES.some(([, p]) => p === name)) log(container(`Entering phase ${name}`));
    try {
      combined.throwIfAborted();
      await work();
      combined.throwIfAborted();
      endPhase(sandbox, build, 'SUCCEEDED');
      if (logged)
        log(container(`Phase complete: ${name} State: SUCCEEDED`), container('Phase context status code:  Message: '));
      return true;
    } catch (error) {
      if (!(error instanceof PhaseFailure)) throw error;
      failure ??= { phase: name, statusCode: error.statusCode, message: error.message };
      succeeding = false;
      endPhase(sandbox, build, 'FAILED', { statusCode: error.statusCode, message: error.message });
      log(
        container(`Phase complete: ${name} State: FAILED`),
        container(`Phase context status code: ${error.statusCode} Message: ${error.message}`),
      );
      return false;
    }
  };

  const runCommands = async (commands: readonly string[]): Promise<string | undefined> => {
    for (const command of commands) {
      log(container(`Running command ${command}`));
      const status = await shell!.run(command, (line) => log(line), {
        CODEBUILD_BUILD_SUCCEEDING: succeeding ? '1' : '0',
      });
      combined.throwIfAborted();
      if (status !== 0) {
        log(container(`Command did not exit successfully ${command} exit status ${status}`));
        return `Error while executing command: ${command}. Reason: exit status ${status}`;
      }
    }
    return undefined;
  };

  try {
    await clock.sleep(PHASE_MS.SUBMITTED, combined);
    endPhase(sandbox, build, 'SUCCEEDED');
    await phase('QUEUED', () => clock.sleep(PHASE_MS.QUEUED, combined), false);
    const provisioned = await phase(
      'PROVISIONING',
      async () => {
        await clock.sleep(PHASE_MS.PROVISIONING, combined);
        if (!assumed.ok) throw new PhaseFailure('ACCESS_DENIED', assumed.message);
        if (session) openLogStream(session);
        log(
          container('Running on CodeBuild On-demand'),
          container('Waiting for agent ping'),
          container('Waiting for DOWNLOAD_SOURCE'),
        );
      },
      false,
    );
    const sourceOk =
      provisioned &&
      (await phase('DOWNLOAD_SOURCE', async () => {
        await clock.sleep(PHASE_MS.DOWNLOAD_SOURCE, combined);
        log(container('Phase is DOWNLOAD_SOURCE'));
        workspace = createWorkspace();
        log(container(`CODEBUILD_SRC_DIR=${workspace.src}`));
        if (source.location) {
          // The agent finds the bucket's region and owner, then reads the object, all with the build's role.
          const { bucket, key } = source.location;
          const refused = denied(
            ['s3:GetBucketAcl', `arn:aws:s3:::${bucket}`],
            ['s3:GetBucketLocation', `arn:aws:s3:::${bucket}`],
            ['s3:GetObject', `arn:aws:s3:::${bucket}/${key}`],
          );
          if (refused)
            throw new PhaseFailure(
              'CLIENT_ERROR',
              `${s3AccessDenied()} for primary source and source version arn:aws:s3:::${bucket}/${key}`,
            );
        }
        if (source.downloadError) throw new PhaseFailure('CLIENT_ERROR', source.downloadError);
        if (source.zip) await unzipInto(source.zip, workspace.src);
        else if (source.artifactDir) copyArtifact(source.artifactDir, workspace.src);
        else
          await extractCommit(
            repositoryDir(sandbox, {
              accountId: project.accountId,
              region: project.region,
              repositoryName: source.repositoryName,
            }),
            source.commitId,
            workspace.src,
          );
        let text = project.source.buildspec ?? 'buildspec.yml';
        if (!text.includes('\n')) {
          // A file name: CodeBuild reads it from the source (UseRepositoryBuildspec=true).
          const path = join(workspace.src, text);
          log(container(`YAML location is ${path}`));
          if (!existsSync(path)) throw new PhaseFailure('YAML_FILE_ERROR', `stat ${path}: no such file or directory`);
          text = readFileSync(path, 'utf8');
        } else {
          log(container(`YAML location is ${join(workspace.agent, 'buildspec.yml')}`));
        }
        try {
          spec = parseBuildspec(text);
        } catch (error) {
          if (error instanceof BuildspecError) throw new PhaseFailure('YAML_FILE_ERROR', error.message);
          throw error;
        }
        log(
          container('Setting HTTP client timeout to higher timeout for S3 source'),
          container('Processing environment variables'),
        );
        env = resolveEnvironment(sandbox, build, project, spec, workspace, log, container, denied);
        const tools = await standins(join(sandbox.dataDir, 'codebuild', 'standins'));
        env.PATH = `${tools.bin}:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin`;
        agent = await startAgentServer(sandbox, join(workspace.agent, 'agent.sock'), project, session);
        env.SANDBOX_AGENT_SOCKET = agent.socketPath;
        // The stand-ins' daemon starts alongside the first commands; until it listens, the shims
        // run the tools with node themselves.
        env.SANDBOX_STANDIN_SOCKET = join(workspace.agent, 'standin.sock');
        shell = await openBuildShell({ shell: spec.shell ?? 'sh', env, cwd: workspace.src, stateDir: workspace.agent });
        shell.startHelper(tools.daemon(env.SANDBOX_STANDIN_SOCKET));
        if (shell.isolationProblem)
          log(
            container(
              `Sandbox: this build has no network and PID namespace of its own (${shell.isolationProblem}); its ports are the machine's and a process it detaches may outlive it`,
            ),
          );
        log(container(`Moving to directory ${workspace.src}`));
      }));

    // CodeBuild's phase transitions: a failed INSTALL or PRE_BUILD ends the build (straight to
    // FINALIZING); a failed BUILD still runs POST_BUILD, and UPLOAD_ARTIFACTS is attempted after
    // BUILD and POST_BUILD whatever their outcome. `on-failure: ABORT` ends the build after any
    // failed phase, `on-failure: CONTINUE` goes on to the next phase.
    let ended = !provisioned || !sourceOk || !spec;
    if (!ended && spec) {
      for (const [key, name] of BUILDSPEC_PHASES) {
        const declared = spec.phases[key];
        const ok = await phase(name, async () => {
          if (!declared) return;
          const problem = await runCommands(declared.commands);
          const finallyProblem = declared.finally.length > 0 ? await runCommands(declared.finally) : undefined;
          if (problem ?? finallyProblem)
            throw new PhaseFailure('COMMAND_EXECUTION_ERROR', (problem ?? finallyProblem)!);
        });
        if (ok || declared?.onFailure === 'CONTINUE') continue;
        if (declared?.onFailure === 'ABORT' || key === 'install' || key === 'pre_build') {
          ended = true;
          break;
        }
      }
    }

    // Reports are uploaded with the artifacts, so a build that ends before UPLOAD_ARTIFACTS has
    // none (a failed PRE_BUILD without `on-failure: CONTINUE` leaves its report files unread).
    if (!ended && spec && workspace) {
      const ws = workspace;
      const buildspec = spec;
      await phase('UPLOAD_ARTIFACTS', async () => {
        await clock.sleep(PHASE_MS.UPLOAD_ARTIFACTS, combined);
        processReports(sandbox, build, project, buildspec, ws, log, container, denied);
        if (!buildspec.artifacts) return;
        log(
          container(`Expanding base directory path: ${buildspec.artifacts.baseDirectory ?? '.'}`),
          container('Assembling file list'),
        );
        const files = selectFiles(ws.src, buildspec.artifacts);
        log(container(`Expanding ${buildspec.artifacts.files.join(', ')}`), container(`Found ${files.length} file(s)`));
        if (files.length === 0) throw new PhaseFailure('CLIENT_ERROR', `no matching artifact paths found`);
        const target = request.artifactLocation;
        if (target && denied(['s3:PutObject', `arn:aws:s3:::${target.bucket}/${target.key}`]))
          throw new PhaseFailure('CLIENT_ERROR', `${s3AccessDenied()} for primary artifact`);
        artifactDir = join(sandbox.dataDir, 'codebuild', 'artifacts', build.logStreamName);
        writeArtifact(files, artifactDir);
      });
    }
    if (spec && workspace) exportedVariables = await readExported(shell, spec.exportedVariables);
    await phase('FINALIZING', () => clock.sleep(PHASE_MS.FINALIZING, combined), false);
  } catch (error) {
    if (timer.signal.aborted && !signal.aborted) {
      endPhase(sandbox, build, 'TIMED_OUT', { statusCode: 'BUILD_TIMED_OUT', message: 'Build has timed out. ' });
      log(container(`Phase complete: ${build.currentPhase} State: TIMED_OUT`));
      complete(sandbox, build, 'TIMED_OUT');
      return { status: 'TIMED_OUT', message: 'Build has timed out. ' };
    }
    if (!signal.aborted) throw error;
    endPhase(sandbox, build, 'STOPPED');
    complete(sandbox, build, 'STOPPED');
    return { status: 'STOPPED', message: 'Build was stopped' };
  } finally {
    clearTimeout(timeout);
    signal.removeEventListener('abort', onStop);
    stopControllers.delete(build.id);
    shell?.kill();
    await agent?.close();
    workspace?.remove();
  }
  complete(sandbox, build, failure ? 'FAILED' : 'SUCCEEDED');
  if (failure) return { status: 'FAILED', message: failure.message };
  return {
    status: 'SUCCEEDED',
    ...(artifactDir ? { artifactDir } : {}),
    ...(exportedVariables ? { exportedVariables } : {}),
  };
}

/** CodeBuild's environment: its own variables, then the buildspec's, the project's and the action's. */
function resolveEnvironment(
  sandbox: Sandbox,
  build: Build,
  project: Project,
  spec: Buildspec,
  workspace: Workspace,
  log: (...lines: string[]) => void,
  container: (text: string) => string,
  denied: Denied,
): Record<string, string> {
  const parameter = (name: string): string => {
    const refused = denied(['ssm:GetParameters', parameterArn(build.accountId, build.region, name)]);
    if (refused) throw new PhaseFailure('Decrypted Variables Error', goAccessDenied(refused));
    const value = parameterValue(sandbox, build.accountId, build.region, name);
    if (value === undefined) throw new PhaseFailure('Decrypted Variables Error', `parameter does not exist: ${name}`);
    return value;
  };
  const secret = (reference: string): string => {
    const refused = denied([
      'secretsmanager:GetSecretValue',
      secretArn(sandbox, build.accountId, build.region, reference),
    ]);
    if (refused) throw new PhaseFailure('Secrets Manager Error', goAccessDenied(refused));
    const value = secretValue(sandbox, build.accountId, build.region, reference);
    if (value === undefined)
      throw new PhaseFailure(
        'Secrets Manager Error',
        "ResourceNotFoundException: Secrets Manager can't find the specified secret.",
      );
    return value;
  };
  const env: Record<string, string> = {
    HOME: workspace.home,
    TMPDIR: workspace.tmp,
    LANG: 'C.UTF-8',
    CODEBUILD_BUILD_ID: build.id,
    CODEBUILD_BUILD_ARN: build.arn,
    CODEBUILD_BUILD_NUMBER: String(build.buildNumber),
    CODEBUILD_BUILD_IMAGE: project.environment.image,
    CODEBUILD_INITIATOR: build.initiator,
    CODEBUILD_RESOLVED_SOURCE_VERSION: build.sourceVersion,
    CODEBUILD_SOURCE_VERSION: build.sourceVersion,
    CODEBUILD_SRC_DIR: workspace.src,
    CODEBUILD_START_TIME: String(build.startTime),
    CODEBUILD_LOG_PATH: build.logStreamName,
    CODEBUILD_BUILD_SUCCEEDING: '1',
    CODEBUILD_KMS_KEY_ID: `arn:aws:kms:${build.region}:${build.accountId}:alias/aws/s3`,
    AWS_REGION: build.region,
    AWS_DEFAULT_REGION: build.region,
    ...spec.variables,
  };
  if (Object.keys(spec.parameterStore).length > 0) {
    log(container('Decrypting parameter store environment variables'));
    for (const [name, reference] of Object.entries(spec.parameterStore)) env[name] = parameter(reference);
  }
  for (const [name, reference] of Object.entries(spec.secretsManager)) env[name] = secret(reference);
  for (const v of build.environmentVariables)
    env[v.name] =
      v.type === 'PLAINTEXT' ? v.value : v.type === 'PARAMETER_STORE' ? parameter(v.value) : secret(v.value);
  return env;
}

async function readExported(
  shell: BuildShell | undefined,
  names: readonly string[],
): Promise<Record<string, string> | undefined> {
  if (!shell || names.length === 0) return undefined;
  const values: Record<string, string> = {};
  const lines: string[] = [];
  await shell.run(names.map((n) => `printf '%s=%s\\n' ${n} "$${n}"`).join('\n'), (l) => lines.push(l));
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) values[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return values;
}

function processReports(
  sandbox: Sandbox,
  build: Build,
  project: Project,
  spec: Buildspec,
  workspace: Workspace,
  log: (...lines: string[]) => void,
  container: (text: string) => string,
  denied: Denied,
): void {
  for (const [name, report] of Object.entries(spec.reports)) {
    log(container(`Preparing to copy TEST report ${name}`));
    const files = selectFiles(workspace.src, report);
    if (files.length === 0) {
      log(container(`Skipping TEST report ${name}: no files matching ${report.files.join(', ')}`));
      continue;
    }
    if (report.fileFormat !== 'JUNITXML') {
      log(container(`Error: the sandbox parses JUNITXML reports only; report ${name} is ${report.fileFormat}`));
      continue;
    }
    // The report group and its report are created with the build's role; a refusal loses this
    // report (CodeBuild logs it) and the build goes on.
    const groupArn = name.startsWith('arn:')
      ? name
      : reportGroupArn(project.accountId, project.region, `${project.name}-${name}`);
    const refused = denied(
      ...(reportState(sandbox).groups[groupArn] ? [] : [['codebuild:CreateReportGroup', groupArn] as const]),
      ['codebuild:CreateReport', groupArn],
      ['codebuild:UpdateReport', groupArn],
      ['codebuild:BatchPutTestCases', groupArn],
    );
    if (refused) {
      log(container(`Error creating report ${name}: AccessDeniedException: ${refused}`));
      continue;
    }
    const group = groupForBuild(sandbox, project, name);
    const stored = startReport(sandbox, group, build);
    const problems = completeReport(
      sandbox,
      stored,
      files.map((f) => ({ path: f.path, rawDataPath: f.artifactPath })),
    );
    for (const p of problems) log(container(p));
    log(container(`Report ${stored.arn}: ${stored.testSummary.total} test case(s), status ${stored.status}`));
  }
}

type Denied = (...calls: (readonly [action: string, resource: string])[]) => string | undefined;

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
