// Background work of simulated services (pipeline executions, builds, ECS rollouts): every task is
// tracked per sandbox, aborted on reset/close, and its failure is logged — never an unhandled rejection.
import type { Sandbox } from './types';

interface Tasks {
  controller: AbortController;
  running: Set<Promise<void>>;
}

const bySandbox = new WeakMap<Sandbox, Tasks>();

function tasks(sandbox: Sandbox): Tasks {
  let t = bySandbox.get(sandbox);
  if (!t) {
    t = { controller: new AbortController(), running: new Set() };
    bySandbox.set(sandbox, t);
  }
  return t;
}

/** Aborted when the sandbox resets or closes. */
export function backgroundSignal(sandbox: Sandbox): AbortSignal {
  return tasks(sandbox).controller.signal;
}

/** Runs `work` detached from the request that started it. */
export function runInBackground(sandbox: Sandbox, name: string, work: (signal: AbortSignal) => Promise<void>): void {
  const t = tasks(sandbox);
  const signal = t.controller.signal;
  const task = work(signal).catch((error: unknown) => {
    if (!signal.aborted) console.error(`sandbox: ${name} failed:`, error);
  });
  t.running.add(task);
  void task.finally(() => t.running.delete(task));
}

/** Aborts every background task and waits for them to settle; later tasks get a fresh signal. */
export async function stopBackground(sandbox: Sandbox): Promise<void> {
  const t = bySandbox.get(sandbox);
  if (!t) return;
  t.controller.abort(new DOMException('The sandbox stopped', 'AbortError'));
  await Promise.allSettled([...t.running]);
  t.controller = new AbortController();
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}
