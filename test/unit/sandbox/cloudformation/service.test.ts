/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- handler outputs are untyped plain objects; TODO: type them with the SDK output shapes */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloudFormationService, cloudFormationSettled } from '../../../sandbox/cloudformation/service';
import { fakeContext, fakeSandbox } from './fakeSandbox';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function call(ctx: ReturnType<typeof fakeContext>, op: string, input: Record<string, unknown> = {}): Out {
  return cloudFormationService.operations[op](input, ctx) as Out;
}

const TEMPLATE = `Parameters:
  Secret: { Type: String, NoEcho: true, Default: hush }
Resources:
  Bucket: { Type: AWS::S3::Bucket }
  Role:
    Type: AWS::IAM::Role
    Properties: { RoleName: !Sub '\${Bucket}-role', AssumeRolePolicyDocument: {} }
  Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 7 } }
Outputs:
  BucketArn: { Value: !GetAtt Bucket.Arn, Export: { Name: shared-bucket } }
`;

function events(ctx: ReturnType<typeof fakeContext>, stack: string): Out[] {
  return (call(ctx, 'DescribeStackEvents', { StackName: stack }).StackEvents as Out[]).slice().reverse();
}

test('CreateStack runs to CREATE_COMPLETE with the real event stream, outputs, exports and NoEcho masking', async () => {
  const ctx = fakeContext();
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'S', TemplateBody: TEMPLATE }), {
    name: 'InsufficientCapabilitiesException',
    message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
  });
  const { StackId } = call(ctx, 'CreateStack', {
    StackName: 'S',
    TemplateBody: TEMPLATE,
    Capabilities: ['CAPABILITY_NAMED_IAM'],
  });
  assert.equal(call(ctx, 'DescribeStacks', { StackName: 'S' }).Stacks[0].StackStatus, 'CREATE_IN_PROGRESS');
  await cloudFormationSettled(ctx.sandbox);
  const stack = call(ctx, 'DescribeStacks', { StackName: 'S' }).Stacks[0];
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
  assert.deepEqual(stack.Parameters, [{ ParameterKey: 'Secret', ParameterValue: '****' }]);
  assert.match(stack.Outputs[0].OutputValue, /^arn:aws:s3:::s-bucket-[a-z0-9]{12}$/);
  assert.equal(call(ctx, 'ListExports').Exports[0].Name, 'shared-bucket');
  const ev = events(ctx, 'S');
  assert.deepEqual(
    [ev[0].ResourceStatus, ev[0].ResourceStatusReason, ev[0].LogicalResourceId],
    ['CREATE_IN_PROGRESS', 'User Initiated', 'S'],
  );
  const bucket = ev
    .filter((e) => e.LogicalResourceId === 'Bucket')
    .map((e) => [e.ResourceStatus, e.ResourceStatusReason]);
  assert.deepEqual(bucket, [
    ['CREATE_IN_PROGRESS', undefined],
    ['CREATE_IN_PROGRESS', 'Resource creation Initiated'],
    ['CREATE_COMPLETE', undefined],
  ]);
  const roleStart = ev.findIndex((e) => e.LogicalResourceId === 'Role');
  const bucketDone = ev.findIndex((e) => e.LogicalResourceId === 'Bucket' && e.ResourceStatus === 'CREATE_COMPLETE');
  assert.ok(roleStart > bucketDone, 'Role waits for Bucket');
  assert.equal(ev.at(-1)!.ResourceStatus, 'CREATE_COMPLETE');
  assert.throws(
    () =>
      call(ctx, 'UpdateStack', { StackName: 'S', UsePreviousTemplate: 'true', Capabilities: ['CAPABILITY_NAMED_IAM'] }),
    { message: 'No updates are to be performed.' },
  );
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'S', TemplateBody: TEMPLATE }), {
    name: 'AlreadyExistsException',
  });
  call(ctx, 'DeleteStack', { StackName: 'S' });
  await cloudFormationSettled(ctx.sandbox);
  assert.throws(() => call(ctx, 'DescribeStacks', { StackName: 'S' }), {
    name: 'ValidationError',
    message: 'Stack with id S does not exist',
  });
  assert.equal(call(ctx, 'DescribeStacks', { StackName: StackId }).Stacks[0].StackStatus, 'DELETE_COMPLETE');
});

