// Artifacts as CodePipeline keeps them: a zip object in the pipeline's artifact bucket, under
// `<pipeline name, 20 chars>/<artifact name, 20 chars>/<7 chars of the action execution>` (the key
// describe.ts reports as s3location). The source action's zip is the commit's tree (CODE_ZIP, as
// `git archive --format=zip` writes it); a build's holds the files its buildspec's `artifacts:`
// selected. The actions that take the artifact read it back from the bucket.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import JSZip from 'jszip';
import type { Sandbox } from '../core/types';
import { findBucket, findVersion, putObject } from '../s3/store';

export interface ArtifactLocation {
  readonly bucket: string;
  readonly key: string;
}

/** Where CodePipeline puts an action's output artifact: `<pipeline, 20 chars>/<artifact, 20 chars>/<7 chars of the run>`. */
export function artifactKey(pipelineName: string, artifactName: string, actionExecutionId: string): string {
  return `${pipelineName.slice(0, 20)}/${artifactName.slice(0, 20)}/${actionExecutionId.slice(0, 7)}`;
}

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
  return new Promise((resolveZip, reject) => {
    const archive = spawn('git', ['--git-dir', gitDir, 'archive', '--format=zip', commitId], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const chunks: Buffer[] = [];
    let stderr = '';
    archive.stdout.on('data', (c: Buffer) => chunks.push(c));
    archive.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    archive.on('error', reject);
    archive.on('close', (code) =>
      code === 0 ? resolveZip(Buffer.concat(chunks)) : reject(new Error(`git archive ${commitId}: ${stderr.trim()}`)),
    );
  });
}

/** Writes the zip's files under `target` (entries that would land outside it are refused). */
export async function unzipInto(zipBody: Buffer, target: string): Promise<void> {
  const zip = await JSZip.loadAsync(zipBody);
  const root = resolve(target);
  for (const entry of Object.values(zip.files)) {
    const path = resolve(root, entry.name);
    if (path !== root && !path.startsWith(`${root}${sep}`))
      throw new Error(`zip entry outside the artifact: ${entry.name}`);
    if (entry.dir) mkdirSync(path, { recursive: true });
    else {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, await entry.async('nodebuffer'));
    }
  }
}

/** One file of the zip, as text; undefined when the zip does not hold it. */
export async function fileInZip(zipBody: Buffer, name: string): Promise<string | undefined> {
  return (await JSZip.loadAsync(zipBody)).file(name)?.async('string');
}

/** Puts the zip into the artifact bucket; undefined when the pipeline's bucket does not exist. */
export function putArtifact(
  sandbox: Sandbox,
  accountId: string,
  bucketName: string | undefined,
  key: string,
  body: Buffer,
): ArtifactLocation | undefined {
  const bucket = bucketName ? findBucket(sandbox, bucketName) : undefined;
  if (!bucket || bucket.accountId !== accountId) return undefined;
  putObject(sandbox, bucket, key, body, 'application/zip');
  return { bucket: bucket.name, key };
}

/** The artifact's zip from the bucket, or S3's NoSuchKey/NoSuchBucket text when it is gone. */
export function getArtifact(sandbox: Sandbox, accountId: string, location: ArtifactLocation): Buffer | string {
  const bucket = findBucket(sandbox, location.bucket);
  if (!bucket || bucket.accountId !== accountId) return 'NoSuchBucket: The specified bucket does not exist';
  const version = findVersion(bucket, location.key);
  if (!version || version.deleteMarker || version.bodyBase64 === undefined)
    return 'NoSuchKey: The specified key does not exist.';
  return Buffer.from(version.bodyBase64, 'base64');
}
