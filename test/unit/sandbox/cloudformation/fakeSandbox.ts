// A small in-memory Sandbox and RequestContext for calling the CloudFormation handlers directly.
import { EventEmitter } from 'node:events';
import { createClock } from '../../../sandbox/core/clock';
import type { RequestContext, Sandbox } from '../../../sandbox/core/types';

export function fakeSandbox(scenarios: Record<string, unknown> = {}): Sandbox {
  return {
    clock: createClock(100_000),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios,
    dataDir: '/nonexistent',
  };
}

export function fakeContext(sandbox: Sandbox = fakeSandbox()): RequestContext {
  return {
    sandbox,
    accountId: '123456789012',
    region: 'us-east-1',
    accessKeyId: 'test',
    requestId: 'req',
    host: '127.0.0.1:4566',
  };
}
