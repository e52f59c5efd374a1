import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it, mock } from 'node:test';
import {
  AdaptivePoller,
  type PollOutcome,
  type PollTask,
  type PollerStatus,
} from '../../../src/polling/adaptivePoller';
import { backoffDelay, backoffWindow } from '../../../src/polling/backoff';
import { pollErrorKind } from '../../../src/aws/errors';

/** A task whose outcome and failures the test sets, counting its calls. */
class FakeTask implements PollTask {
  calls = 0;
  inFlight = 0;
  maxInFlight = 0;
  outcome: PollOutcome = { active: false, followedActive: false };
  fail: Error | undefined;
  delayMs = 0;
  constructor(
    readonly name: string,
    readonly idleMs: number,
  ) {}
  async run(): Promise<PollOutcome> {
    this.calls++;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.delayMs > 0) {
        await new Promise((r) => setTimeout(r, this.delayMs));
      }
      if (this.fail !== undefined) {
        throw this.fail;
      }
      return this.outcome;
    } finally {
      this.inFlight--;
    }
  }
}

/** Advances fake time in steps, letting the promises each timer starts settle. */
async function advance(ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(Math.min(step, ms - t));
    for (let i = 0; i < 5; i++) {
      await Promise.resolve();
    }
  }
}

const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

describe('AdaptivePoller', () => {
  beforeEach(() => mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 }));
  afterEach(() => mock.timers.reset());

  it('polls at once, then at the idle interval while focused and idle', async () => {
    const task = new FakeTask('pipeline', 60_000);
    const poller = new AdaptivePoller([task], { random: () => 0 });
    poller.start();
    await advance(100);
    assert.equal(task.calls, 1);
    await advance(59_800);
    assert.equal(task.calls, 1);
    await advance(200);
    assert.equal(task.calls, 2);
    assert.equal(poller.status.mode, 'slow');
    poller.dispose();
  });

  it('stays within 120 calls per hour idle and focused, and makes none unfocused', async () => {
    const task = new FakeTask('pipeline', 60_000);
    const poller = new AdaptivePoller([task]);
    poller.start();
    await advance(3_600_000, 1_000);
    assert.ok(task.calls <= 61 && task.calls >= 59, `${task.calls} calls`);
    poller.setFocused(false);
    const before = task.calls;
    await advance(3_600_000, 5_000);
    assert.equal(task.calls, before);
    assert.equal(poller.status.mode, 'paused');
    poller.dispose();
  });

  it('polls fast while something runs and slows down when it ends', async () => {
    const task = new FakeTask('pipeline', 60_000);
    task.outcome = { active: true, followedActive: false };
    const poller = new AdaptivePoller([task], { fastMs: 2_500 });
    poller.start();
    // Fake time fires callbacks at the end of each 10 ms step, so allow that much drift.
    await advance(10_100, 10);
    assert.equal(task.calls, 5); // t≈0, 2.5, 5, 7.5, 10 s
    assert.equal(poller.status.mode, 'fast');
    task.outcome = { active: false, followedActive: false };
    await advance(2_500);
    const after = task.calls;
    await advance(30_000);
    assert.equal(task.calls, after);
    poller.dispose();
  });

  it('makes no call while unfocused unless something the user follows runs, and resumes at once on focus', async () => {
    const task = new FakeTask('pipeline', 60_000);
    const poller = new AdaptivePoller([task], { focused: false });
    poller.start();
    await advance(600_000, 1_000);
    assert.equal(task.calls, 0);
    // The user's push is running: keep polling in the background so its end is noticed.
    task.outcome = { active: true, followedActive: true };
    poller.setFocused(true);
    await advance(100);
    assert.equal(task.calls, 1, 'focus refreshes immediately');
    await advance(2_500);
    assert.equal(task.calls, 2);
    poller.setFocused(false);
    assert.equal(poller.status.mode, 'background');
    await advance(15_200);
    assert.equal(task.calls, 3);
    task.outcome = { active: false, followedActive: false };
    await advance(15_200);
    assert.equal(task.calls, 4);
    const stopped = task.calls;
    await advance(600_000, 1_000);
    assert.equal(task.calls, stopped);
    poller.dispose();
  });

  it('does not re-poll on focus when the last poll is recent', async () => {
    const task = new FakeTask('pipeline', 60_000);
    const poller = new AdaptivePoller([task], { focusStaleMs: 10_000 });
    poller.start();
    await advance(100);
    poller.setFocused(false);
    await advance(3_000);
    poller.setFocused(true);
    await advance(100);
    assert.equal(task.calls, 1);
    poller.dispose();
  });

  it('backs off exponentially on throttling, reports retrying, and recovers', async () => {
    const task = new FakeTask('pipeline', 60_000);
    task.fail = throttled;
    const statuses: PollerStatus[] = [];
    const poller = new AdaptivePoller([task], {
      random: () => 1,
      backoff: { baseMs: 2_000, maxMs: 16_000 },
      classify: pollErrorKind,
    });
    poller.onDidChangeStatus((s) => statuses.push(s));
    poller.start();
    await advance(100);
    assert.equal(task.calls, 1);
    assert.equal(poller.status.retry?.reason, 'throttled');
    assert.equal(poller.status.retry?.failures, 1);
    // random = 1 → the full window: 2 s, 4 s, 8 s, 16 s, 16 s (capped)
    const expected = [2_000, 4_000, 8_000, 16_000, 16_000];
    for (const [i, wait] of expected.entries()) {
      await advance(wait - 100);
      assert.equal(task.calls, i + 1, `not before ${wait} ms`);
      await advance(100);
      assert.equal(task.calls, i + 2, `after ${wait} ms`);
    }
    task.fail = undefined;
    await advance(16_000);
    assert.equal(poller.status.retry, undefined);
    assert.ok(statuses.some((s) => s.retry?.reason === 'throttled'));
    assert.equal(statuses.at(-1)?.retry, undefined);
    poller.dispose();
  });

  it('never runs two polls at once; a refresh during a poll runs once after it', async () => {
    const task = new FakeTask('pipeline', 60_000);
    task.delayMs = 1_000;
    const poller = new AdaptivePoller([task]);
    poller.start();
    await advance(100);
    const a = poller.refreshNow();
    const b = poller.refreshNow();
    assert.ok(poller.polling);
    await advance(2_100);
    await Promise.all([a, b]);
    assert.equal(task.maxInFlight, 1);
    assert.equal(task.calls, 2, 'the first poll and one coalesced re-run');
    poller.dispose();
  });

  it('stops calling after dispose', async () => {
    const task = new FakeTask('pipeline', 1_000);
    const poller = new AdaptivePoller([task]);
    poller.start();
    await advance(100);
    poller.dispose();
    await advance(10_000);
    assert.equal(task.calls, 1);
    assert.equal(poller.status.mode, 'stopped');
  });

  it('polls each task at its own idle interval and holds all of them back after a failure', async () => {
    const pipeline = new FakeTask('pipeline', 60_000);
    const health = new FakeTask('health', 300_000);
    const poller = new AdaptivePoller([pipeline, health], { random: () => 0, classify: pollErrorKind });
    poller.start();
    await advance(601_500, 100);
    assert.equal(pipeline.calls, 11);
    assert.equal(health.calls, 3);
    pipeline.fail = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await advance(60_000, 1_000);
    assert.equal(poller.status.retry?.reason, 'offline');
    const healthCalls = health.calls;
    await advance(1_000);
    assert.equal(health.calls, healthCalls);
    poller.dispose();
  });

  it('backs off only the task that failed for another reason, and shows no offline/throttled badge', async () => {
    const pipeline = new FakeTask('pipeline', 60_000);
    const health = new FakeTask('health', 60_000);
    health.fail = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const poller = new AdaptivePoller([pipeline, health], {
      random: () => 1,
      backoff: { baseMs: 2_000, maxMs: 16_000 },
    });
    poller.start();
    await advance(100);
    assert.equal(poller.status.retry, undefined, 'AWS answered: it is not offline');
    assert.deepEqual([pipeline.calls, health.calls], [1, 1]);
    await advance(60_000, 1_000);
    assert.deepEqual([pipeline.calls, health.calls], [2, 2], 'the pipeline keeps its interval');
    assert.equal(poller.status.retry, undefined);
    poller.dispose();
  });

  it('never fires two attempts milliseconds apart: automatic polls and queued refreshes wait for the backoff', async () => {
    const task = new FakeTask('pipeline', 60_000);
    task.fail = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    task.delayMs = 500;
    const poller = new AdaptivePoller([task], {
      random: () => 1,
      backoff: { baseMs: 1_000, maxMs: 16_000 },
      classify: pollErrorKind,
    });
    poller.start();
    await advance(100);
    // A refresh queued behind the failing poll (as a settings or stack change did) is not a second attempt.
    void poller.refreshNow();
    await advance(500, 10);
    assert.equal(task.calls, 1);
    assert.equal(poller.status.retry?.reason, 'offline');
    poller.pollSoon();
    await advance(800, 10);
    assert.equal(task.calls, 1, 'not before the 1 s backoff');
    await advance(300, 10);
    assert.equal(task.calls, 2);
    poller.dispose();
  });

  it('does not poll a paused task until something changes (pollSoon) or the user refreshes', async () => {
    const task = new FakeTask('health', 60_000);
    task.outcome = { active: false, followedActive: false, paused: true };
    const poller = new AdaptivePoller([task]);
    poller.start();
    await advance(100);
    await advance(600_000, 5_000);
    assert.equal(task.calls, 1);
    poller.pollSoon([task]);
    await advance(100);
    assert.equal(task.calls, 2);
    await poller.refreshNow();
    assert.equal(task.calls, 3);
    poller.dispose();
  });
});

