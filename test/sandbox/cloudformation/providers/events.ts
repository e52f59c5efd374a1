// Placeholder AWS::Events::Rule: record-only until the EventBridge service (events/) registers its provider.
import { generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const eventsProviders: Record<string, ResourceProvider> = {
  'AWS::Events::Rule': recordOnlyProvider({
    type: 'AWS::Events::Rule',
    attributes: ['Arn'],
    createMs: 30_000,
    deleteMs: 3_000,
    physicalId: (p, ctx) => stringProp(p, 'Name') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 64 }),
    attributeValues: (name, _p, ctx) => ({ Arn: `arn:aws:events:${ctx.region}:${ctx.accountId}:rule/${name}` }),
  }),
};
