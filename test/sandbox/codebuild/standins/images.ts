// The docker stand-in's local image store, one per build (under the build's HOME, like a fresh
// docker daemon per CodeBuild build): image configs in docker's format, the files the image's
// COPY/ADD instructions put in it, a deterministic layer tar, and the tag index. trivy's stand-in
// reads images from here as trivy reads them from the docker daemon.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ImageConfig {
  architecture: string;
  os: string;
  created: string;
  config: {
    Env: string[];
    Cmd?: string[];
    Entrypoint?: string[];
    WorkingDir: string;
    ExposedPorts?: Record<string, object>;
    User?: string;
    Labels?: Record<string, string>;
  };
  rootfs: { type: 'layers'; diff_ids: string[] };
  history: { created_by: string; empty_layer?: boolean }[];
}

export interface StoredImage {
  /** sha256:<hex> of the config JSON, as docker's image id. */
  readonly id: string;
  readonly config: ImageConfig;
}

export function storeDir(): string {
  const dir = join(process.env.HOME ?? '.', '.docker-standin');
  mkdirSync(dir, { recursive: true });
  return dir;
}

const imageDir = (id: string): string => join(storeDir(), 'images', id.replace('sha256:', ''));
export const imageFilesDir = (id: string): string => join(imageDir(id), 'files');
export const imageLayerTar = (id: string): string => join(imageDir(id), 'layer.tar');

function tags(): Record<string, string> {
  const file = join(storeDir(), 'tags.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>) : {};
}

/** docker's normalisation: `app` → `app:latest`; `docker.io/library/app:1` → `app:1`. */
export function normalizeTag(ref: string): string {
  let r = ref.replace(/^docker\.io\/(library\/)?/, '');
  const slash = r.lastIndexOf('/');
  if (r.lastIndexOf(':') <= slash) r += ':latest';
  return r;
}

export function tagImage(id: string, ref: string): void {
  const all = tags();
  all[normalizeTag(ref)] = id;
  writeFileSync(join(storeDir(), 'tags.json'), JSON.stringify(all, null, 2));
}

export function findImage(ref: string): StoredImage | undefined {
  const all = tags();
  const id = all[normalizeTag(ref)] ?? (ref.startsWith('sha256:') ? ref : undefined);
  if (!id || !existsSync(join(imageDir(id), 'config.json'))) return undefined;
  return { id, config: JSON.parse(readFileSync(join(imageDir(id), 'config.json'), 'utf8')) as ImageConfig };
}

export function tagsOf(id: string): string[] {
  return Object.entries(tags())
    .filter(([, v]) => v === id)
    .map(([k]) => k);
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

/** A layer tar of `files` that is byte-for-byte the same for the same content (sorted, mtime 0). */
export function writeLayerTar(filesDir: string, target: string): { digest: string; size: number } {
  execFileSync(
    'tar',
    ['--sort=name', '--mtime=@0', '--owner=0', '--group=0', '--numeric-owner', '-C', filesDir, '-cf', target, '.'],
    { stdio: 'ignore' },
  );
  return { digest: `sha256:${sha256(readFileSync(target))}`, size: statSync(target).size };
}

/** Stores an image whose files are already in `staging` (moved into the store). */
export function storeImage(config: Omit<ImageConfig, 'rootfs'>, staging: string, scratchTar: string): StoredImage {
  const layer = writeLayerTar(staging, scratchTar);
  const full: ImageConfig = { ...config, rootfs: { type: 'layers', diff_ids: [layer.digest] } };
  const json = JSON.stringify(full);
  const id = `sha256:${sha256(json)}`;
  const dir = imageDir(id);
  if (!existsSync(join(dir, 'config.json'))) {
    mkdirSync(dir, { recursive: true });
    execFileSync('cp', ['-a', `${staging}/.`, join(dir, 'files')], { stdio: 'ignore' });
    execFileSync('mv', [scratchTar, imageLayerTar(id)], { stdio: 'ignore' });
    writeFileSync(join(dir, 'config.json'), json);
  }
  return { id, config: full };
}

export function rawConfig(id: string): string {
  return readFileSync(join(imageDir(id), 'config.json'), 'utf8');
}
