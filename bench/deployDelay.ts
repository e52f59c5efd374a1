// Deploy completion-detection delay: the extension's DeployEngine (production wait settings:
// events every 2 s, DescribeStacks on a terminal event) beside the seed workshop's loop (the real
// AWS CLI: `create-stack`, then `describe-stacks` every 30 s until CREATE_COMPLETE), run in pairs
// on identical stacks at the same time on one sandbox. The reference moment is the stack's final
// stack event (its simulated timestamp mapped back to wall-clock time).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStackEventsCommand, type StackEvent } from '@aws-sdk/client-cloudformation';
import { AwsSession } from '../src/aws/awsSession';
import { cloudFormationApi } from '../src/aws/cloudformation';
import { systemClock } from '../src/deploy/clock';
import { DeployEngine, type DeployReporter } from '../src/deploy/deployEngine';
import { silentLogger } from '../src/shared/logger';
import { awsCli } from '../test/integration/pipeline/workshop';
import { startSandbox } from '../test/sandbox/core/server';
import { services } from '../test/sandbox/services';
import { log, median, resetSandboxCalls, sandboxCalls, sleep, total, useSandboxCredentials } from './common';
import { runSeedDeploy, SEED_INTERVAL_S } from './seedCli';

const TEMPLATE_PATH = 'media/templates/pipeline.yaml';

export interface DeployDelayOptions {
  /** Sandbox speed (simulated ms per real ms). */
  readonly speed: number;
  /** Concurrent ours/seed pairs after the solo deploy. */
  readonly pairs: number;
  /** The seed loop's interval: 30 s as in the workshop; the quick mode asks more often. */
  readonly seedIntervalS?: number;
}

export interface DeployDelayResult {
  readonly speed: number;
  readonly seedIntervalS: number;
  /** Real seconds a create took in the sandbox (execute → final event), median. */
  readonly stackCreateSeconds: number;
  readonly oursDelaysS: number[];
  readonly seedDelaysS: number[];
  readonly oursMedianS: number;
  readonly seedMedianS: number;
  /** Sandbox call counts of one deploy of ours, run alone. */
  readonly callsPerDeploy: Record<string, number>;
  readonly callsPerDeployTotal: number;
}

const acceptAll: DeployReporter = {
  phase: () => undefined,
  event: () => undefined,
  status: () => undefined,
  confirmChanges: () => Promise.resolve(true),
  chooseRecovery: () => Promise.resolve('none'),
};

function parameters(repo: string) {
  return [
    { key: 'CreateCodeCommitRepository', value: 'true' },
    { key: 'CreateEcrRepository', value: 'true' },
    { key: 'RepositoryName', value: repo },
    { key: 'EcrRepositoryName', value: repo },
  ];
}

/** Wall-clock ms of the stack's final stack-level event, and of its first event (the create began). */
async function stackTimes(
  cfn: CloudFormationClient,
  stackName: string,
): Promise<{ final: number; first: number; status: string }> {
  const events: StackEvent[] = [];
  let token: string | undefined;
  do {
    const page = await cfn.send(new DescribeStackEventsCommand({ StackName: stackName, NextToken: token }));
    events.push(...(page.StackEvents ?? []));
    token = page.NextToken;
  } while (token);
  const own = events
    .filter((e) => e.ResourceType === 'AWS::CloudFormation::Stack' && e.LogicalResourceId === stackName)
    .sort((a, b) => a.Timestamp!.getTime() - b.Timestamp!.getTime());
  const last = own.at(-1);
  const started = own.find((e) => e.ResourceStatus === 'CREATE_IN_PROGRESS');
  if (!last?.Timestamp || !started?.Timestamp) {
    throw new Error(`no stack events for ${stackName}`);
  }
  return {
    final: last.Timestamp.getTime(),
    first: started.Timestamp.getTime(),
    status: last.ResourceStatus ?? '',
  };
}

