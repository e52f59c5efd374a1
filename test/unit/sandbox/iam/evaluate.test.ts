// IAM's evaluation logic as the sandbox applies it: explicit Deny over Allow over implicit deny,
// Action/NotAction and Resource/NotResource with wildcards and policy variables, the condition
// operators (with …IfExists, negation, missing keys, set operators), and resource policies with
// their principals.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evaluate, type AuthorizationRequest, type PolicySet } from '../../../sandbox/iam/evaluate';

const ACCOUNT = '000000000000';
const USER = `arn:aws:iam::${ACCOUNT}:user/viewer`;
const PIPELINE = `arn:aws:codepipeline:us-east-1:${ACCOUNT}:WorkshopPipeline-Pipeline-ABC`;

function request(
  action: string,
  resource: string,
  context: Record<string, string | string[]> = {},
  caller: AuthorizationRequest['caller'] = { principalArn: USER, accountId: ACCOUNT },
): AuthorizationRequest {
  return {
    caller,
    action,
    resource,
    context: new Map(
      Object.entries({ 'aws:username': 'viewer', ...context }).map(([k, v]) => [k.toLowerCase(), [v].flat()]),
    ),
  };
}

const identity = (...Statement: unknown[]): PolicySet => ({ identity: [{ name: 'p', document: { Statement } }] });
const verdict = (r: AuthorizationRequest, p: PolicySet) => evaluate(r, p).verdict;

test('no policy allows: implicit deny; an Allow allows; a Deny anywhere wins', () => {
  const r = request('codepipeline:GetPipelineState', PIPELINE);
  assert.equal(verdict(r, { identity: [] }), 'implicitDeny');
  const allow = { Effect: 'Allow', Action: 'codepipeline:GetPipelineState', Resource: PIPELINE };
  assert.equal(verdict(r, identity(allow)), 'allowed');
  const deny = { Effect: 'Deny', Action: 'codepipeline:*', Resource: '*' };
  assert.equal(verdict(r, identity(allow, deny)), 'identityDeny');
  assert.equal(verdict(r, { identity: [], unrestricted: true }), 'allowed');
});

test('actions match case-insensitively with wildcards; NotAction inverts', () => {
  const r = request('codepipeline:GetPipelineState', PIPELINE);
  for (const action of ['codepipeline:Get*', 'CODEPIPELINE:getpipelinestate', '*', 'codepipeline:GetPipeline?tate'])
    assert.equal(verdict(r, identity({ Effect: 'Allow', Action: action, Resource: '*' })), 'allowed', action);
  for (const action of ['codepipeline:GetPipeline', 'codebuild:*', 'codepipeline:List*'])
    assert.equal(verdict(r, identity({ Effect: 'Allow', Action: action, Resource: '*' })), 'implicitDeny', action);
  assert.equal(verdict(r, identity({ Effect: 'Allow', NotAction: 'codebuild:*', Resource: '*' })), 'allowed');
  assert.equal(verdict(r, identity({ Effect: 'Allow', NotAction: 'codepipeline:*', Resource: '*' })), 'implicitDeny');
});

test('resources match per ARN part, case-sensitively; NotResource inverts; `*`-only actions need Resource *', () => {
  const r = request('codepipeline:GetPipelineState', PIPELINE);
  const allowOn = (Resource: unknown) => identity({ Effect: 'Allow', Action: '*', Resource });
  assert.equal(verdict(r, allowOn(`arn:aws:codepipeline:*:${ACCOUNT}:WorkshopPipeline-*`)), 'allowed');
  assert.equal(verdict(r, allowOn(`arn:aws:codepipeline:us-east-1:${ACCOUNT}:workshoppipeline-*`)), 'implicitDeny');
  assert.equal(verdict(r, allowOn('arn:aws:codepipeline:*:*:*')), 'allowed');
  assert.equal(verdict(r, allowOn('arn:aws:codebuild:*:*:*')), 'implicitDeny');
  assert.equal(verdict(r, allowOn(`arn:aws:codepipeline:us-west-2:${ACCOUNT}:*`)), 'implicitDeny');
  assert.equal(
    verdict(r, identity({ Effect: 'Allow', Action: '*', NotResource: `arn:aws:codepipeline:*:*:Other` })),
    'allowed',
  );
  const token = request('ecr:GetAuthorizationToken', '*');
  assert.equal(verdict(token, allowOn(`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*`)), 'implicitDeny');
  assert.equal(verdict(token, allowOn('*')), 'allowed');
});

