// A workshop account in the sandbox for the pipeline and health integration tests: the bundled
// templates deployed through CloudFormation (service.yaml, then pipeline.yaml creating the
// CodeCommit and ECR repositories), a clone of the repository, and pushes with real git through
// the AWS CLI's CodeCommit credential helper.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  type Capability,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { AwsSession } from '../../../src/aws/awsSession';
import { silentLogger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { cliEnv } from '../sandbox/helpers';
import { waitFor } from '../../support/waitFor';

export const PIPELINE_STACK = 'WorkshopPipeline';
export const SERVICE_STACK = 'WorkshopService';
export const STAGES = ['Source', 'Build', 'PostBuild', 'Deploy'];
/**
 * An AWS access key id alone, in the shape gitleaks' aws-access-token rule flags (split so no scanner
 * flags this file). Not AWS's documentation key AKIA…EXAMPLE: gitleaks allowlists `.+EXAMPLE$`.
 */
export const LEAKED_CONFIG = `module.exports = {\n  region: 'us-east-1',\n  accessKeyId: '${'AKIA'}${'Q3MZ7KPLXWRT2VNB'}',\n};\n`;
export const SECRET_FRAGMENT = 'Q3MZ7KPLXWRT2VNB';

export interface Workshop {
  readonly sandbox: RunningSandbox;
  readonly endpoint: string;
  /** Outputs of both stacks (the pipeline stack's win on equal keys). */
  readonly outputs: Readonly<Record<string, string>>;
  readonly session: AwsSession;
  readonly work: string;
  /** The working copy `push` commits in (cloned on first use), e.g. to open it in an editor. */
  checkout(): Promise<string>;
  /** Commits the files and pushes them to the pipeline's branch; returns the commit id. */
  push(files: Record<string, string>, message: string): Promise<string>;
  close(): Promise<void>;
}

export interface WorkshopOptions {
  readonly speed?: number;
  /** Deploy only service.yaml (health tests). */
  readonly serviceOnly?: boolean;
}

export function awsCli(): string {
  const found = ['/usr/bin/aws', '/root/.pyenv/shims/aws'].find((p) => existsSync(p));
  if (!found) {
    throw new Error('No AWS CLI found (apt-get install -y awscli): the push needs its CodeCommit credential helper');
  }
  return found;
}

export function run(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env: NodeJS.ProcessEnv },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} ${args.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

export { waitFor };

export const testCredentials = { accessKeyId: 'test', secretAccessKey: 'test' };

async function deployStack(
  cfn: CloudFormationClient,
  name: string,
  templatePath: string,
  parameters: Parameter[],
): Promise<Record<string, string>> {
  await cfn.send(
    new CreateStackCommand({
      StackName: name,
      TemplateBody: readFileSync(templatePath, 'utf8'),
      Parameters: parameters,
      Capabilities: ['CAPABILITY_NAMED_IAM', 'CAPABILITY_IAM'] as Capability[],
    }),
  );
  let last = '';
  const stack = await waitFor(
    async () => {
      const s = (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0];
      last = `${s?.StackStatus} ${s?.StackStatusReason ?? ''}`;
      return s && !s.StackStatus?.endsWith('_IN_PROGRESS') ? s : undefined;
    },
    120_000,
    () => `stack ${name}: ${last}`,
    100,
  );
  if (stack.StackStatus !== 'CREATE_COMPLETE') {
    throw new Error(`stack ${name} ended ${stack.StackStatus}: ${stack.StackStatusReason ?? ''}`);
  }
  return Object.fromEntries((stack.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
}

export async function startWorkshop(options: WorkshopOptions = {}): Promise<Workshop> {
  const work = mkdtempSync(join(tmpdir(), 'wp-pipeline-it-'));
  let sandbox: RunningSandbox | undefined;
  let session: AwsSession | undefined;
  const cfn = () =>
    new CloudFormationClient({ endpoint: sandbox?.endpoint, region: 'us-east-1', credentials: testCredentials });
  try {
    sandbox = await startSandbox({ port: 0, speed: options.speed ?? 60, seed: 1, services });
    // The adapters take credentials from the SDK's default chain, as in the editor.
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    process.env.AWS_EC2_METADATA_DISABLED = 'true';
    const client = cfn();
    let outputs: Record<string, string> = {};
    try {
      if (!options.serviceOnly) {
        outputs = await deployStack(client, PIPELINE_STACK, 'media/templates/pipeline.yaml', [
          { ParameterKey: 'CreateCodeCommitRepository', ParameterValue: 'true' },
          { ParameterKey: 'CreateEcrRepository', ParameterValue: 'true' },
        ]);
      }
      const serviceOutputs = await deployStack(client, SERVICE_STACK, 'media/templates/service.yaml', [
        { ParameterKey: 'ImageUri', ParameterValue: 'public.ecr.aws/nginx/nginx:latest' },
      ]);
      outputs = { ...serviceOutputs, ...outputs };
    } finally {
      client.destroy();
    }
    session = new AwsSession(
      { profile: undefined, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
      silentLogger,
    );
    const running = sandbox;
    const home = join(work, 'home');
    mkdirSync(home, { recursive: true });
    const env = cliEnv(home, { AWS_EC2_METADATA_DISABLED: 'true' });
    const helper = [
      '-c',
      'credential.helper=',
      '-c',
      `credential.helper=!${awsCli()} codecommit credential-helper --ignore-host-check $@`,
      '-c',
      'credential.UseHttpPath=true',
    ];
    const identity = ['-c', 'user.name=Workshop Tester', '-c', 'user.email=tester@example.com'];
    const git = (cwd: string, ...args: string[]) => run('git', [...helper, ...identity, ...args], { cwd, env });
    const clone = join(work, 'clone');
    let cloned = false;
    const branch = 'master';
    const workshop: Workshop = {
      sandbox: running,
      endpoint: running.endpoint,
      outputs,
      session,
      work,
      async checkout() {
        if (!cloned) {
          await git(work, 'clone', '--quiet', outputs.CloneUrlHttp, clone);
          cloned = true;
        }
        return clone;
      },
      async push(files, message) {
        await workshop.checkout();
        for (const [name, content] of Object.entries(files)) {
          mkdirSync(dirname(join(clone, name)), { recursive: true });
          writeFileSync(join(clone, name), content);
        }
        await git(clone, 'add', '-A');
        await git(clone, 'commit', '--quiet', '-m', message);
        await git(clone, 'push', '--quiet', 'origin', `HEAD:${branch}`);
        return (await git(clone, 'rev-parse', 'HEAD')).trim();
      },
      async close() {
        session?.dispose();
        await running.close();
        rmSync(work, { recursive: true, force: true });
      },
    };
    return workshop;
  } catch (error) {
    session?.dispose();
    await sandbox?.close();
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
}

/** The app of the workshop: a Dockerfile and a server answering /health. */
export const APP_FILES: Record<string, string> = {
  Dockerfile:
    'FROM public.ecr.aws/docker/library/node:20-alpine\nWORKDIR /app\nCOPY app/ .\nEXPOSE 8080\nCMD ["node", "server.js"]\n',
  'app/server.js':
    "require('http').createServer((req, res) => res.end(req.url === '/health' ? 'ok' : 'hello')).listen(8080);\n",
};
