// Delete Workshop Pipeline against the sandbox over real HTTP: a stack whose versioned artifact
// bucket holds objects cannot be deleted as is; emptying it first (src/aws/s3.ts) makes the delete succeed.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import {
  CloudFormationClient,
  DeleteStackCommand,
  DescribeStackEventsCommand,
  DescribeStacksCommand,
} from '@aws-sdk/client-cloudformation';
import {
  DeleteObjectCommand,
  HeadBucketCommand,
  ListObjectVersionsCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AwsSession } from '../../../src/aws/awsSession';
import { cloudFormationApi } from '../../../src/aws/cloudformation';
import { s3Api } from '../../../src/aws/s3';
import { outputValue } from '../../../src/workshop/pipelineTemplate';
import { WORKSHOP_TEMPLATE } from '../../../src/workshop/workshopTemplate';
import { systemClock } from '../../../src/deploy/clock';
import { DeployEngine, type DeployReporter } from '../../../src/deploy/deployEngine';
import { silentLogger } from '../../../src/shared/logger';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { services } from '../../sandbox/services';
import { waitFor } from '../../support/waitFor';

const TEMPLATE = readFileSync('media/templates/pipeline.yaml', 'utf8');
const PARAMETERS = [
  { key: 'CreateCodeCommitRepository', value: 'true' },
  { key: 'CreateEcrRepository', value: 'true' },
];
const NOT_EMPTY = 'The bucket you tried to delete is not empty. You must delete all versions in the bucket.';

const quietReporter: DeployReporter = {
  phase: () => undefined,
  event: () => undefined,
  status: () => undefined,
  retrying: () => undefined,
  confirmChanges: () => Promise.resolve(true),
  chooseRecovery: () => Promise.resolve('none'),
};

describe('Delete Workshop Pipeline with a non-empty artifact bucket', () => {
  let sandbox: RunningSandbox;
  let session: AwsSession;
  let engine: DeployEngine;
  let cfn: CloudFormationClient;
  let s3: S3Client;

  before(async () => {
    sandbox = await startSandbox({ port: 0, speed: 400, services });
    process.env.AWS_ACCESS_KEY_ID = 'test';
    process.env.AWS_SECRET_ACCESS_KEY = 'test';
    session = new AwsSession(
      { profile: undefined, region: 'us-east-1', endpointUrl: sandbox.endpoint, sso: false },
      silentLogger,
    );
    engine = new DeployEngine(cloudFormationApi(session), systemClock, { intervalMs: 100, maxBackoffMs: 400 });
    const config = {
      endpoint: sandbox.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    };
    cfn = new CloudFormationClient(config);
    s3 = new S3Client({ ...config, forcePathStyle: true });
  });

  after(async () => {
    cfn.destroy();
    s3.destroy();
    session.dispose();
    await sandbox.close();
  });

  it('fails a plain DeleteStack on the bucket, then empties it and deletes the stack', async () => {
    const deployed = await engine.deploy(
      { stackName: 'WorkshopPipeline', templateBody: TEMPLATE, parameters: PARAMETERS },
      quietReporter,
    );
    assert.ok(deployed.kind === 'succeeded', JSON.stringify(deployed));
    const bucket = outputValue(deployed.stack, WORKSHOP_TEMPLATE.outputs.artifactBucket);
    assert.ok(bucket, 'the stack outputs its artifact bucket');

    // Several versions of one key, a delete marker, and more objects than one emptying batch would need for this test.
    for (const body of ['v1', 'v2', 'v3'])
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'WorkshopPipeline/SourceOutput/abc1234', Body: body }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'WorkshopPipeline/SourceOutput/abc1234' }));
    for (let i = 0; i < 5; i++)
      await s3.send(
        new PutObjectCommand({ Bucket: bucket, Key: `WorkshopPipeline/BuildOutput/${i}`, Body: `build ${i}` }),
      );
    const before = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
    assert.equal((before.Versions?.length ?? 0) + (before.DeleteMarkers?.length ?? 0), 9);

    // A plain DeleteStack fails on the bucket with CloudFormation's real reason.
    await cfn.send(new DeleteStackCommand({ StackName: deployed.stack.id }));
    const failed = await waitFor(
      async () => {
        const status = (await cfn.send(new DescribeStacksCommand({ StackName: deployed.stack.id }))).Stacks?.[0]
          ?.StackStatus;
        return status === 'DELETE_FAILED' || status === 'DELETE_COMPLETE' ? status : undefined;
      },
      60_000,
      () => 'the plain delete never finished',
    );
    assert.equal(failed, 'DELETE_FAILED');
    const events = (await cfn.send(new DescribeStackEventsCommand({ StackName: deployed.stack.id }))).StackEvents ?? [];
    const bucketFailure = events.find(
      (e) => e.LogicalResourceId === 'ArtifactBucket' && e.ResourceStatus === 'DELETE_FAILED',
    );
    assert.ok(bucketFailure, 'the bucket failed to delete');
    assert.ok(bucketFailure.ResourceStatusReason?.startsWith(NOT_EMPTY), bucketFailure.ResourceStatusReason);
    assert.equal(bucketFailure.PhysicalResourceId, bucket);
    const stackFailure = events.find(
      (e) => e.LogicalResourceId === 'WorkshopPipeline' && e.ResourceStatus === 'DELETE_FAILED',
    );
    assert.match(stackFailure?.ResourceStatusReason ?? '', /ArtifactBucket/);
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));

    // What the command does: empty every version and marker, then delete and wait.
    const progress: number[] = [];
    const emptied = await s3Api(session).emptyBucket(bucket, ({ deleted }) => progress.push(deleted));
    assert.deepEqual(emptied, { deleted: 9, missing: false });
    assert.equal(progress.at(-1), 9);
    const stack = await cloudFormationApi(session).describeStack(deployed.stack.id);
    assert.ok(stack);
    const outcome = await engine.deleteAndWait(stack, quietReporter);
    assert.equal(outcome.kind, 'succeeded', JSON.stringify(outcome));
    const final = (await cfn.send(new DescribeStacksCommand({ StackName: deployed.stack.id }))).Stacks?.[0]
      ?.StackStatus;
    assert.equal(final, 'DELETE_COMPLETE');
    await assert.rejects(
      s3.send(new HeadBucketCommand({ Bucket: bucket })),
      (error: Error) => error.name === 'NotFound',
    );

    // Emptying a bucket that is gone is not an error.
    assert.deepEqual(await s3Api(session).emptyBucket(bucket, () => undefined), { deleted: 0, missing: true });
  });
});
