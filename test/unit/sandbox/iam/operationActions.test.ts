// Every operation the sandbox serves has a row in the authorization table, and every row follows
// the Service Authorization Reference: the action exists, an action the reference lists without a
// resource type is authorized on `*`, and a resource ARN has the shape of one of the action's
// resource types.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { createClock } from '../../../sandbox/core/clock';
import type { Sandbox } from '../../../sandbox/core/types';
import { OPERATION_ACTIONS, type Where } from '../../../sandbox/iam/operationActions';
import { s3Needs } from '../../../sandbox/iam/s3Actions';
import { arnFormat, referenceAction } from '../../../sandbox/iam/serviceReference';
import { services } from '../../../sandbox/services';

const sandbox: Sandbox = {
  clock: createClock(1),
  state: {},
  changed: () => undefined,
  bus: new EventEmitter(),
  scenarios: {},
  dataDir: '/nonexistent',
};
const where: Where = { sandbox, accountId: '000000000000', region: 'us-east-1' };

/** A plausible input for each member the rows read. */
const INPUT: Record<string, unknown> = {
  StackName: 'WorkshopPipeline',
  ChangeSetName: 'deploy-1',
  repositoryName: 'modernization-workshop',
  name: 'WorkshopPipeline-Pipeline-ABC',
  pipelineName: 'WorkshopPipeline-Pipeline-ABC',
  stageName: 'Build',
  actionName: 'Approve',
  id: 'WorkshopPipeline-Build:6f0c7c1e-0000-4000-8000-000000000000',
  ids: ['WorkshopPipeline-Build:6f0c7c1e-0000-4000-8000-000000000000'],
  projectName: 'WorkshopPipeline-Build',
  names: ['WorkshopPipeline-Build'],
  reportGroupArns: ['arn:aws:codebuild:us-east-1:000000000000:report-group/WorkshopPipeline-Build-SecurityTests'],
  reportGroupArn: 'arn:aws:codebuild:us-east-1:000000000000:report-group/WorkshopPipeline-Build-SecurityTests',
  reportArns: ['arn:aws:codebuild:us-east-1:000000000000:report/WorkshopPipeline-Build-SecurityTests:abc'],
  reportArn: 'arn:aws:codebuild:us-east-1:000000000000:report/WorkshopPipeline-Build-SecurityTests:abc',
  logGroupName: '/aws/codebuild/WorkshopPipeline-Build',
  logStreamName: 'abc',
  repositoryNames: ['modernization-workshop'],
  cluster: 'ModernizationCluster',
  clusters: ['ModernizationCluster'],
  services: ['ModernService'],
  service: 'ModernService',
  tasks: ['0123456789abcdef'],
  family: 'ModernService',
  tags: [{ key: 'team', value: 'a' }],
  executionRoleArn: 'arn:aws:iam::000000000000:role/ExecutionRole',
  Name: '/workshop/param',
  Names: ['/workshop/param'],
  SecretId: 'workshop/secret',
  Rule: 'rule',
  TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:000000000000:targetgroup/workshop-tg/73e2d6bc24d8a067',
};

