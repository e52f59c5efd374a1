// The sandbox's S3 over real HTTP with @aws-sdk/client-s3 (path-style) and the AWS CLI.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CreateBucketCommand,
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { clientConfig, cliEnv, installedAwsClis, run, startTestSandbox, tempDir } from './helpers';

async function s3Error(promise: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof S3ServiceException, String(error));
    return error;
  }
  assert.fail('expected an S3 error');
}

test('S3 objects, versions, delete markers, listings and batch delete through the SDK', async (t) => {
  const running = await startTestSandbox(t);
  const s3 = new S3Client({ ...clientConfig(running.endpoint), forcePathStyle: true });
  t.after(() => s3.destroy());

  const missing = await s3Error(s3.send(new ListObjectVersionsCommand({ Bucket: 'no-such-bucket' })));
  assert.equal(missing.name, 'NoSuchBucket');
  assert.equal(missing.$metadata.httpStatusCode, 404);
  assert.match(missing.$metadata.requestId ?? '', /^[0-9A-F]{16}$/);
  assert.equal(
    (await s3Error(s3.send(new HeadBucketCommand({ Bucket: 'no-such-bucket' })))).$metadata.httpStatusCode,
    404,
  );

  await s3.send(new CreateBucketCommand({ Bucket: 'artifacts' }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: 'artifacts', VersioningConfiguration: { Status: 'Enabled' } }),
  );
  const head = await s3.send(new HeadBucketCommand({ Bucket: 'artifacts' }));
  assert.equal(head.BucketRegion, 'us-east-1');

  const first = await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'dir/a b+c.txt', Body: 'one' }));
  const second = await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: 'dir/a b+c.txt', Body: 'two' }));
  assert.ok(first.VersionId && second.VersionId && first.VersionId !== second.VersionId);
  assert.equal(second.ETag, '"b8a9f715dbb64fd5c56e7783c6820a61"');
  const got = await s3.send(
    new GetObjectCommand({ Bucket: 'artifacts', Key: 'dir/a b+c.txt', VersionId: first.VersionId }),
  );
  assert.equal(await got.Body?.transformToString(), 'one');
  assert.equal(got.VersionId, first.VersionId);
  assert.equal((await s3Error(s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'nope' })))).name, 'NoSuchKey');

  const marker = await s3.send(new DeleteObjectCommand({ Bucket: 'artifacts', Key: 'dir/a b+c.txt' }));
  assert.equal(marker.DeleteMarker, true);
  assert.equal(
    (await s3Error(s3.send(new GetObjectCommand({ Bucket: 'artifacts', Key: 'dir/a b+c.txt' })))).name,
    'NoSuchKey',
  );
  for (let i = 0; i < 5; i++) await s3.send(new PutObjectCommand({ Bucket: 'artifacts', Key: `k${i}`, Body: `v${i}` }));

  const v2 = await s3.send(new ListObjectsV2Command({ Bucket: 'artifacts', MaxKeys: 3 }));
  assert.deepEqual(
    v2.Contents?.map((c) => c.Key),
    ['k0', 'k1', 'k2'],
  );
  assert.equal(v2.IsTruncated, true);
  const v2rest = await s3.send(
    new ListObjectsV2Command({ Bucket: 'artifacts', ContinuationToken: v2.NextContinuationToken }),
  );
  assert.deepEqual(
    v2rest.Contents?.map((c) => c.Key),
    ['k3', 'k4'],
    'the key behind a delete marker is not listed',
  );

  // ListObjectVersions pages of 2 through 8 entries (3 for the key with a marker, 5 single versions).
  const seen: string[] = [];
  let keyMarker: string | undefined;
  let versionIdMarker: string | undefined;
  let pages = 0;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: 'artifacts',
        MaxKeys: 2,
        KeyMarker: keyMarker,
        VersionIdMarker: versionIdMarker,
      }),
    );
    pages++;
    for (const v of page.Versions ?? []) seen.push(`${v.Key}@${v.VersionId}${v.IsLatest ? '*' : ''}`);
    for (const m of page.DeleteMarkers ?? []) seen.push(`${m.Key}@${m.VersionId}!${m.IsLatest ? '*' : ''}`);
    if (!page.IsTruncated) break;
    keyMarker = page.NextKeyMarker;
    versionIdMarker = page.NextVersionIdMarker;
  }
  assert.equal(pages, 4);
  assert.equal(seen.length, 8);
  assert.ok(seen.includes(`dir/a b+c.txt@${marker.VersionId}!*`));
  assert.ok(seen.includes(`dir/a b+c.txt@${first.VersionId}`));

  // DeleteObjects: per-key errors next to successes, then quiet mode.
  const all = await s3.send(new ListObjectVersionsCommand({ Bucket: 'artifacts' }));
  const refs = [...(all.Versions ?? []), ...(all.DeleteMarkers ?? [])].map((v) => ({
    Key: v.Key,
    VersionId: v.VersionId,
  }));
  running.sandbox.scenarios.s3DenyDeletePrefix = 'k4';
  const loud = await s3.send(
    new DeleteObjectsCommand({ Bucket: 'artifacts', Delete: { Objects: [...refs, { Key: 'x', VersionId: 'bad' }] } }),
  );
  assert.equal(loud.Deleted?.length, 7);
  assert.ok(loud.Deleted?.some((d) => d.DeleteMarker === true && d.DeleteMarkerVersionId === marker.VersionId));
  assert.deepEqual(
    loud.Errors?.map((e) => [e.Key, e.Code]),
    [
      ['k4', 'AccessDenied'],
      ['x', 'NoSuchVersion'],
    ],
  );
  delete running.sandbox.scenarios.s3DenyDeletePrefix;
  const quiet = await s3.send(
    new DeleteObjectsCommand({
      Bucket: 'artifacts',
      Delete: { Quiet: true, Objects: refs.filter((r) => r.Key === 'k4') },
    }),
  );
  assert.equal(quiet.Deleted, undefined);
  assert.equal(quiet.Errors, undefined);
  const empty = await s3.send(new ListObjectVersionsCommand({ Bucket: 'artifacts' }));
  assert.equal(empty.Versions, undefined);
  assert.equal(empty.DeleteMarkers, undefined);

  const bad = await s3Error(
    new S3Client({ ...clientConfig(running.endpoint, { secretAccessKey: 'wrong' }), forcePathStyle: true }).send(
      new HeadBucketCommand({ Bucket: 'artifacts' }),
    ),
  );
  assert.equal(bad.$metadata.httpStatusCode, 403);
  assert.ok((running.calls.get('s3:DeleteObjects') ?? 0) >= 2);
});

