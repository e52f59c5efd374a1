import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CfnValue } from '../../../src/deploy/cfnYaml';
import {
  commandsOf,
  inlineBuildspecs,
  loadTemplate,
  policyStatements,
  resourcesOfType,
  str,
  type Buildspec,
  type Obj,
} from './templateHelpers';

const { body, template } = loadTemplate('pipeline');
const [[, pipeline]] = resourcesOfType(template, 'AWS::CodePipeline::Pipeline');
const stages = pipeline.Stages as Obj[];
const actionsOf = (stage: Obj) => stage.Actions as Obj[];
const buildspecs = inlineBuildspecs(template);
const buildSpec = buildspecs.find((b) => b.project === 'BuildProject');
const postBuildSpec = buildspecs.find((b) => b.project === 'PostBuildProject');

// Actions that accept no resource-level ARN (or only a condition key), so `Resource: "*"` is the narrowest form.
const STAR_RESOURCE_ALLOWED = new Set([
  'ecr:GetAuthorizationToken',
  'ecs:DescribeTaskDefinition',
  'ecs:RegisterTaskDefinition',
  'ecs:ListTasks',
]);
const SECURITY_TOOLS = /\b(gitleaks|hadolint|trivy)\b|curl .*HEALTH_CHECK_PATH/;
// Shell idioms that turn a failing command into a passing one.
const SWALLOWING = [
  /\|\|\s*true\b/,
  /\|\|\s*:/,
  /\|\|\s*exit 0\b/,
  /\|\|\s*echo\b/,
  /;\s*true\s*$/m,
  /set \+e\b/,
  /--exit-code[ =]0\b/,
  /--no-fail\b/,
  /\|\|\s*return 0\b/,
];

describe('pipeline.yaml: the seed pipeline', () => {
  it('runs Source -> Build -> PostBuild -> Deploy on CodeCommit, CodeBuild, CodeBuild, ECS', () => {
    assert.deepEqual(
      stages.map((s) => s.Name),
      ['Source', 'Build', 'PostBuild', 'Deploy'],
    );
    assert.deepEqual(
      stages.map((s) => actionsOf(s).map((a) => (a.ActionTypeId as Obj).Provider)),
      [['CodeCommit'], ['CodeBuild'], ['CodeBuild'], ['ECS']],
    );
    assert.equal(pipeline.PipelineType, 'V2');
  });

  it('wires each stage to the right project and artifact', () => {
    const [source, build, postBuild, deploy] = stages.map((s) => actionsOf(s)[0]);
    assert.deepEqual((build.Configuration as Obj).ProjectName, { Ref: 'BuildProject' });
    assert.deepEqual((postBuild.Configuration as Obj).ProjectName, { Ref: 'PostBuildProject' });
    const out = (a: Obj) => (a.OutputArtifacts as Obj[]).map((x) => x.Name);
    const inp = (a: Obj) => (a.InputArtifacts as Obj[]).map((x) => x.Name);
    assert.deepEqual(inp(build), out(source));
    assert.deepEqual(inp(postBuild), out(build));
    assert.deepEqual(inp(deploy), out(postBuild));
    // Both CodeBuild actions receive the source commit id, which tags the image.
    for (const action of [build, postBuild]) {
      const vars = JSON.parse(str((action.Configuration as Obj).EnvironmentVariables)) as {
        name: string;
        value: string;
      }[];
      assert.deepEqual(vars.find((v) => v.name === 'COMMIT_ID')?.value, `#{${str(source.Namespace)}.CommitId}`);
    }
  });

  it('starts from an EventBridge rule on the branch, never by polling', () => {
    const source = actionsOf(stages[0])[0].Configuration as Obj;
    assert.equal(source.PollForSourceChanges, false);
    assert.deepEqual(source.BranchName, { Ref: 'BranchName' });
    assert.ok(!/PollForSourceChanges:\s*(true|"true")/.test(body));
    const rules = resourcesOfType(template, 'AWS::Events::Rule');
    assert.equal(rules.length, 1);
    const [[, rule]] = rules;
    const pattern = rule.EventPattern as Obj;
    assert.deepEqual(pattern.source, ['aws.codecommit']);
    assert.deepEqual(pattern['detail-type'], ['CodeCommit Repository State Change']);
    const detail = pattern.detail as Obj;
    assert.deepEqual(detail.referenceType, ['branch']);
    assert.deepEqual(detail.referenceName, [{ Ref: 'BranchName' }]);
    assert.ok(JSON.stringify(pattern.resources).includes('${RepositoryName}'));
    const [target] = rule.Targets as Obj[];
    assert.match(JSON.stringify(target.Arn), /:codepipeline:.*\$\{Pipeline\}/);
    const role = template.Resources[(target.RoleArn as { 'Fn::GetAtt': string[] })['Fn::GetAtt'][0]];
    assert.match(JSON.stringify(role.Properties), /codepipeline:StartPipelineExecution/);
  });

  it('deploys with the ECS action to the parameterised cluster, service and a deployment timeout', () => {
    const deploy = actionsOf(stages[3])[0].Configuration as Obj;
    assert.deepEqual(deploy.ClusterName, { Ref: 'ClusterName' });
    assert.deepEqual(deploy.ServiceName, { Ref: 'ServiceName' });
    assert.equal(deploy.FileName, 'imagedefinitions.json');
    assert.deepEqual(deploy.DeploymentTimeout, { Ref: 'DeploymentTimeoutMinutes' });
    assert.ok(Number(template.Parameters?.DeploymentTimeoutMinutes.MaxValue) <= 60);
  });
});

