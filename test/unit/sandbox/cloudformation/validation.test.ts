/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment -- handler outputs are untyped plain objects */
// Templates judged like CloudFormation before anything is created: resource types, quotas, Rules and
// SSM parameter types.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cloudFormationService, cloudFormationSettled } from '../../../sandbox/cloudformation/service';
import { ssmService } from '../../../sandbox/ssm/service';
import { fakeContext } from './fakeSandbox';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Ctx = ReturnType<typeof fakeContext>;

function call(ctx: Ctx, op: string, input: Record<string, unknown> = {}): Out {
  return cloudFormationService.operations[op](input, ctx) as Out;
}
function ssm(ctx: Ctx, op: string, input: Record<string, unknown>): Out {
  return ssmService.operations[op](input, ctx) as Out;
}
const params = (values: Record<string, string>) =>
  Object.entries(values).map(([ParameterKey, ParameterValue]) => ({ ParameterKey, ParameterValue }));

/** Every way a template reaches CloudFormation must refuse it with the same error, leaving no stack. */
function refusedEverywhere(
  body: string,
  error: { name?: string; message: string | RegExp },
  extra: Record<string, unknown> = {},
) {
  const ctx = fakeContext();
  assert.throws(() => call(ctx, 'ValidateTemplate', { TemplateBody: body }), error);
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'S', TemplateBody: body, ...extra }), error);
  assert.throws(
    () =>
      call(ctx, 'CreateChangeSet', {
        StackName: 'S',
        ChangeSetName: 'c',
        ChangeSetType: 'CREATE',
        TemplateBody: body,
        ...extra,
      }),
    error,
  );
  assert.throws(() => call(ctx, 'DescribeStacks', { StackName: 'S' }), { message: 'Stack with id S does not exist' });
}

test('unknown resource types are refused with CloudFormation text before anything is created', () => {
  refusedEverywhere('Resources:\n  A: { Type: AWS::Foo::Bar }\n  B: { Type: AWS::S3::Bucket }\n', {
    name: 'ValidationError',
    message: 'Template format error: Unrecognized resource types: [AWS::Foo::Bar]',
  });
  // A typo in a real type's case is unknown too; each unknown type is named once.
  refusedEverywhere(
    'Resources:\n  A: { Type: AWS::EC2::NATGateway }\n  B: { Type: AWS::Foo::Bar }\n  C: { Type: AWS::Foo::Bar }\n',
    { message: 'Template format error: Unrecognized resource types: [AWS::EC2::NATGateway, AWS::Foo::Bar]' },
  );
});

test('custom resources are recognized; the sandbox says plainly that it cannot create them', () => {
  refusedEverywhere('Resources:\n  C: { Type: Custom::Thing, Properties: { ServiceToken: arn } }\n', {
    message:
      /^Sandbox limitation: the Workshop Pipeline sandbox does not implement resource type \[Custom::Thing\] \(used by \[C\]\)/,
  });
});

test('template quotas: resources, parameters, outputs, description, parameter values', () => {
  const many = (n: number, line: (i: number) => string) => Array.from({ length: n }, (_, i) => line(i)).join('\n');
  refusedEverywhere(`Resources:\n${many(501, (i) => `  B${i}: { Type: AWS::S3::Bucket }`)}\n`, {
    message: 'Template format error: Number of resources, 501, is greater than maximum allowed, 500',
  });
  refusedEverywhere(
    `Parameters:\n${many(201, (i) => `  P${i}: { Type: String, Default: x }`)}\nResources:\n  B: { Type: AWS::S3::Bucket }\n`,
    { message: 'Template format error: Parameter count 201 is greater than max allowed 200' },
  );
  refusedEverywhere(
    `Resources:\n  B: { Type: AWS::S3::Bucket }\nOutputs:\n${many(201, (i) => `  O${i}: { Value: x }`)}\n`,
    { message: 'Template format error: Outputs count 201 is greater than max allowed 200' },
  );
  refusedEverywhere(`Description: ${'d'.repeat(1025)}\nResources:\n  B: { Type: AWS::S3::Bucket }\n`, {
    message: "Template format error: 'Description' length is greater than 1024.",
  });
  // 4,096 bytes is the most a parameter value may hold; multi-byte characters count as bytes.
  const body = 'Parameters:\n  P: { Type: String }\nResources:\n  B: { Type: AWS::S3::Bucket }\n';
  const tooLong = {
    message:
      "1 validation error detected: Value at 'parameters.1.member.parameterValue' failed to satisfy constraint: Member must have length less than or equal to 4096",
  };
  const parameters = params({ P: 'é'.repeat(2049) });
  const refusing = fakeContext();
  assert.throws(
    () => call(refusing, 'CreateStack', { StackName: 'S', TemplateBody: body, Parameters: parameters }),
    tooLong,
  );
  assert.throws(
    () =>
      call(refusing, 'CreateChangeSet', {
        StackName: 'S',
        ChangeSetName: 'c',
        ChangeSetType: 'CREATE',
        TemplateBody: body,
        Parameters: parameters,
      }),
    tooLong,
  );
  const ctx = fakeContext();
  call(ctx, 'CreateStack', { StackName: 'Fits', TemplateBody: body, Parameters: params({ P: 'x'.repeat(4096) }) });
});

