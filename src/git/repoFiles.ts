// A repository's files at a commit and in the working tree now, read with git (argument arrays only):
// what findings of a built commit need to find their line in today's workspace.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
    this.renames ??= runGit(
      ['-c', 'core.quotePath=false', 'diff', '--name-status', '-z', '-M', '--no-ext-diff', this.commit],
      this.root,
      this.env,
    ).then(
      (r) => parseNameStatus(r.stdout),
      () => new Map(),
    );
    return this.renames;
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
