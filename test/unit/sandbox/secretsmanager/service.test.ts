/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call -- handler outputs are untyped plain objects */
// Secrets Manager's operations, shapes and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { secretsManagerService } from '../../../sandbox/secretsmanager/service';
import { fakeContext } from '../cloudformation/fakeSandbox';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const sm = (ctx: ReturnType<typeof fakeContext>, op: string, input: Record<string, unknown>): Out =>
  secretsManagerService.operations[op](input, ctx) as Out;

test('CreateSecret, GetSecretValue by name or ARN, DescribeSecret', () => {
  const ctx = fakeContext();
  const created = sm(ctx, 'CreateSecret', { Name: 'app/db', SecretString: '{"password":"p"}', Description: 'DB' });
  assert.match(created.ARN, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:app\/db-[A-Za-z0-9]{6}$/);
  assert.equal(created.Name, 'app/db');
  for (const id of ['app/db', created.ARN]) {
    const value = sm(ctx, 'GetSecretValue', { SecretId: id });
    assert.equal(value.SecretString, '{"password":"p"}');
    assert.deepEqual(value.VersionStages, ['AWSCURRENT']);
    assert.equal(value.VersionId, created.VersionId);
  }
  const described = sm(ctx, 'DescribeSecret', { SecretId: 'app/db' });
  assert.equal(described.Description, 'DB');
  assert.deepEqual(described.VersionIdsToStages, { [created.VersionId]: ['AWSCURRENT'] });
  assert.equal(described.SecretString, undefined);
  assert.throws(() => sm(ctx, 'CreateSecret', { Name: 'app/db', SecretString: 'x' }), {
    name: 'ResourceExistsException',
    message: 'The operation failed because the secret app/db already exists.',
  });
  assert.throws(() => sm(ctx, 'GetSecretValue', { SecretId: 'other' }), {
    name: 'ResourceNotFoundException',
    message: "Secrets Manager can't find the specified secret.",
  });
});

test('DeleteSecret schedules deletion (7–30 days) or deletes at once with ForceDeleteWithoutRecovery', () => {
  const ctx = fakeContext();
  sm(ctx, 'CreateSecret', { Name: 'kept', SecretString: 'x' });
  assert.throws(() => sm(ctx, 'DeleteSecret', { SecretId: 'kept', RecoveryWindowInDays: 3 }), {
    name: 'InvalidParameterException',
    message: 'The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).',
  });
  assert.throws(
    () => sm(ctx, 'DeleteSecret', { SecretId: 'kept', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
    {
      message: "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
    },
  );
  const scheduled = sm(ctx, 'DeleteSecret', { SecretId: 'kept', RecoveryWindowInDays: 7 });
  const now = ctx.sandbox.clock.now().getTime();
  assert.ok(Math.abs(scheduled.DeletionDate.getTime() - (now + 7 * 86_400_000)) < 60_000);
  assert.throws(() => sm(ctx, 'GetSecretValue', { SecretId: 'kept' }), {
    name: 'InvalidRequestException',
    message: "You can't perform this operation on the secret because it was marked for deletion.",
  });
  assert.ok(sm(ctx, 'DescribeSecret', { SecretId: 'kept' }).DeletedDate instanceof Date);
  assert.throws(() => sm(ctx, 'CreateSecret', { Name: 'kept', SecretString: 'y' }), {
    message: "You can't create this secret because a secret with this name is already scheduled for deletion.",
  });
  sm(ctx, 'DeleteSecret', { SecretId: 'kept', ForceDeleteWithoutRecovery: true });
  assert.throws(() => sm(ctx, 'DescribeSecret', { SecretId: 'kept' }), { name: 'ResourceNotFoundException' });
});
