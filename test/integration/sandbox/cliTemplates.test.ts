// The official AWS CLIs (v1 and Debian's v2) against the sandbox's Parameter Store, Secrets Manager and
// CloudFormation's template checks: they must parse every response and print AWS's errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliEnv, installedAwsClis, run, startTestSandbox, tempDir } from './helpers';

const clis = installedAwsClis();

test('an AWS CLI is installed for the template and SSM fidelity tests', () => {
  assert.ok(clis.length > 0, 'neither /root/.pyenv/shims/aws nor /usr/bin/aws exists');
});

type Json = Record<string, unknown>;

for (const aws of clis) {
  test(`${aws}: ssm put/get/describe/delete-parameter, secretsmanager, and CloudFormation's refusals`, async (t) => {
    const running = await startTestSandbox(t);
    const home = tempDir(t, 'sandbox-cli-ssm-');
    const cli = async (...args: string[]): Promise<Json> => {
      const { stdout } = await run(aws, [...args, '--endpoint-url', running.endpoint, '--output', 'json'], {
        env: cliEnv(home),
      });
      return (stdout.trim() === '' ? {} : JSON.parse(stdout)) as Json;
    };
    const fails = (args: string[], stderr: RegExp) =>
      assert.rejects(cli(...args), (error: Error & { stderr?: string }) => {
        assert.match(error.stderr ?? '', stderr);
        return true;
      });

    assert.deepEqual(
      await cli('ssm', 'put-parameter', '--name', '/workshop/url', '--value', 'blue', '--type', 'String'),
      {
        Version: 1,
        Tier: 'Standard',
      },
    );
    await fails(
      ['ssm', 'put-parameter', '--name', '/workshop/url', '--value', 'green', '--type', 'String'],
      /An error occurred \(ParameterAlreadyExists\) when calling the PutParameter operation: The parameter already exists\. To overwrite this value, set the overwrite option in the request to true\./,
    );
    await cli('ssm', 'put-parameter', '--name', '/workshop/url', '--value', 'green', '--overwrite');
    const got = (await cli('ssm', 'get-parameter', '--name', '/workshop/url')).Parameter as Json;
    assert.deepEqual([got.Name, got.Value, got.Version, got.Type], ['/workshop/url', 'green', 2, 'String']);
    assert.equal(got.ARN, 'arn:aws:ssm:us-east-1:000000000000:parameter/workshop/url');
    const described = (await cli('ssm', 'describe-parameters')).Parameters as Json[];
    assert.deepEqual(
      described.map((p) => p.Name),
      ['/workshop/url'],
    );
    await fails(
      ['ssm', 'get-parameter', '--name', '/workshop/missing'],
      /An error occurred \(ParameterNotFound\) when calling the GetParameter operation: ?$/m,
    );
    assert.deepEqual(await cli('ssm', 'delete-parameter', '--name', '/workshop/url'), {});

    const created = await cli(
      'secretsmanager',
      'create-secret',
      '--name',
      'workshop/db',
      '--secret-string',
      '{"password":"p"}',
    );
    assert.match(
      String(created.ARN),
      /^arn:aws:secretsmanager:us-east-1:000000000000:secret:workshop\/db-[A-Za-z0-9]{6}$/,
    );
    const secret = await cli('secretsmanager', 'get-secret-value', '--secret-id', 'workshop/db');
    assert.equal(secret.SecretString, '{"password":"p"}');
    assert.equal(
      (await cli('secretsmanager', 'describe-secret', '--secret-id', String(created.ARN))).Name,
      'workshop/db',
    );
    await cli('secretsmanager', 'delete-secret', '--secret-id', 'workshop/db', '--force-delete-without-recovery');
    await fails(
      ['secretsmanager', 'get-secret-value', '--secret-id', 'workshop/db'],
      /An error occurred \(ResourceNotFoundException\) when calling the GetSecretValue operation: Secrets Manager can't find the specified secret\./,
    );

    const unknown = 'Resources:\n  Thing: { Type: AWS::Foo::Bar }\n';
    await fails(
      ['cloudformation', 'validate-template', '--template-body', unknown],
      /An error occurred \(ValidationError\) when calling the ValidateTemplate operation: Template format error: Unrecognized resource types: \[AWS::Foo::Bar\]/,
    );
    await fails(
      ['cloudformation', 'create-stack', '--stack-name', 'Foo', '--template-body', unknown],
      /An error occurred \(ValidationError\) when calling the CreateStack operation: Template format error: Unrecognized resource types: \[AWS::Foo::Bar\]/,
    );
    const typed =
      "Parameters:\n  Name: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /workshop/name }\nResources:\n  Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Name } }\n";
    await fails(
      ['cloudformation', 'create-stack', '--stack-name', 'Typed', '--template-body', typed],
      /An error occurred \(ValidationError\) when calling the CreateStack operation: Unable to fetch parameters \[\/workshop\/name\] from parameter store for this account\./,
    );
    await cli(
      'ssm',
      'put-parameter',
      '--name',
      '/workshop/name',
      '--value',
      'vpc-0123456789abcdef0',
      '--type',
      'String',
    );
    await cli('cloudformation', 'create-stack', '--stack-name', 'Typed', '--template-body', typed);
    await run(
      aws,
      ['cloudformation', 'wait', 'stack-create-complete', '--stack-name', 'Typed', '--endpoint-url', running.endpoint],
      {
        env: cliEnv(home),
      },
    );
    const stack = ((await cli('cloudformation', 'describe-stacks', '--stack-name', 'Typed')).Stacks as Json[])[0];
    assert.deepEqual(stack.Parameters, [
      { ParameterKey: 'Name', ParameterValue: '/workshop/name', ResolvedValue: 'vpc-0123456789abcdef0' },
    ]);
  });
}