/** Does the ARN fit the format (each `${Var}` any non-empty text, `*` allowed)? */
function fits(format: string, arn: string): boolean {
  const pattern = format
    .split(/(\$\{\w+\})/)
    .map((part) => (part.startsWith('${') ? '.+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`).test(arn);
}

function check(action: string, resource: string, label: string): void {
  const reference = referenceAction(action);
  assert.ok(reference, `${label}: ${action} is not in the Service Authorization Reference`);
  const prefix = action.split(':')[0];
  if (reference.resourceTypes.length === 0) {
    assert.equal(resource, '*', `${label}: ${action} has no resource type, so it is authorized on *`);
    return;
  }
  if (resource === '*') return; // the operation names no resource (a listing)
  // CloudWatch Logs authorizes log-group actions on `log-group:<name>:log-stream:`.
  const arn = resource.replace(/:log-stream:$/, '');
  const formats = reference.resourceTypes.map((t) => arnFormat(prefix, t.name) ?? '');
  assert.ok(
    formats.some((f) => fits(f, arn)),
    `${label}: ${resource} fits none of ${action}'s resource types (${formats.join(', ')})`,
  );
}

test('every served operation has a row, and each row names reference actions on reference resources', () => {
  for (const service of services) {
    if (service.protocol === 'restXml') continue;
    // IAM Identity Center's OIDC and portal APIs are unsigned or take a bearer token: IAM never sees them.
    if (service.protocol === 'restJson1') continue;
    const table = OPERATION_ACTIONS[service.signingName];
    assert.ok(table, `no authorization table for ${service.signingName}`);
    for (const operation of Object.keys(service.operations)) {
      const rule = table[operation];
      assert.ok(rule, `${service.signingName}:${operation} has no authorization row`);
      for (const need of rule(INPUT, where)) check(need.action, need.resource, `${service.signingName}:${operation}`);
    }
  }
});

test('a call names the operation’s own action (GetCallerIdentity needs none)', () => {
  for (const service of services) {
    const table = OPERATION_ACTIONS[service.signingName];
    if (!table) continue;
    for (const operation of Object.keys(service.operations)) {
      const actions = table[operation](INPUT, where).map((n) => n.action.split(':')[1]);
      if (operation === 'GetCallerIdentity') assert.deepEqual(actions, []);
      else assert.ok(actions.includes(operation), `${service.signingName}:${operation} → ${actions.join(', ')}`);
    }
  }
});

test('S3 operations map to their reference actions', () => {
  const target = { bucket: 'artifacts', key: 'a/b.zip' };
  const cases: [string, string | null, string, string][] = [
    ['ListObjectVersions', null, 's3:ListBucketVersions', 'arn:aws:s3:::artifacts'],
    ['ListObjectsV2', null, 's3:ListBucket', 'arn:aws:s3:::artifacts'],
    ['HeadBucket', null, 's3:ListBucket', 'arn:aws:s3:::artifacts'],
    ['GetObject', null, 's3:GetObject', 'arn:aws:s3:::artifacts/a/b.zip'],
    ['GetObject', 'v1', 's3:GetObjectVersion', 'arn:aws:s3:::artifacts/a/b.zip'],
    ['HeadObject', null, 's3:GetObject', 'arn:aws:s3:::artifacts/a/b.zip'],
    ['DeleteObject', 'v1', 's3:DeleteObjectVersion', 'arn:aws:s3:::artifacts/a/b.zip'],
    ['GetBucketVersioning', null, 's3:GetBucketVersioning', 'arn:aws:s3:::artifacts'],
    ['ListBuckets', null, 's3:ListAllMyBuckets', '*'],
  ];
  for (const [operation, versionId, action, resource] of cases) {
    assert.deepEqual(s3Needs(operation, target, versionId), [{ action, resource }], operation);
    check(action, resource, operation);
  }
  assert.deepEqual(s3Needs('DeleteObjects', target, null), [], 'DeleteObjects is authorized per key');
});

test('RegisterTaskDefinition with tags and roles also needs ecs:TagResource and iam:PassRole', () => {
  const needs = OPERATION_ACTIONS.ecs.RegisterTaskDefinition(INPUT, where);
  assert.deepEqual(
    needs.map((n) => [n.action, n.resource]),
    [
      ['ecs:RegisterTaskDefinition', 'arn:aws:ecs:us-east-1:000000000000:task-definition/ModernService:*'],
      ['ecs:TagResource', 'arn:aws:ecs:us-east-1:000000000000:task-definition/ModernService:*'],
      ['iam:PassRole', 'arn:aws:iam::000000000000:role/ExecutionRole'],
    ],
  );
  assert.equal(needs[1].keys?.['ecs:CreateAction'], 'RegisterTaskDefinition');
  assert.equal(needs[2].keys?.['iam:PassedToService'], 'ecs-tasks.amazonaws.com');
});
