import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { addCallLogging, type MiddlewareStackLike } from '../../../src/aws/callLogging';
import type { Logger } from '../../../src/shared/logger';

type Handler = (args: unknown) => Promise<{ output?: { $metadata?: Record<string, unknown> } }>;

function recorder(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level} ${m}`);
  return {
    lines,
    log: { trace: push('trace'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') },
  };
}

/** Captures the middleware the way the SDK's stack would and runs one call through it. */
function run(commandName: string, terminal: Handler, clock: number[]): { lines: string[]; call: Promise<unknown> } {
  const { log, lines } = recorder();
  let middleware: Parameters<MiddlewareStackLike['add']>[0] | undefined;
  addCallLogging({ add: (m) => (middleware = m) }, 'cloudformation', log, () => clock.shift() ?? 0);
  const handler = middleware!(terminal, { commandName });
  return {
    lines,
    call: handler({ input: { Parameters: [{ ParameterKey: 'DbPassword', ParameterValue: 'hunter2' }] } }),
  };
}

describe('addCallLogging', () => {
  it('logs service, operation, duration and request id at debug level, and nothing of the input', async () => {
    const { lines, call } = run(
      'CreateChangeSetCommand',
      () => Promise.resolve({ output: { $metadata: { requestId: 'req-1', attempts: 2 } } }),
      [100, 142],
    );
    await call;
    assert.deepEqual(lines, ['debug cloudformation.CreateChangeSet 42 ms (2 attempts) request req-1']);
    assert.doesNotMatch(lines.join('\n'), /hunter2|DbPassword/);
  });

  it('logs failures with their code and status and rethrows', async () => {
    const failure = Object.assign(new Error('Stack with id X does not exist'), {
      name: 'ValidationError',
      $metadata: { httpStatusCode: 400, requestId: 'req-2' },
    });
    const { lines, call } = run('DescribeStacksCommand', () => Promise.reject(failure), [0, 7]);
    await assert.rejects(call, failure);
    assert.deepEqual(lines, [
      'debug cloudformation.DescribeStacks failed after 7 ms: ValidationError (HTTP 400) request req-2',
    ]);
  });
});
