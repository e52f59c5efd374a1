import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClock } from '../../sandbox/core/clock';

test('simulated time runs speed times faster than real time', async () => {
  const start = new Date('2024-01-01T00:00:00Z');
  const clock = createClock(1000, start);
  const realBefore = Date.now();
  await clock.sleep(5000); // 5 AWS seconds = 5 real ms
  const realElapsed = Date.now() - realBefore;
  const awsElapsed = clock.now().getTime() - start.getTime();
  assert.ok(awsElapsed >= 5000, `at least 5s of AWS time passed, got ${awsElapsed}`);
  assert.ok(realElapsed < 1000, `well under a real second, took ${realElapsed}ms`);
});

test('sleep rejects when aborted, before or during the wait', async () => {
  const clock = createClock(1);
  await assert.rejects(clock.sleep(10, AbortSignal.abort(new Error('gone'))), /gone/);
  const controller = new AbortController();
  const sleeping = clock.sleep(60_000, controller.signal);
  controller.abort();
  await assert.rejects(sleeping, { name: 'AbortError' });
});

test('rejects a speed that is not positive', () => {
  assert.throws(() => createClock(0), /speed must be a positive number/);
  assert.throws(() => createClock(Number.NaN), /speed must be a positive number/);
});
