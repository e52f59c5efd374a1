// Adaptive polling shared by the pipeline and the service-health models.
//
// How the next poll of a task is chosen (see `intervalFor`):
//   focused,   task in progress            -> fastMs (2.5 s)
//   focused,   nothing in progress         -> the task's idleMs (60 s pipeline, 5 min health)
//   unfocused, something the user follows
//              is in progress (their push) -> backgroundMs (15 s), so the finish is noticed
//   unfocused, otherwise                   -> never: no timer, no calls; focus resumes at once
// A poll that fails because AWS throttles or cannot be reached (network, 5xx) holds every task
// back by an exponential, jittered delay and reports a `retry` status ("offline/throttled,
// retrying"). Any other failure backs off only the task that failed and is never reported as
// offline: the task itself says what is wrong (access denied, a deleted resource). A task with
// nothing to poll until something changes returns `paused` and is not polled again until a refresh
// or `pollSoon`. At most one poll is in flight. A refresh the user asks for runs at once (after the
// poll in flight); automatic ones (`pollSoon`) wait for a running backoff, so two attempts are
// never milliseconds apart.
import type { Logger } from '../shared/logger';
import { Emitter, type Disposable, type Event } from '../shared/emitter';
import { silentLogger } from '../shared/logger';
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff';
import { errorText } from '../shared/errorText';
import { unclassifiedPollError, type PollErrorKind } from './errorKind';
import { systemTimers, type TimerHandle, type Timers } from './timers';

export interface PollOutcome {
  /** Something this task watches is in progress (an execution, an ECS deployment). */
  readonly active: boolean;
  /** Something the user follows (their push or release) is in progress: keep polling unfocused. */
  readonly followedActive: boolean;
  /**
   * Nothing to poll until something changes (the service does not exist, access is denied): no
   * timer for this task until a refresh or `pollSoon` resumes it.
   */
  readonly paused?: boolean;
}

export interface PollTask {
  readonly name: string;
  /** Interval while the window is focused and nothing of this task is in progress. */
  readonly idleMs: number;
  /** One refresh. Rejections are caught by the poller and turned into backoff. */
  run(): Promise<PollOutcome>;
}

export type PollMode = 'fast' | 'slow' | 'background' | 'paused' | 'stopped';

export interface RetryStatus {
  readonly reason: PollErrorKind;
  readonly failures: number;
  /** Epoch ms of the next attempt. */
  readonly retryAt: number;
  readonly message: string;
}

export interface PollerStatus {
  readonly mode: PollMode;
  /** Present only while AWS throttles or cannot be reached: show "offline/throttled, retrying". */
  readonly retry?: RetryStatus;
}

/** The kinds of failure that mean "AWS cannot answer now": everything waits, the user sees a retry badge. */
const TRANSIENT: ReadonlySet<PollErrorKind> = new Set(['throttled', 'offline']);

export interface PollerOptions {
  readonly fastMs?: number;
  readonly backgroundMs?: number;
  /** On focus, tasks whose last poll is older than this refresh at once. */
  readonly focusStaleMs?: number;
  readonly backoff?: BackoffOptions;
  readonly random?: () => number;
  readonly timers?: Timers;
  readonly focused?: boolean;
  readonly classify?: (error: unknown) => PollErrorKind;
  readonly log?: Logger;
}

export const DEFAULT_FAST_MS = 2_500;
export const DEFAULT_BACKGROUND_MS = 15_000;
export const DEFAULT_FOCUS_STALE_MS = 10_000;

interface TaskState {
  readonly task: PollTask;
  lastRunAt: number | undefined;
  outcome: PollOutcome;
  forceDue: boolean;
  /** Consecutive failures of this task that were not transient, and when it may run again. */
  errors: number;
  errorRetryAt: number | undefined;
}

export class AdaptivePoller implements Disposable {
  private readonly tasks: TaskState[] = [];
  private readonly statusChanged: Emitter<PollerStatus>;
  readonly onDidChangeStatus: Event<PollerStatus>;
  private readonly timers: Timers;
  private readonly fastMs: number;
  private readonly backgroundMs: number;
  private readonly focusStaleMs: number;
  private readonly backoff: BackoffOptions;
  private readonly random: () => number;
  private readonly classify: (error: unknown) => PollErrorKind;
  private readonly log: Logger;
  private focused: boolean;
  private timer: TimerHandle | undefined;
  private inFlight: Promise<void> | undefined;
  private rerun = false;
  /** The cycle in flight ended in a transient failure: a refresh queued behind it is dropped. */
  private cycleFailed = false;
  private stopped = false;
  private started = false;
  private failures = 0;
  private retry: RetryStatus | undefined;
  private lastStatusKey = '';

