// Placeholder AWS::CodePipeline::Pipeline: record-only until the CodePipeline service registers its provider.
import { generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const codePipelineProviders: Record<string, ResourceProvider> = {
  'AWS::CodePipeline::Pipeline': recordOnlyProvider({
    type: 'AWS::CodePipeline::Pipeline',
    attributes: ['Version'],
    createMs: 2_000,
    deleteMs: 1_000,
    physicalId: (p, ctx) => stringProp(p, 'Name') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 100 }),
    attributeValues: () => ({ Version: '1' }),
  }),
};
