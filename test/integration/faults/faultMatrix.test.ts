// The fault matrix: each fault the sandbox can inject (throttling, 5xx, connection resets, stalled
// responses) and each broken credential source (expired, hanging), against what the extension does
// with AWS (deploy, delete, the views' reads). A transient network fault is absorbed by the SDK's
// own retries (one layer, src/shared/callPolicy.ts); a stall is cut by the request timeout; a
// credential fault ends the operation at once with its own explanation and no call sent.
// The push and credential-helper columns for credentials run with real git in
// test/integration/git/credentialHelper.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { AwsSession } from '../../../src/aws/awsSession';
import { cloudFormationApi } from '../../../src/aws/cloudformation';
import { codePipelineApi } from '../../../src/aws/codepipeline';
import { explainAwsError } from '../../../src/aws/errors';
import { systemClock } from '../../../src/deploy/clock';
import { DeployEngine, type DeployReporter } from '../../../src/deploy/deployEngine';
import { silentLogger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { clientConfig, waitFor } from '../sandbox/helpers';

const TEMPLATE = JSON.stringify({ Resources: { Logs: { Type: 'AWS::Logs::LogGroup' } } });
/** Short enough for a test, the same code paths as CALL_POLICY's numbers. */
const LIMITS = { maxAttempts: 3, connectionTimeoutMs: 1_000, requestTimeoutMs: 1_000, credentialTimeoutMs: 1_000 };

type Surface = 'deploy' | 'delete' | 'views';
const SURFACES: readonly Surface[] = ['deploy', 'delete', 'views'];
const SERVICE: Record<Surface, string> = { deploy: 'cloudformation', delete: 'cloudformation', views: 'codepipeline' };

/** Transient network faults: the next two calls of the surface's service (one for a stall). */
const NETWORK = [
  { fault: 'throttling', spec: 'throttle#2' },
  { fault: '5xx', spec: '5xx#2' },
  { fault: 'reset', spec: 'reset#2' },
  { fault: 'stall', spec: 'latency:4s#1' },
] as const;

function reporter(): DeployReporter {
  return {
    phase: () => undefined,
    event: () => undefined,
    status: () => undefined,
    confirmChanges: () => Promise.resolve(true),
    chooseRecovery: () => Promise.resolve('none'),
  };
}

describe('fault matrix', { timeout: 300_000 }, () => {
  let sandbox: RunningSandbox;
  let cfn: CloudFormationClient;
  let dir: string;
  let count = 0;
  const outcomes: string[] = [];
  const saved = { ...process.env };

  before(async () => {
    sandbox = await startSandbox({ port: 0, services });
    cfn = new CloudFormationClient(clientConfig(sandbox.endpoint));
    dir = mkdtempSync(join(tmpdir(), 'wp-fault-matrix-'));
    writeFileSync(
      join(dir, 'config'),
      [
        '[profile hangs]',
        'credential_process = sleep 10',
        '[profile expired]',
        `credential_process = printf '%s' '${JSON.stringify({ Version: 1, AccessKeyId: 'AKIAEXPIREDEXAMPLE', SecretAccessKey: 'x', SessionToken: 'y', Expiration: '2000-01-01T00:00:00Z' })}'`,
        '',
      ].join('\n'),
    );
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    delete process.env.AWS_PROFILE;
  });

  after(async () => {
    process.env = saved;
    cfn?.destroy();
    await sandbox?.close();
    rmSync(dir, { recursive: true, force: true });
    console.log(`fault matrix:\n${outcomes.join('\n')}`);
  });

  const setFaults = async (spec: string) => {
    const put = await fetch(`${sandbox.endpoint}/_sandbox/faults`, { method: 'PUT', body: spec });
    assert.equal(put.status, 200, await put.text());
  };
  /** Calls the sandbox received for `service` (its SigV4 name) so far. */
  const calls = async (service: string): Promise<number> => {
    const counts = (await (await fetch(`${sandbox.endpoint}/_sandbox/calls`)).json()) as Record<string, number>;
    return Object.entries(counts)
      .filter(([key]) => key.startsWith(`${service}:`))
      .reduce((sum, [, n]) => sum + n, 0);
  };
  const status = async (name: string) => {
    try {
      return (await cfn.send(new DescribeStacksCommand({ StackName: name }))).Stacks?.[0]?.StackStatus;
    } catch (error) {
      if (/does not exist/.test((error as Error).message)) return undefined;
      throw error;
    }
  };

  /**
   * Prepares the surface without faults, then runs it under `faults`: the outcome (or the explained
   * error's kind) and how many calls of the surface's service reached the sandbox meanwhile.
   */
  async function exercise(
    surface: Surface,
    faults: string,
    profile?: string,
  ): Promise<{ outcome: string; sent: number }> {
    let sentBefore = 0;
    const outcome = await run(surface, faults, profile, async () => {
      sentBefore = await calls(SERVICE[surface]);
    });
    return { outcome, sent: (await calls(SERVICE[surface])) - sentBefore };
  }

  async function run(
    surface: Surface,
    faults: string,
    profile: string | undefined,
    ready: () => Promise<void>,
  ): Promise<string> {
    const name = `Matrix${++count}`;
    const session = new AwsSession(
      { profile, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
      silentLogger,
      LIMITS,
    );
    const api = cloudFormationApi(session);
    const engine = new DeployEngine(api, systemClock, { intervalMs: 100, maxBackoffMs: 400 });
    try {
      let stackArn: string | undefined;
      if (surface === 'delete') {
        stackArn = (await cfn.send(new CreateStackCommand({ StackName: name, TemplateBody: TEMPLATE }))).StackId;
        await waitFor(async () => ((await status(name)) === 'CREATE_COMPLETE' ? true : undefined), 10_000);
      }
      await setFaults(faults);
      await ready();
      try {
        if (surface === 'deploy') {
          const outcome = await engine.deploy({ stackName: name, templateBody: TEMPLATE, parameters: [] }, reporter());
          return outcome.kind === 'succeeded' && (await status(name)) === 'CREATE_COMPLETE' ? 'deployed' : outcome.kind;
        }
        if (surface === 'delete') {
          const stack = await api.describeStack(name);
          assert.ok(stack && stackArn);
          await engine.deleteAndWait(stack, reporter());
          return (await status(stackArn)) === 'DELETE_COMPLETE' ? 'deleted' : `left ${await status(stackArn)}`;
        }
        await codePipelineApi(session).listPipelines();
        return 'read';
      } catch (error) {
        return `error: ${explainAwsError(error, session.config).kind}`;
      } finally {
        await setFaults('');
      }
    } finally {
      session.dispose();
    }
  }

  for (const surface of SURFACES) {
    for (const { fault, spec } of NETWORK) {
      it(`${fault} × ${surface}: retried by the SDK and completed`, async () => {
        const { outcome, sent } = await exercise(surface, `${SERVICE[surface]}=${spec}`);
        outcomes.push(`${fault.padEnd(19)} × ${surface.padEnd(6)} → ${outcome} (${sent} calls)`);
        assert.equal(outcome, { deploy: 'deployed', delete: 'deleted', views: 'read' }[surface]);
      });
    }

    it(`a stall on every call × ${surface}: cut by the request timeout, reported as a network fault`, async () => {
      const started = Date.now();
      const { outcome, sent } = await exercise(surface, `${SERVICE[surface]}=latency:30s`);
      outcomes.push(`${'stall (every call)'.padEnd(19)} × ${surface.padEnd(6)} → ${outcome} (${sent} calls)`);
      assert.equal(outcome, 'error: network');
      assert.equal(sent, LIMITS.maxAttempts, 'the SDK tried exactly its attempts, nobody retried on top');
      assert.ok(Date.now() - started < 30_000, 'no call waited for the stalled response');
    });

    for (const [fault, profile, kind] of [
      ['expired credentials', 'expired', 'expired'],
      ['hanging credentials', 'hangs', 'credentials'],
    ] as const) {
      it(`${fault} × ${surface}: stops at once with its own explanation, no call sent`, async () => {
        const { outcome, sent } = await exercise(surface, '', profile);
        outcomes.push(`${fault.padEnd(19)} × ${surface.padEnd(6)} → ${outcome} (${sent} calls)`);
        assert.equal(outcome, `error: ${kind}`);
        assert.equal(sent, 0);
      });
    }
  }
});
