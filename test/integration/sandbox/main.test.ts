// The `npm run sandbox` entry point: prints the endpoint when ready, persists on SIGTERM.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CodeCommitClient, CreateRepositoryCommand } from '@aws-sdk/client-codecommit';
import { waitFor } from '../../support/waitFor';
import { clientConfig, tempDir } from './helpers';

const MAIN = join('test', 'sandbox', 'main.ts');

function startMain(args: string[]): {
  child: ChildProcess;
  endpoint: Promise<string>;
  exited: Promise<number | null>;
  output: () => string;
} {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const endpoint = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^Sandbox endpoint: (http:\/\/127\.0\.0\.1:\d+)$/m.exec(output);
      if (match) resolve(match[1]);
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', () => reject(new Error(`sandbox exited before it was ready:\n${output}`)));
  });
  endpoint.catch(() => undefined);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, endpoint, exited, output: () => output };
}

test('prints its endpoint, serves, and writes its state on SIGTERM', async (t) => {
  const stateDir = tempDir(t, 'sandbox-main-');
  const main = startMain([
    '--port',
    '0',
    '--state-dir',
    stateDir,
    '--speed',
    '60',
    '--faults',
    'sts=latency:1ms',
    '--seed',
    '5',
    '--strict-models',
  ]);
  t.after(() => main.child.kill('SIGKILL'));
  const endpoint = await main.endpoint;
  // The endpoint, then the loopback port where the load balancers serve the apps.
  const printed = await waitFor(
    () => (main.output().includes('Load balancers:') ? main.output() : undefined),
    10_000,
    () => `no load balancer port in: ${main.output()}`,
  );
  const [first, second, ...rest] = printed.trim().split('\n');
  assert.equal(first, `Sandbox endpoint: ${endpoint}`);
  assert.match(second ?? '', /^Load balancers: http:\/\/127\.0\.0\.1:\d+$/);
  assert.deepEqual(rest, []);

  const health = (await (await fetch(`${endpoint}/_sandbox/health`)).json()) as {
    status: string;
    speed: number;
    strictModels: boolean;
  };
  assert.deepEqual([health.status, health.speed, health.strictModels], ['ok', 60, true]);
  assert.deepEqual(await (await fetch(`${endpoint}/_sandbox/faults`)).json(), { spec: 'sts=latency:1ms' });
  const client = new CodeCommitClient(clientConfig(endpoint));
  await client.send(new CreateRepositoryCommand({ repositoryName: 'persisted' }));
  client.destroy();

  main.child.kill('SIGTERM');
  assert.equal(await main.exited, 0);
  const saved = JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8')) as {
    state: { codecommit: { repositories: Record<string, unknown> } };
  };
  assert.deepEqual(Object.keys(saved.state.codecommit.repositories), ['000000000000/us-east-1/persisted']);
  assert.ok(existsSync(join(stateDir, 'data', 'codecommit', '000000000000', 'us-east-1', 'persisted.git', 'HEAD')));
});

test('rejects bad options with the usage text', async () => {
  for (const args of [['--faults', 'sts=explode'], ['--speed', '0'], ['--bogus']]) {
    const main = startMain(args);
    const code = await main.exited;
    assert.notEqual(code, 0, `${args.join(' ')} must fail`);
    assert.match(main.output(), /invalid|Unknown option|unknown option/i);
    if (args[0] !== '--faults') assert.match(main.output(), /usage: npm run sandbox/);
  }
});