for (const aws of installedAwsClis()) {
  test(`${aws}: s3api put-object and list-object-versions against the sandbox`, async (t) => {
    const running = await startTestSandbox(t);
    const home = tempDir(t, 'workshop-s3-cli-');
    const cli = async (...args: string[]): Promise<unknown> => {
      const { stdout } = await run(aws, [...args, '--endpoint-url', running.endpoint, '--output', 'json'], {
        env: cliEnv(home),
      });
      return stdout.trim() === '' ? undefined : (JSON.parse(stdout) as unknown);
    };
    await cli('s3api', 'create-bucket', '--bucket', 'cli-bucket');
    await cli(
      's3api',
      'put-bucket-versioning',
      '--bucket',
      'cli-bucket',
      '--versioning-configuration',
      'Status=Enabled',
    );
    const put = (await cli(
      's3api',
      'put-object',
      '--bucket',
      'cli-bucket',
      '--key',
      'p/x y.txt',
      '--body',
      '/etc/hostname',
    )) as { VersionId: string };
    await cli('s3api', 'delete-object', '--bucket', 'cli-bucket', '--key', 'p/x y.txt');
    const listed = (await cli('s3api', 'list-object-versions', '--bucket', 'cli-bucket')) as {
      Versions: { Key: string; VersionId: string }[];
      DeleteMarkers: { Key: string }[];
    };
    assert.deepEqual(
      listed.Versions.map((v) => [v.Key, v.VersionId]),
      [['p/x y.txt', put.VersionId]],
    );
    assert.deepEqual(
      listed.DeleteMarkers.map((m) => m.Key),
      ['p/x y.txt'],
    );
    await assert.rejects(cli('s3api', 'list-object-versions', '--bucket', 'missing-bucket'), /NoSuchBucket/);
  });
}
