// The role check before EventBridge starts a pipeline target: the role exists, its trust policy lets
// events.amazonaws.com assume it for this account, and a policy attached to it allows
// codepipeline:StartPipelineExecution on that pipeline (wildcards as IAM reads them); an explicit
// Deny wins.
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { test } from 'node:test';
import { cfnState } from '../../../sandbox/cloudformation/state';
import { createClock } from '../../../sandbox/core/clock';
import type { Sandbox } from '../../../sandbox/core/types';
import { roleAllows } from '../../../sandbox/events/targetRole';

const ACCOUNT = '000000000000';
const PIPELINE = `arn:aws:codepipeline:us-east-1:${ACCOUNT}:app`;
const STACK = `arn:aws:cloudformation:us-east-1:${ACCOUNT}:stack/S/1`;

function sandboxWith(records: Record<string, Record<string, Record<string, unknown>>>): Sandbox {
  const sandbox: Sandbox = {
    clock: createClock(1),
    state: {},
    changed: () => undefined,
    bus: new EventEmitter(),
    scenarios: {},
    dataDir: '/nonexistent',
  };
  for (const [type, byId] of Object.entries(records)) {
    cfnState(sandbox).records[type] = Object.fromEntries(
      Object.entries(byId).map(([id, properties]) => [
        id,
        {
          stackId: STACK,
          logicalId: id,
          properties: type === 'AWS::IAM::Role' ? { AssumeRolePolicyDocument: TRUST, ...properties } : properties,
        },
      ]),
    );
  }
  return sandbox;
}

const RULE = { accountId: ACCOUNT, region: 'us-east-1', ruleArn: `arn:aws:events:us-east-1:${ACCOUNT}:rule/on-push` };
const TRUST = {
  Statement: [
    {
      Effect: 'Allow',
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sts:AssumeRole',
      Condition: { StringEquals: { 'aws:SourceAccount': ACCOUNT } },
    },
  ],
};
const statement = (Action: unknown, Resource: unknown, Effect = 'Allow') => ({
  Statement: [{ Effect, Action, Resource }],
});
const allows = (sandbox: Sandbox, role = 'starter') =>
  roleAllows(sandbox, RULE, `arn:aws:iam::${ACCOUNT}:role/${role}`, 'codepipeline:StartPipelineExecution', PIPELINE);

test('an inline policy allowing the action on the pipeline, or on a wildcard', () => {
  for (const [action, resource] of [
    ['codepipeline:StartPipelineExecution', PIPELINE],
    [['codepipeline:StartPipelineExecution'], [PIPELINE]],
    ['codepipeline:Start*', `arn:aws:codepipeline:us-east-1:${ACCOUNT}:*`],
    ['CodePipeline:startpipelineexecution', '*'],
  ]) {
    const sandbox = sandboxWith({
      'AWS::IAM::Role': { starter: { Policies: [{ PolicyName: 'p', PolicyDocument: statement(action, resource) }] } },
    });
    assert.equal(allows(sandbox), true, JSON.stringify([action, resource]));
  }
});

test('nothing: no such role, another pipeline, another action, another account', () => {
  const other = sandboxWith({
    'AWS::IAM::Role': {
      starter: {
        Policies: [
          { PolicyName: 'p', PolicyDocument: statement('codepipeline:StartPipelineExecution', `${PIPELINE}-other`) },
          { PolicyName: 'q', PolicyDocument: statement('codepipeline:GetPipeline', PIPELINE) },
        ],
      },
    },
  });
  assert.equal(allows(other), false);
  assert.equal(allows(other, 'missing'), false);
  assert.equal(roleAllows(other, RULE, undefined, 'codepipeline:StartPipelineExecution', PIPELINE), false);
  assert.equal(
    roleAllows(
      other,
      { ...RULE, accountId: '111111111111' },
      `arn:aws:iam::${ACCOUNT}:role/starter`,
      'codepipeline:StartPipelineExecution',
      PIPELINE,
    ),
    false,
  );
});

test('an AWS::IAM::Policy or a customer managed policy naming the role, an AWS managed policy, and Deny', () => {
  const viaPolicy = sandboxWith({
    'AWS::IAM::Role': { starter: {} },
    'AWS::IAM::Policy': { 'S-p-1': { Roles: ['starter'], PolicyDocument: statement('codepipeline:*', '*') } },
  });
  assert.equal(allows(viaPolicy), true);
  const managedArn = `arn:aws:iam::${ACCOUNT}:policy/start`;
  const viaManaged = sandboxWith({
    'AWS::IAM::Role': { starter: { ManagedPolicyArns: [managedArn] } },
    'AWS::IAM::ManagedPolicy': {
      [managedArn]: { PolicyDocument: statement('codepipeline:StartPipelineExecution', PIPELINE) },
    },
  });
  assert.equal(allows(viaManaged), true);
  const admin = sandboxWith({
    'AWS::IAM::Role': { starter: { ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'] } },
  });
  assert.equal(allows(admin), true);
  const denied = sandboxWith({
    'AWS::IAM::Role': {
      starter: {
        ManagedPolicyArns: ['arn:aws:iam::aws:policy/AdministratorAccess'],
        Policies: [
          { PolicyName: 'deny', PolicyDocument: statement('codepipeline:StartPipelineExecution', PIPELINE, 'Deny') },
        ],
      },
    },
  });
  assert.equal(allows(denied), false);
});

test('a trust policy that does not let EventBridge in: the role cannot be used', () => {
  const pipelineOnly = sandboxWith({
    'AWS::IAM::Role': {
      starter: {
        AssumeRolePolicyDocument: {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'codepipeline.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        Policies: [{ PolicyName: 'p', PolicyDocument: statement('codepipeline:StartPipelineExecution', PIPELINE) }],
      },
    },
  });
  assert.equal(allows(pipelineOnly), false);
});
