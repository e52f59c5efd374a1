// The bundled pipeline's buildspecs run for real in the sandbox's CodeBuild, through the stand-in
// tools: each security finding fails Build's PRE_BUILD with the finding in the log and in the
// SecurityTests report; a clean commit is built, pushed to ECR and deployed from the
// imagedefinitions.json the buildspec wrote; a repository buildspec that exits 1 fails with
// CodeBuild's error text. Debian's AWS CLI v2 reads the reports.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BatchGetBuildsCommand,
  CodeBuildClient,
  DescribeTestCasesCommand,
  ListReportsForReportGroupCommand,
  type TestCase,
} from '@aws-sdk/client-codebuild';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
} from '@aws-sdk/client-codepipeline';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import JSZip from 'jszip';
import { findProject } from '../../sandbox/codebuild/store';
import {
  APP_FILES,
  PIPELINE_STACK,
  startWorkshop,
  testCredentials,
  waitFor,
  type Workshop,
} from '../pipeline/workshop';
import { cliEnv, run } from './helpers';

const LOCK = (deps: Record<string, string>): string =>
  JSON.stringify({
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: deps },
      ...Object.fromEntries(Object.entries(deps).map(([n, v]) => [`node_modules/${n}`, { version: v }])),
    },
  });

describe('CodeBuild runs the bundled buildspecs', () => {
  let workshop: Workshop;
  const config = () => ({ endpoint: workshop.endpoint, region: 'us-east-1', credentials: testCredentials });

  before(async () => {
    workshop = await startWorkshop({ speed: 60 });
  });
  after(async () => {
    await workshop?.close();
  });

  async function outcome(commitId: string) {
    const pipeline = new CodePipelineClient(config());
    const name = workshop.outputs.PipelineName;
    const execution = await waitFor(
      async () => {
        const { pipelineExecutionSummaries = [] } = await pipeline.send(
          new ListPipelineExecutionsCommand({ pipelineName: name }),
        );
        const e = pipelineExecutionSummaries.find((x) => x.sourceRevisions?.[0]?.revisionId === commitId);
        return e && e.status !== 'InProgress' ? e : undefined;
      },
      120_000,
      () => `no finished execution of ${commitId}`,
      100,
    );
    const state = await pipeline.send(new GetPipelineStateCommand({ name }));
    pipeline.destroy();
    const failedStage = state.stageStates?.find((s) => s.latestExecution?.status === 'Failed');
    const action = (failedStage ?? state.stageStates?.[2])?.actionStates?.[0]?.latestExecution;
    const codebuild = new CodeBuildClient(config());
    const { builds: [build] = [] } = await codebuild.send(
      new BatchGetBuildsCommand({ ids: [action?.externalExecutionId ?? ''] }),
    );
    codebuild.destroy();
    const logs = new CloudWatchLogsClient(config());
    const events = await logs.send(
      new GetLogEventsCommand({
        logGroupName: build?.logs?.groupName,
        logStreamName: build?.logs?.streamName,
        startFromHead: true,
      }),
    );
    logs.destroy();
    return {
      status: execution.status,
      failedStage: failedStage?.stageName,
      error: action?.errorDetails?.message ?? '',
      build,
      log: (events.events ?? []).map((e) => e.message).join(''),
    };
  }

  async function securityTestCases(buildArn: string): Promise<TestCase[]> {
    const codebuild = new CodeBuildClient(config());
    const groupArn = `arn:aws:codebuild:us-east-1:000000000000:report-group/${PIPELINE_STACK}-Build-SecurityTests`;
    const { reports = [] } = await codebuild.send(new ListReportsForReportGroupCommand({ reportGroupArn: groupArn }));
    const cases: TestCase[] = [];
    for (const reportArn of reports) {
      if (!reportArn.endsWith(buildArn.slice(buildArn.lastIndexOf(':') + 1))) continue;
      cases.push(...((await codebuild.send(new DescribeTestCasesCommand({ reportArn }))).testCases ?? []));
    }
    codebuild.destroy();
    return cases;
  }

  it('a planted AWS access key id alone fails PRE_BUILD, with the finding in the log and in the report', async () => {
    const key = ['AKIA', 'Q3MZ7KPL', 'XWRT2VNB'].join('');
    const commitId = await workshop.push(
      { ...APP_FILES, 'app/config.js': `module.exports = {\n  region: 'us-east-1',\n  accessKeyId: '${key}',\n};\n` },
      'Configure the key id',
    );
    const result = await outcome(commitId);
    assert.equal(result.status, 'Failed');
    assert.equal(result.failedStage, 'Build');
    assert.match(
      result.error,
      /Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: failed=""/,
    );
    assert.match(result.log, /^RuleID: {6}aws-access-token\nEntropy: .*\nFile: {8}app\/config\.js\nLine: {8}3$/m);
    assert.match(result.log, /^Security tests failed: secrets-scan \(see the SecurityTests report\)$/m);
    assert.ok(!result.log.includes(key), 'the key id is redacted');
    const cases = await securityTestCases(result.build?.arn ?? '');
    const finding = cases.find((c) => c.status === 'FAILED' && c.testSuiteName === 'gitleaks');
    assert.equal(finding?.name, 'aws-access-token has detected a secret in file app/config.js, line 3.');
    assert.equal(finding?.testRawDataPath, 'reports/secrets.xml');
  });

  it('FROM node:latest fails PRE_BUILD when the lint threshold is warning (DL3007)', async () => {
    const project = findProject(workshop.sandbox.sandbox, '000000000000', 'us-east-1', `${PIPELINE_STACK}-Build`);
    const threshold = project?.environment.environmentVariables.find((v) => v.name === 'LINT_THRESHOLD');
    assert.ok(threshold, 'the Build project passes LINT_THRESHOLD');
    threshold.value = 'warning'; // as DockerfileLintThreshold=warning sets it
    try {
      const commitId = await workshop.push(
        {
          ...APP_FILES,
          'app/config.js': 'module.exports = {};\n',
          Dockerfile: APP_FILES.Dockerfile.replace(/^FROM .*$/m, 'FROM node:latest'),
        },
        'Use the latest node',
      );
      const result = await outcome(commitId);
      assert.equal(result.failedStage, 'Build');
      assert.match(result.log, /^Dockerfile:1 DL3007 \[warning\] Using latest is prone to errors/m);
      assert.match(result.log, /^Security tests failed: dockerfile-lint \(see the SecurityTests report\)$/m);
      const cases = await securityTestCases(result.build?.arn ?? '');
      const lint = cases.find((c) => c.prefix === 'DL3007');
      assert.equal(lint?.status, 'FAILED');
      assert.equal(lint?.name, 'Dockerfile:1');
    } finally {
      threshold.value = 'error';
    }
  });

  it('a locked dependency with a critical advisory fails PRE_BUILD', async () => {
    const commitId = await workshop.push(
      {
        ...APP_FILES,
        Dockerfile: APP_FILES.Dockerfile.replace(/^FROM .*$/m, 'FROM public.ecr.aws/docker/library/node:20-alpine'),
        'app/package-lock.json': LOCK({ lodash: '4.17.11' }),
      },
      'Add lodash',
    );
    const result = await outcome(commitId);
    assert.equal(result.failedStage, 'Build');
    assert.match(result.log, /^dependency-audit: lodash-4\.17\.11 \[CRITICAL\] CVE-2019-10744$/m);
    const cases = await securityTestCases(result.build?.arn ?? '');
    const vuln = cases.find((c) => c.name === '[CRITICAL] CVE-2019-10744');
    assert.equal(vuln?.prefix, 'lodash-4.17.11');
    assert.equal(vuln?.testSuiteName, 'app/package-lock.json');
  });

  it('a clean commit is built, pushed to ECR with its commit tag, and deployed from the imagedefinitions.json the buildspec wrote', async () => {
    const commitId = await workshop.push(
      { ...APP_FILES, 'app/package-lock.json': LOCK({ lodash: '4.17.21' }) },
      'Upgrade lodash',
    );
    const result = await outcome(commitId);
    assert.equal(result.status, 'Succeeded', result.error);
    const ecr = new ECRClient(config());
    const { imageDetails = [] } = await ecr.send(
      new DescribeImagesCommand({ repositoryName: 'modernization-workshop' }),
    );
    ecr.destroy();
    const image = imageDetails.find((i) => i.imageTags?.includes(commitId));
    assert.ok(image, 'the commit tag is in ECR');
    assert.match(image.imageDigest ?? '', /^sha256:[0-9a-f]{64}$/);
    assert.deepEqual(image.imageTags?.sort(), [commitId, 'latest'].sort());
    assert.match(result.log, new RegExp(`^${commitId}: digest: ${image.imageDigest} size: \\d+$`, 'm'));
    const definitions = `[{"name":"modernization-workshop","imageUri":"000000000000.dkr.ecr.us-east-1.amazonaws.com/modernization-workshop:${commitId}"}]`;
    assert.ok(result.log.includes(definitions), 'the buildspec printed imagedefinitions.json');

    // Each stage's output artifact is a zip object in the artifact bucket, as CodePipeline stores it:
    // the commit's tree, the image the Build stage saved, and the imagedefinitions.json Deploy read.
    const s3 = new S3Client({ ...config(), forcePathStyle: true });
    const bucket = workshop.outputs.ArtifactBucket;
    const pipelineName = workshop.outputs.PipelineName.slice(0, 20);
    const zips: Record<string, JSZip[]> = {};
    for (const { Key = '' } of (await s3.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents ?? []) {
      const [prefix, artifact = ''] = Key.split('/');
      assert.equal(prefix, pipelineName, Key);
      const body = await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key }))).Body?.transformToByteArray();
      (zips[artifact] ??= []).push(await JSZip.loadAsync(body ?? new Uint8Array()));
    }
    s3.destroy();
    const texts = async (artifact: string, file: string) =>
      Promise.all((zips[artifact] ?? []).map(async (z) => (await z.file(file)?.async('string')) ?? ''));
    assert.ok((await texts('SourceOutput', 'app/package-lock.json')).some((t) => t.includes('4.17.21')));
    assert.ok((zips.BuildOutput ?? []).some((z) => z.file('image.tar') !== null));
    assert.ok((await texts('ImageDefinitions', 'imagedefinitions.json')).some((t) => t.trim() === definitions));
  });

  it('Debian AWS CLI v2 reads the reports (list-report-groups, batch-get-reports, describe-test-cases)', async () => {
    const home = join(workshop.work, 'cli-home');
    mkdirSync(home, { recursive: true });
    const env = cliEnv(home);
    const aws = (...args: string[]) =>
      run('/usr/bin/aws', ['--endpoint-url', workshop.endpoint, '--output', 'json', 'codebuild', ...args], { env });
    const groups = JSON.parse((await aws('list-report-groups')).stdout) as { reportGroups: string[] };
    const security = groups.reportGroups.find((g) => g.endsWith(`/${PIPELINE_STACK}-Build-SecurityTests`));
    assert.ok(security, JSON.stringify(groups));
    const listed = JSON.parse((await aws('list-reports-for-report-group', '--report-group-arn', security)).stdout) as {
      reports: string[];
    };
    const reports = JSON.parse((await aws('batch-get-reports', '--report-arns', ...listed.reports)).stdout) as {
      reports: { status: string; testSummary: { total: number } }[];
    };
    assert.ok(reports.reports.some((r) => r.status === 'FAILED' && r.testSummary.total > 0));
    const cases = JSON.parse(
      (await aws('describe-test-cases', '--report-arn', listed.reports[listed.reports.length - 1])).stdout,
    ) as {
      testCases: { name: string; status: string }[];
    };
    assert.ok(
      cases.testCases.some((c) =>
        /aws-access-token has detected a secret in file app\/config\.js, line 3\./.test(c.name),
      ),
    );
  });

  it("a repository buildspec whose build phase exits 1 fails the Build action with CodeBuild's error and the true log", async () => {
    const project = findProject(workshop.sandbox.sandbox, '000000000000', 'us-east-1', `${PIPELINE_STACK}-Build`);
    assert.ok(project);
    const inline = project.source.buildspec;
    project.source.buildspec = 'buildspec.yml'; // what UseRepositoryBuildspec=true sets
    try {
      const commitId = await workshop.push(
        {
          'buildspec.yml':
            'version: 0.2\nphases:\n  build:\n    commands:\n      - echo "about to fail"\n      - exit 1\n',
        },
        'Repository buildspec that fails',
      );
      const result = await outcome(commitId);
      assert.equal(result.failedStage, 'Build');
      assert.equal(
        result.error,
        'Build terminated with state: FAILED. Phase: BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: exit 1. Reason: exit status 1',
      );
      assert.match(result.log, /YAML location is .*\/src\/buildspec\.yml$/m);
      assert.match(result.log, /Running command echo "about to fail"\n(?:.*\n)?about to fail$/m);
      assert.match(result.log, /Phase complete: BUILD State: FAILED$/m);
      assert.match(result.log, /Phase complete: POST_BUILD State: SUCCEEDED$/m);
      assert.equal(result.build?.buildStatus, 'FAILED');
    } finally {
      project.source.buildspec = inline;
    }
  });
});