async function oursDeploy(engine: DeployEngine, template: string, stackName: string, repo: string): Promise<number> {
  const outcome = await engine.deploy({ stackName, templateBody: template, parameters: parameters(repo) }, acceptAll);
  const resolvedAt = Date.now();
  if (outcome.kind !== 'succeeded') {
    throw new Error(`deploy of ${stackName} ended ${outcome.kind}: ${JSON.stringify(outcome).slice(0, 400)}`);
  }
  return resolvedAt;
}

export async function measureDeployDelay(options: DeployDelayOptions): Promise<DeployDelayResult> {
  useSandboxCredentials();
  const interval = options.seedIntervalS ?? SEED_INTERVAL_S;
  const cli = awsCli();
  const template = readFileSync(TEMPLATE_PATH, 'utf8');
  const home = mkdtempSync(join(tmpdir(), 'wp-bench-cli-'));
  const sandbox = await startSandbox({ port: 0, speed: options.speed, services });
  const session = new AwsSession(
    { profile: undefined, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
    silentLogger,
  );
  const cfn = new CloudFormationClient({
    endpoint: sandbox.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // The editor's engine exactly as src/commands/deploy.ts builds it: default wait options.
  const engine = new DeployEngine(cloudFormationApi(session), systemClock, { session: session.config });
  try {
    const oursDelays: number[] = [];
    const seedDelays: number[] = [];
    const createSeconds: number[] = [];

    // 1. One deploy alone, so the sandbox's counts are this deploy's calls and nothing else's.
    log(`deploy: solo deploy at sandbox speed ${options.speed}`);
    await resetSandboxCalls(sandbox.endpoint);
    const soloResolved = await oursDeploy(engine, template, 'BenchSolo', 'bench-solo');
    const callsPerDeploy = await sandboxCalls(sandbox.endpoint);
    const solo = await stackTimes(cfn, 'BenchSolo');
    oursDelays.push((soloResolved - solo.final) / 1000);
    createSeconds.push((solo.final - solo.first) / 1000);

    // 2. Pairs at once: ours and the seed's loop on identical stacks. The seed's loop starts
    //    i·30/N s after its create-stack, so the samples cover the 30 s loop's phase evenly.
    log(`deploy: ${options.pairs} concurrent pairs (ours vs the seed's ${interval} s CLI loop)`);
    await Promise.all(
      Array.from({ length: options.pairs }, async (_, i) => {
        await sleep(i * 700); // do not start every create in the same millisecond
        const [oursAt, seedAt] = await Promise.all([
          oursDeploy(engine, template, `BenchOurs${i}`, `bench-ours-${i}`),
          runSeedDeploy({
            cli,
            endpoint: sandbox.endpoint,
            home,
            stackName: `BenchSeed${i}`,
            template: TEMPLATE_PATH,
            parameters: parameters(`bench-seed-${i}`).map((p) => `ParameterKey=${p.key},ParameterValue=${p.value}`),
            startAfterS: Math.round((i * interval) / options.pairs),
            intervalS: interval,
          }),
        ]);
        const ours = await stackTimes(cfn, `BenchOurs${i}`);
        const seed = await stackTimes(cfn, `BenchSeed${i}`);
        if (seed.status !== 'CREATE_COMPLETE') {
          throw new Error(`BenchSeed${i} ended ${seed.status}`);
        }
        oursDelays.push((oursAt - ours.final) / 1000);
        seedDelays.push((seedAt - seed.final) / 1000);
        createSeconds.push((ours.final - ours.first) / 1000, (seed.final - seed.first) / 1000);
      }),
    );
    return {
      speed: options.speed,
      seedIntervalS: interval,
      stackCreateSeconds: median(createSeconds),
      oursDelaysS: oursDelays,
      seedDelaysS: seedDelays,
      oursMedianS: median(oursDelays),
      seedMedianS: median(seedDelays),
      callsPerDeploy,
      callsPerDeployTotal: total(callsPerDeploy),
    };
  } finally {
    cfn.destroy();
    session.dispose();
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}