  constructor(tasks: readonly PollTask[], options: PollerOptions = {}) {
    for (const task of tasks) {
      this.tasks.push({
        task,
        lastRunAt: undefined,
        outcome: { active: false, followedActive: false },
        forceDue: false,
        errors: 0,
        errorRetryAt: undefined,
      });
    }
    this.timers = options.timers ?? systemTimers;
    this.fastMs = options.fastMs ?? DEFAULT_FAST_MS;
    this.backgroundMs = options.backgroundMs ?? DEFAULT_BACKGROUND_MS;
    this.focusStaleMs = options.focusStaleMs ?? DEFAULT_FOCUS_STALE_MS;
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    this.classify = options.classify ?? unclassifiedPollError;
    this.log = options.log ?? silentLogger;
    this.focused = options.focused ?? true;
    this.statusChanged = new Emitter((error) => this.log.error(`Poller status listener failed: ${errorText(error)}`));
    this.onDidChangeStatus = this.statusChanged.event;
  }

  /** Schedules the first poll (at once when focused). */
  start(): void {
    if (this.started || this.stopped) {
      return;
    }
    this.started = true;
    this.schedule();
  }

  get status(): PollerStatus {
    return this.retry ? { mode: this.mode(), retry: this.retry } : { mode: this.mode() };
  }

  /** True while a poll runs; exposed for tests and diagnostics. */
  get polling(): boolean {
    return this.inFlight !== undefined;
  }

  /** The window gained or lost focus. */
  setFocused(focused: boolean): void {
    if (focused === this.focused) {
      return;
    }
    this.focused = focused;
    if (!focused) {
      // A pending focus refresh must not turn into a call while unfocused.
      for (const t of this.tasks) {
        t.forceDue = false;
      }
    } else {
      const now = this.timers.now();
      for (const t of this.tasks) {
        if (t.lastRunAt === undefined || now - t.lastRunAt >= this.focusStaleMs) {
          t.forceDue = true;
        }
      }
    }
    this.schedule();
  }

  /**
   * Polls every task now (the user's Refresh, or right after the user started something), even
   * unfocused, paused or while backing off. Resolves when that poll is done; joins a poll already in
   * flight and runs once more after it, unless that poll found AWS throttling or unreachable (the
   * retry state already answers, and the backoff decides the next attempt).
   */
  refreshNow(): Promise<void> {
    if (this.stopped) {
      return Promise.resolve();
    }
    if (this.inFlight) {
      this.rerun = true;
      return this.inFlight.then(() => this.inFlight);
    }
    for (const t of this.tasks) {
      t.forceDue = true;
    }
    this.started = true;
    return this.runCycle(true);
  }

  /**
   * Something changed that these tasks may want to see (the pipeline's deploy action started or
   * ended, the stack or the settings changed): poll them (all, by default) as soon as allowed. A
   * paused task resumes; a backoff in progress is respected.
   */
  pollSoon(tasks?: readonly PollTask[]): void {
    if (this.stopped) {
      return;
    }
    for (const t of this.tasks) {
      if (!tasks || tasks.includes(t.task)) {
        t.forceDue = true;
        t.outcome = { ...t.outcome, paused: false };
      }
    }
    this.started = true;
    this.schedule();
  }

  dispose(): void {
    this.stopped = true;
    this.clearTimer();
    this.emitStatus();
    this.statusChanged.dispose();
  }

  /** The interval of a task in the current situation, or undefined when it must not poll. */
  private intervalFor(t: TaskState): number | undefined {
    if (!this.focused) {
      return t.outcome.followedActive ? this.backgroundMs : undefined;
    }
    return t.outcome.active ? this.fastMs : t.task.idleMs;
  }

  private dueAt(t: TaskState): number | undefined {
    const at = this.plannedAt(t);
    return at === undefined || t.errorRetryAt === undefined ? at : Math.max(at, t.errorRetryAt);
  }

  private plannedAt(t: TaskState): number | undefined {
    if (t.forceDue || t.lastRunAt === undefined) {
      // A task never polled waits for focus like any other, unless explicitly forced.
      return t.forceDue || this.focused ? this.timers.now() : undefined;
    }
    if (t.outcome.paused) {
      return undefined;
    }
    const interval = this.intervalFor(t);
    return interval === undefined ? undefined : t.lastRunAt + interval;
  }