const BOOTSTRAP = `Parameters:
  BootstrapVersion:
    Type: AWS::SSM::Parameter::Value<String>
    Default: /cdk-bootstrap/hnb659fds/version
  Env: { Type: String, Default: dev }
  Zones: { Type: CommaDelimitedList, Default: 'us-east-1a,us-east-1b' }
Rules:
  CheckBootstrapVersion:
    Assertions:
      - Assert: { 'Fn::Not': [{ 'Fn::Contains': [['1', '2', '3', '4', '5'], { Ref: BootstrapVersion }] }] }
        AssertDescription: CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.
  ProdZones:
    RuleCondition: { 'Fn::Equals': [{ Ref: Env }, prod] }
    Assertions:
      - Assert: { 'Fn::EachMemberIn': [{ Ref: Zones }, { 'Fn::RefAll': 'AWS::EC2::AvailabilityZone::Name' }] }
        AssertDescription: Production runs only in this region's zones
      - Assert: { 'Fn::EachMemberEquals': [{ Ref: Zones }, us-east-1a] }
Resources:
  B: { Type: AWS::S3::Bucket }
`;

test('Rules: SSM-typed parameters, RuleCondition, Fn::Contains, Fn::EachMemberIn, Fn::RefAll, Fn::EachMemberEquals', async () => {
  const ctx = fakeContext();
  const put = (value: string) =>
    ssm(ctx, 'PutParameter', {
      Name: '/cdk-bootstrap/hnb659fds/version',
      Value: value,
      Type: 'String',
      Overwrite: true,
    });
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'R', TemplateBody: BOOTSTRAP }), {
    message: 'Unable to fetch parameters [/cdk-bootstrap/hnb659fds/version] from parameter store for this account.',
  });
  put('5');
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'R', TemplateBody: BOOTSTRAP }), {
    name: 'ValidationError',
    message: "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' with a recent version of the CDK CLI.",
  });
  put('21');
  // Env=dev: the production rule's condition is false, so its assertions are not checked.
  call(ctx, 'CreateStack', {
    StackName: 'R',
    TemplateBody: BOOTSTRAP,
    Parameters: params({ Zones: 'us-east-1a,eu-west-1a' }),
  });
  await cloudFormationSettled(ctx.sandbox);
  const prod = (zones: string) => ({
    StackName: 'P',
    TemplateBody: BOOTSTRAP,
    Parameters: params({ Env: 'prod', Zones: zones }),
  });
  assert.throws(() => call(ctx, 'CreateStack', prod('us-east-1a,eu-west-1a')), {
    message: "Production runs only in this region's zones",
  });
  // An assertion without AssertDescription still refuses, naming the rule.
  assert.throws(() => call(ctx, 'CreateStack', prod('us-east-1a,us-east-1b')), {
    message: 'Template error: Assertion failed for rule ProdZones',
  });
  call(ctx, 'CreateStack', prod('us-east-1a'));
});

