// Where a finding of a built commit belongs in the workspace now. A finding names a file and line of
// that commit; the workspace may have moved on. The finding stays on the line whose text is still
// the commit's text (the nearest such line when it moved), follows a renamed file, and is dropped
// when the text or the file is gone. Findings without a line (a vulnerable package of an image)
// go to the lock file line that declares the package, else to the Dockerfile's FROM line.
import type { Finding } from './reportFindings';

/** The repository as of the built commit and as it is now (src/git/repoFiles.ts reads it with git). */
export interface RepoFiles {
  /** The file's text at the commit; undefined when the file did not exist there or the commit is unknown. */
  atCommit(path: string): Promise<string | undefined>;
  /** Whether the commit is in the local repository, so that `atCommit` can be trusted. */
  commitKnown(): Promise<boolean>;
  /** Where the commit's file is now: its path, its new path after a rename, undefined once deleted. */
  currentPath(path: string): Promise<string | undefined>;
  /** The workspace file's text now; undefined when there is none. */
  current(path: string): Promise<string | undefined>;
  /** Lock files of the commit (of the workspace when the commit is unknown), repository-relative. */
  lockFiles(): Promise<string[]>;
}

export interface PlacementOptions {
  /** The Dockerfile the pipeline builds (the template's DockerfilePath parameter). */
  readonly dockerfile: string;
}

export interface PlacedFinding {
  readonly finding: Finding;
  /** Repository-relative path in the workspace now. */
  readonly path: string;
  /** 1-based line in the workspace file now. */
  readonly line: number;
  /** The line's text (for the range: from its first non-blank character to its end). */
  readonly text: string;
}

export async function placeFinding(
  finding: Finding,
  files: RepoFiles,
  options: PlacementOptions,
): Promise<PlacedFinding | undefined> {
  const anchor = finding.anchor;
  switch (anchor.kind) {
    case 'line':
      return placeLine(finding, anchor.path, anchor.line, files);
    case 'package':
      return placePackage(finding, anchor.candidates, anchor.target, files, options);
    case 'dockerfile':
      return placeInDockerfile(finding, files, options, /^\s*(HEALTHCHECK|CMD|ENTRYPOINT)\b/i);
    case 'none':
      return undefined;
  }
}

export async function placeAll(
  findings: readonly Finding[],
  files: RepoFiles,
  options: PlacementOptions,
): Promise<PlacedFinding[]> {
  const placed: PlacedFinding[] = [];
  for (const f of findings) {
    const p = await placeFinding(f, files, options);
    if (p) {
      placed.push(p);
    }
  }
  return placed;
}

async function placeLine(
  finding: Finding,
  path: string,
  line: number,
  files: RepoFiles,
): Promise<PlacedFinding | undefined> {
  const known = await files.commitKnown();
  const now = known ? await files.currentPath(path) : path;
  const nowText = now === undefined ? undefined : await files.current(now);
  if (now === undefined || nowText === undefined) {
    return undefined;
  }
  const nowLines = lines(nowText);
  if (!known) {
    // Nothing to compare with: the report's line, if the file still has it.
    return line <= nowLines.length ? { finding, path: now, line, text: nowLines[line - 1] } : undefined;
  }
  const thenText = await files.atCommit(path);
  const wanted = thenText === undefined ? undefined : lines(thenText)[line - 1];
  if (wanted === undefined) {
    return undefined;
  }
  const moved = relocateLine(wanted, line, nowLines);
  return moved === undefined ? undefined : { finding, path: now, line: moved, text: nowLines[moved - 1] };
}

/** The 1-based line of `nowLines` that still reads `text` (the nearest to `line`), or undefined. */
export function relocateLine(text: string, line: number, nowLines: readonly string[]): number | undefined {
  const same = (s: string | undefined): boolean => s !== undefined && s.trimEnd() === text.trimEnd();
  if (same(nowLines[line - 1])) {
    return line;
  }
  if (text.trim() === '') {
    return undefined; // a blank line matches anywhere: too weak to follow
  }
  let best: number | undefined;
  nowLines.forEach((s, i) => {
    if (same(s) && (best === undefined || Math.abs(i + 1 - line) < Math.abs(best - line))) {
      best = i + 1;
    }
  });
  return best;
}

