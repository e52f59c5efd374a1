// The start intents (health/startIntent.ts) kept in the editor's global state, so a service the
// deploy created without tasks is started when its image lands even in a later window.
import type * as vscode from 'vscode';
import type { StartIntent, StartIntentStore } from '../health/startIntent';

const KEY = 'workshopPipeline.startIntents';
/** Intents older than this are dropped: nobody is waiting for that first image any more. */
const MAX_AGE_MS = 30 * 24 * 60 * 60_000;

export class GlobalStateStartIntents implements StartIntentStore {
  constructor(private readonly memento: vscode.Memento) {}

  get(key: string): StartIntent | undefined {
    const intent = this.all()[key];
    return intent && Date.now() - intent.since < MAX_AGE_MS ? intent : undefined;
  }

  set(key: string, intent: StartIntent): void {
    void this.memento.update(KEY, { ...this.all(), [key]: intent });
  }

  delete(key: string): void {
    const all = this.all();
    if (key in all) {
      delete all[key];
      void this.memento.update(KEY, all);
    }
  }

  private all(): Record<string, StartIntent> {
    const stored = this.memento.get<Record<string, StartIntent>>(KEY, {});
    return Object.fromEntries(
      Object.entries(stored).filter(
        ([, v]) => typeof v?.desired === 'number' && typeof v.since === 'number' && Date.now() - v.since < MAX_AGE_MS,
      ),
    );
  }
}
