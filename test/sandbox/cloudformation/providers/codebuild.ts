// Placeholder AWS::CodeBuild::Project: record-only until the CodeBuild service registers its provider.
import { randomUpper } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const codeBuildProviders: Record<string, ResourceProvider> = {
  'AWS::CodeBuild::Project': recordOnlyProvider({
    type: 'AWS::CodeBuild::Project',
    attributes: ['Arn'],
    createMs: 3_000,
    deleteMs: 1_000,
    physicalId: (p, ctx) => stringProp(p, 'Name') ?? `${ctx.logicalId}-${randomUpper(12)}`,
    attributeValues: (name, _p, ctx) => ({ Arn: `arn:aws:codebuild:${ctx.region}:${ctx.accountId}:project/${name}` }),
  }),
};

codeBuildProviders['AWS::CodeBuild::ReportGroup'] = recordOnlyProvider({
  type: 'AWS::CodeBuild::ReportGroup',
  attributes: ['Arn'],
  createMs: 2_000,
  deleteMs: 1_000,
  physicalId: (p, ctx) =>
    `arn:aws:codebuild:${ctx.region}:${ctx.accountId}:report-group/${stringProp(p, 'Name') ?? `${ctx.stackName}-${ctx.logicalId}`}`,
  attributeValues: (arn) => ({ Arn: arn }),
});
