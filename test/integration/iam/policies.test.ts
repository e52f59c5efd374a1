// docs/iam's policies, proven against the sandbox's IAM: the extension's paths (deploy of the bundled
// templates, Commit and Push, a run followed to success with its logs and findings, Service Health,
// Start Tasks, Release Change/Stop/Retry/Approve, Delete) under exactly the full policy; the views
// under exactly the watch policy, which may not deploy or push; and each statement of each policy
// removed in turn, naming the feature that then fails with AccessDenied and the message the user
// reads (the statements CloudFormation uses to create the templates' resources fail a first deploy:
// the sandbox authorizes resource handlers as the caller, test/sandbox/cloudformation/forwardAccess.ts).
// One shared stack; every call goes through the extension's own AWS modules (real SDK, real
// HTTP) with credentials from named profiles, as a user configures them.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AwsSession } from '../../../src/aws/awsSession';
import { cloudFormationApi } from '../../../src/aws/cloudformation';
import { codeBuildApi } from '../../../src/aws/codebuild';
import { codeCommitApi } from '../../../src/aws/codecommit';
import { codePipelineApi } from '../../../src/aws/codepipeline';
import { ecrApi } from '../../../src/aws/ecr';
import { ecsApi } from '../../../src/aws/ecs';
import { elbv2Api } from '../../../src/aws/elbv2';
import { errorCode, explainAwsError, pollErrorKind } from '../../../src/aws/errors';
import { logsApi } from '../../../src/aws/logs';
import { s3Api } from '../../../src/aws/s3';
import { systemClock } from '../../../src/deploy/clock';
import { DeployEngine, type DeployReporter } from '../../../src/deploy/deployEngine';
import { loadBuildFindings } from '../../../src/findings/buildFindings';
import { HealthTracker } from '../../../src/health/healthTracker';
import { PipelineTracker } from '../../../src/pipeline/pipelineTracker';
import { silentLogger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { authorizationLog } from '../../sandbox/iam/authorizer';
import { services } from '../../sandbox/services';
import { waitFor } from '../../support/waitFor';
import { APP_FILES, awsCli, run } from '../pipeline/workshop';
import { cliEnv } from '../sandbox/helpers';
import {
  policyIdentities,
  readPolicy,
  statementGrants,
  withoutProfile,
  type PolicyIdentity,
  type PolicyName,
} from './policyIdentities';

const PIPELINE_STACK = 'WorkshopPipeline';
const SERVICE_STACK = 'WorkshopPipeline-Service';
const REPOSITORY = 'modernization-workshop';
const CLUSTER = 'ModernizationCluster';
const SERVICE = 'ModernService';

const quietReporter: DeployReporter = {
  phase: () => undefined,
  event: () => undefined,
  status: () => undefined,
  retrying: () => undefined,
  confirmChanges: () => Promise.resolve(true),
  chooseRecovery: () => Promise.resolve('none'),
};

describe('docs/iam policies against the sandbox', () => {
  let running: RunningSandbox;
  let work: string;
  let identities: ReadonlyMap<string, PolicyIdentity>;
  const sessions = new Map<string, AwsSession>();
  const saved = { ...process.env };
  let pipelineName = '';
  let artifactBucket = '';
  let cloneUrl = '';
  let buildId = '';
  let clone = '';

  const identity = (profile: string): PolicyIdentity => {
    const found = identities.get(profile);
    assert.ok(found, `no identity ${profile}`);
    return found;
  };
  const session = (profile: string): AwsSession => {
    let s = sessions.get(profile);
    if (!s) {
      s = new AwsSession({ profile, region: 'us-east-1', endpointUrl: running.endpoint, sso: false }, silentLogger);
      sessions.set(profile, s);
    }
    return s;
  };
  const git = (profile: string, cwd: string, ...args: string[]) => {
    const who = identity(profile);
    const home = join(work, 'home');
    return run(
      'git',
      [
        '-c',
        'credential.helper=',
        '-c',
        `credential.helper=!${awsCli()} codecommit credential-helper --ignore-host-check $@`,
        '-c',
        'credential.UseHttpPath=true',
        '-c',
        'user.name=Policy Tester',
        '-c',
        'user.email=policy@example.com',
        ...args,
      ],
      { cwd, env: cliEnv(home, { AWS_ACCESS_KEY_ID: who.accessKeyId, AWS_SECRET_ACCESS_KEY: who.secretAccessKey }) },
    );
  };
  const deploy = (profile: string, stackName: string, template: string, parameters: { key: string; value: string }[]) =>
    new DeployEngine(cloudFormationApi(session(profile)), systemClock, { intervalMs: 100, maxBackoffMs: 400 }).deploy(
      { stackName, templateBody: readFileSync(template, 'utf8'), parameters },
      quietReporter,
    );
  const deployPipeline = (profile: string) =>
    deploy(profile, PIPELINE_STACK, 'media/templates/pipeline.yaml', [
      { key: 'CreateCodeCommitRepository', value: 'true' },
      { key: 'CreateEcrRepository', value: 'true' },
    ]);
  const pipelineTracker = (profile: string) =>
    new PipelineTracker({
      api: codePipelineApi(session(profile)),
      pipelineName,
      region: 'us-east-1',
      account: '000000000000',
      errorContext: session(profile).config,
      notifications: () => 'none',
    });
  const healthTracker = (profile: string) =>
    new HealthTracker({
      ecs: ecsApi(session(profile)),
      elbv2: elbv2Api(session(profile)),
      cluster: CLUSTER,
      service: SERVICE,
      where: { account: '000000000000', region: 'us-east-1' },
      errorContext: session(profile).config,
    });
  /** Show Build Logs: which log the build writes, then its events. */
  const readBuildLog = async (profile: string) => {
    const build = await codeBuildApi(session(profile)).getBuild(buildId);
    assert.ok(build?.logGroup && build.logStream, 'the build names its log');
    return logsApi(session(profile)).getLogEvents(build.logGroup, build.logStream);
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'wp-iam-policies-'));
    mkdirSync(join(work, 'home'), { recursive: true });
    const made = policyIdentities(work);
    identities = made.identities;
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
      delete process.env[key];
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(work, 'credentials');
    process.env.AWS_CONFIG_FILE = join(work, 'config');
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    running = await startSandbox({ port: 0, speed: 60, seed: 1, services, credentials: made.credentials });
  });

  after(async () => {
    for (const s of sessions.values()) s.dispose();
    await running?.close();
    rmSync(work, { recursive: true, force: true });
    process.env = saved;
  });

  it('full policy: deploys the bundled service and pipeline templates through change sets', async () => {
    // What the deploy plan asks before it deploys: do the repositories exist yet?
    assert.equal(await codeCommitApi(session('full')).getRepository(REPOSITORY), undefined);
    assert.equal(await ecrApi(session('full')).repositoryExists(REPOSITORY), false);
    const service = await deploy('full', SERVICE_STACK, 'media/templates/service.yaml', [
      { key: 'ImageUri', value: 'public.ecr.aws/nginx/nginx:latest' },
    ]);
    assert.equal(service.kind, 'succeeded', JSON.stringify(service));
    const pipeline = await deployPipeline('full');
    assert.equal(pipeline.kind, 'succeeded', JSON.stringify(pipeline));
    assert.ok(pipeline.kind === 'succeeded');
    const output = (key: string) => pipeline.stack.outputs.find((o) => o.key === key)?.value ?? '';
    pipelineName = output('PipelineName');
    artifactBucket = output('ArtifactBucket');
    assert.match(pipelineName, /^WorkshopPipeline-Pipeline-/);
    assert.match(artifactBucket, /^workshoppipeline-/);
  });

  it('full policy: Commit and Push starts a run, followed to success with its build log and findings', async () => {
    const repository = await codeCommitApi(session('full')).getRepository(REPOSITORY);
    cloneUrl = repository?.cloneUrlHttp ?? '';
    assert.ok(cloneUrl, 'the repository has a clone URL');
    clone = join(work, 'clone');
    await git('full', work, 'clone', '--quiet', cloneUrl, clone);
    for (const [name, content] of Object.entries(APP_FILES)) {
      mkdirSync(join(clone, name, '..'), { recursive: true });
      writeFileSync(join(clone, name), content);
    }
    await git('full', clone, 'add', '-A');
    await git('full', clone, 'commit', '--quiet', '-m', 'the app');
    await git('full', clone, 'push', '--quiet', 'origin', 'HEAD:master');
    const commitId = (await git('full', clone, 'rev-parse', 'HEAD')).trim();

    const tracker = pipelineTracker('full');
    try {
      tracker.follow({ commitId, pushedAt: Date.now() });
      const execution = await waitFor(
        async () => {
          await tracker.run();
          const match = tracker.view.followMatch;
          assert.equal(tracker.view.problem, undefined, tracker.view.problem?.message);
          return match?.kind === 'matched' && !['InProgress', 'Stopping'].includes(match.execution.status)
            ? match.execution
            : undefined;
        },
        240_000,
        () => `the run of ${commitId}: ${JSON.stringify(tracker.view.followMatch)}`,
        250,
      );
      assert.equal(execution.status, 'Succeeded', execution.statusSummary);
      const actions = await tracker.loadActionExecutions(execution.id);
      buildId = actions.find((a) => a.stageName === 'Build')?.output?.executionResult?.externalExecutionId ?? '';
      assert.ok(buildId, 'the Build action names its CodeBuild build');
    } finally {
      tracker.dispose();
    }
    assert.ok((await readBuildLog('full')).lines.length > 0, 'the build log has lines');
    const findings = await loadBuildFindings(codeBuildApi(session('full')), buildId);
    assert.ok(findings.reports.length > 0, 'the security tests reported');
  });

  it('full policy: Service Health, Start Tasks, Release Change, Stop, Retry and Approve reach their services', async () => {
    const health = healthTracker('full');
    try {
      const outcome = await health.run();
      assert.equal(health.view.problem, undefined, health.view.problem?.message);
      assert.ok(health.view.health, 'the service is shown');
      assert.notEqual(outcome.paused, true);
    } finally {
      health.dispose();
    }
    await ecsApi(session('full')).setDesiredCount(CLUSTER, SERVICE, 2);
    const api = codePipelineApi(session('full'));
    const started = await api.startPipelineExecution(pipelineName);
    assert.ok(started);
    await api.stopPipelineExecution(pipelineName, started, true, 'policy test');
    // Allowed, so the service itself answers: nothing to retry, no approval action in this pipeline.
    await assert.rejects(api.retryStageExecution(pipelineName, 'Build', started), (e) => {
      assert.match(errorCode(e) ?? '', /^(StageNotRetryableException|ConflictException)$/, String(e));
      return true;
    });
    await assert.rejects(
      api.putApprovalResult({
        name: pipelineName,
        stageName: 'Deploy',
        actionName: 'Approve',
        token: '00000000-0000-0000-0000-000000000000',
        approved: true,
        summary: 'policy test',
      }),
      (e) => {
        assert.match(errorCode(e) ?? '', /^(ActionNotFoundException|InvalidApprovalTokenException)$/, String(e));
        return true;
      },
    );
  });

  it('watch policy: the Pipeline and Service Health views, build logs and findings work', async () => {
    assert.ok(await cloudFormationApi(session('watch')).describeStack(PIPELINE_STACK));
    assert.ok((await codePipelineApi(session('watch')).listPipelines()).some((p) => p.name === pipelineName));
    const tracker = pipelineTracker('watch');
    const health = healthTracker('watch');
    try {
      await tracker.run();
      assert.equal(tracker.view.problem, undefined, tracker.view.problem?.message);
      assert.ok(tracker.view.history.length > 0, 'the executions are listed');
      await health.run();
      assert.equal(health.view.problem, undefined, health.view.problem?.message);
      assert.ok(health.view.health);
    } finally {
      tracker.dispose();
      health.dispose();
    }
    assert.ok((await readBuildLog('watch')).lines.length > 0);
    assert.ok((await loadBuildFindings(codeBuildApi(session('watch')), buildId)).reports.length > 0);
  });

  it('watch policy: a deploy and a push are denied, and the deploy says which permission to attach', async () => {
    const viewer = identity('watch').userArn;
    await assert.rejects(deployPipeline('watch'), (e) => {
      const explained = explainAwsError(e, session('watch').config);
      assert.equal(explained.kind, 'accessDenied');
      assert.equal(
        explained.message,
        `${viewer} is not allowed cloudformation:ValidateTemplate. Attach docs/iam/workshop-pipeline-full.json (or -watch.json for watching) — see Permissions in the README.`,
      );
      return true;
    });
    writeFileSync(join(clone, 'watch.txt'), 'a viewer may not push\n');
    await git('full', clone, 'add', '-A');
    await git('full', clone, 'commit', '--quiet', '-m', 'from a viewer');
    await assert.rejects(git('watch', clone, 'push', '--quiet', 'origin', 'HEAD:master'), /returned error: 403/);
    assert.ok(
      authorizationLog(running.sandbox).some(
        (r) => r.arn === viewer && r.action === 'codecommit:GitPush' && r.verdict !== 'allowed',
      ),
      'CodeCommit refused codecommit:GitPush to the viewer',
    );
  });

  it('each statement is needed: without it, the feature it serves fails with AccessDenied naming it', async (t) => {
    /** A feature run the way the extension runs it; resolves when it was allowed. */
    type Probe = { readonly feature: string; run(profile: string): Promise<unknown> };
    const sdkCall = (feature: string, call: (s: AwsSession) => Promise<unknown>): Probe => ({
      feature,
      run: (profile) => call(session(profile)),
    });
    /** A view's poll: a denial pauses it with an "access denied" state, never an offline retry. */
    const view = (feature: string, make: (profile: string) => PipelineTracker | HealthTracker): Probe => ({
      feature,
      async run(profile) {
        const tracker = make(profile);
        try {
          const outcome = await tracker.run();
          const problem = tracker.view.problem;
          if (problem?.kind === 'accessDenied') {
            assert.equal(outcome.paused, true, `${feature}: a denial pauses the poll`);
            throw Object.assign(new Error(problem.message), { name: 'AccessDeniedView' });
          }
          return outcome;
        } finally {
          tracker.dispose();
        }
      },
    });
    /** A first deploy of a template: CloudFormation creates its resources with the caller's permissions. */
    let probeStacks = 0;
    const firstDeploy = (feature: string, template: 'pipeline' | 'service'): Probe => ({
      feature,
      async run(profile) {
        const outcome = await deploy(
          profile,
          `WorkshopPipeline-Probe${++probeStacks}`,
          `media/templates/${template}.yaml`,
          template === 'pipeline' ? [] : [{ key: 'ImageUri', value: 'public.ecr.aws/nginx/nginx:latest' }],
        );
        if (outcome.kind === 'failed') throw new Error(outcome.message);
        return outcome;
      },
    });
    const probes: Record<string, Probe> = {
      StackCreatesRoles: firstDeploy('Deploy Workshop Pipeline (the roles)', 'pipeline'),
      StackPassesRoles: firstDeploy('Deploy Workshop Pipeline (projects, pipeline, rule get their roles)', 'pipeline'),
      StackCreatesPipelineResources: firstDeploy(
        'Deploy Workshop Pipeline (bucket, logs, projects, pipeline)',
        'pipeline',
      ),
      StackCreatesServiceLinkedRoles: firstDeploy('Deploy Service Stack (first cluster of an account)', 'service'),
      StackCreatesServiceResources: firstDeploy('Deploy Service Stack (VPC, load balancer, ECS)', 'service'),
      DeployWorkshopStacks: { feature: 'Deploy Workshop Pipeline', run: (p) => deployPipeline(p) },
      ValidateTemplates: { feature: 'Deploy Workshop Pipeline (template check)', run: (p) => deployPipeline(p) },
      ReadWorkshopStacks: sdkCall('the views find the pipeline in the stack', (s) =>
        cloudFormationApi(s).describeStack(PIPELINE_STACK),
      ),
      FindPipelines: sdkCall('Select Pipeline', (s) => codePipelineApi(s).listPipelines()),
      WatchPipeline: view('the Pipeline view and status bar', pipelineTracker),
      ReadBuilds: sdkCall('Show Build Logs (the build)', (s) => codeBuildApi(s).getBuild(buildId)),
      ReadBuildFindings: sdkCall('findings of the build', (s) => loadBuildFindings(codeBuildApi(s), buildId)),
      ReadBuildLogs: { feature: 'Show Build Logs (the log)', run: (p) => readBuildLog(p) },
      WatchService: view('the Service Health view', healthTracker),
      ReadTaskDefinitions: sdkCall('Service Health (the image a deployment runs)', async (s) => {
        const service = (await ecsApi(s).describeService(CLUSTER, SERVICE)).services?.[0];
        return ecsApi(s).describeTaskDefinition(service?.taskDefinition ?? '');
      }),
      WatchLoadBalancer: sdkCall('Service Health (target health)', async (s) => {
        const service = (await ecsApi(s).describeService(CLUSTER, SERVICE)).services?.[0];
        return elbv2Api(s).describeTargetHealth(service?.loadBalancers?.[0]?.targetGroupArn ?? '');
      }),
      CheckRepositories: sdkCall('Commit and Push (the clone URL)', (s) => codeCommitApi(s).getRepository(REPOSITORY)),
      PushToRepository: {
        feature: 'Commit and Push (git push)',
        run: (p) => git(p, clone, 'push', '--quiet', 'origin', 'HEAD:master'),
      },
      CheckImages: sdkCall('Deploy (is the image pushed yet)', (s) => ecrApi(s).imageExists(REPOSITORY, 'latest')),
      OperatePipeline: sdkCall('Release Change', (s) => codePipelineApi(s).startPipelineExecution(pipelineName)),
      StartService: sdkCall('Start Tasks', (s) => ecsApi(s).setDesiredCount(CLUSTER, SERVICE, 2)),
      EmptyArtifactBucket: sdkCall('Delete Workshop Pipeline (empty the bucket)', (s) =>
        s3Api(s).emptyBucket(artifactBucket, () => undefined),
      ),
    };

    const rows: string[] = [];
    const unproven: string[] = [];
    for (const name of ['full', 'watch'] as PolicyName[]) {
      for (const statement of readPolicy(name).Statement) {
        const probe = probes[statement.Sid];
        if (!probe) {
          unproven.push(`${name} ${statement.Sid}`);
          continue;
        }
        const profile = withoutProfile(name, statement.Sid);
        const who = identity(profile).userArn;
        const from = authorizationLog(running.sandbox).length;
        const error = await probe.run(profile).then(
          () => assert.fail(`${name} without ${statement.Sid}: ${probe.feature} still works`),
          (e: unknown) => e,
        );
        if (statement.Sid === 'PushToRepository') {
          // Git over HTTPS gets a bare 403 (as from AWS); IAM's record names the permission.
          assert.match(String(error), /returned error: 403/);
          const denied = authorizationLog(running.sandbox)
            .slice(from)
            .find((r) => r.arn === who && r.verdict !== 'allowed');
          assert.ok(denied && statementGrants(statement, denied.action), `${profile}: ${JSON.stringify(denied)}`);
          rows.push(`${name} ${statement.Sid} → ${probe.feature}: ${denied.action} denied (git: 403)`);
          continue;
        }
        assert.notEqual(pollErrorKind(error), 'offline', `${profile}: a denial is not a network fault`);
        const explained = explainAwsError(error, session(profile).config);
        const message = explained.kind === 'accessDenied' ? explained.message : (error as Error).message;
        const action = /is not allowed (\S+?)(?: on |\.)/.exec(message)?.[1] ?? '';
        assert.ok(statementGrants(statement, action), `${profile}: ${probe.feature} failed with: ${message}`);
        assert.ok(
          message.includes(`${who} is not allowed ${action}`) &&
            message.includes('Attach docs/iam/workshop-pipeline-full.json'),
          message,
        );
        rows.push(
          `${name} ${statement.Sid} → ${probe.feature}: ${action} on ${/ on (\S+?)\. Attach/.exec(message)?.[1] ?? '*'}`,
        );
      }
    }
    assert.deepEqual(unproven, [], 'every statement has a feature that needs it');
    for (const row of rows) t.diagnostic(row);
  });

  it('full policy: Delete Workshop Pipeline empties the artifact bucket and deletes the stacks', async () => {
    const emptied = await s3Api(session('full')).emptyBucket(artifactBucket, () => undefined);
    assert.ok(emptied);
    const cfn = cloudFormationApi(session('full'));
    for (const name of [PIPELINE_STACK, SERVICE_STACK]) {
      const stack = await cfn.describeStack(name);
      assert.ok(stack);
      await cfn.deleteStack(stack.id);
    }
    await waitFor(
      async () => ((await cfn.describeStack(PIPELINE_STACK)) === undefined ? true : undefined),
      60_000,
      () => 'the pipeline stack is deleted',
      200,
    );
  });
});
