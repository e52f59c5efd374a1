// Record-only IAM resources (the sandbox has no IAM service).
import { generatedName, randomUpper } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

function iamPath(p: Record<string, unknown>): string {
  return stringProp(p, 'Path') ?? '/';
}

export const iamProviders: Record<string, ResourceProvider> = {
  'AWS::IAM::Role': recordOnlyProvider({
    type: 'AWS::IAM::Role',
    attributes: ['Arn', 'RoleId'],
    createMs: 16_000,
    deleteMs: 3_000,
    physicalId: (p, ctx) => stringProp(p, 'RoleName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 64 }),
    attributeValues: (name, p, ctx) => ({
      Arn: `arn:aws:iam::${ctx.accountId}:role${iamPath(p)}${name}`,
      RoleId: `AROA${randomUpper(17)}`,
    }),
  }),
  'AWS::IAM::Policy': recordOnlyProvider({
    type: 'AWS::IAM::Policy',
    attributes: ['Id'],
    createMs: 16_000,
    deleteMs: 2_000,
    physicalId: (_p, ctx) => `${ctx.stackName.slice(0, 10)}-${ctx.logicalId.slice(0, 5)}-${randomUpper(12)}`,
    attributeValues: (id) => ({ Id: id }),
  }),
  'AWS::IAM::ManagedPolicy': recordOnlyProvider({
    type: 'AWS::IAM::ManagedPolicy',
    attributes: [
      'AttachmentCount',
      'CreateDate',
      'DefaultVersionId',
      'IsAttachable',
      'PolicyArn',
      'PolicyId',
      'UpdateDate',
    ],
    createMs: 12_000,
    deleteMs: 2_000,
    physicalId: (p, ctx) =>
      `arn:aws:iam::${ctx.accountId}:policy${iamPath(p)}${stringProp(p, 'ManagedPolicyName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 128 })}`,
    attributeValues: (arn, _p, ctx) => {
      const now = ctx.sandbox.clock.now().toISOString();
      return {
        PolicyArn: arn,
        PolicyId: `ANPA${randomUpper(17)}`,
        AttachmentCount: 0,
        DefaultVersionId: 'v1',
        IsAttachable: true,
        CreateDate: now,
        UpdateDate: now,
      };
    },
  }),
  'AWS::IAM::InstanceProfile': recordOnlyProvider({
    type: 'AWS::IAM::InstanceProfile',
    attributes: ['Arn'],
    createMs: 120_000,
    deleteMs: 3_000,
    physicalId: (p, ctx) =>
      stringProp(p, 'InstanceProfileName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 128 }),
    attributeValues: (name, p, ctx) => ({ Arn: `arn:aws:iam::${ctx.accountId}:instance-profile${iamPath(p)}${name}` }),
  }),
};
