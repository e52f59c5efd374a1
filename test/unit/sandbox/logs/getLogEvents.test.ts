// CloudWatch Logs GetLogEvents paging as the real API pages: from the head or the tail, forward and
// backward tokens, and the token that comes back unchanged at either end of the stream.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { createClock } from '../../../sandbox/core/clock';
import type { RequestContext, Sandbox } from '../../../sandbox/core/types';
import { logsService } from '../../../sandbox/logs/service';
import { appendLogEvents } from '../../../sandbox/logs/store';

interface Page {
  events: { timestamp: number; message: string; ingestionTime: number }[];
  nextForwardToken: string;
  nextBackwardToken: string;
}

function setUp(lines = 25): (input: Record<string, unknown>) => Promise<Page> {
  const sandbox: Sandbox = {
    clock: createClock(1),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios: {},
    dataDir: '/nonexistent',
  };
  appendLogEvents(
    sandbox,
    '000000000000',
    'us-east-1',
    '/aws/codebuild/p',
    'stream',
    Array.from({ length: lines }, (_, i) => `line ${i}`),
  );
  const ctx: RequestContext = {
    sandbox,
    accountId: '000000000000',
    region: 'us-east-1',
    accessKeyId: 'test',
    requestId: 'r',
    host: 'h',
  };
  return async (input) =>
    (await logsService.operations.GetLogEvents(
      { logGroupName: '/aws/codebuild/p', logStreamName: 'stream', ...input },
      ctx,
    )) as Page;
}
const lines = (page: Page): number[] => page.events.map((e) => Number(/^line (\d+)\n$/.exec(e.message)?.[1]));
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => from + i);

test('from the head: forward pages, then the same forward token once the end is reached', async () => {
  const get = setUp();
  const first = await get({ startFromHead: true, limit: 10 });
  assert.deepEqual(lines(first), range(0, 10));
  assert.match(first.nextForwardToken, /^f\/\d{56}\/s$/);
  assert.match(first.nextBackwardToken, /^b\/\d{56}\/s$/);
  const second = await get({ startFromHead: true, limit: 10, nextToken: first.nextForwardToken });
  assert.deepEqual(lines(second), range(10, 20));
  const third = await get({ limit: 10, nextToken: second.nextForwardToken });
  assert.deepEqual(lines(third), range(20, 25));
  const end = await get({ limit: 10, nextToken: third.nextForwardToken });
  assert.deepEqual(end.events, []);
  assert.equal(end.nextForwardToken, third.nextForwardToken, 'at the end the forward token comes back unchanged');
  // Going back from the second page returns the first again.
  assert.deepEqual(lines(await get({ limit: 10, nextToken: second.nextBackwardToken })), range(0, 10));
});

test('from the tail (the default): the newest events, backward pages, the same backward token at the head', async () => {
  const get = setUp();
  const latest = await get({ limit: 10 });
  assert.deepEqual(lines(latest), range(15, 25));
  const older = await get({ limit: 10, nextToken: latest.nextBackwardToken });
  assert.deepEqual(lines(older), range(5, 15));
  const oldest = await get({ limit: 10, nextToken: older.nextBackwardToken });
  assert.deepEqual(lines(oldest), range(0, 5));
  const head = await get({ limit: 10, nextToken: oldest.nextBackwardToken });
  assert.deepEqual(head.events, []);
  assert.equal(head.nextBackwardToken, oldest.nextBackwardToken, 'at the head the backward token comes back unchanged');
  // Polling forward from the newest page finds nothing new until the stream grows.
  const poll = await get({ limit: 10, nextToken: latest.nextForwardToken });
  assert.deepEqual(poll.events, []);
  assert.equal(poll.nextForwardToken, latest.nextForwardToken);
});

test('without a limit one call returns the whole small stream; bad tokens and streams are refused', async () => {
  const get = setUp(3);
  assert.deepEqual(lines(await get({ startFromHead: true })), [0, 1, 2]);
  await assert.rejects(get({ nextToken: 'garbage' }), { name: 'InvalidParameterException' });
  await assert.rejects(get({ logStreamName: 'missing' }), {
    name: 'ResourceNotFoundException',
    message: 'The specified log stream does not exist.',
  });
  await assert.rejects(get({ limit: 0 }), {
    message:
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  });
});