test('Rules use only rule functions; ValidateTemplate checks their shape', () => {
  refusedEverywhere(
    'Rules:\n  R:\n    Assertions:\n      - Assert: { "Fn::Join": ["", [a]] }\nResources:\n  B: { Type: AWS::S3::Bucket }\n',
    {
      message:
        /^Template format error: Encountered unsupported function: Fn::Join Supported functions are: \[Fn::And, /,
    },
  );
  refusedEverywhere(
    'Rules:\n  R: { RuleCondition: { "Fn::Equals": [a, a] } }\nResources:\n  B: { Type: AWS::S3::Bucket }\n',
    {
      message: 'Template format error: Every Rules member must contain an Assertions member (rule R)',
    },
  );
});

const SSM_TYPED = `Parameters:
  Image: { Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>', Default: /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64 }
  Subnets: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: /workshop/subnets }
  Key: { Type: 'AWS::SSM::Parameter::Name', Default: /workshop/subnets }
Resources:
  B: { Type: AWS::S3::Bucket, Properties: { BucketName: !Select [1, !Ref Subnets] } }
Outputs:
  Image: { Value: !Ref Image }
  Second: { Value: !Select [1, !Ref Subnets] }
  Key: { Value: !Ref Key }
`;

test('SSM parameter types resolve from Parameter Store; DescribeStacks shows the name and the ResolvedValue', async () => {
  const ctx = fakeContext();
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'T', TemplateBody: SSM_TYPED }), {
    message: 'Unable to fetch parameters [/workshop/subnets, /workshop/subnets] from parameter store for this account.',
  });
  ssm(ctx, 'PutParameter', { Name: '/workshop/subnets', Value: 'subnet-a,subnet-b', Type: 'StringList' });
  call(ctx, 'CreateStack', { StackName: 'T', TemplateBody: SSM_TYPED });
  await cloudFormationSettled(ctx.sandbox);
  const stack = call(ctx, 'DescribeStacks', { StackName: 'T' }).Stacks[0];
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE');
  assert.deepEqual(stack.Parameters, [
    {
      ParameterKey: 'Image',
      ParameterValue: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64',
      ResolvedValue: 'ami-0c02fb55956c7d316',
    },
    { ParameterKey: 'Subnets', ParameterValue: '/workshop/subnets', ResolvedValue: 'subnet-a,subnet-b' },
    { ParameterKey: 'Key', ParameterValue: '/workshop/subnets' },
  ]);
  assert.deepEqual(Object.fromEntries((stack.Outputs as Out[]).map((o) => [o.OutputKey, o.OutputValue])), {
    Image: 'ami-0c02fb55956c7d316',
    Second: 'subnet-b',
    Key: '/workshop/subnets',
  });
  // CloudFormation does not read SecureString parameters into template parameters.
  ssm(ctx, 'PutParameter', { Name: '/workshop/subnets', Value: 'x', Type: 'SecureString', Overwrite: true });
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'U', TemplateBody: SSM_TYPED }), {
    message: 'Parameters [/workshop/subnets] referenced by template have types not supported by CloudFormation.',
  });
});

test('SSM parameter types AWS does not have are unrecognized', () => {
  refusedEverywhere(
    "Parameters:\n  P: { Type: 'AWS::SSM::Parameter::Value<Number>' }\nResources:\n  B: { Type: AWS::S3::Bucket }\n",
    {
      message: 'Template format error: Unrecognized parameter type: AWS::SSM::Parameter::Value<Number>',
    },
  );
});

test("the bundled service.yaml's Rules: a blank CommaDelimitedList is [''] as on AWS, so the defaults pass and a half-filled pair fails", () => {
  const body = readFileSync(join(__dirname, '../../../../media/templates/service.yaml'), 'utf8');
  const ctx = fakeContext();
  const create = (name: string, values: Record<string, string>) =>
    call(ctx, 'CreateChangeSet', {
      StackName: name,
      ChangeSetName: 'c',
      ChangeSetType: 'CREATE',
      TemplateBody: body,
      Parameters: params(values),
      Capabilities: ['CAPABILITY_IAM', 'CAPABILITY_NAMED_IAM'],
    });
  create('Defaults', {});
  assert.throws(() => create('SubnetsOnly', { SubnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1' }), {
    message: 'SubnetIds needs VpcId, the VPC they belong to.',
  });
  assert.throws(() => create('VpcOnly', { VpcId: 'vpc-0123456789abcdef0' }), {
    message: 'With VpcId, give SubnetIds (two or more public subnets of that VPC).',
  });
});
