// The one polling helper of the test suites, the harness and the benchmarks: poll with a deadline
// instead of sleeping, and say what never happened when the deadline passes.

/** Polls `check` until it returns a value other than undefined; fails after `timeoutMs` with `describe()`'s text. */
export async function waitFor<T>(
  check: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 5000,
  describe: () => string = () => 'the condition never held',
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms: ${describe()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
