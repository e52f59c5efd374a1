// The files a buildspec's `artifacts:` or a report's `files:` select, as CodeBuild resolves them:
// glob patterns relative to `base-directory` (under CODEBUILD_SRC_DIR), `**/*` for everything,
// `discard-paths` to flatten.
import { cpSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { globSync } from 'tinyglobby';

export interface SelectedFile {
  /** Absolute path of the file in the build's source directory. */
  readonly path: string;
  /** Its path inside the artifact (relative to base-directory, or its name with discard-paths). */
  readonly artifactPath: string;
}

export function selectFiles(
  srcDir: string,
  spec: { files: readonly string[]; baseDirectory?: string; discardPaths: boolean },
): SelectedFile[] {
  const base = resolve(srcDir, spec.baseDirectory ?? '.');
  const found = globSync([...spec.files], { cwd: base, dot: true, onlyFiles: true, absolute: true });
  return found.sort().map((path) => ({
    path,
    artifactPath: spec.discardPaths ? basename(path) : relative(base, path),
  }));
}

export function writeArtifact(files: readonly SelectedFile[], target: string): void {
  mkdirSync(target, { recursive: true });
  for (const f of files) {
    mkdirSync(dirname(join(target, f.artifactPath)), { recursive: true });
    cpSync(f.path, join(target, f.artifactPath));
  }
}
