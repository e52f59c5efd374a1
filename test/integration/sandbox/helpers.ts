// Shared set-up for the sandbox integration tests: a sandbox on a free port, SDK client config,
// raw signed requests, and the AWS CLIs installed on this machine.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { promisify } from 'node:util';
import { Hash } from '@smithy/core/serde';
import { HttpRequest } from '@smithy/core/transport';
import { SignatureV4 } from '@smithy/signature-v4';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';

export const run = promisify(execFile);

/** A strict sandbox: a response that breaks its AWS model fails the call, and close() (in t.after) fails the test. */
export async function startTestSandbox(t: TestContext, options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const running = await startSandbox({ port: 0, speed: 1000, seed: 1, services, strictModels: true, ...options });
  t.after(() => running.close());
  return running;
}

export function tempDir(t: TestContext, prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function clientConfig(
  endpoint: string,
  overrides: { accessKeyId?: string; secretAccessKey?: string; maxAttempts?: number } = {},
) {
  return {
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: overrides.accessKeyId ?? 'test', secretAccessKey: overrides.secretAccessKey ?? 'test' },
    ...(overrides.maxAttempts !== undefined ? { maxAttempts: overrides.maxAttempts } : {}),
  };
}

/** A raw request signed like an SDK client signs it, for what the SDK would never send. */
export async function signedFetch(
  endpoint: string,
  options: { service: string; headers?: Record<string, string>; body: string; secret?: string },
): Promise<Response> {
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    credentials: { accessKeyId: 'test', secretAccessKey: options.secret ?? 'test' },
    region: 'us-east-1',
    service: options.service,
    sha256: Hash.bind(null, 'sha256'),
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      headers: { host: url.host, ...options.headers },
      body: options.body,
    }),
  );
  return fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers, body: options.body });
}

/** The AWS CLIs on this machine (v1 from pyenv, Debian's v2). Tests fail, not skip, when there is none. */
export function installedAwsClis(): string[] {
  return ['/root/.pyenv/shims/aws', '/usr/bin/aws'].filter((path) => existsSync(path));
}

/** Environment for the AWS CLI and git: sandbox credentials, no user configuration. */
export function cliEnv(home: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    ...(process.env.PYENV_ROOT !== undefined ? { PYENV_ROOT: process.env.PYENV_ROOT } : {}),
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    AWS_DEFAULT_REGION: 'us-east-1',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_PAGER: '',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_TERMINAL_PROMPT: '0',
    ...extra,
  };
}

export { waitFor } from '../../support/waitFor';
