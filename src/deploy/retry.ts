import { errorCode, explainAwsError, isTransient, type ErrorContext } from '../aws/errors';
import { errorMessage } from '../shared/errorText';
import type { Clock } from './clock';

/**
 * Runs `fn`, retrying throttling, network and 5xx errors with capped exponential backoff and
 * jitter after the SDK's own retries gave up. Other errors and aborts pass through at once.
 */
export async function retryTransient<T>(
  fn: () => Promise<T>,
  clock: Clock,
  signal: AbortSignal | undefined,
  onRetry: (error: unknown, delayMs: number) => void,
  options: { baseMs?: number; maxMs?: number; attempts?: number } = {},
): Promise<T> {
  const base = options.baseMs ?? 2000;
  const max = options.maxMs ?? 30_000;
  const attempts = options.attempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (signal?.aborted || !isTransient(error) || attempt >= attempts) {
        throw error;
      }
      const window = Math.min(max, base * 2 ** attempt);
      const delay = window / 2 + Math.random() * (window / 2);
      onRetry(error, delay);
      await clock.sleep(delay, signal);
    }
  }
}

/** What to tell the user about a transient error while retrying. */
export function transientMessage(error: unknown, session: ErrorContext | undefined): string {
  if (session) {
    return explainAwsError(error, session).message;
  }
  const code = errorCode(error);
  const message = errorMessage(error);
  return code ? `${code}: ${message}; retrying with backoff.` : `${message}; retrying with backoff.`;
}