const LOCK_FILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml']);

export function isLockFile(path: string): boolean {
  return LOCK_FILES.has(path.slice(path.lastIndexOf('/') + 1));
}

async function placePackage(
  finding: Finding,
  candidates: readonly { name: string; version: string }[],
  target: string,
  files: RepoFiles,
  options: PlacementOptions,
): Promise<PlacedFinding | undefined> {
  const lockFiles = await files.lockFiles();
  // The scanned lock file first (trivy fs names it), then every other one.
  const ordered = [...lockFiles.filter((p) => p === target), ...lockFiles.filter((p) => p !== target)];
  const known = await files.commitKnown();
  for (const path of ordered) {
    const then = known ? await files.atCommit(path) : await files.current(path);
    const declared = then !== undefined && candidates.some((c) => packageLine(then, path, c.name, c.version));
    if (!declared) {
      continue;
    }
    // Declared at the commit: it belongs on that lock file now, or nowhere once it was upgraded or removed.
    const now = known ? await files.currentPath(path) : path;
    const nowText = now === undefined ? undefined : await files.current(now);
    if (now === undefined || nowText === undefined) {
      return undefined;
    }
    for (const c of candidates) {
      const line = packageLine(nowText, now, c.name, c.version);
      if (line) {
        return { finding, path: now, line, text: lines(nowText)[line - 1] };
      }
    }
    return undefined;
  }
  // No lock file declares it: a package of the base image, which the FROM line brings in.
  return placeInDockerfile(finding, files, options, /^\s*FROM\b/i);
}

async function placeInDockerfile(
  finding: Finding,
  files: RepoFiles,
  options: PlacementOptions,
  instruction: RegExp,
): Promise<PlacedFinding | undefined> {
  const path = options.dockerfile;
  const text = await files.current(path);
  if (text === undefined) {
    return undefined;
  }
  const all = lines(text);
  let line = 0;
  all.forEach((s, i) => {
    if (instruction.test(s)) {
      line = i + 1; // the last one: the final stage's FROM, the command that runs
    }
  });
  if (line === 0) {
    line = Math.max(1, all.findIndex((s) => s.trim() !== '' && !s.trim().startsWith('#')) + 1);
  }
  return { finding, path, line, text: all[line - 1] ?? '' };
}

/** The 1-based line of a lock file that declares `name` at `version`, or undefined. */
export function packageLine(text: string, path: string, name: string, version: string): number | undefined {
  const all = lines(text);
  const file = path.slice(path.lastIndexOf('/') + 1);
  const esc = escapeRegex(name);
  if (file === 'package-lock.json' || file === 'npm-shrinkwrap.json') {
    // v2/v3 "node_modules/a/node_modules/name": {, v1 "name": { — then its "version" within the object.
    const key = new RegExp(`^\\s*"(?:[^"]*node_modules/)?${esc}"\\s*:\\s*\\{`);
    const ver = new RegExp(`^\\s*"version"\\s*:\\s*"${escapeRegex(version)}"`);
    return findKeyed(all, key, ver, /^\s*\}/);
  }
  if (file === 'yarn.lock') {
    const key = new RegExp(`^"?${esc}@`);
    const ver = new RegExp(`^\\s+version:?\\s+"?${escapeRegex(version)}"?\\s*$`);
    return findKeyed(all, key, ver, /^\S/);
  }
  if (file === 'pnpm-lock.yaml') {
    const key = new RegExp(`^\\s*['"]?/?${esc}[@/]${escapeRegex(version)}(?:\\(|['"]?:)`);
    const i = all.findIndex((s) => key.test(s));
    return i < 0 ? undefined : i + 1;
  }
  return undefined;
}

function findKeyed(all: readonly string[], key: RegExp, version: RegExp, end: RegExp): number | undefined {
  for (let i = 0; i < all.length; i++) {
    if (!key.test(all[i])) {
      continue;
    }
    for (let j = i + 1; j < Math.min(all.length, i + 40); j++) {
      if (version.test(all[j])) {
        return i + 1;
      }
      if (end.test(all[j])) {
        break;
      }
    }
  }
  return undefined;
}

function lines(text: string): string[] {
  return text.split(/\r?\n/);
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
