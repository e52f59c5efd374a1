// Simulated AWS time: `speed` AWS milliseconds pass per real millisecond, so --speed 60 makes a
// pipeline's minute-long stage take a second while timestamps still read like real AWS.
import type { Clock } from './types';

export function createClock(speed: number, start: Date = new Date()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed)) throw new Error(`speed must be a positive number, got ${speed}`);
  const realStart = Date.now();
  const awsStart = start.getTime();
  return {
    speed,
    now: () => new Date(awsStart + (Date.now() - realStart) * speed),
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
