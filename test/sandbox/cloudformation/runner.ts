// Runs stack operations in the background after the API call returns, one per stack, and runs
// resource work in dependency order with independent resources in parallel.
import type { Sandbox } from '../core/types.js';

interface Running {
  readonly done: Promise<void>;
  readonly controller: AbortController;
}

const running = new WeakMap<Sandbox, Map<string, Running>>();

function table(sandbox: Sandbox): Map<string, Running> {
  let map = running.get(sandbox);
  if (!map) {
    map = new Map<string, Running>();
    running.set(sandbox, map);
  }
  return map;
}

/**
 * Starts `work` for a stack in the background. `onCrash` records an unexpected error on the stack;
 * the promise never rejects, so nothing goes unhandled.
 */
export function startOperation(
  sandbox: Sandbox,
  stackId: string,
  work: (signal: AbortSignal) => Promise<void>,
  onCrash: (err: unknown) => void,
): void {
  const controller = new AbortController();
  const entry: { done: Promise<void>; controller: AbortController } = { done: Promise.resolve(), controller };
  entry.done = (async () => {
    await Promise.resolve(); // let the caller register the entry first
    try {
      await work(controller.signal);
    } catch (err) {
      try {
        onCrash(err);
      } catch {
        // the stack record is gone (state reset); nothing left to report to
      }
    } finally {
      const map = table(sandbox);
      if (map.get(stackId) === entry) map.delete(stackId);
    }
  })();
  table(sandbox).set(stackId, entry);
}

export function isRunning(sandbox: Sandbox, stackId: string): boolean {
  return table(sandbox).has(stackId);
}

/** Aborts a stack's running operation (CancelUpdateStack). */
export function cancelOperation(sandbox: Sandbox, stackId: string): boolean {
  const op = table(sandbox).get(stackId);
  if (!op) return false;
  op.controller.abort(new Error('cancelled'));
  return true;
}

/** Resolves when every background operation of the sandbox has finished (for tests and shutdown). */
export async function settled(sandbox: Sandbox): Promise<void> {
  for (;;) {
    const ops = [...table(sandbox).values()];
    if (ops.length === 0) return;
    await Promise.all(ops.map((o) => o.done));
  }
}

export interface GraphRun {
  readonly succeeded: string[];
  readonly failed: string[];
}

/**
 * Runs `task` for every node once all its dependencies succeeded; independent nodes run in parallel.
 * After the first failure no new task starts and the running ones are aborted through their signal.
 */
export async function runGraph(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  task: (id: string, signal: AbortSignal) => Promise<void>,
  parent: AbortSignal,
  options: { continueOnFailure?: boolean } = {},
): Promise<GraphRun> {
  const controller = new AbortController();
  const onParentAbort = () => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onParentAbort, { once: true });
  const succeeded: string[] = [];
  const failed: string[] = [];
  const started = new Set<string>();
  const inFlight = new Map<string, Promise<void>>();
  const ready = () =>
    [...graph]
      .filter(([id, deps]) => !started.has(id) && [...deps].every((d) => succeeded.includes(d)))
      .map(([id]) => id);
  try {
    for (;;) {
      if (!controller.signal.aborted) {
        for (const id of ready()) {
          started.add(id);
          inFlight.set(
            id,
            task(id, controller.signal)
              .then(
                () => {
                  succeeded.push(id);
                },
                () => {
                  failed.push(id);
                  if (!options.continueOnFailure) controller.abort(new Error(`${id} failed`));
                },
              )
              .finally(() => inFlight.delete(id)),
          );
        }
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight.values());
    }
  } finally {
    parent.removeEventListener('abort', onParentAbort);
  }
  return { succeeded, failed };
}
