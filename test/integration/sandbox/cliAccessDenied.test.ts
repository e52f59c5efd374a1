// A denied caller, through the official AWS CLIs: for each service the extension calls, the CLI
// prints what it prints against AWS, `An error occurred (<code>) when calling the <Operation>
// operation: User: <arn> is not authorized to perform: <action> on resource: <arn> because no
// identity-based policy allows the <action> action`. JSON services answer AccessDeniedException;
// CloudFormation and ELB (query) and S3 answer AccessDenied, S3 with the resource in quotes, the
// query services without "on resource" for actions that have no resource-level permissions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { identityCredentials } from '../../sandbox/iam/identities';
import { cliEnv, installedAwsClis, run, startTestSandbox, tempDir } from './helpers';

const ACCOUNT = '000000000000';
const VIEWER = `arn:aws:iam::${ACCOUNT}:user/viewer`;
const denied = (action: string, resource?: string) =>
  `User: ${VIEWER} is not authorized to perform: ${action}${resource === undefined ? '' : ` on resource: ${resource}`} because no identity-based policy allows the ${action} action`;

/** Command, then the error code, operation and message the CLI must print. */
const CASES: readonly [args: string[], code: string, operation: string, message: string][] = [
  [
    ['codepipeline', 'get-pipeline-state', '--name', 'MyPipeline'],
    'AccessDeniedException',
    'GetPipelineState',
    denied('codepipeline:GetPipelineState', `arn:aws:codepipeline:us-east-1:${ACCOUNT}:MyPipeline`),
  ],
  [
    ['codecommit', 'get-repository', '--repository-name', 'app'],
    'AccessDeniedException',
    'GetRepository',
    denied('codecommit:GetRepository', `arn:aws:codecommit:us-east-1:${ACCOUNT}:app`),
  ],
  [
    ['codebuild', 'batch-get-builds', '--ids', 'Build:0e5c7f2a-6b1d-4c1e-9a57-3f3c2b1a0d9e'],
    'AccessDeniedException',
    'BatchGetBuilds',
    denied('codebuild:BatchGetBuilds', `arn:aws:codebuild:us-east-1:${ACCOUNT}:project/Build`),
  ],
  [
    ['logs', 'get-log-events', '--log-group-name', '/aws/codebuild/Build', '--log-stream-name', 'run'],
    'AccessDeniedException',
    'GetLogEvents',
    denied('logs:GetLogEvents', `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/Build:log-stream:run`),
  ],
  [
    ['ecr', 'describe-images', '--repository-name', 'app'],
    'AccessDeniedException',
    'DescribeImages',
    denied('ecr:DescribeImages', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`),
  ],
  [
    ['ecs', 'describe-services', '--cluster', 'ModernizationCluster', '--services', 'app'],
    'AccessDeniedException',
    'DescribeServices',
    denied('ecs:DescribeServices', `arn:aws:ecs:us-east-1:${ACCOUNT}:service/ModernizationCluster/app`),
  ],
  [
    ['cloudformation', 'describe-stacks', '--stack-name', 'Workshop'],
    'AccessDenied',
    'DescribeStacks',
    denied('cloudformation:DescribeStacks', `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/Workshop/*`),
  ],
  [
    [
      'elbv2',
      'describe-target-health',
      '--target-group-arn',
      `arn:aws:elasticloadbalancing:us-east-1:${ACCOUNT}:targetgroup/app/0123456789abcdef`,
    ],
    'AccessDenied',
    'DescribeTargetHealth',
    denied('elasticloadbalancing:DescribeTargetHealth'),
  ],
  [
    ['s3api', 'list-objects-v2', '--bucket', 'artifacts'],
    'AccessDenied',
    'ListObjectsV2',
    denied('s3:ListBucket', '"arn:aws:s3:::artifacts"'),
  ],
];

for (const aws of installedAwsClis()) {
  test(`${aws}: a denied identity gets AWS's AccessDenied error from every service the extension calls`, async (t) => {
    const running = await startTestSandbox(t, {
      credentials: [
        identityCredentials(
          {
            accessKeyId: 'AKIAVIEWER',
            secretAccessKey: 'viewer-secret',
            user: 'viewer',
            // Allowed to list pipelines, and nothing the commands below need.
            policies: [
              {
                name: 'list-only',
                document: {
                  Version: '2012-10-17',
                  Statement: [{ Effect: 'Allow', Action: 'codepipeline:ListPipelines', Resource: '*' }],
                },
              },
            ],
          },
          '.',
        ),
      ],
    });
    const env = cliEnv(tempDir(t, 'sandbox-cli-denied-'), {
      AWS_ACCESS_KEY_ID: 'AKIAVIEWER',
      AWS_SECRET_ACCESS_KEY: 'viewer-secret',
    });
    const { stdout } = await run(aws, ['sts', 'get-caller-identity', '--endpoint-url', running.endpoint], { env });
    assert.equal((JSON.parse(stdout) as { Arn: string }).Arn, VIEWER);
    await run(aws, ['codepipeline', 'list-pipelines', '--endpoint-url', running.endpoint], { env });

    for (const [args, code, operation, message] of CASES) {
      await assert.rejects(
        run(aws, [...args, '--endpoint-url', running.endpoint], { env }),
        (error: Error & { stderr?: string }) => {
          assert.equal(
            error.stderr?.trim(),
            `An error occurred (${code}) when calling the ${operation} operation: ${message}`,
            args.join(' '),
          );
          return true;
        },
      );
    }
  });
}