test('a failing resource rolls the stack back; ROLLBACK_COMPLETE cannot be updated', async () => {
  const ctx = fakeContext(fakeSandbox({ failResources: ['Logs'] }));
  const { StackId } = call(ctx, 'CreateStack', {
    StackName: 'F',
    TemplateBody: TEMPLATE,
    Capabilities: ['CAPABILITY_NAMED_IAM'],
  });
  await cloudFormationSettled(ctx.sandbox);
  const ev = events(ctx, 'F');
  const failed = ev.find((e) => e.ResourceStatus === 'CREATE_FAILED' && e.LogicalResourceId === 'Logs');
  assert.match(failed!.ResourceStatusReason, /Resource handler returned message/);
  const rollback = ev.find((e) => e.ResourceStatus === 'ROLLBACK_IN_PROGRESS');
  assert.match(
    rollback!.ResourceStatusReason,
    /^The following resource\(s\) failed to create: \[.*Logs.*\]\. Rollback requested by user\.$/,
  );
  assert.equal(call(ctx, 'DescribeStacks', { StackName: 'F' }).Stacks[0].StackStatus, 'ROLLBACK_COMPLETE');
  assert.throws(() => call(ctx, 'UpdateStack', { StackName: 'F', UsePreviousTemplate: 'true' }), {
    message: `Stack:${StackId} is in ROLLBACK_COMPLETE state and can not be updated.`,
  });
});

test('a type AWS has but the sandbox does not implement is refused up front, naming the resource', () => {
  const ctx = fakeContext();
  const body = 'Resources:\n  Q: { Type: AWS::SQS::Queue }\n  B: { Type: AWS::S3::Bucket }\n';
  const refusal = {
    name: 'ValidationError',
    message:
      'Sandbox limitation: the Workshop Pipeline sandbox does not implement resource type [AWS::SQS::Queue] (used by [Q]). AWS CloudFormation supports it; the sandbox cannot create it.',
  };
  assert.throws(() => call(ctx, 'ValidateTemplate', { TemplateBody: body }), refusal);
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'U', TemplateBody: body }), refusal);
  assert.throws(
    () =>
      call(ctx, 'CreateChangeSet', { StackName: 'U', ChangeSetName: 'c', ChangeSetType: 'CREATE', TemplateBody: body }),
    refusal,
  );
  // Nothing was created: no stack, not even one in REVIEW_IN_PROGRESS.
  assert.throws(() => call(ctx, 'DescribeStacks', { StackName: 'U' }), { message: 'Stack with id U does not exist' });
});

