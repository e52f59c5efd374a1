// Amazon ECR (awsJson1_1, AmazonEC2ContainerRegistry_V20150921): repositories and image metadata.
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { ecrResourceProviders } from './provider';
import {
  createRepository,
  deleteRepository,
  findRepository,
  listRepositories,
  notFound,
  repositoryArn,
  repositoryUri,
  type EcrImage,
  type EcrRepository,
} from './store';
import { str } from '../core/values';

for (const [type, provider] of Object.entries(ecrResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError =>
  new AwsError(
    'InvalidParameterException',
    "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a valid token'",
  );

export const ecrService: ServiceDefinition = {
  signingName: 'ecr',
  protocol: 'awsJson1_1',
  targetPrefix: 'AmazonEC2ContainerRegistry_V20150921',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    CreateRepository: (input, ctx) => {
      const scanning = input.imageScanningConfiguration as { scanOnPush?: unknown } | undefined;
      const repo = createRepository(ctx.sandbox, {
        accountId: ctx.accountId,
        region: ctx.region,
        repositoryName: str(input.repositoryName ?? ''),
        imageTagMutability: str(input.imageTagMutability ?? 'MUTABLE'),
        scanOnPush: scanning?.scanOnPush === true,
      });
      return { repository: describeRepository(repo) };
    },

    DeleteRepository: (input, ctx) => ({
      repository: describeRepository(
        deleteRepository(ctx.sandbox, ctx.accountId, ctx.region, str(input.repositoryName ?? ''), input.force === true),
      ),
    }),

    DescribeRepositories: (input, ctx) => {
      checkRegistry(input, ctx);
      const names = Array.isArray(input.repositoryNames) ? input.repositoryNames.map(String) : undefined;
      if (names && input.nextToken !== undefined)
        throw new AwsError('InvalidParameterException', 'Cannot specify both repositoryNames and nextToken');
      const repos = names
        ? names.map(
            (n) => findRepository(ctx.sandbox, ctx.accountId, ctx.region, n) ?? throwError(notFound(n, ctx.accountId)),
          )
        : listRepositories(ctx.sandbox, ctx.accountId, ctx.region);
      const page = paginate(repos, input.nextToken, pageLimit(input.maxResults, 100, 1000, 'maxResults'), invalidToken);
      return { repositories: page.items.map(describeRepository), nextToken: page.nextToken };
    },

    DescribeImages: (input, ctx) => {
      const repo = requireRepository(input, ctx);
      const filter = input.filter as { tagStatus?: unknown } | undefined;
      const images = selectImages(repo, input.imageIds).filter((i) => tagStatusMatches(i, filter?.tagStatus));
      const page = paginate(
        images,
        input.nextToken,
        pageLimit(input.maxResults, 100, 1000, 'maxResults'),
        invalidToken,
      );
      return {
        imageDetails: page.items.map((i) => ({
          registryId: repo.accountId,
          repositoryName: repo.repositoryName,
          imageDigest: i.imageDigest,
          imageTags: i.imageTags.length > 0 ? i.imageTags : undefined,
          imageSizeInBytes: i.imageSizeInBytes,
          imagePushedAt: new Date(i.imagePushedAt),
          imageManifestMediaType: 'application/vnd.docker.distribution.manifest.v2+json',
          artifactMediaType: 'application/vnd.docker.container.image.v1+json',
          ...(repo.scanOnPush
            ? { imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' } }
            : {}),
        })),
        nextToken: page.nextToken,
      };
    },

    ListImages: (input, ctx) => {
      const repo = requireRepository(input, ctx);
      const filter = input.filter as { tagStatus?: unknown } | undefined;
      // One entry per tag (and one for an untagged image), as the real API lists image ids.
      const ids = repo.images
        .filter((i) => tagStatusMatches(i, filter?.tagStatus))
        .flatMap((i) =>
          i.imageTags.length > 0
            ? i.imageTags.map((imageTag) => ({ imageDigest: i.imageDigest, imageTag }))
            : [{ imageDigest: i.imageDigest }],
        );
      const page = paginate(ids, input.nextToken, pageLimit(input.maxResults, 100, 1000, 'maxResults'), invalidToken);
      return { imageIds: page.items, nextToken: page.nextToken };
    },
  },
};

function throwError(error: AwsError): never {
  throw error;
}

function checkRegistry(input: Record<string, unknown>, ctx: RequestContext): void {
  if (input.registryId !== undefined && input.registryId !== ctx.accountId) {
    throw new AwsError(
      'AccessDeniedException',
      `User: arn:aws:iam::${ctx.accountId}:root is not authorized to perform: ecr:DescribeRepositories on resource: arn:aws:ecr:${ctx.region}:${str(input.registryId)}:repository/*`,
    );
  }
}

function requireRepository(input: Record<string, unknown>, ctx: RequestContext): EcrRepository {
  checkRegistry(input, ctx);
  const name = str(input.repositoryName ?? '');
  return findRepository(ctx.sandbox, ctx.accountId, ctx.region, name) ?? throwError(notFound(name, ctx.accountId));
}

function selectImages(repo: EcrRepository, imageIds: unknown): EcrImage[] {
  if (!Array.isArray(imageIds)) return [...repo.images].sort((a, b) => b.imagePushedAt - a.imagePushedAt);
  return imageIds.map((raw) => {
    const id = raw as { imageDigest?: unknown; imageTag?: unknown };
    const image = repo.images.find(
      (i) =>
        (id.imageDigest === undefined || i.imageDigest === id.imageDigest) &&
        (id.imageTag === undefined || i.imageTags.includes(str(id.imageTag))),
    );
    if (!image) {
      const what = id.imageTag !== undefined ? `imageTag=${str(id.imageTag)}` : `imageDigest=${str(id.imageDigest)}`;
      throw new AwsError(
        'ImageNotFoundException',
        `The image with imageId {${what}} does not exist within the repository with name '${repo.repositoryName}' in the registry with id '${repo.accountId}'`,
      );
    }
    return image;
  });
}

function tagStatusMatches(image: EcrImage, tagStatus: unknown): boolean {
  if (tagStatus === 'TAGGED') return image.imageTags.length > 0;
  if (tagStatus === 'UNTAGGED') return image.imageTags.length === 0;
  return true;
}

export function describeRepository(repo: EcrRepository): Record<string, unknown> {
  return {
    repositoryArn: repositoryArn(repo),
    registryId: repo.accountId,
    repositoryName: repo.repositoryName,
    repositoryUri: repositoryUri(repo),
    createdAt: new Date(repo.createdAt),
    imageTagMutability: repo.imageTagMutability,
    imageScanningConfiguration: { scanOnPush: repo.scanOnPush },
    encryptionConfiguration: { encryptionType: 'AES256' },
  };
}
