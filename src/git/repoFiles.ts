// A repository's files at a commit and in the working tree now, read with git (argument arrays only):
// what findings of a built commit need to find their line in today's workspace.
import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { runGit } from './gitCli';

export class RepoFilesAtCommit {
  private known: Promise<boolean> | undefined;
  private renames: Promise<Map<string, string | null>> | undefined;
  private readonly shown = new Map<string, Promise<string | undefined>>();

  constructor(
    readonly root: string,
    readonly commit: string,
    private readonly isLockFile: (path: string) => boolean,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  commitKnown(): Promise<boolean> {
    this.known ??= runGit(['cat-file', '-e', `${this.commit}^{commit}`], this.root, this.env).then(
      () => true,
      () => false,
    );
    return this.known;
  }

  atCommit(path: string): Promise<string | undefined> {
    let text = this.shown.get(path);
    if (!text) {
      text = runGit(['show', `${this.commit}:${path}`], this.root, this.env).then(
        (r) => r.stdout,
        () => undefined,
      );
      this.shown.set(path, text);
    }
    return text;
  }

  async currentPath(path: string): Promise<string | undefined> {
    const moved = (await this.changes()).get(path);
    return moved === undefined ? path : (moved ?? undefined);
  }

  async current(path: string): Promise<string | undefined> {
    try {
      return await readFile(join(this.root, path), 'utf8');
    } catch {
      return undefined;
    }
  }

  async lockFiles(): Promise<string[]> {
    const args = (await this.commitKnown()) ? ['ls-tree', '-r', '--name-only', '-z', this.commit] : ['ls-files', '-z'];
    const out = await runGit(args, this.root, this.env);
    return out.stdout.split('\0').filter((p) => p && this.isLockFile(p));
  }

  /** Paths of the commit renamed (new path) or deleted (null) in the working tree since. */
  private changes(): Promise<Map<string, string | null>> {
    this.renames ??= this.diffWithUntracked().then(parseNameStatus, () => new Map());
    return this.renames;
  }

  /**
   * `git diff -M <commit>` sees only tracked paths, so a file renamed in the working tree but not
   * staged shows as deleted. In a throwaway copy of the index the untracked files are added as
   * intent-to-add (`add -N`: no object written), and git's rename detection pairs them; the user's
   * index is never written.
   */
  private async diffWithUntracked(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'workshop-index-'));
    try {
      const index = join(dir, 'index');
      const real = (await runGit(['rev-parse', '--git-path', 'index'], this.root, this.env)).stdout.trim();
      // No index yet (nothing was ever staged): git reads a missing index file as an empty one.
      await copyFile(isAbsolute(real) ? real : join(this.root, real), index).catch(() => undefined);
      const env = { ...this.env, GIT_INDEX_FILE: index };
      await runGit(['add', '--intent-to-add', '--', '.'], this.root, env);
      const diff = ['-c', 'core.quotePath=false', 'diff', '--name-status', '-z', '-M', '--no-ext-diff', this.commit];
      return (await runGit(diff, this.root, env)).stdout;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** `git diff --name-status -z -M` output: renames map to their new path, deletions to null. */
export function parseNameStatus(out: string): Map<string, string | null> {
  const fields = out.split('\0');
  const map = new Map<string, string | null>();
  for (let i = 0; i < fields.length && fields[i];) {
    const status = fields[i];
    if (status.startsWith('R') || status.startsWith('C')) {
      if (status.startsWith('R')) {
        map.set(fields[i + 1], fields[i + 2]);
      }
      i += 3;
    } else {
      if (status === 'D') {
        map.set(fields[i + 1], null);
      }
      i += 2;
    }
  }
  return map;
}

/** The top directory of the git repository containing `dir`, or undefined when there is none. */
export async function repositoryRoot(dir: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  try {
    return (await runGit(['rev-parse', '--show-toplevel'], dir, env)).stdout.trim() || undefined;
  } catch {
    return undefined;
  }
}