test('change sets: CREATE in REVIEW_IN_PROGRESS, UPDATE with replacement, empty change set fails', async () => {
  const ctx = fakeContext();
  const caps = ['CAPABILITY_NAMED_IAM'];
  const { Id } = call(ctx, 'CreateChangeSet', {
    StackName: 'C',
    ChangeSetName: 'one',
    ChangeSetType: 'CREATE',
    TemplateBody: TEMPLATE,
    Capabilities: caps,
  });
  assert.equal(call(ctx, 'DescribeStacks', { StackName: 'C' }).Stacks[0].StackStatus, 'REVIEW_IN_PROGRESS');
  await cloudFormationSettled(ctx.sandbox);
  const cs = call(ctx, 'DescribeChangeSet', { ChangeSetName: Id });
  assert.equal(cs.Status, 'CREATE_COMPLETE');
  assert.equal(cs.ExecutionStatus, 'AVAILABLE');
  assert.deepEqual(
    cs.Changes.map((c: Out) => c.ResourceChange.Action),
    ['Add', 'Add', 'Add'],
  );
  call(ctx, 'ExecuteChangeSet', { ChangeSetName: 'one', StackName: 'C' });
  await cloudFormationSettled(ctx.sandbox);
  assert.equal(call(ctx, 'DescribeStacks', { StackName: 'C' }).Stacks[0].StackStatus, 'CREATE_COMPLETE');
  assert.equal(call(ctx, 'DescribeChangeSet', { ChangeSetName: Id }).ExecutionStatus, 'EXECUTE_COMPLETE');

  call(ctx, 'CreateChangeSet', { StackName: 'C', ChangeSetName: 'same', TemplateBody: TEMPLATE, Capabilities: caps });
  await cloudFormationSettled(ctx.sandbox);
  const empty = call(ctx, 'DescribeChangeSet', { ChangeSetName: 'same', StackName: 'C' });
  assert.equal(empty.Status, 'FAILED');
  assert.equal(
    empty.StatusReason,
    "The submitted information didn't contain changes. Submit different information to create a change set.",
  );

  const changed = TEMPLATE.replace("'${Bucket}-role'", "'${Bucket}-role2'").replace(
    'RetentionInDays: 7',
    'RetentionInDays: 14',
  );
  call(ctx, 'CreateChangeSet', { StackName: 'C', ChangeSetName: 'two', TemplateBody: changed, Capabilities: caps });
  await cloudFormationSettled(ctx.sandbox);
  const two = call(ctx, 'DescribeChangeSet', { ChangeSetName: 'two', StackName: 'C' });
  const byId = Object.fromEntries(two.Changes.map((c: Out) => [c.ResourceChange.LogicalResourceId, c.ResourceChange]));
  assert.equal(byId.Role.Replacement, 'True');
  assert.equal(byId.Logs.Replacement, 'False');
  const oldRole = call(ctx, 'DescribeStackResources', { StackName: 'C', LogicalResourceId: 'Role' }).StackResources[0]
    .PhysicalResourceId;
  call(ctx, 'ExecuteChangeSet', { ChangeSetName: 'two', StackName: 'C' });
  await cloudFormationSettled(ctx.sandbox);
  const ev = events(ctx, 'C').map((e) => e.ResourceStatus);
  assert.ok(ev.includes('UPDATE_COMPLETE_CLEANUP_IN_PROGRESS'));
  assert.equal(ev.at(-1), 'UPDATE_COMPLETE');
  const newRole = call(ctx, 'DescribeStackResources', { StackName: 'C', LogicalResourceId: 'Role' }).StackResources[0]
    .PhysicalResourceId;
  assert.notEqual(newRole, oldRole);
  assert.throws(() => call(ctx, 'DescribeChangeSet', { ChangeSetName: 'nope', StackName: 'C' }), {
    name: 'ChangeSetNotFound',
  });
});

test('a failed update rolls back to UPDATE_ROLLBACK_COMPLETE', async () => {
  const sandbox = fakeSandbox();
  const ctx = fakeContext(sandbox);
  call(ctx, 'CreateStack', { StackName: 'R', TemplateBody: TEMPLATE, Capabilities: ['CAPABILITY_NAMED_IAM'] });
  await cloudFormationSettled(sandbox);
  sandbox.scenarios.failResources = ['Logs'];
  call(ctx, 'UpdateStack', {
    StackName: 'R',
    TemplateBody: TEMPLATE.replace('RetentionInDays: 7', 'RetentionInDays: 30'),
    Capabilities: ['CAPABILITY_NAMED_IAM'],
  });
  await cloudFormationSettled(sandbox);
  const ev = events(ctx, 'R');
  assert.equal(
    ev.find((e) => e.ResourceStatus === 'UPDATE_ROLLBACK_IN_PROGRESS')!.ResourceStatusReason,
    'The following resource(s) failed to update: [Logs]. ',
  );
  assert.equal(ev.at(-1)!.ResourceStatus, 'UPDATE_ROLLBACK_COMPLETE');
  assert.match(call(ctx, 'GetTemplate', { StackName: 'R' }).TemplateBody, /RetentionInDays: 7/);
});

test('validation errors are synchronous with the real messages', () => {
  const ctx = fakeContext();
  assert.throws(
    () =>
      call(ctx, 'CreateStack', {
        StackName: 'V',
        TemplateBody: 'Resources:\n  A: { Type: AWS::S3::Bucket, Properties: { X: !Ref Nope } }\n',
      }),
    {
      message: 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template',
    },
  );
  assert.throws(() => call(ctx, 'ValidateTemplate', { TemplateBody: 'Resources:\n  A: [\n' }), {
    message: /^Template format error: YAML not well-formed/,
  });
  assert.throws(() => call(ctx, 'DescribeStackEvents', { StackName: 'nope' }), {
    message: 'Stack with id nope does not exist',
  });
  const v = call(ctx, 'ValidateTemplate', { TemplateBody: TEMPLATE });
  assert.deepEqual(v.Capabilities, ['CAPABILITY_NAMED_IAM']);
  assert.equal(v.CapabilitiesReason, 'The following resource(s) require capabilities: [AWS::IAM::Role]');
});
