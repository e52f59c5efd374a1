// The deployment circuit breaker's failure threshold and the service scheduler's throttle, as the
// ECS API reference and developer guide state them.

/** Failed tasks that fail a deployment: half the desired count, rounded up, at least 3 and at most 200. */
export function failureThreshold(desiredCount: number): number {
  return Math.min(200, Math.max(3, Math.ceil(0.5 * desiredCount)));
}

/** The scheduler's longest wait between launches of tasks that keep failing to start. */
export const MAX_RESTART_DELAY_MS = 15 * 60_000;

/**
 * How long the scheduler waits before launching again after `failedLaunches` consecutive launches
 * whose tasks never reached RUNNING: at once after the first, then incrementally longer, up to 15
 * minutes ("service throttle logic"; AWS does not publish the steps between).
 */
export function restartDelayMs(failedLaunches: number): number {
  if (failedLaunches < 2) return 0;
  return Math.min(MAX_RESTART_DELAY_MS, 30_000 * 2 ** (failedLaunches - 2));
}
