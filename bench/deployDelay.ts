// Deploy completion-detection delay: the extension's DeployEngine (production wait settings:
// events every 2 s, DescribeStacks on a terminal event) beside the seed workshop's loop (the real
// AWS CLI: `create-stack`, then `describe-stacks` every 30 s waitFor CREATE_COMPLETE), run in pairs
// on identical stacks at the same time on one sandbox. The reference moment is the stack's final
// stack event (its simulated timestamp mapped back to wall-clock time).
import { spawn } from 'node:child_process';
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
import { startSandbox, type RunningSandbox } from '../test/sandbox/core/server';
import { services } from '../test/sandbox/services';
import {
  log,
  median,
  realTimeOf,
  resetSandboxCalls,
  sandboxCalls,
  sleep,
  total,
  useSandboxCredentials,
} from './common';

const TEMPLATE_PATH = 'media/templates/pipeline.yaml';
const SEED_INTERVAL_S = 30;

export interface DeployDelayOptions {
  /** Sandbox speed (simulated ms per real ms). */
  readonly speed: number;
  /** Concurrent ours/seed pairs after the solo deploy. */
  readonly pairs: number;
}

export interface DeployDelayResult {
  readonly speed: number;
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
  sandbox: RunningSandbox,
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
    final: realTimeOf(sandbox, last.Timestamp.getTime()),
    first: realTimeOf(sandbox, started.Timestamp.getTime()),
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

/**
 * The seed's commands, verbatim in spirit: create-stack with the CLI, then (after `startAfterS`,
 * the time the user took to paste the loop) describe-stacks every 30 s waitFor CREATE_COMPLETE.
 * Resolves with the wall-clock ms at which the loop printed that the stack is built.
 */
function seedDeploy(
  endpoint: string,
  home: string,
  stackName: string,
  repo: string,
  startAfterS: number,
): Promise<number> {
  const cli = awsCli();
  const params = parameters(repo)
    .map((p) => `ParameterKey=${p.key},ParameterValue=${p.value}`)
    .join(' ');
  const script = [
    'set -e',
    `aws() { "${cli}" --endpoint-url "${endpoint}" "$@"; }`,
    `aws cloudformation create-stack --stack-name "${stackName}" --template-body "file://${TEMPLATE_PATH}" --parameters ${params} --capabilities CAPABILITY_NAMED_IAM > /dev/null`,
    `sleep ${startAfterS}`,
    `waitFor [[ \`aws cloudformation describe-stacks --stack-name "${stackName}" --query "Stacks[0].[StackStatus]" --output text\` == "CREATE_COMPLETE" ]]; do echo "The stack is NOT in a state of CREATE_COMPLETE at \`date\`"; sleep ${SEED_INTERVAL_S}; done && echo "The Stack is built at \`date\` - Please proceed"`,
  ].join('\n');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...(process.env.PYENV_ROOT !== undefined ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
  };
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script], { cwd: process.cwd(), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let builtAt: number | undefined;
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (builtAt === undefined && chunk.toString('utf8').includes('The Stack is built')) {
        builtAt = Date.now();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 && builtAt !== undefined
        ? resolve(builtAt)
        : reject(new Error(`seed loop for ${stackName} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

export async function measureDeployDelay(options: DeployDelayOptions): Promise<DeployDelayResult> {
  useSandboxCredentials();
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
    const solo = await stackTimes(cfn, sandbox, 'BenchSolo');
    oursDelays.push((soloResolved - solo.final) / 1000);
    createSeconds.push((solo.final - solo.first) / 1000);

    // 2. Pairs at once: ours and the seed's loop on identical stacks. The seed's loop starts
    //    i·30/N s after its create-stack, so the samples cover the 30 s loop's phase evenly.
    log(`deploy: ${options.pairs} concurrent pairs (ours vs the seed's 30 s CLI loop)`);
    await Promise.all(
      Array.from({ length: options.pairs }, async (_, i) => {
        await sleep(i * 700); // do not start every create in the same millisecond
        const offset = Math.round((i * SEED_INTERVAL_S) / options.pairs);
        const [oursAt, seedAt] = await Promise.all([
          oursDeploy(engine, template, `BenchOurs${i}`, `bench-ours-${i}`),
          seedDeploy(sandbox.endpoint, home, `BenchSeed${i}`, `bench-seed-${i}`, offset),
        ]);
        const ours = await stackTimes(cfn, sandbox, `BenchOurs${i}`);
        const seed = await stackTimes(cfn, sandbox, `BenchSeed${i}`);
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