describe('pipeline.yaml: supporting resources', () => {
  it('keeps artifacts in an encrypted, versioned, private, TLS-only bucket', () => {
    const [[bucketName, bucket]] = resourcesOfType(template, 'AWS::S3::Bucket');
    const sse = ((bucket.BucketEncryption as Obj).ServerSideEncryptionConfiguration as Obj[])[0]
      .ServerSideEncryptionByDefault as Obj;
    assert.match(str(sse.SSEAlgorithm), /^(AES256|aws:kms)$/);
    assert.equal((bucket.VersioningConfiguration as Obj).Status, 'Enabled');
    assert.deepEqual(bucket.PublicAccessBlockConfiguration, {
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    assert.deepEqual(pipeline.ArtifactStore, { Type: 'S3', Location: { Ref: bucketName } });
    const tls = policyStatements(template).find(
      (s) =>
        s.Effect === 'Deny' &&
        JSON.stringify(s.Condition) === JSON.stringify({ Bool: { 'aws:SecureTransport': 'false' } }),
    );
    assert.ok(tls, 'a Deny statement on aws:SecureTransport=false');
    assert.deepEqual(tls.Action, ['s3:*']);
    assert.deepEqual(tls.Resource, [{ 'Fn::GetAtt': [bucketName, 'Arn'] }, { 'Fn::Sub': `\${${bucketName}.Arn}/*` }]);
  });

  it('scans images on push and expires old ones in the ECR repository', () => {
    const [[, repo]] = resourcesOfType(template, 'AWS::ECR::Repository');
    assert.equal((repo.ImageScanningConfiguration as Obj).ScanOnPush, true);
    const lifecycle = JSON.parse(str((repo.LifecyclePolicy as Obj).LifecyclePolicyText)) as {
      rules: { action: { type: string } }[];
    };
    assert.ok(lifecycle.rules.length > 0 && lifecycle.rules.every((r) => r.action.type === 'expire'));
  });

  it('creates or reuses the CodeCommit and ECR repositories by parameter, never deleting code', () => {
    for (const [param, resource] of [
      ['CreateCodeCommitRepository', 'CodeCommitRepository'],
      ['CreateEcrRepository', 'EcrRepository'],
    ]) {
      assert.deepEqual(template.Parameters?.[param].AllowedValues, ['true', 'false']);
      assert.equal(template.Parameters?.[param].Default, 'false', 'workshop accounts already have the repositories');
      const condition = template.Resources[resource].Condition;
      assert.ok(condition);
      assert.deepEqual(template.Conditions?.[condition], { 'Fn::Equals': [{ Ref: param }, 'true'] });
    }
    assert.equal(template.Resources.CodeCommitRepository.DeletionPolicy, 'Retain');
  });

  it('deletes the artifact bucket with the stack (the extension empties it first) but keeps it on replacement', () => {
    assert.equal(template.Resources.ArtifactBucket.DeletionPolicy, 'Delete');
    assert.equal(template.Resources.ArtifactBucket.UpdateReplacePolicy, 'Retain');
  });

  it("switches the Build stage to the repository's buildspec.yml by parameter", () => {
    const source = (template.Resources.BuildProject.Properties?.Source ?? {}) as Obj;
    const spec = source.BuildSpec as { 'Fn::If': CfnValue[] };
    assert.equal(spec['Fn::If'][0], 'RepositoryBuildspec');
    assert.equal(spec['Fn::If'][1], 'buildspec.yml');
    assert.deepEqual(template.Conditions?.RepositoryBuildspec, {
      'Fn::Equals': [{ Ref: 'UseRepositoryBuildspec' }, 'true'],
    });
  });

  it('gives every log group a retention and sends each project to its own group', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    assert.equal(groups.length, 2);
    for (const [, group] of groups) assert.deepEqual(group.RetentionInDays, { Ref: 'LogRetentionInDays' });
    for (const [, project] of resourcesOfType(template, 'AWS::CodeBuild::Project')) {
      const logs = (project.LogsConfig as Obj).CloudWatchLogs as Obj;
      assert.ok(groups.some(([name]) => JSON.stringify(logs.GroupName) === JSON.stringify({ Ref: name })));
    }
  });
});

describe('pipeline.yaml: least privilege', () => {
  const statements = policyStatements(template);

  it('has statements to check', () => assert.ok(statements.length >= 15));

  it('allows no wildcard actions', () => {
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      for (const action of s.Action) assert.ok(!action.includes('*'), `${s.where}: ${action}`);
    }
  });

  it('uses Resource "*" only for actions without resource-level permissions', () => {
    const star = statements.filter((s) => s.Effect === 'Allow' && s.Resource.includes('*'));
    assert.ok(star.length > 0);
    for (const s of star) {
      for (const action of s.Action) assert.ok(STAR_RESOURCE_ALLOWED.has(action), `${s.where}: ${action} on "*"`);
    }
  });

  it('confines iam:PassRole to ECS tasks and the Build role to no registry or deploy access', () => {
    const pass = statements.filter((s) => s.Action.includes('iam:PassRole'));
    assert.ok(pass.length > 0);
    for (const s of pass)
      assert.deepEqual(s.Condition, { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } });
    const build = statements.filter((s) => s.where.startsWith('BuildRole/')).flatMap((s) => s.Action);
    assert.ok(build.length > 0 && build.every((a) => /^(logs|s3|codebuild):/.test(a)), build.join(', '));
  });
});

