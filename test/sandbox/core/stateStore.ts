// Sandbox state: one JSON object, in memory, or persisted under --state-dir. Writes are debounced
// and atomic (temp file + rename) so a crash never leaves a half-written state file.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const STATE_FILE = 'state.json';
const DEBOUNCE_MS = 100;

interface StateFile {
  readonly format: 1;
  /** Wall-clock time of the last save (a resumed sandbox warns when it lies in the future). */
  readonly savedAt: string;
  readonly state: Record<string, unknown>;
}

export class StateStore {
  readonly state: Record<string, unknown> = {};
  /** When the state was last saved (undefined for a fresh state). */
  readonly savedAt: Date | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly stateDir: string | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (stateDir === undefined) return;
    mkdirSync(stateDir, { recursive: true });
    let text: string | undefined;
    try {
      text = readFileSync(join(stateDir, STATE_FILE), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    if (text !== undefined) {
      const saved = JSON.parse(text) as Partial<StateFile>;
      if (saved.format !== 1 || typeof saved.state !== 'object' || saved.state === null) {
        throw new Error(`${join(stateDir, STATE_FILE)} is not a sandbox state file`);
      }
      Object.assign(this.state, saved.state);
      const savedAt = new Date(saved.savedAt ?? '');
      if (!Number.isNaN(savedAt.getTime())) this.savedAt = savedAt;
    }
  }

  changed(): void {
    if (this.stateDir === undefined || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, DEBOUNCE_MS);
    this.timer.unref();
  }

  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.stateDir === undefined) return;
    const file = join(this.stateDir, STATE_FILE);
    const temp = `${file}.${process.pid}.tmp`;
    const content: StateFile = { format: 1, savedAt: this.now().toISOString(), state: this.state };
    writeFileSync(temp, JSON.stringify(content));
    renameSync(temp, file);
  }

  /** Empties the state in place: services keep the same object. */
  reset(): void {
    for (const key of Object.keys(this.state)) delete this.state[key];
    this.changed();
  }
}
