// Waits for a stack operation to finish while streaming its events. Polls every couple of seconds
// so completion is seen within ~3 s (the SDK waiters sleep 30–120 s). It is a poller: the SDK has
// already retried each call, so a call that still failed (throttling, network, 5xx) only stretches
// the cadence, with backoff, instead of failing the wait; it pauses for re-login when credentials expire.
import * as l10n from '@vscode/l10n';
import { errorCode, explainAwsError, isExpiredCredentials, isTransient, type ErrorContext } from '../aws/errors';
import { CALL_POLICY } from '../shared/callPolicy';
import { errorMessage } from '../shared/errorText';
import type { CloudFormationApi, StackDescription, StackEvent } from '../aws/cloudformation';
import type { Clock } from './clock';
import { StackEventTail } from './stackEvents';
import { isTerminal } from './stackStatus';

export interface WaitReporter {
  event(event: StackEvent): void;
  status(status: string): void;
  /** Polling hit a transient problem and retries in `retryInMs`. */
  retrying?(message: string, retryInMs: number): void;
  /** Credentials expired mid-wait: resolve true once the user has signed in again, false to stop waiting. */
  credentialsExpired?(message: string): Promise<boolean>;
}

export interface WaitOptions {
  intervalMs?: number;
  maxBackoffMs?: number;
  /** DescribeStacks every N polls even without a stack event, in case an event is missed. */
  describeEvery?: number;
  /** Whose credentials the waiter uses, so its messages name the profile and the fix. */
  session?: ErrorContext;
}

export class CredentialsExpiredError extends Error {
  override readonly name = 'CredentialsExpiredError';
}

export async function waitForStack(
  api: CloudFormationApi,
  tail: StackEventTail,
  stackName: string,
  clock: Clock,
  reporter: WaitReporter,
  signal: AbortSignal | undefined,
  options: WaitOptions = {},
): Promise<StackDescription> {
  const interval = options.intervalMs ?? CALL_POLICY.stackPollMs;
  const maxBackoff = options.maxBackoffMs ?? CALL_POLICY.stackPollMaxBackoffMs;
  const describeEvery = options.describeEvery ?? 5;
  let delay = Math.min(1000, interval);
  let failures = 0;
  let lastStatus: string | undefined;

  for (let cycle = 0; ; cycle++) {
    await clock.sleep(delay, signal);
    try {
      const events = await tail.poll(signal);
      for (const event of events) {
        reporter.event(event);
      }
      const stackEvents = events.filter(
        (e) => e.resourceType === 'AWS::CloudFormation::Stack' && e.logicalId === stackName,
      );
      const latest = stackEvents.at(-1);
      if (latest && latest.status !== lastStatus) {
        lastStatus = latest.status;
        reporter.status(latest.status);
      }
      if ((latest && isTerminal(latest.status)) || cycle % describeEvery === describeEvery - 1) {
        const stack = await api.describeStack(tail.stackId, signal);
        if (!stack) {
          throw new Error(l10n.t('Stack {0} disappeared while waiting for it.', stackName));
        }
        if (stack.status !== lastStatus) {
          lastStatus = stack.status;
          reporter.status(stack.status);
        }
        if (isTerminal(stack.status)) {
          // Events written between the last poll and the final status still belong to the story.
          for (const event of await tail.poll(signal)) {
            reporter.event(event);
          }
          return stack;
        }
      }
      failures = 0;
      delay = interval;
    } catch (error) {
      if (signal?.aborted) {
        throw error;
      }
      if (isTransient(error)) {
        failures++;
        const backoff = Math.min(maxBackoff, interval * 2 ** failures);
        delay = backoff / 2 + Math.random() * (backoff / 2);
        reporter.retrying?.(transientMessage(error, options.session), delay);
        continue;
      }
      if (isExpiredCredentials(error)) {
        const message = options.session
          ? explainAwsError(error, options.session).message
          : 'The AWS credentials have expired.';
        if (reporter.credentialsExpired && (await reporter.credentialsExpired(message))) {
          delay = 0;
          continue;
        }
        throw new CredentialsExpiredError(message);
      }
      throw error;
    }
  }
}

/** What to tell the user about a transient error while the waiter backs off. */
export function transientMessage(error: unknown, session: ErrorContext | undefined): string {
  if (session) {
    return explainAwsError(error, session).message;
  }
  const code = errorCode(error);
  const message = errorMessage(error);
  return code ? `${code}: ${message}; retrying with backoff.` : `${message}; retrying with backoff.`;
}
