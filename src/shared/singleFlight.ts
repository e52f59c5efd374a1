// A lane for one operation at a time (deploys and deletes share one; Commit and Push has its own).
/**
 * Never two deploys at once: a second request while one runs gets the running one, so two change
 * sets can never race on the same stack.
 */
export class SingleFlight<T> {
  private running: Promise<T> | undefined;

  get busy(): boolean {
    return this.running !== undefined;
  }

  /** Runs `start` unless a run is in flight; `attached` tells the caller which happened. */
  run(start: () => Promise<T>): { result: Promise<T>; attached: boolean } {
    if (this.running) {
      return { result: this.running, attached: true };
    }
    const result = start().finally(() => {
      this.running = undefined;
    });
    this.running = result;
    return { result, attached: false };
  }
}