  private mode(): PollMode {
    if (this.stopped) {
      return 'stopped';
    }
    if (!this.focused) {
      return this.tasks.some((t) => t.outcome.followedActive) ? 'background' : 'paused';
    }
    return this.tasks.some((t) => t.outcome.active) ? 'fast' : 'slow';
  }

  private schedule(): void {
    this.clearTimer();
    if (this.stopped || !this.started || this.inFlight) {
      this.emitStatus();
      return;
    }
    let next: number | undefined;
    for (const t of this.tasks) {
      const due = this.dueAt(t);
      if (due !== undefined && (next === undefined || due < next)) {
        next = due;
      }
    }
    if (next !== undefined && this.retry) {
      next = Math.max(next, this.retry.retryAt);
    }
    if (next !== undefined) {
      const delay = Math.max(0, next - this.timers.now());
      this.timer = this.timers.setTimeout(() => {
        this.timer = undefined;
        void this.runCycle(false);
      }, delay);
    }
    this.emitStatus();
  }

  private clearTimer(): void {
    if (this.timer) {
      this.timers.clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private runCycle(manual: boolean): Promise<void> {
    this.clearTimer();
    this.cycleFailed = false;
    const cycle = this.poll(manual).finally(() => {
      this.inFlight = undefined;
      const rerun = this.rerun && !this.cycleFailed;
      this.rerun = false;
      if (rerun && !this.stopped) {
        for (const t of this.tasks) {
          t.forceDue = true;
        }
        void this.runCycle(true);
      } else {
        this.schedule();
      }
    });
    this.inFlight = cycle;
    return cycle;
  }

  private async poll(manual: boolean): Promise<void> {
    const now = this.timers.now();
    const due = this.tasks.filter((t) => {
      if (manual) {
        return t.forceDue;
      }
      const at = this.dueAt(t);
      return at !== undefined && at <= now;
    });
    let answered = false;
    for (const t of due) {
      if (this.stopped) {
        return;
      }
      // Intervals run start to start, so a slow call does not stretch the cadence.
      const startedAt = this.timers.now();
      try {
        t.outcome = await t.task.run();
        t.lastRunAt = startedAt;
        t.forceDue = false;
        t.errors = 0;
        t.errorRetryAt = undefined;
        answered = true;
      } catch (error) {
        const reason = this.classify(error);
        if (TRANSIENT.has(reason)) {
          this.failedTransiently(t, reason, error);
          this.cycleFailed = true;
          return; // the others wait for the backoff too: throttling is per account
        }
        this.failedOnce(t, error, startedAt);
        answered = true; // AWS answered: it is neither throttling nor out of reach
      }
    }
    if (!answered) {
      return; // nothing ran, so nothing recovered: a retry state stays until a call succeeds
    }
    if (this.failures > 0) {
      this.log.info(`Polling recovered after ${this.failures} failed attempt(s).`);
    }
    this.failures = 0;
    this.retry = undefined;
  }

  private failedTransiently(t: TaskState, reason: PollErrorKind, error: unknown): void {
    this.failures += 1;
    const delay = backoffDelay(this.failures, this.random, this.backoff);
    const message = errorText(error);
    this.retry = { reason, failures: this.failures, retryAt: this.timers.now() + delay, message };
    this.log.warn(
      `Polling ${t.task.name} failed (${reason}, attempt ${this.failures}); retrying in ${formatDelay(delay)}: ${message}`,
    );
  }

  /** A failure the task did not turn into a state of its own: back off this task only, and say so in the log. */
  private failedOnce(t: TaskState, error: unknown, startedAt: number): void {
    t.errors += 1;
    t.lastRunAt = startedAt;
    t.forceDue = false;
    const delay = backoffDelay(t.errors, this.random, this.backoff);
    t.errorRetryAt = this.timers.now() + delay;
    this.log.warn(
      `Polling ${t.task.name} failed (attempt ${t.errors}); trying again in ${formatDelay(delay)}: ${errorText(error)}`,
    );
  }

  private emitStatus(): void {
    const status = this.status;
    const key = JSON.stringify(status);
    if (key === this.lastStatusKey) {
      return;
    }
    this.lastStatusKey = key;
    this.statusChanged.fire(status);
  }
}

/** "800 ms", "2 s", "5 min": never "0 s" for a delay that is not zero. */
function formatDelay(ms: number): string {
  if (ms < 1_000) {
    return `${Math.round(ms)} ms`;
  }
  return ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
}
