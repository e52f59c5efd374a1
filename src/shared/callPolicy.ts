// How long the extension waits on AWS and how often it tries again, in one place. One layer owns
// each concern: the SDK retries a failed call (adaptive mode, its own error classification), the
// pollers (the views' poller, the deploy's stack waiter) own their cadence and back off after a
// call the SDK gave up on, and nothing retries on top of either.

export const CALL_POLICY = {
  /** Attempts per AWS call, first one included (the SDK's default); the SDK's adaptive mode spaces them. */
  maxAttempts: 3,
  /** A TCP/TLS connection not established within this is a network fault (the SDK retries it). */
  connectionTimeoutMs: 5_000,
  /** A response not received within this is a network fault: no call of ours waits longer. */
  requestTimeoutMs: 20_000,
  /** A credential source (credential_process, SSO, instance metadata) that has not answered by now never will. */
  credentialTimeoutMs: 10_000,
  /** The same bound for the git credential helper, which git waits on with no way to cancel. */
  helperCredentialTimeoutMs: 5_000,
  /** The deploy waiter polls the stack's events this often... */
  stackPollMs: 2_000,
  /** ...and after a poll the SDK gave up on, waits up to this long (exponential, jittered). */
  stackPollMaxBackoffMs: 30_000,
  /** The views' poller after a failed poll: the first wait window, and the largest. */
  pollBackoff: { baseMs: 2_000, maxMs: 5 * 60_000 },
} as const;
