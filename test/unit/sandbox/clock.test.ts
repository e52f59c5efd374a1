import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createClock } from '../../sandbox/core/clock';

test('sleep compresses simulated time: 5 AWS seconds at speed 1000 take milliseconds', async () => {
  const clock = createClock(1000);
  const realBefore = Date.now();
  const simulatedBefore = clock.elapsed();
  await clock.sleep(5000);
  const realElapsed = Date.now() - realBefore;
  const simulated = clock.elapsed() - simulatedBefore;
  assert.ok(simulated >= 5000, `at least 5 s of simulated time passed, got ${simulated}`);
  assert.ok(realElapsed < 1000, `well under a real second, took ${realElapsed} ms`);
});

test('at speed 10 timestamps are never ahead of the wall clock, however much simulated time passes', async () => {
  const clock = createClock(10);
  for (let i = 0; i < 5; i++) {
    await clock.sleep(200); // 20 real ms
    const before = Date.now();
    const stamp = clock.now().getTime();
    const after = Date.now();
    assert.ok(stamp <= after, `timestamp ${stamp} is ahead of the wall clock ${after}`);
    assert.ok(stamp >= before, `timestamp ${stamp} is behind the wall clock ${before}`);
  }
  assert.ok(clock.elapsed() >= 1000, `about 1 simulated second passed, got ${clock.elapsed()}`);
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
