// ECR repositories and their images per account and region. Images are metadata only: the
// pipeline's PostBuild "pushes" one by recording its manifest digest and tags (pushImage).
import { createHash } from 'node:crypto';
import { AwsError, type Sandbox } from '../core/types';

export interface EcrImage {
  readonly imageDigest: string;
  imageTags: string[];
  readonly imagePushedAt: number;
  readonly imageSizeInBytes: number;
}

export interface EcrRepository {
  readonly repositoryName: string;
  readonly accountId: string;
  readonly region: string;
  readonly createdAt: number;
  imageTagMutability: 'MUTABLE' | 'IMMUTABLE';
  scanOnPush: boolean;
  readonly images: EcrImage[];
  /** Layer digests pushed to the repository (docker push skips layers already there). */
  layers?: string[];
}

interface EcrState {
  /** Keyed by `<account>/<region>/<name>`. */
  repositories: Record<string, EcrRepository>;
}

function ecrState(sandbox: Sandbox): EcrState {
  const state = sandbox.state as { ecr?: EcrState };
  state.ecr ??= { repositories: {} };
  return state.ecr;
}

const key = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;

export const repositoryArn = (r: Pick<EcrRepository, 'accountId' | 'region' | 'repositoryName'>): string =>
  `arn:aws:ecr:${r.region}:${r.accountId}:repository/${r.repositoryName}`;
export const repositoryUri = (r: Pick<EcrRepository, 'accountId' | 'region' | 'repositoryName'>): string =>
  `${r.accountId}.dkr.ecr.${r.region}.amazonaws.com/${r.repositoryName}`;

export function notFound(name: string, accountId: string): AwsError {
  return new AwsError(
    'RepositoryNotFoundException',
    `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
  );
}

export function findRepository(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
): EcrRepository | undefined {
  return ecrState(sandbox).repositories[key(accountId, region, name)];
}

export function listRepositories(sandbox: Sandbox, accountId: string, region: string): EcrRepository[] {
  return Object.values(ecrState(sandbox).repositories)
    .filter((r) => r.accountId === accountId && r.region === region)
    .sort((a, b) => a.repositoryName.localeCompare(b.repositoryName));
}

export function createRepository(
  sandbox: Sandbox,
  params: {
    accountId: string;
    region: string;
    repositoryName: string;
    imageTagMutability?: string;
    scanOnPush?: boolean;
  },
): EcrRepository {
  const { accountId, region, repositoryName } = params;
  if (
    !/^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(repositoryName) ||
    repositoryName.length < 2 ||
    repositoryName.length > 256
  ) {
    throw new AwsError(
      'InvalidParameterException',
      `Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*''`,
    );
  }
  const repositories = ecrState(sandbox).repositories;
  const id = key(accountId, region, repositoryName);
  if (repositories[id]) {
    throw new AwsError(
      'RepositoryAlreadyExistsException',
      `The repository with name '${repositoryName}' already exists in the registry with id '${accountId}'`,
    );
  }
  const repo: EcrRepository = {
    repositoryName,
    accountId,
    region,
    createdAt: sandbox.clock.now().getTime(),
    imageTagMutability: params.imageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE',
    scanOnPush: params.scanOnPush === true,
    images: [],
  };
  repositories[id] = repo;
  sandbox.changed();
  return repo;
}

export function deleteRepository(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
  force: boolean,
): EcrRepository {
  const repositories = ecrState(sandbox).repositories;
  const id = key(accountId, region, name);
  const repo = repositories[id];
  if (!repo) throw notFound(name, accountId);
  if (repo.images.length > 0 && !force) {
    throw new AwsError(
      'RepositoryNotEmptyException',
      `The repository with name '${name}' in registry with id '${accountId}' cannot be deleted because it still contains images`,
    );
  }
  delete repositories[id];
  sandbox.changed();
  return repo;
}

/**
 * Records an image push: the digest is derived from the content id (the commit), so re-pushing the
 * same build moves tags rather than adding an image, as a registry would.
 */
export function pushImage(sandbox: Sandbox, repo: EcrRepository, contentId: string, tags: readonly string[]): EcrImage {
  const imageDigest = `sha256:${createHash('sha256').update(`${repo.repositoryName}\0${contentId}`).digest('hex')}`;
  for (const tag of tags) {
    for (const other of repo.images) {
      if (other.imageDigest !== imageDigest && other.imageTags.includes(tag)) {
        if (repo.imageTagMutability === 'IMMUTABLE') {
          throw new AwsError(
            'ImageTagAlreadyExistsException',
            `The image tag '${tag}' already exists in the '${repo.repositoryName}' repository and cannot be overwritten because the repository is immutable.`,
          );
        }
        other.imageTags = other.imageTags.filter((t) => t !== tag);
      }
    }
  }
  let image = repo.images.find((i) => i.imageDigest === imageDigest);
  if (!image) {
    const size = 48_000_000 + (parseInt(imageDigest.slice(7, 13), 16) % 40_000_000);
    image = { imageDigest, imageTags: [], imagePushedAt: sandbox.clock.now().getTime(), imageSizeInBytes: size };
    repo.images.push(image);
  }
  image.imageTags = [...new Set([...image.imageTags, ...tags])];
  sandbox.changed();
  return image;
}

/**
 * ECR's PutImage as a `docker push` performs it: the image digest is the sha256 of the manifest the
 * client sent, the tag moves to it (or is refused in an IMMUTABLE repository), and a layer the
 * repository already holds is not uploaded again.
 */
export function putImageManifest(
  sandbox: Sandbox,
  repo: EcrRepository,
  push: { manifest: string; tag: string; sizeInBytes: number; layerDigest: string },
): { image: EcrImage; layerExisted: boolean } {
  const imageDigest = `sha256:${createHash('sha256').update(push.manifest).digest('hex')}`;
  const layers = (repo.layers ??= []);
  const layerExisted = layers.includes(push.layerDigest);
  if (!layerExisted) layers.push(push.layerDigest);
  for (const other of repo.images) {
    if (other.imageDigest !== imageDigest && other.imageTags.includes(push.tag)) {
      if (repo.imageTagMutability === 'IMMUTABLE') {
        throw new AwsError(
          'ImageTagAlreadyExistsException',
          `The image tag '${push.tag}' already exists in the '${repo.repositoryName}' repository and cannot be overwritten because the repository is immutable.`,
        );
      }
      other.imageTags = other.imageTags.filter((t) => t !== push.tag);
    }
  }
  let image = repo.images.find((i) => i.imageDigest === imageDigest);
  if (!image) {
    image = {
      imageDigest,
      imageTags: [],
      imagePushedAt: sandbox.clock.now().getTime(),
      imageSizeInBytes: push.sizeInBytes,
    };
    repo.images.push(image);
  }
  if (!image.imageTags.includes(push.tag)) image.imageTags.push(push.tag);
  sandbox.changed();
  return { image, layerExisted };
}
