import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelJudge } from '../../../sandbox/core/models/judge';
import type { ServiceDefinition } from '../../../sandbox/core/types';

const s3: ServiceDefinition = {
  signingName: 's3',
  protocol: 'restXml',
  unknownKeyErrorCode: 'InvalidAccessKeyId',
  operations: {},
};
const NS = 'xmlns="http://s3.amazonaws.com/doc/2006-03-01/"';

function versions(inner: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<ListVersionsResult ${NS}><Name>b</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker><MaxKeys>1000</MaxKeys>${inner}</ListVersionsResult>`;
}
const version = (size: string, storage = 'STANDARD') =>
  `<Version><Key>k</Key><VersionId>v1</VersionId><IsLatest>true</IsLatest><LastModified>2024-01-01T00:00:00.000Z</LastModified><ETag>"e"</ETag><Size>${size}</Size><Owner><ID>abc</ID></Owner><StorageClass>${storage}</StorageClass></Version>`;

test('an S3 listing read back from its XML passes when it matches the model', () => {
  const judge = new ModelJudge([s3], true);
  const body = versions(
    `<IsTruncated>false</IsTruncated>${version('12')}${version('3')}<DeleteMarker><Key>k</Key><VersionId>v0</VersionId><IsLatest>false</IsLatest><LastModified>2024-01-01T00:00:00.000Z</LastModified></DeleteMarker>`,
  );
  assert.equal(judge.checkRestResponse(s3, 'ListObjectVersions', { status: 200, body }, 'R1'), undefined);
  assert.equal(
    judge.checkRestResponse(
      s3,
      'GetBucketLocation',
      { status: 200, body: `<LocationConstraint ${NS}>eu-west-1</LocationConstraint>` },
      'R2',
    ),
    undefined,
  );
  assert.deepEqual(judge.violations, []);
});

test('unknown elements, wrong scalar types, bad enums and bad headers are violations', () => {
  const judge = new ModelJudge([s3], true);
  const body = versions(`<IsTruncated>maybe</IsTruncated><Truncated>false</Truncated>${version('twelve', 'CHEAP')}`);
  const error = judge.checkRestResponse(s3, 'ListObjectVersions', { status: 200, body }, 'R3');
  assert.equal(error?.code, 'InternalError');
  assert.equal(error?.status, 500);
  assert.deepEqual(judge.violations[0].problems, [
    'ListVersionsResult: <Truncated> is not a member of ListObjectVersionsOutput',
    'IsTruncated: expected a boolean, found string "maybe" (value "maybe")',
    'Versions[0].Size: expected a long, found string "twelve" (value "twelve")',
    'Versions[0].StorageClass: Member must satisfy enum value set: [STANDARD] (value "CHEAP")',
  ]);
  const head = judge.checkRestResponse(
    s3,
    'HeadObject',
    { status: 200, headers: { 'content-length': 'ten', 'last-modified': 'Mon, 01 Jan 2024 00:00:00 GMT' } },
    'R4',
  );
  assert.match(head?.message ?? '', /ContentLength: expected a long, found string "ten"/);
  // Errors are not output shapes: S3's error documents are not judged here.
  assert.equal(
    judge.checkRestResponse(s3, 'GetObject', { status: 404, body: '<Error><Code>NoSuchKey</Code></Error>' }, 'R5'),
    undefined,
  );
});
