// Record-only AWS::S3::Bucket and AWS::S3::BucketPolicy (the sandbox has no S3 service).
import { generatedName } from './names.js';
import { recordOnlyProvider, stringProp } from './recordOnly.js';
import type { ResourceProvider } from './registry.js';

export const s3Providers: Record<string, ResourceProvider> = {
  'AWS::S3::Bucket': recordOnlyProvider({
    type: 'AWS::S3::Bucket',
    attributes: ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'],
    createMs: 21_000,
    deleteMs: 2_000,
    physicalId: (p, ctx) =>
      stringProp(p, 'BucketName') ?? generatedName(ctx.stackName, ctx.logicalId, { max: 63, lower: true }),
    attributeValues: (name, _p, ctx) => ({
      Arn: `arn:aws:s3:::${name}`,
      DomainName: `${name}.s3.amazonaws.com`,
      DualStackDomainName: `${name}.s3.dualstack.${ctx.region}.amazonaws.com`,
      RegionalDomainName: `${name}.s3.${ctx.region}.amazonaws.com`,
      WebsiteURL: `http://${name}.s3-website-${ctx.region}.amazonaws.com`,
    }),
  }),
  'AWS::S3::BucketPolicy': recordOnlyProvider({
    type: 'AWS::S3::BucketPolicy',
    attributes: [],
    createMs: 2_000,
    physicalId: (p, ctx) => stringProp(p, 'Bucket') ?? ctx.logicalId,
  }),
};
