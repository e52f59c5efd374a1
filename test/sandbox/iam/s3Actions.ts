// S3's operations and the actions they are authorized for (Service Authorization Reference, Amazon
// S3; "Required permissions for Amazon S3 API operations"): HeadBucket and ListObjects(V2) need
// s3:ListBucket, ListObjectVersions s3:ListBucketVersions, HeadObject s3:GetObject, a versioned
// GetObject/DeleteObject the `…Version` action. DeleteObjects has no action of its own: S3 authorizes
// each key (s3:DeleteObject or s3:DeleteObjectVersion) and reports a denied key in the result.
import type { Needed } from './operationActions';

export function s3Needs(
  operation: string,
  target: { readonly bucket?: string; readonly key?: string },
  versionId: string | null,
): Needed[] {
  const bucket = `arn:aws:s3:::${target.bucket ?? ''}`;
  const object = `${bucket}/${target.key ?? ''}`;
  const versioned = versionId !== null;
  switch (operation) {
    case 'ListBuckets':
      return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
    case 'HeadBucket':
    case 'ListObjects':
    case 'ListObjectsV2':
      return [{ action: 's3:ListBucket', resource: bucket }];
    case 'ListObjectVersions':
      return [{ action: 's3:ListBucketVersions', resource: bucket }];
    case 'GetBucketLocation':
    case 'GetBucketVersioning':
    case 'PutBucketVersioning':
    case 'CreateBucket':
    case 'DeleteBucket':
      return [{ action: `s3:${operation}`, resource: bucket }];
    case 'GetObject':
    case 'HeadObject':
      return [{ action: versioned ? 's3:GetObjectVersion' : 's3:GetObject', resource: object }];
    case 'PutObject':
      return [{ action: 's3:PutObject', resource: object }];
    case 'DeleteObject':
      return [{ action: versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject', resource: object }];
    default:
      // DeleteObjects (per key, in the handler) and the operations the sandbox refuses as unsupported.
      return [];
  }
}