test('policy variables in Resource: the request value, a default, the escapes; a missing one matches nothing', () => {
  const mine = request('s3:GetObject', 'arn:aws:s3:::home/viewer/notes.txt');
  const home = (Resource: string) => identity({ Effect: 'Allow', Action: 's3:GetObject', Resource });
  assert.equal(verdict(mine, home('arn:aws:s3:::home/${aws:username}/*')), 'allowed');
  assert.equal(verdict(mine, home('arn:aws:s3:::home/${aws:PrincipalTag/team}/*')), 'implicitDeny');
  assert.equal(verdict(mine, home("arn:aws:s3:::home/${aws:PrincipalTag/team, 'viewer'}/*")), 'allowed');
  const star = request('s3:GetObject', 'arn:aws:s3:::home/*');
  assert.equal(verdict(star, home('arn:aws:s3:::home/${*}')), 'allowed');
  assert.equal(verdict(mine, home('arn:aws:s3:::home/${*}')), 'implicitDeny');
});

test('condition operators: strings, ARNs, Bool, Null, IpAddress, numbers and dates', () => {
  const allowIf = (Condition: unknown) => identity({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
  const r = request('ecs:ListTasks', '*', {
    'ecs:cluster': `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/ModernizationCluster`,
    'aws:SecureTransport': 'true',
    'aws:SourceIp': '127.0.0.1',
    'aws:EpochTime': '1700000000',
    'aws:CurrentTime': '2024-01-01T00:00:00Z',
  });
  const cases: [unknown, boolean][] = [
    [{ ArnEquals: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/ModernizationCluster` } }, true],
    [{ ArnEquals: { 'ecs:cluster': `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/Other` } }, false],
    [{ ArnLike: { 'ecs:cluster': `arn:aws:ecs:*:${ACCOUNT}:cluster/Modern*` } }, true],
    [{ ArnNotLike: { 'ecs:cluster': `arn:aws:ecs:*:*:cluster/Other*` } }, true],
    [
      { StringEquals: { 'ECS:Cluster': [`nope`, `arn:aws:ecs:us-east-1:${ACCOUNT}:cluster/ModernizationCluster`] } },
      true,
    ],
    [{ StringLike: { 'ecs:cluster': '*/Modern*' } }, true],
    [{ StringNotEquals: { 'ecs:cluster': ['a', 'b'] } }, true],
    [
      { StringEqualsIgnoreCase: { 'ecs:cluster': `ARN:AWS:ECS:US-EAST-1:${ACCOUNT}:CLUSTER/MODERNIZATIONCLUSTER` } },
      true,
    ],
    [{ Bool: { 'aws:SecureTransport': 'false' } }, false],
    [{ Bool: { 'aws:SecureTransport': true } }, true],
    [{ Null: { 'aws:TokenIssueTime': 'true' } }, true],
    [{ Null: { 'aws:SourceIp': 'true' } }, false],
    [{ IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } }, true],
    [{ IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, false],
    [{ NotIpAddress: { 'aws:SourceIp': '10.0.0.0/8' } }, true],
    [{ NumericLessThan: { 'aws:EpochTime': 1800000000 } }, true],
    [{ DateGreaterThan: { 'aws:CurrentTime': '2023-12-31T00:00:00Z' } }, true],
    // Every block and every key must hold.
    [{ Bool: { 'aws:SecureTransport': 'true' }, StringEquals: { 'ecs:cluster': 'x' } }, false],
  ];
  for (const [condition, allowed] of cases)
    assert.equal(verdict(r, allowIf(condition)), allowed ? 'allowed' : 'implicitDeny', JSON.stringify(condition));
});

test('a key the request lacks: positive operators fail, negated ones and …IfExists hold', () => {
  const allowIf = (Condition: unknown) => identity({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
  const r = request('ecs:DescribeTaskDefinition', '*');
  assert.equal(verdict(r, allowIf({ StringEquals: { 'ecs:cluster': 'x' } })), 'implicitDeny');
  assert.equal(verdict(r, allowIf({ StringNotEquals: { 'ecs:cluster': 'x' } })), 'allowed');
  assert.equal(verdict(r, allowIf({ StringEqualsIfExists: { 'ecs:cluster': 'x' } })), 'allowed');
  assert.equal(verdict(r, allowIf({ ArnLikeIfExists: { 'ecs:cluster': 'arn:*' } })), 'allowed');
  const present = request('ecs:DescribeTaskDefinition', '*', { 'ecs:cluster': 'y' });
  assert.equal(verdict(present, allowIf({ StringEqualsIfExists: { 'ecs:cluster': 'x' } })), 'implicitDeny');
});

test('multivalued keys: ForAnyValue and ForAllValues', () => {
  const allowIf = (Condition: unknown) => identity({ Effect: 'Allow', Action: '*', Resource: '*', Condition });
  const tagged = request('ecs:TagResource', '*', { 'aws:TagKeys': ['team', 'stage'] });
  assert.equal(
    verdict(tagged, allowIf({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'stage', 'x'] } })),
    'allowed',
  );
  assert.equal(verdict(tagged, allowIf({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } })), 'implicitDeny');
  assert.equal(verdict(tagged, allowIf({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['stage'] } })), 'allowed');
  const untagged = request('ecs:TagResource', '*');
  assert.equal(verdict(untagged, allowIf({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } })), 'allowed');
  assert.equal(verdict(untagged, allowIf({ 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['team'] } })), 'implicitDeny');
});

test('the template roles: ecs:CreateAction on tagging and iam:PassedToService on PassRole', () => {
  const tag = {
    Effect: 'Allow',
    Action: 'ecs:TagResource',
    Resource: `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/*`,
    Condition: { StringEquals: { 'ecs:CreateAction': 'RegisterTaskDefinition' } },
  };
  const td = `arn:aws:ecs:us-east-1:${ACCOUNT}:task-definition/ModernService:*`;
  assert.equal(
    verdict(request('ecs:TagResource', td, { 'ecs:CreateAction': 'RegisterTaskDefinition' }), identity(tag)),
    'allowed',
  );
  assert.equal(verdict(request('ecs:TagResource', td), identity(tag)), 'implicitDeny');
  const pass = {
    Effect: 'Allow',
    Action: 'iam:PassRole',
    Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
    Condition: { StringEquals: { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' } },
  };
  const role = `arn:aws:iam::${ACCOUNT}:role/ExecutionRole`;
  assert.equal(
    verdict(request('iam:PassRole', role, { 'iam:PassedToService': 'ecs-tasks.amazonaws.com' }), identity(pass)),
    'allowed',
  );
  assert.equal(
    verdict(request('iam:PassRole', role, { 'iam:PassedToService': 'lambda.amazonaws.com' }), identity(pass)),
    'implicitDeny',
  );
});

test('a resource policy: its Deny applies to everyone (the root too); its Allow must name the principal', () => {
  const bucket = 'arn:aws:s3:::artifacts';
  const denyInsecure = {
    name: 'bucket policy',
    document: {
      Statement: [
        {
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [bucket, `${bucket}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ],
    },
  };
  const insecure = request('s3:GetObject', `${bucket}/a`, { 'aws:SecureTransport': 'false' });
  const secure = request('s3:GetObject', `${bucket}/a`, { 'aws:SecureTransport': 'true' });
  assert.equal(verdict(insecure, { identity: [], unrestricted: true, resource: denyInsecure }), 'resourceDeny');
  assert.equal(verdict(secure, { identity: [], unrestricted: true, resource: denyInsecure }), 'allowed');
  assert.equal(verdict(secure, { identity: [], resource: denyInsecure }), 'implicitDeny');

  const allowUser = (AWS: string) => ({
    name: 'repository policy',
    document: { Statement: [{ Effect: 'Allow', Principal: { AWS }, Action: 's3:GetObject', Resource: `${bucket}/*` }] },
  });
  assert.equal(verdict(secure, { identity: [], resource: allowUser(USER) }), 'allowed');
  // Naming the account only delegates to the account's identity policies.
  assert.equal(verdict(secure, { identity: [], resource: allowUser(`arn:aws:iam::${ACCOUNT}:root`) }), 'implicitDeny');
});

test('a trust policy: the service principal, with aws:SourceAccount', () => {
  const trust = {
    name: 'trust policy',
    document: {
      Statement: [
        {
          Effect: 'Allow',
          Principal: { Service: 'codebuild.amazonaws.com' },
          Action: 'sts:AssumeRole',
          Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
        },
      ],
    },
  };
  const role = `arn:aws:iam::${ACCOUNT}:role/BuildRole`;
  const as = (service: string, account: string) =>
    request(
      'sts:AssumeRole',
      role,
      { 'aws:SourceAccount': account },
      {
        principalArn: service,
        accountId: ACCOUNT,
        service,
      },
    );
  assert.equal(verdict(as('codebuild.amazonaws.com', ACCOUNT), { identity: [], resource: trust }), 'allowed');
  assert.equal(
    verdict(as('codebuild.amazonaws.com', '111111111111'), { identity: [], resource: trust }),
    'implicitDeny',
  );
  assert.equal(verdict(as('codepipeline.amazonaws.com', ACCOUNT), { identity: [], resource: trust }), 'implicitDeny');
});

test('the decision names the statements that allowed and denied', () => {
  const r = request('codepipeline:GetPipelineState', PIPELINE);
  const d = evaluate(r, {
    identity: [
      {
        name: 'read-only',
        document: { Statement: [{ Sid: 'Watch', Effect: 'Allow', Action: 'codepipeline:Get*', Resource: '*' }] },
      },
    ],
  });
  assert.deepEqual(d.allowedBy, [{ policy: 'read-only', index: 0, sid: 'Watch' }]);
  assert.deepEqual(d.deniedBy, []);
});
