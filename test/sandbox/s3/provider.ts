// AWS::S3::Bucket backed by the sandbox's S3: creates a real bucket (versioning per its
// VersioningConfiguration) and, like CloudFormation, refuses to delete one that still holds versions.
import { generatedName } from '../cloudformation/providers/names';
import { ResourceFailure, type ProviderContext, type ResourceProvider } from '../cloudformation/providers/registry';
import { AwsError } from '../core/types';
import { BUCKET_NOT_EMPTY_MESSAGE, createBucket, deleteBucket, findBucket, versionCount } from './store';

const CREATE_MS = 21_000;
const DELETE_MS = 2_000;

function versioningOf(properties: Record<string, unknown>): 'Enabled' | 'Suspended' | undefined {
  const status = (properties.VersioningConfiguration as { Status?: unknown } | undefined)?.Status;
  return status === 'Enabled' || status === 'Suspended' ? status : undefined;
}

function attributes(name: string, region: string): Record<string, unknown> {
  return {
    Arn: `arn:aws:s3:::${name}`,
    DomainName: `${name}.s3.amazonaws.com`,
    DualStackDomainName: `${name}.s3.dualstack.${region}.amazonaws.com`,
    RegionalDomainName: `${name}.s3.${region}.amazonaws.com`,
    WebsiteURL: `http://${name}.s3-website-${region}.amazonaws.com`,
  };
}

/** CloudFormation's status reason for an S3 error: the message and the service's error details. */
function s3Reason(error: AwsError, status: number): string {
  return `${error.message} (Service: S3, Status Code: ${status}, Request ID: ${randomRequestId()}) (SDK Attempt Count: 1)`;
}

function randomRequestId(): string {
  return Array.from({ length: 16 }, () => '0123456789ABCDEF'[Math.floor(Math.random() * 16)]).join('');
}

const bucketProvider: ResourceProvider = {
  attributes: ['Arn', 'DomainName', 'DualStackDomainName', 'RegionalDomainName', 'WebsiteURL'],
  async create(properties, ctx: ProviderContext) {
    const explicit =
      typeof properties.BucketName === 'string' && properties.BucketName !== '' ? properties.BucketName : undefined;
    const name = explicit ?? generatedName(ctx.stackName, ctx.logicalId, { max: 63, lower: true });
    await ctx.sandbox.clock.sleep(1_000, ctx.signal);
    try {
      createBucket(ctx.sandbox, {
        name,
        accountId: ctx.accountId,
        region: ctx.region,
        ...(versioningOf(properties) ? { versioning: versioningOf(properties) } : {}),
      });
    } catch (error) {
      if (error instanceof AwsError)
        throw new ResourceFailure(
          error.code.startsWith('BucketAlready') ? `${name} already exists` : s3Reason(error, error.status),
        );
      throw error;
    }
    ctx.initiated(name);
    await ctx.sandbox.clock.sleep(CREATE_MS - 1_000, ctx.signal);
    return { physicalId: name, attributes: attributes(name, ctx.region) };
  },
  async update(physicalId, properties, _previous, ctx) {
    await ctx.sandbox.clock.sleep(CREATE_MS / 2, ctx.signal);
    const bucket = findBucket(ctx.sandbox, physicalId);
    if (!bucket)
      throw new ResourceFailure(s3Reason(new AwsError('NoSuchBucket', 'The specified bucket does not exist'), 404));
    // S3 cannot turn versioning off once enabled, only suspend it.
    bucket.versioning = versioningOf(properties) ?? (bucket.versioning === undefined ? undefined : 'Suspended');
    ctx.sandbox.changed();
    return { attributes: attributes(physicalId, ctx.region) };
  },
  async delete(physicalId, _properties, ctx) {
    await ctx.sandbox.clock.sleep(DELETE_MS, ctx.signal);
    const bucket = findBucket(ctx.sandbox, physicalId);
    if (!bucket) return; // already gone: CloudFormation treats that as deleted
    if (versionCount(bucket) > 0)
      throw new ResourceFailure(s3Reason(new AwsError('BucketNotEmpty', BUCKET_NOT_EMPTY_MESSAGE), 409));
    deleteBucket(ctx.sandbox, bucket);
  },
};

export const s3ResourceProviders: Record<string, ResourceProvider> = {
  'AWS::S3::Bucket': bucketProvider,
};
