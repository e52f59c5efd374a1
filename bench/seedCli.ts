// The seed workshop's way of waiting, for the benchmarks to compare against: bash loops around the
// real AWS CLI that ask every 30 s. The loops are the seed's text; what they act on (stack, pipeline,
// template, CLI, endpoint) comes in through the environment and arguments, never spliced into the script.
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { parseStateText, type Observation } from './detection';

/** The seed's polling interval. */
export const SEED_INTERVAL_S = 30;

/**
 * The seed's deploy, as its page has it: create-stack, then (after `$START_AFTER_S`, the time the user
 * took to paste the loop) describe-stacks every `intervalS` until CREATE_COMPLETE. The arguments are
 * the stack's parameters (ParameterKey=…,ParameterValue=…).
 */
export function seedDeployScript(intervalS: number): string {
  return [
    'set -e',
    'aws() { "$SEED_CLI" --endpoint-url "$SEED_ENDPOINT" "$@"; }',
    'aws cloudformation create-stack --stack-name "$STACK_NAME" --template-body "file://$TEMPLATE" --parameters "$@" --capabilities CAPABILITY_NAMED_IAM > /dev/null',
    'sleep "$START_AFTER_S"',
    `until [[ \`aws cloudformation describe-stacks --stack-name "$STACK_NAME" --query "Stacks[0].[StackStatus]" --output text\` == "CREATE_COMPLETE" ]]; do echo "The stack is NOT in a state of CREATE_COMPLETE at \`date\`"; sleep ${intervalS}; done && echo "The Stack is built at \`date\` - Please proceed"`,
  ].join('\n');
}

/**
 * The same loop for the pipeline: every `intervalS`, the state of each stage (its execution and
 * status), followed by a line `--` when the answer is complete. It runs until it is stopped.
 */
export function seedStageLoopScript(intervalS: number): string {
  return [
    'aws() { "$SEED_CLI" --endpoint-url "$SEED_ENDPOINT" "$@"; }',
    `until false; do aws codepipeline get-pipeline-state --name "$PIPELINE_NAME" --query 'stageStates[].[stageName,latestExecution.pipelineExecutionId,latestExecution.status]' --output text; echo "--"; sleep ${intervalS}; done`,
  ].join('\n');
}

/** The CLI's environment: the sandbox's test credentials in a home of its own, nothing of the user's. */
export function seedEnv(home: string, vars: Record<string, string>): NodeJS.ProcessEnv {
  return {
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
    ...vars,
  };
}

/**
 * Runs the seed's deploy; resolves with the wall-clock ms at which the loop printed that the stack
 * is built.
 */
export function runSeedDeploy(options: {
  readonly cli: string;
  readonly endpoint: string;
  readonly home: string;
  readonly stackName: string;
  readonly template: string;
  readonly parameters: readonly string[];
  readonly startAfterS: number;
  readonly intervalS: number;
}): Promise<number> {
  const env = seedEnv(options.home, {
    SEED_CLI: options.cli,
    SEED_ENDPOINT: options.endpoint,
    STACK_NAME: options.stackName,
    TEMPLATE: options.template,
    START_AFTER_S: String(options.startAfterS),
  });
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', seedDeployScript(options.intervalS), 'seed-deploy', ...options.parameters], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
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
        : reject(new Error(`seed loop for ${options.stackName} exited ${code}: ${stderr.slice(-500)}`)),
    );
  });
}

export interface SeedStageLoop {
  /** One per complete answer, stamped when it arrived (when a user would have read it). */
  readonly observations: readonly Observation[];
  stop(): Promise<void>;
}

/** Starts the stage loop in its own process group (bash, its `aws` and `sleep`), stopped as a whole. */
export function startSeedStageLoop(options: {
  readonly cli: string;
  readonly endpoint: string;
  readonly home: string;
  readonly pipelineName: string;
  readonly intervalS: number;
}): SeedStageLoop {
  const env = seedEnv(options.home, {
    SEED_CLI: options.cli,
    SEED_ENDPOINT: options.endpoint,
    PIPELINE_NAME: options.pipelineName,
  });
  const child: ChildProcess = spawn('bash', ['-c', seedStageLoopScript(options.intervalS)], {
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const observations: Observation[] = [];
  let pending = '';
  let answer = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line === '--') {
        observations.push(parseStateText(answer, Date.now()));
        answer = '';
      } else {
        answer += `${line}\n`;
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-2000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    observations,
    async stop() {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        await exited;
      }
      if (observations.length === 0) {
        throw new Error(`the seed's stage loop answered nothing: ${stderr}`);
      }
    },
  };
}
