// Record-only AWS::Logs::LogGroup (replaced once the CloudWatch Logs service registers its own provider).
import { generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const logsProviders: Record<string, ResourceProvider> = {
  'AWS::Logs::LogGroup': recordOnlyProvider({
    type: 'AWS::Logs::LogGroup',
    attributes: ['Arn'],
    createMs: 2_000,
    deleteMs: 1_000,
    physicalId: (p, ctx) => stringProp(p, 'LogGroupName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 512 }),
    attributeValues: (name, _p, ctx) => ({ Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${name}:*` }),
  }),
};
