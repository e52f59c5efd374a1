// An action's output artifact as CodePipeline stores it in the pipeline's artifact bucket: a zip.
// The source action's is the commit's tree (CODE_ZIP, as `git archive --format=zip` writes it); a
// build's holds the files its buildspec's `artifacts:` selected.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import JSZip from 'jszip';

/** The files under `dir` (paths relative to it), zipped. */
export async function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new JSZip();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    zip.file(relative(dir, path), readFileSync(path));
  }
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** The commit's tree, zipped by git itself. */
export function zipCommit(gitDir: string, commitId: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const archive = spawn('git', ['--git-dir', gitDir, 'archive', '--format=zip', commitId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    archive.stdout.on('data', (c: Buffer) => chunks.push(c));
    archive.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    archive.on('error', reject);
    archive.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git archive ${commitId}: ${stderr.trim()}`)),
    );
  });
}