describe('backoff', () => {
  it('doubles the window up to the cap', () => {
    const o = { baseMs: 1_000, maxMs: 10_000 };
    assert.deepEqual(
      [1, 2, 3, 4, 5, 50].map((n) => backoffWindow(n, o)),
      [1_000, 2_000, 4_000, 8_000, 10_000, 10_000],
    );
  });

  it('jitters within [window/2, window]', () => {
    const o = { baseMs: 1_000, maxMs: 60_000 };
    assert.equal(
      backoffDelay(3, () => 0, o),
      2_000,
    );
    assert.equal(
      backoffDelay(3, () => 0.999999, o),
      4_000,
    );
    for (let i = 0; i < 200; i++) {
      const d = backoffDelay(4, Math.random, o);
      assert.ok(d >= 4_000 && d <= 8_000, String(d));
    }
  });
});

describe("pollErrorKind (the SDK's classification, as the poller reports it)", () => {
  it('tells throttling, network and other errors apart', () => {
    assert.equal(pollErrorKind(throttled), 'throttled');
    assert.equal(pollErrorKind({ name: 'Whatever', $metadata: { httpStatusCode: 429 } }), 'throttled');
    assert.equal(pollErrorKind(Object.assign(new Error('x'), { code: 'ENOTFOUND' })), 'offline');
    assert.equal(
      pollErrorKind(new TypeError('fetch failed', { cause: Object.assign(new Error('y'), { code: 'ECONNRESET' }) })),
      'offline',
    );
    assert.equal(pollErrorKind({ name: 'InternalError', $metadata: { httpStatusCode: 503 } }), 'offline');
    assert.equal(pollErrorKind(Object.assign(new Error('no'), { name: 'AccessDeniedException' })), 'error');
  });
});
