// A build runs as its project's service role, and each refusal fails it where CodeBuild does: a role
// CodeBuild may not assume, the input artifact it may not read (DOWNLOAD_SOURCE), a Parameter Store
// variable it may not decrypt, a report group it may not create (a log line; the build goes on) and the
// output artifact it may not upload (UPLOAD_ARTIFACTS). The roles come from a stack, as on AWS.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import JSZip from 'jszip';
import { CloudFormationClient, CreateStackCommand, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { createBuild, runBuild, type BuildRequest } from '../../sandbox/codebuild/runner';
import type { Project } from '../../sandbox/codebuild/store';
import { cfnState } from '../../sandbox/cloudformation/state';
import { startSandbox, type RunningSandbox } from '../../sandbox/core/server';
import { findLogGroup } from '../../sandbox/logs/store';
import { services } from '../../sandbox/services';
import { putVersion } from '../../sandbox/ssm/store';
import { waitFor } from '../../support/waitFor';
import { clientConfig } from './helpers';

const ACCOUNT = '000000000000';
let running: RunningSandbox;
let cfn: CloudFormationClient;
const roles: Record<string, string> = {};

const trust = (service: string) => ({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }],
});

before(async () => {
  running = await startSandbox({ port: 0, speed: 1_000, seed: 1, services });
  cfn = new CloudFormationClient(clientConfig(running.endpoint));
  const template = {
    Resources: {
      Limited: {
        Type: 'AWS::IAM::Role',
        Properties: {
          AssumeRolePolicyDocument: trust('codebuild.amazonaws.com'),
          Policies: [
            {
              PolicyName: 'build',
              PolicyDocument: {
                Version: '2012-10-17',
                Statement: [
                  {
                    Effect: 'Allow',
                    Action: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
                    Resource: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/*`,
                  },
                  {
                    Effect: 'Allow',
                    Action: ['s3:GetBucketAcl', 's3:GetBucketLocation'],
                    Resource: 'arn:aws:s3:::artifacts',
                  },
                  { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::artifacts/in/*' },
                ],
              },
            },
          ],
        },
      },
      // A role made for EC2: CodeBuild may not assume it.
      Untrusted: { Type: 'AWS::IAM::Role', Properties: { AssumeRolePolicyDocument: trust('ec2.amazonaws.com') } },
    },
  };
  await cfn.send(
    new CreateStackCommand({
      StackName: 'Roles',
      TemplateBody: JSON.stringify(template),
      Capabilities: ['CAPABILITY_IAM'],
    }),
  );
  await waitFor(
    async () =>
      (await cfn.send(new DescribeStacksCommand({ StackName: 'Roles' }))).Stacks?.[0]?.StackStatus ===
        'CREATE_COMPLETE' || undefined,
    30_000,
    () => 'stack Roles is not CREATE_COMPLETE',
  );
  for (const [name, record] of Object.entries(cfnState(running.sandbox).records['AWS::IAM::Role'] ?? {}))
    roles[record.logicalId] = name;
  putVersion(running.sandbox, ACCOUNT, 'us-east-1', {
    name: '/app/token',
    type: 'SecureString',
    value: 's3cr3t',
    version: 1,
    lastModified: Date.now(),
    lastModifiedUser: `arn:aws:iam::${ACCOUNT}:root`,
    dataType: 'text',
    tier: 'Standard',
    tags: [],
  });
});

after(async () => {
  cfn.destroy();
  await running.close();
});

function project(name: string, role: string, buildspec: string): Project {
  return {
    name,
    accountId: ACCOUNT,
    region: 'us-east-1',
    serviceRole: `arn:aws:iam::${ACCOUNT}:role/${roles[role]}`,
    environment: {
      type: 'LINUX_CONTAINER',
      image: 'aws/codebuild/amazonlinux-x86_64-standard:5.0',
      computeType: 'BUILD_GENERAL1_SMALL',
      privilegedMode: false,
      imagePullCredentialsType: 'CODEBUILD',
      environmentVariables: [],
    },
    source: { type: 'CODEPIPELINE', buildspec },
    artifacts: { type: 'CODEPIPELINE' },
    timeoutInMinutes: 480,
    queuedTimeoutInMinutes: 480,
    created: 0,
    lastModified: 0,
  };
}

async function build(p: Project, options: { inputKey?: string; outputKey?: string } = {}) {
  const zip = new JSZip();
  zip.file('README.md', 'hello\n');
  const request: BuildRequest = {
    project: p,
    source: {
      repositoryName: 'app',
      commitId: 'c0ffee',
      zip: await zip.generateAsync({ type: 'nodebuffer' }),
      location: { bucket: 'artifacts', key: options.inputKey ?? 'in/source.zip' },
    },
    environmentOverrides: [],
    initiator: 'test',
    artifactLocation: { bucket: 'artifacts', key: options.outputKey ?? 'out/output.zip' },
  };
  const b = createBuild(running.sandbox, request);
  const outcome = await runBuild(running.sandbox, b, request, new AbortController().signal);
  const stream = findLogGroup(running.sandbox, ACCOUNT, 'us-east-1', b.logGroupName)?.streams[b.logStreamName];
  const failed = b.phases.find((ph) => ph.phaseStatus === 'FAILED');
  return {
    outcome,
    failed: failed && [failed.phaseType, failed.contexts?.[0]?.statusCode, failed.contexts?.[0]?.message],
    log: stream?.events.map((e) => e.message).join(''),
    session: `arn:aws:sts::${ACCOUNT}:assumed-role/${p.serviceRole?.split('/').pop()}/AWSCodeBuild-${b.logStreamName}`,
  };
}

const SIMPLE = 'version: 0.2\nphases:\n  build:\n    commands:\n      - echo built > out.txt\n';

test('a role CodeBuild may not assume fails the build in PROVISIONING, before it has a log', async () => {
  const p = project('untrusted', 'Untrusted', SIMPLE);
  const { outcome, failed, log } = await build(p);
  assert.equal(outcome.status, 'FAILED');
  assert.deepEqual(failed, [
    'PROVISIONING',
    'ACCESS_DENIED',
    `CodeBuild is not authorized to perform: sts:AssumeRole on ${p.serviceRole}`,
  ]);
  assert.equal(log, undefined);
});

test('an input artifact the role may not read fails DOWNLOAD_SOURCE with S3’s 403, as the agent prints it', async () => {
  const { failed, log } = await build(project('no-read', 'Limited', SIMPLE), { inputKey: 'elsewhere/source.zip' });
  assert.equal(failed?.[0], 'DOWNLOAD_SOURCE');
  assert.equal(failed?.[1], 'CLIENT_ERROR');
  assert.match(
    String(failed?.[2]),
    /^AccessDenied: Access Denied\n\tstatus code: 403, request id: [0-9A-F]{16}, host id: \S+ for primary source and source version arn:aws:s3:::artifacts\/elsewhere\/source\.zip$/,
  );
  assert.match(log ?? '', /Phase complete: DOWNLOAD_SOURCE State: FAILED\n/);
});

test('a Parameter Store variable the role may not decrypt fails DOWNLOAD_SOURCE with the AccessDeniedException', async () => {
  const spec = `version: 0.2\nenv:\n  parameter-store:\n    TOKEN: /app/token\n${SIMPLE.slice('version: 0.2\n'.length)}`;
  const { failed, session } = await build(project('no-ssm', 'Limited', spec));
  assert.deepEqual(failed?.slice(0, 2), ['DOWNLOAD_SOURCE', 'Decrypted Variables Error']);
  assert.match(
    String(failed?.[2]),
    new RegExp(
      `^AccessDeniedException: User: ${session} is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:${ACCOUNT}:parameter/app/token because no identity-based policy allows the ssm:GetParameters action\\n\\tstatus code: 400, request id: [0-9a-f-]{36}$`,
    ),
  );
});

test('a report group the role may not create loses the report (a log line), and an artifact it may not upload fails UPLOAD_ARTIFACTS', async () => {
  const spec = [
    'version: 0.2',
    'phases:',
    '  build:',
    '    commands:',
    '      - echo \'<testsuites><testsuite name="t"><testcase classname="c" name="n"/></testsuite></testsuites>\' > junit.xml',
    'reports:',
    '  unit:',
    '    files: [junit.xml]',
    '    file-format: JUNITXML',
    'artifacts:',
    '  files: [junit.xml]',
    '',
  ].join('\n');
  const { failed, log, session } = await build(project('no-upload', 'Limited', spec));
  assert.ok(
    log?.includes(
      `Error creating report unit: AccessDeniedException: User: ${session} is not authorized to perform: codebuild:CreateReportGroup on resource: arn:aws:codebuild:us-east-1:${ACCOUNT}:report-group/no-upload-unit because no identity-based policy allows the codebuild:CreateReportGroup action\n`,
    ),
    log,
  );
  assert.equal(failed?.[0], 'UPLOAD_ARTIFACTS');
  assert.equal(failed?.[1], 'CLIENT_ERROR');
  assert.match(
    String(failed?.[2]),
    /^AccessDenied: Access Denied\n\tstatus code: 403, request id: [0-9A-F]{16}, host id: \S+ for primary artifact$/,
  );
});
