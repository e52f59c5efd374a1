// The clock and timers the poller runs on. Injected so tests drive them with fake timers; the
// default looks the globals up at call time, so node:test's `mock.timers` also takes effect.

export interface TimerHandle {
  readonly token: unknown;
}

export interface Timers {
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => ({ token: globalThis.setTimeout(callback, ms) }),
  clearTimeout: (handle) => globalThis.clearTimeout(handle.token as ReturnType<typeof globalThis.setTimeout>),
};
