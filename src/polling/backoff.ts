// Exponential backoff with "equal jitter": half the window is fixed, half random, so retries
// from many windows spread out while a single client still backs off predictably.

import { CALL_POLICY } from '../shared/callPolicy';

export interface BackoffOptions {
  /** Delay window of the first retry. */
  readonly baseMs: number;
  /** No window grows beyond this. */
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = CALL_POLICY.pollBackoff;

/** The window for the given failure count (1 = first failure): base·2^(n−1), capped. */
export function backoffWindow(failures: number, options: BackoffOptions = DEFAULT_BACKOFF): number {
  const exponent = Math.max(0, Math.min(failures - 1, 30));
  return Math.min(options.maxMs, options.baseMs * 2 ** exponent);
}

/** A delay in [window/2, window]; `random` returns [0, 1) like Math.random. */
export function backoffDelay(
  failures: number,
  random: () => number = Math.random,
  options: BackoffOptions = DEFAULT_BACKOFF,
): number {
  const window = backoffWindow(failures, options);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(window / 2 + (window / 2) * r);
}
