// AWS::CloudFormation::WaitConditionHandle: a presigned-URL-like physical id and nothing else.
import { randomHex } from './names.js';
import { recordOnlyProvider } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const cloudFormationProviders: Record<string, ResourceProvider> = {
  'AWS::CloudFormation::WaitConditionHandle': recordOnlyProvider({
    type: 'AWS::CloudFormation::WaitConditionHandle',
    attributes: [],
    createMs: 1_000,
    deleteMs: 500,
    physicalId: (_p, ctx) =>
      `https://cloudformation-waitcondition-${ctx.region}.s3.amazonaws.com/${encodeURIComponent(ctx.stackId)}/${ctx.logicalId}?X-Amz-Signature=${randomHex(64)}`,
  }),
};