describe('pipeline.yaml: buildspecs', () => {
  it('has both inline buildspecs, each valid buildspec YAML', () => {
    assert.ok(buildSpec && postBuildSpec);
    for (const b of buildspecs) {
      assert.equal(b.spec.version, 0.2, `${b.project}: buildspec version`);
      for (const [phase, def] of Object.entries(b.spec.phases)) {
        assert.ok(
          Array.isArray(def.commands) && def.commands.every((c) => typeof c === 'string'),
          `${b.project} ${phase}`,
        );
      }
      // A failure stops the build, yet the tests' report still reaches CodeBuild: CodeBuild uploads
      // reports only in UPLOAD_ARTIFACTS, which an aborted phase or a failed PRE_BUILD skips. So the
      // tools' install aborts, the tests continue on failure, and the build phase (default: on to
      // UPLOAD_ARTIFACTS) refuses to build or push once anything failed.
      assert.equal(b.spec.phases.install?.['on-failure'], 'ABORT', `${b.project} install`);
      assert.equal(b.spec.phases.pre_build?.['on-failure'], 'CONTINUE', `${b.project} pre_build`);
      assert.equal(b.spec.phases.build?.['on-failure'], undefined, `${b.project} build`);
      assert.match(
        b.spec.phases.build?.commands?.[0] ?? '',
        /^if \[ "\$CODEBUILD_BUILD_SUCCEEDING" != 1 \]; then echo .*; exit 1; fi$/,
        `${b.project}: the build phase must stop when an earlier phase failed`,
      );
    }
  });

  it('pins every tool it downloads', () => {
    for (const b of buildspecs) {
      const vars = b.spec.env?.variables ?? {};
      for (const tool of ['GITLEAKS', 'HADOLINT', 'TRIVY']) {
        if (!b.text.includes(`${tool}_VERSION`)) continue;
        assert.match(String(vars[`${tool}_VERSION`]), /^\d+\.\d+\.\d+$/, `${b.project}: ${tool}_VERSION`);
      }
      const installs = commandsOf(b, 'install').join('\n');
      assert.ok(!/releases\/latest|:latest\b/.test(installs), `${b.project} installs a moving version`);
      assert.equal(
        (installs.match(/curl /g) ?? []).length,
        (installs.match(/sha256sum -c/g) ?? []).length * 2,
        'each download is checksum-verified',
      );
    }
  });

  it('runs the security tests before building, and publishes them as a report', () => {
    assert.ok(buildSpec);
    const tests = commandsOf(buildSpec, 'pre_build').join('\n');
    assert.match(tests, /gitleaks dir /);
    assert.match(tests, /hadolint .*"\$DOCKERFILE"/);
    assert.match(tests, /trivy fs .*--exit-code 1/);
    assert.match(commandsOf(buildSpec, 'build').join('\n'), /docker build[\s\S]*docker save --output image\.tar/);
    assert.ok(!/docker (build|push)/.test(tests));
    assert.deepEqual(buildSpec.spec.reports?.SecurityTests, { files: ['reports/*.xml'], 'file-format': 'JUNITXML' });
    assert.deepEqual(buildSpec.spec.artifacts?.files, ['image.tar']);
  });

  it('tests the image before pushing it, tagged with the commit id, and writes imagedefinitions.json', () => {
    assert.ok(postBuildSpec);
    const tests = commandsOf(postBuildSpec, 'pre_build').join('\n');
    assert.match(tests, /docker load --input image\.tar/);
    assert.match(tests, /curl .*\$HEALTH_CHECK_PATH/);
    assert.match(tests, /trivy image .*--exit-code 1/);
    const push = commandsOf(postBuildSpec, 'build').join('\n');
    assert.match(push, /docker push "\$REPOSITORY_URI:\$COMMIT_ID"/);
    assert.match(push, /imageUri.*"\$REPOSITORY_URI:\$COMMIT_ID" > imagedefinitions\.json/);
    assert.ok(!/docker push/.test(tests));
    assert.deepEqual(postBuildSpec.spec.artifacts?.files, ['imagedefinitions.json']);
    assert.ok(postBuildSpec.spec.reports?.ImageTests);
  });

  it('never swallows a failing security command', () => {
    for (const b of buildspecs) {
      for (const command of Object.values(b.spec.phases).flatMap((p) => p.commands ?? [])) {
        for (const line of command.split('\n').filter((l) => SECURITY_TOOLS.test(l))) {
          for (const pattern of SWALLOWING)
            assert.ok(!pattern.test(line), `${b.project}: "${line.trim()}" matches ${String(pattern)}`);
        }
      }
    }
  });

  // The buildspecs' test commands run for real in bash, with the security tools replaced by stubs.
  describe('fails the build when any one security test fails', () => {
    const stubs = {
      gitleaks: 'exit "${FAIL_GITLEAKS:-0}"',
      hadolint: 'echo "[]"; exit "${FAIL_HADOLINT:-0}"',
      trivy: 'exit "${FAIL_TRIVY:-0}"',
      curl: 'exit "${FAIL_CURL:-0}"',
      docker: 'case "$1" in run) exit "${FAIL_DOCKER_RUN:-0}";; inspect) echo true;; esac; exit 0',
      sleep: 'exit 0',
    };
    const run = (b: Buildspec, failing: string | undefined) => {
      const dir = mkdtempSync(join(tmpdir(), 'buildspec-'));
      try {
        const bin = join(dir, 'bin');
        mkdirSync(bin);
        for (const [name, script] of Object.entries(stubs))
          writeFileSync(join(bin, name), `#!/bin/bash\n${script}\n`, { mode: 0o755 });
        const env = {
          PATH: `${bin}:${process.env.PATH ?? ''}`,
          ...(b.spec.env?.variables ?? {}),
          SMOKE_TEST_SECONDS: '2',
          COMMIT_ID: 'abc123',
          IMAGE_NAME: 'app',
          DOCKERFILE: 'Dockerfile',
          LINT_THRESHOLD: 'error',
          FAIL_ON_SEVERITY: 'CRITICAL',
          CONTAINER_PORT: '8080',
          HEALTH_CHECK_PATH: '/health',
          ...(failing ? { [failing]: '1' } : {}),
        };
        let status = 0;
        for (const command of commandsOf(b, 'pre_build')) {
          if (/docker load/.test(command)) continue;
          try {
            execFileSync('bash', ['-c', command], { cwd: dir, env, stdio: 'pipe' });
          } catch (error) {
            status = (error as { status?: number }).status ?? 1;
            break; // CodeBuild skips the rest of a phase after a failing command
          }
        }
        return { status, reports: readReports(dir) };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };

    it('Build: passes when all tests pass, fails when any fails', () => {
      assert.ok(buildSpec);
      assert.equal(run(buildSpec, undefined).status, 0);
      for (const failing of ['FAIL_GITLEAKS', 'FAIL_HADOLINT', 'FAIL_TRIVY']) {
        assert.notEqual(run(buildSpec, failing).status, 0, `${failing} must fail the build`);
      }
    });

    it('Build: still writes the Dockerfile lint report when another test fails', () => {
      assert.ok(buildSpec);
      assert.match(
        run(buildSpec, 'FAIL_GITLEAKS').reports['dockerfile-lint.xml'] ?? '',
        /<testsuite name="dockerfile-lint">/,
      );
    });

    it('PostBuild: passes when the image is healthy and clean, fails on a failed smoke test or scan', () => {
      assert.ok(postBuildSpec);
      assert.equal(run(postBuildSpec, undefined).status, 0);
      for (const failing of ['FAIL_CURL', 'FAIL_DOCKER_RUN', 'FAIL_TRIVY']) {
        assert.notEqual(run(postBuildSpec, failing).status, 0, `${failing} must fail PostBuild`);
      }
      assert.match(run(postBuildSpec, 'FAIL_CURL').reports['smoke-test.xml'] ?? '', /<failure /);
    });
  });
});

describe('pipeline.yaml: parameters and outputs', () => {
  const parameters = Object.entries(template.Parameters ?? {});

  it('constrains and describes every parameter, with a default', () => {
    assert.ok(parameters.length > 0);
    for (const [name, p] of parameters) {
      assert.ok(p.Description, `${name}: Description`);
      assert.ok(p.Default !== undefined, `${name}: Default`);
      const constrained =
        (p.AllowedPattern && p.ConstraintDescription) ||
        p.AllowedValues ||
        (p.MinValue !== undefined && p.MaxValue !== undefined);
      assert.ok(constrained, `${name}: AllowedPattern+ConstraintDescription, AllowedValues or MinValue/MaxValue`);
      if (p.AllowedPattern && typeof p.Default === 'string')
        assert.match(p.Default, new RegExp(p.AllowedPattern), `${name}: default fits its pattern`);
    }
  });

  it('uses the workshop names as defaults', () => {
    const defaults = Object.fromEntries(parameters.map(([n, p]) => [n, p.Default]));
    assert.equal(defaults.RepositoryName, 'modernization-workshop');
    assert.equal(defaults.EcrRepositoryName, 'modernization-workshop');
    assert.equal(defaults.BranchName, 'master');
    assert.equal(defaults.ClusterName, 'ModernizationCluster');
    assert.equal(defaults.ServiceName, 'ModernService');
    assert.equal(defaults.ContainerName, 'modernization-workshop');
    assert.equal(defaults.HealthCheckPath, '/health');
  });

  it('groups and labels every parameter exactly once for the console and the extension', () => {
    const ui = template.Metadata?.['AWS::CloudFormation::Interface'] as {
      ParameterGroups: { Label: { default: string }; Parameters: string[] }[];
      ParameterLabels: Record<string, { default: string }>;
    };
    const grouped = ui.ParameterGroups.flatMap((g) => g.Parameters);
    assert.deepEqual([...grouped].sort(), parameters.map(([n]) => n).sort());
    assert.equal(new Set(grouped).size, grouped.length);
    for (const [name] of parameters) assert.ok(ui.ParameterLabels[name]?.default, `${name}: label`);
    for (const group of ui.ParameterGroups) assert.ok(group.Label.default);
  });

  it('has the outputs the extension reads', () => {
    for (const name of [
      'PipelineName',
      'PipelineUrl',
      'RepositoryName',
      'CloneUrlHttp',
      'EcrRepositoryUri',
      'ClusterName',
      'ServiceName',
      'ArtifactBucket',
    ]) {
      assert.ok(template.Outputs?.[name]?.Value, name);
    }
    assert.match(
      JSON.stringify(template.Outputs?.PipelineUrl.Value),
      /console\.aws\.amazon\.com\/codesuite\/codepipeline\/pipelines\/\$\{Pipeline\}/,
    );
  });

  it("fits CloudFormation's 51,200-byte limit for inline template bodies", () => {
    assert.ok(Buffer.byteLength(body, 'utf8') < 51_200, `${Buffer.byteLength(body, 'utf8')} bytes`);
  });
});

function readReports(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['dockerfile-lint.xml', 'smoke-test.xml']) {
    try {
      out[name] = readFileSync(join(dir, 'reports', name), 'utf8');
    } catch {
      // not written by this buildspec
    }
  }
  return out;
}
