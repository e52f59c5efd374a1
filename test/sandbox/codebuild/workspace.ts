// A build's private directory tree: the source (a fresh copy of the input artifact), HOME and TMPDIR
// for everything the build runs, and the agent's own state. Removed when the build ends.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface Workspace {
  readonly root: string;
  readonly src: string;
  readonly home: string;
  readonly tmp: string;
  readonly agent: string;
  remove(): void;
}

export function createWorkspace(): Workspace {
  const root = mkdtempSync(join(tmpdir(), 'cb-'));
  const dirs = { src: join(root, 'src'), home: join(root, 'home'), tmp: join(root, 'tmp'), agent: join(root, 'agent') };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return { root, ...dirs, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The commit's tree, as CodePipeline's CODE_ZIP source artifact holds it (no .git). */
export function extractCommit(gitDir: string, commitId: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['--git-dir', gitDir, 'archive', '--format=tar', commitId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const untar = spawn('tar', ['-x', '-C', target], { stdio: ['pipe', 'ignore', 'pipe'] });
    archive.stdout.pipe(untar.stdin);
    let stderr = '';
    archive.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    archive.on('error', reject);
    untar.on('error', reject);
    untar.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`could not extract ${commitId}: ${stderr.trim()}`)),
    );
  });
}

export function copyArtifact(artifactDir: string, target: string): void {
  cpSync(artifactDir, target, { recursive: true });
}
