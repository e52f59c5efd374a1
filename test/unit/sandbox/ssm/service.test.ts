/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- handler outputs are untyped plain objects */
// Parameter Store's operations, shapes and errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ssmService } from '../../../sandbox/ssm/service';
import { fakeContext } from '../cloudformation/fakeSandbox';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const ssm = (ctx: ReturnType<typeof fakeContext>, op: string, input: Record<string, unknown>): Out =>
  ssmService.operations[op](input, ctx) as Out;

test('PutParameter creates version 1; overwriting needs Overwrite and makes version 2; GetParameter reads either', () => {
  const ctx = fakeContext();
  assert.deepEqual(ssm(ctx, 'PutParameter', { Name: '/app/url', Value: 'http://a', Type: 'String' }), {
    Version: 1,
    Tier: 'Standard',
  });
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: '/app/url', Value: 'http://b', Type: 'String' }), {
    name: 'ParameterAlreadyExists',
    message: 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.',
  });
  // Overwrite keeps the type when none is given.
  assert.equal(ssm(ctx, 'PutParameter', { Name: '/app/url', Value: 'http://b', Overwrite: true }).Version, 2);
  const latest = ssm(ctx, 'GetParameter', { Name: '/app/url' }).Parameter;
  assert.deepEqual(
    { ...latest, LastModifiedDate: undefined },
    {
      Name: '/app/url',
      Type: 'String',
      Value: 'http://b',
      Version: 2,
      Selector: undefined,
      LastModifiedDate: undefined,
      ARN: 'arn:aws:ssm:us-east-1:123456789012:parameter/app/url',
      DataType: 'text',
    },
  );
  assert.ok(latest.LastModifiedDate instanceof Date);
  const first = ssm(ctx, 'GetParameter', { Name: '/app/url:1' }).Parameter;
  assert.deepEqual([first.Value, first.Version, first.Selector], ['http://a', 1, ':1']);
  assert.throws(() => ssm(ctx, 'GetParameter', { Name: '/app/url:7' }), {
    name: 'ParameterVersionNotFound',
    message: 'Systems Manager could not find version 7 of /app/url. Verify the version and try again.',
  });
});

test('missing parameters: ParameterNotFound without a message; GetParameters lists them as invalid', () => {
  const ctx = fakeContext();
  assert.throws(() => ssm(ctx, 'GetParameter', { Name: 'nope' }), { name: 'ParameterNotFound', message: '' });
  assert.throws(() => ssm(ctx, 'DeleteParameter', { Name: 'nope' }), { name: 'ParameterNotFound' });
  ssm(ctx, 'PutParameter', { Name: 'plain', Value: 'v', Type: 'String' });
  const got = ssm(ctx, 'GetParameters', { Names: ['plain', 'nope'] });
  assert.deepEqual(
    got.Parameters.map((p: Out) => p.Name),
    ['plain'],
  );
  assert.deepEqual(got.InvalidParameters, ['nope']);
  assert.deepEqual(ssm(ctx, 'DeleteParameter', { Name: 'plain' }), {});
  assert.throws(() => ssm(ctx, 'GetParameter', { Name: 'plain' }), { name: 'ParameterNotFound' });
});

test('PutParameter refuses what Parameter Store refuses', () => {
  const ctx = fakeContext();
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: 'x', Value: 'v' }), {
    name: 'ValidationException',
    message: 'A parameter type is required when you create a parameter.',
  });
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: 'x', Value: 'v', Type: 'Number' }), {
    message:
      "1 validation error detected: Value 'Number' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [SecureString, StringList, String]",
  });
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: 'awsThing', Value: 'v', Type: 'String' }), {
    message: 'Parameter name: can\'t be prefixed with "aws" or "ssm" (case-insensitive).',
  });
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: '/aws/service/x', Value: 'v', Type: 'String' }), {
    name: 'AccessDeniedException',
    message: 'No access to reserved parameter name: /aws/service/x.',
  });
  assert.throws(() => ssm(ctx, 'PutParameter', { Name: 'big', Value: 'x'.repeat(4097), Type: 'String' }), {
    message: /^Standard tier parameters support a maximum parameter value of 4096 characters\./,
  });
  assert.equal(
    ssm(ctx, 'PutParameter', { Name: 'big', Value: 'x'.repeat(4097), Type: 'String', Tier: 'Advanced' }).Tier,
    'Advanced',
  );
  assert.throws(
    () =>
      ssm(ctx, 'PutParameter', {
        Name: 't',
        Value: 'v',
        Type: 'String',
        Overwrite: true,
        Tags: [{ Key: 'a', Value: 'b' }],
      }),
    { message: /^Invalid request: tags and overwrite can't be used together\./ },
  );
});

test('SecureString values come back as ciphertext unless decrypted; public /aws/service parameters are readable', () => {
  const ctx = fakeContext();
  ssm(ctx, 'PutParameter', { Name: '/db/password', Value: 'hunter2', Type: 'SecureString' });
  const hidden = ssm(ctx, 'GetParameter', { Name: '/db/password' }).Parameter;
  assert.notEqual(hidden.Value, 'hunter2');
  assert.ok(!Buffer.from(hidden.Value, 'base64').toString('latin1').includes('hunter2'));
  assert.equal(ssm(ctx, 'GetParameter', { Name: '/db/password', WithDecryption: true }).Parameter.Value, 'hunter2');
  const ami = ssm(ctx, 'GetParameter', {
    Name: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  });
  assert.match(ami.Parameter.Value, /^ami-[0-9a-f]{17}$/);
  assert.equal(
    ami.Parameter.ARN,
    'arn:aws:ssm:us-east-1::parameter/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
  );
});

test('DescribeParameters filters by path, name and type, and pages with NextToken', () => {
  const ctx = fakeContext();
  for (const name of ['/app/a', '/app/b', '/app/deep/c', '/other/d'])
    ssm(ctx, 'PutParameter', { Name: name, Value: 'v', Type: name.endsWith('b') ? 'StringList' : 'String' });
  const names = (input: Record<string, unknown>) =>
    ssm(ctx, 'DescribeParameters', input).Parameters.map((p: Out) => p.Name);
  assert.deepEqual(names({ ParameterFilters: [{ Key: 'Path', Values: ['/app'] }] }), ['/app/a', '/app/b']);
  assert.deepEqual(names({ ParameterFilters: [{ Key: 'Path', Option: 'Recursive', Values: ['/app'] }] }), [
    '/app/a',
    '/app/b',
    '/app/deep/c',
  ]);
  assert.deepEqual(names({ ParameterFilters: [{ Key: 'Type', Values: ['StringList'] }] }), ['/app/b']);
  assert.deepEqual(names({ ParameterFilters: [{ Key: 'Name', Option: 'BeginsWith', Values: ['/other'] }] }), [
    '/other/d',
  ]);
  const first = ssm(ctx, 'DescribeParameters', { MaxResults: 3 });
  assert.equal(first.Parameters.length, 3);
  const second = ssm(ctx, 'DescribeParameters', { MaxResults: 3, NextToken: first.NextToken });
  assert.deepEqual(
    second.Parameters.map((p: Out) => p.Name),
    ['/other/d'],
  );
  assert.equal(second.NextToken, undefined);
});
