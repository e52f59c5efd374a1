// Placeholder AWS::ECR::Repository: record-only until the ECR service registers its provider.
import { generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const ecrProviders: Record<string, ResourceProvider> = {
  'AWS::ECR::Repository': recordOnlyProvider({
    type: 'AWS::ECR::Repository',
    attributes: ['Arn', 'RepositoryUri'],
    createMs: 2_000,
    deleteMs: 1_000,
    physicalId: (p, ctx) =>
      stringProp(p, 'RepositoryName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 256, lower: true }),
    attributeValues: (name, _p, ctx) => ({
      Arn: `arn:aws:ecr:${ctx.region}:${ctx.accountId}:repository/${name}`,
      RepositoryUri: `${ctx.accountId}.dkr.ecr.${ctx.region}.amazonaws.com/${name}`,
    }),
  }),
};
