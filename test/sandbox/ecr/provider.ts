// AWS::ECR::Repository: creates the repository in the sandbox's ECR.
import type { ResourceProvider } from '../cloudformation/providers/registry';
import { generatedName } from '../cloudformation/providers/names';
import { createRepository, deleteRepository, findRepository, repositoryArn, repositoryUri } from './store';
import { str } from '../core/values';

export const ecrResourceProviders: Record<string, ResourceProvider> = {
  'AWS::ECR::Repository': {
    attributes: ['Arn', 'RepositoryUri'],
    async create(properties, ctx) {
      const name =
        typeof properties.RepositoryName === 'string'
          ? properties.RepositoryName
          : generatedName(ctx.stackName, ctx.logicalId, { max: 256, lower: true });
      const scanning = properties.ImageScanningConfiguration as { ScanOnPush?: unknown } | undefined;
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const repo = createRepository(ctx.sandbox, {
        accountId: ctx.accountId,
        region: ctx.region,
        repositoryName: name,
        imageTagMutability: str(properties.ImageTagMutability ?? 'MUTABLE'),
        scanOnPush: scanning?.ScanOnPush === true || scanning?.ScanOnPush === 'true',
      });
      return { physicalId: name, attributes: { Arn: repositoryArn(repo), RepositoryUri: repositoryUri(repo) } };
    },
    update(physicalId, properties, _previous, ctx) {
      const repo = findRepository(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      if (repo) {
        repo.imageTagMutability = properties.ImageTagMutability === 'IMMUTABLE' ? 'IMMUTABLE' : 'MUTABLE';
        ctx.sandbox.changed();
      }
      const ref = { accountId: ctx.accountId, region: ctx.region, repositoryName: physicalId };
      return Promise.resolve({ attributes: { Arn: repositoryArn(ref), RepositoryUri: repositoryUri(ref) } });
    },
    delete(physicalId, properties, ctx) {
      if (findRepository(ctx.sandbox, ctx.accountId, ctx.region, physicalId)) {
        deleteRepository(
          ctx.sandbox,
          ctx.accountId,
          ctx.region,
          physicalId,
          properties.EmptyOnDelete === true || properties.EmptyOnDelete === 'true',
        );
      }
      return Promise.resolve();
    },
  },
};
