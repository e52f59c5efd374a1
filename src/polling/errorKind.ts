// Sorts a failed poll into what the user can be told: AWS is throttling us, we cannot reach it,
// or something else (credentials, permissions, a deleted pipeline). All of them back off; only
// the wording differs. Kept here, not in src/aws, so the poller has no dependency on the SDK layer.

import { NETWORK_CODES, THROTTLING_CODES } from '../shared/errorCodes';

export type PollErrorKind = 'throttled' | 'offline' | 'error';

const THROTTLED = THROTTLING_CODES;
// A poll aborted by the SDK's own timeout is a network problem too.
const OFFLINE = new Set([...NETWORK_CODES, 'AbortError']);

export function classifyPollError(error: unknown): PollErrorKind {
  if (typeof error !== 'object' || error === null) {
    return 'error';
  }
  const e = error as { name?: unknown; code?: unknown; $metadata?: { httpStatusCode?: unknown }; cause?: unknown };
  const codes = [e.code, e.name].filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => THROTTLED.has(c)) || e.$metadata?.httpStatusCode === 429) {
    return 'throttled';
  }
  if (codes.some((c) => OFFLINE.has(c))) {
    return 'offline';
  }
  // fetch/undici wrap the socket error in `cause`.
  if (e.cause !== undefined && e.cause !== error) {
    const inner = classifyPollError(e.cause);
    if (inner !== 'error') {
      return inner;
    }
  }
  const status = e.$metadata?.httpStatusCode;
  if (typeof status === 'number' && status >= 500) {
    return 'offline';
  }
  return 'error';
}
