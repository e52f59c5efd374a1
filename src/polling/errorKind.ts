// What a failed poll is, for the user: AWS is throttling us, we cannot reach it, or something else
// (credentials, permissions, a deleted pipeline). All of them back off; only the wording differs.
// The poller does not classify errors itself: the AWS layer passes the SDK's own classification
// (src/aws/errors.ts transientKind), so the SDK's retries and the poller agree on what is transient.

export type PollErrorKind = 'throttled' | 'offline' | 'error';

/** The classification when none is given: every failure backs off the same way. */
export function unclassifiedPollError(): PollErrorKind {
  return 'error';
}
