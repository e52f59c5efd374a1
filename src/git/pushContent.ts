// What a push is about to send, as text to scan for secrets: the lines each commit ahead of the
// remote branch adds, and the lines the staged changes add (the commit Commit and Push makes). Only
// added lines matter: a secret the push removes is not sent by it. Also the repository's
// `.gitleaks.toml` and `.gitleaksignore` as they will be pushed (the index), which the pipeline's
// gitleaks reads from the pushed tree.
import { runGit } from './gitCli';

/** The added lines of one file in one commit (or in the staged changes), joined by newlines. */
export interface AddedText {
  /** The commit that adds them; undefined for the staged changes. */
  readonly commit?: string;
  readonly path: string;
  readonly content: string;
  /** The file line of each line of `content` (1-based). */
  readonly lines: readonly number[];
}

export interface PushContent {
  readonly added: readonly AddedText[];
  /** How many commits ahead of the remote branch were read. */
  readonly commits: number;
  readonly gitleaksConfig?: string;
  readonly gitleaksIgnore?: string;
}

export interface PushContentOptions {
  readonly cwd: string;
  readonly remote: string;
  readonly branch: string;
  /** Include what is staged now (the commit about to be made). */
  readonly staged: boolean;
  readonly env?: NodeJS.ProcessEnv;
}

const DIFF_ARGS = ['-p', '--no-color', '--no-ext-diff', '--unified=0', '-M', '--diff-filter=AMRC'];

export async function readPushContent(options: PushContentOptions): Promise<PushContent> {
  const { cwd } = options;
  const env = options.env ?? process.env;
  const git = async (...args: string[]) => (await runGit(['-c', 'core.quotePath=false', ...args], cwd, env)).stdout;
  const succeeds = (...args: string[]) =>
    git(...args).then(
      () => true,
      () => false,
    );
  const indexFile = (name: string) => git('show', `:${name}`).catch(() => undefined);
  const tracking = `refs/remotes/${options.remote}/${options.branch}`;
  // Independent reads in parallel: each git process costs more than the scan itself.
  const [hasHead, known, stagedDiff, gitleaksConfig, gitleaksIgnore] = await Promise.all([
    succeeds('rev-parse', '--verify', '--quiet', 'HEAD'),
    succeeds('rev-parse', '--verify', '--quiet', tracking),
    options.staged ? git('diff', '--cached', ...DIFF_ARGS, '--') : Promise.resolve(''),
    indexFile('.gitleaks.toml'),
    indexFile('.gitleaksignore'),
  ]);
  const added: AddedText[] = [];
  let commits = 0;
  if (hasHead) {
    // Without the remote branch, everything no ref of the remote has (all of it for a first push).
    const range = known ? [`${tracking}..HEAD`] : ['HEAD', '--not', `--remotes=${options.remote}`];
    const parsed = parseUnifiedDiff(await git('log', ...DIFF_ARGS, '--format=%x01%H', ...range, '--'));
    commits = new Set(parsed.map((a) => a.commit)).size;
    added.push(...parsed);
  }
  added.push(...parseUnifiedDiff(stagedDiff));
  return { added, commits, gitleaksConfig, gitleaksIgnore };
}

/**
 * Added lines per commit and file of `git log -p --format=%x01%H --unified=0` (or a plain `git diff`),
 * counting each hunk's lines so that content looking like a header is never taken for one.
 */
export function parseUnifiedDiff(out: string): AddedText[] {
  const result: AddedText[] = [];
  const rows = out.split('\n');
  let commit: string | undefined;
  let path: string | undefined;
  let current: { content: string[]; lines: number[] } | undefined;
  const flush = (): void => {
    if (path !== undefined && current && current.content.length > 0) {
      result.push({ commit, path, content: current.content.join('\n'), lines: current.lines });
    }
    current = undefined;
  };
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row.startsWith('\x01')) {
      flush();
      commit = row.slice(1).trim();
      path = undefined;
    } else if (row.startsWith('diff --git ')) {
      flush();
      path = undefined;
    } else if (row.startsWith('+++ ')) {
      const target = row.slice(4);
      path = target === '/dev/null' ? undefined : unquote(target).replace(/^b\//, '');
      current = { content: [], lines: [] };
    } else if (row.startsWith('@@ ') && current) {
      const m = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(row);
      if (!m) {
        continue;
      }
      let removed = m[1] === undefined ? 1 : Number(m[1]);
      let addedCount = m[3] === undefined ? 1 : Number(m[3]);
      let line = Number(m[2]);
      while ((removed > 0 || addedCount > 0) && i + 1 < rows.length) {
        const body = rows[++i];
        if (body.startsWith('-')) {
          removed--;
        } else if (body.startsWith('+')) {
          current.content.push(body.slice(1));
          current.lines.push(line++);
          addedCount--;
        } else if (!body.startsWith('\\')) {
          break; // not part of this hunk after all
        }
      }
    }
  }
  flush();
  return result;
}

/** git's C-style quoted path ("a\tb") back to the path. */
function unquote(path: string): string {
  if (!path.startsWith('"')) {
    return path;
  }
  const bytes: number[] = [];
  const body = path.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[++i];
    if (/[0-7]/.test(next)) {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else {
      const escapes: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
      bytes.push(escapes[next] ?? next.charCodeAt(0));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
