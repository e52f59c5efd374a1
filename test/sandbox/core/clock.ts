// Simulated AWS time. `--speed` compresses how long things take: `sleep(ms)` waits ms / speed of real
// time, so --speed 60 makes a pipeline's minute-long stage take a second. It never moves time
// forward: every timestamp the sandbox returns is the wall clock's (`now()`), as real AWS's are.
// Durations and deadlines in simulated time are measured with `elapsed()`, never with now().
import type { Clock } from './types';

export function createClock(speed: number): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const realStart = performance.now();
  return {
    speed,
    now: () => new Date(),
    elapsed: () => (performance.now() - realStart) * speed,
    sleep: (awsMs, signal) =>
      new Promise<void>((resolve, reject) => {
        if (signal?.aborted) {
          reject(abortReason(signal));
          return;
        }
        const onAbort = (): void => {
          clearTimeout(timer);
          reject(abortReason(signal!));
        };
        const timer = setTimeout(
          () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
          Math.max(0, awsMs / speed),
        );
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
  };
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The operation was aborted', 'AbortError');
}
