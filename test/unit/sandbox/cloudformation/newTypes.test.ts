/* eslint-disable @typescript-eslint/no-unsafe-member-access, @typescript-eslint/no-unsafe-assignment, @typescript-eslint/no-unsafe-argument, @typescript-eslint/no-unsafe-call, @typescript-eslint/no-unsafe-return -- handler outputs are untyped plain objects */
// Network ACLs, secrets, SSM parameters and nested stacks as resources of a stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cloudFormationService, cloudFormationSettled } from '../../../sandbox/cloudformation/service';
import { createBucket, putObject } from '../../../sandbox/s3/store';
import { secretsManagerService } from '../../../sandbox/secretsmanager/service';
import { ssmService } from '../../../sandbox/ssm/service';
import { fakeContext, fakeSandbox } from './fakeSandbox';

type Out = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Ctx = ReturnType<typeof fakeContext>;

const call = (ctx: Ctx, op: string, input: Record<string, unknown> = {}): Out =>
  cloudFormationService.operations[op](input, ctx) as Out;
const outputs = (stack: Out): Record<string, string> =>
  Object.fromEntries((stack.Outputs ?? []).map((o: Out) => [o.OutputKey, o.OutputValue]));
const describe = (ctx: Ctx, name: string): Out => call(ctx, 'DescribeStacks', { StackName: name }).Stacks[0];

const NETWORK = `Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24 } }
  Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref Vpc } }
  InHttp:
    Type: AWS::EC2::NetworkAclEntry
    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: allow, CidrBlock: 0.0.0.0/0, PortRange: { From: 80, To: 80 } }
  Assoc: { Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: { SubnetId: !Ref Subnet, NetworkAclId: !Ref Acl } }
  Secret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: workshop/db
      GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: password, PasswordLength: 20, ExcludePunctuation: true }
  Param: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: !GetAtt Acl.Id } }
Outputs:
  Acl: { Value: !Ref Acl }
  Assoc: { Value: !GetAtt Assoc.AssociationId }
  Secret: { Value: !Ref Secret }
  Param: { Value: !Ref Param }
`;

test('network ACLs, a generated secret and an SSM parameter are created, readable through their services, and deleted', async () => {
  const ctx = fakeContext();
  call(ctx, 'CreateStack', { StackName: 'Net', TemplateBody: NETWORK });
  await cloudFormationSettled(ctx.sandbox);
  const stack = describe(ctx, 'Net');
  assert.equal(stack.StackStatus, 'CREATE_COMPLETE', stack.StackStatusReason);
  const out = outputs(stack);
  assert.match(out.Acl, /^acl-0[0-9a-f]{16}$/);
  assert.match(out.Assoc, /^aclassoc-0[0-9a-f]{16}$/);
  assert.match(out.Secret, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:workshop\/db-[A-Za-z0-9]{6}$/);
  assert.match(out.Param, /^CFN-Param-[A-Z0-9]{12}$/);

  const secret = secretsManagerService.operations.GetSecretValue({ SecretId: 'workshop/db' }, ctx) as Out;
  const value = JSON.parse(secret.SecretString);
  assert.equal(value.username, 'app');
  assert.match(value.password, /^[A-Za-z0-9]{20}$/);
  assert.match(value.password, /[a-z]/);
  assert.match(value.password, /[A-Z]/);
  assert.match(value.password, /[0-9]/);
  const param = ssmService.operations.GetParameter({ Name: out.Param }, ctx) as Out;
  assert.equal(param.Parameter.Value, out.Acl);

  call(ctx, 'DeleteStack', { StackName: 'Net' });
  await cloudFormationSettled(ctx.sandbox);
  assert.throws(() => secretsManagerService.operations.GetSecretValue({ SecretId: 'workshop/db' }, ctx), {
    name: 'ResourceNotFoundException',
  });
  assert.throws(() => ssmService.operations.GetParameter({ Name: out.Param }, ctx), { name: 'ParameterNotFound' });
});

test('a duplicate network ACL rule fails the stack with EC2 words', async () => {
  const ctx = fakeContext();
  const body = NETWORK.replace(
    '  Assoc:',
    '  InHttpAgain:\n    Type: AWS::EC2::NetworkAclEntry\n    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 100, Protocol: 6, RuleAction: deny, CidrBlock: 0.0.0.0/0 }\n    DependsOn: InHttp\n  Assoc:',
  );
  call(ctx, 'CreateStack', { StackName: 'Dup', TemplateBody: body });
  await cloudFormationSettled(ctx.sandbox);
  const events = call(ctx, 'DescribeStackEvents', { StackName: 'Dup' }).StackEvents as Out[];
  const failed = events.find((e) => e.LogicalResourceId === 'InHttpAgain' && e.ResourceStatus === 'CREATE_FAILED');
  assert.match(failed?.ResourceStatusReason, /The network acl entry identified by 100 already exists\./);
  assert.equal(describe(ctx, 'Dup').StackStatus, 'ROLLBACK_COMPLETE');
});

const CHILD = `Parameters:
  Prefix: { Type: String }
Resources:
  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: !Sub '\${Prefix}-nested' } }
Outputs:
  BucketName: { Value: !Ref Bucket }
`;

function parent(url: string): string {
  return `Resources:
  Child:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: ${url}
      Parameters: { Prefix: workshop }
Outputs:
  FromChild: { Value: !GetAtt Child.Outputs.BucketName }
  ChildId: { Value: !Ref Child }
`;
}

test('a nested stack from the sandbox S3: its own events and outputs, ParentId/RootId, deleted with its parent', async () => {
  const ctx = fakeContext();
  const bucket = createBucket(ctx.sandbox, { name: 'templates', accountId: '123456789012', region: 'us-east-1' });
  putObject(ctx.sandbox, bucket, 'child.yaml', Buffer.from(CHILD));
  call(ctx, 'CreateStack', {
    StackName: 'Parent',
    TemplateBody: parent('https://templates.s3.amazonaws.com/child.yaml'),
  });
  await cloudFormationSettled(ctx.sandbox);
  const top = describe(ctx, 'Parent');
  assert.equal(top.StackStatus, 'CREATE_COMPLETE', top.StackStatusReason);
  const out = outputs(top);
  assert.equal(out.FromChild, 'workshop-nested');
  const child = describe(ctx, out.ChildId);
  assert.match(child.StackName, /^Parent-Child-[A-Z0-9]{12}$/);
  assert.equal(child.ParentId, top.StackId);
  assert.equal(child.RootId, top.StackId);
  assert.deepEqual(child.Parameters, [{ ParameterKey: 'Prefix', ParameterValue: 'workshop' }]);
  const childEvents = (call(ctx, 'DescribeStackEvents', { StackName: out.ChildId }).StackEvents as Out[]).map(
    (e) => `${e.LogicalResourceId} ${e.ResourceStatus}`,
  );
  assert.ok(childEvents.includes('Bucket CREATE_COMPLETE'));
  assert.equal(childEvents[0], `${child.StackName} CREATE_COMPLETE`);
  const parentEvents = call(ctx, 'DescribeStackEvents', { StackName: 'Parent' }).StackEvents as Out[];
  assert.ok(
    parentEvents.some(
      (e) =>
        e.LogicalResourceId === 'Child' &&
        e.ResourceType === 'AWS::CloudFormation::Stack' &&
        e.ResourceStatus === 'CREATE_IN_PROGRESS' &&
        e.ResourceStatusReason === 'Resource creation Initiated' &&
        e.PhysicalResourceId === out.ChildId,
    ),
  );

  call(ctx, 'DeleteStack', { StackName: 'Parent' });
  await cloudFormationSettled(ctx.sandbox);
  assert.equal(describe(ctx, out.ChildId).StackStatus, 'DELETE_COMPLETE');
  assert.throws(() => describe(ctx, 'Parent'), { message: 'Stack with id Parent does not exist' });
});

test('a nested stack whose template is missing or unknown fails its resource, and the parent rolls back', async () => {
  const ctx = fakeContext();
  const bucket = createBucket(ctx.sandbox, { name: 'templates', accountId: '123456789012', region: 'us-east-1' });
  putObject(ctx.sandbox, bucket, 'bad.yaml', Buffer.from('Resources:\n  X: { Type: AWS::Foo::Bar }\n'));
  const reason = async (name: string, url: string) => {
    call(ctx, 'CreateStack', { StackName: name, TemplateBody: parent(url) });
    await cloudFormationSettled(ctx.sandbox);
    assert.equal(describe(ctx, name).StackStatus, 'ROLLBACK_COMPLETE');
    const events = call(ctx, 'DescribeStackEvents', { StackName: name }).StackEvents as Out[];
    return events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === 'CREATE_FAILED')
      ?.ResourceStatusReason;
  };
  assert.equal(
    await reason('Missing', 'https://templates.s3.us-east-1.amazonaws.com/nope.yaml'),
    'TemplateURL must reference a valid S3 object to which you have access.',
  );
  assert.equal(
    await reason('Unknown', 'https://s3.amazonaws.com/templates/bad.yaml'),
    'Template format error: Unrecognized resource types: [AWS::Foo::Bar]',
  );
  assert.equal(await reason('NotS3', 'https://example.com/child.yaml'), 'TemplateURL must be a supported URL.');
});

test('a failing nested stack rolls back and reports the embedded stack failure', async () => {
  const ctx = fakeContext(fakeSandbox({ failResources: ['Bucket'] }));
  const bucket = createBucket(ctx.sandbox, { name: 'templates', accountId: '123456789012', region: 'us-east-1' });
  putObject(ctx.sandbox, bucket, 'child.yaml', Buffer.from(CHILD));
  call(ctx, 'CreateStack', { StackName: 'P', TemplateBody: parent(`http://${ctx.host}/templates/child.yaml`) });
  await cloudFormationSettled(ctx.sandbox);
  const events = call(ctx, 'DescribeStackEvents', { StackName: 'P' }).StackEvents as Out[];
  const failed = events.find((e) => e.LogicalResourceId === 'Child' && e.ResourceStatus === 'CREATE_FAILED');
  assert.match(
    failed?.ResourceStatusReason,
    /^Embedded stack arn:aws:cloudformation:us-east-1:123456789012:stack\/P-Child-[A-Z0-9]{12}\/[0-9a-f-]{36} was not successfully created: The following resource\(s\) failed to create: \[Bucket\]\.$/,
  );
  assert.equal(describe(ctx, 'P').StackStatus, 'ROLLBACK_COMPLETE');
  const childId = failed?.PhysicalResourceId as string;
  assert.equal(describe(ctx, childId).StackStatus, 'DELETE_COMPLETE');
});

const DYNAMIC = `Resources:
  Copy:
    Type: AWS::SSM::Parameter
    Properties: { Name: /copy/url, Type: String, Value: 'latest={{resolve:ssm:/app/url}} first={{resolve:ssm:/app/url:1}}' }
  Password:
    Type: AWS::SSM::Parameter
    Properties: { Name: /copy/user, Type: String, Value: '{{resolve:secretsmanager:app/db:SecretString:username}}' }
`;

test('dynamic references resolve from Parameter Store and Secrets Manager; missing ones fail as CloudFormation does', async () => {
  const ctx = fakeContext();
  const ssm = (op: string, input: Record<string, unknown>) => ssmService.operations[op](input, ctx) as Out;
  assert.throws(() => call(ctx, 'CreateStack', { StackName: 'Dyn', TemplateBody: DYNAMIC }), {
    name: 'ValidationError',
    message: 'Parameters: [ssm:/app/url] cannot be found.',
  });
  ssm('PutParameter', { Name: '/app/url', Value: 'one', Type: 'String' });
  ssm('PutParameter', { Name: '/app/url', Value: 'two', Overwrite: true });
  // The secret is missing: the stack starts, and the resource that names it fails.
  call(ctx, 'CreateStack', { StackName: 'Dyn', TemplateBody: DYNAMIC });
  await cloudFormationSettled(ctx.sandbox);
  const events = call(ctx, 'DescribeStackEvents', { StackName: 'Dyn' }).StackEvents as Out[];
  const failed = events.find((e) => e.LogicalResourceId === 'Password' && e.ResourceStatus === 'CREATE_FAILED');
  assert.match(
    failed?.ResourceStatusReason,
    /^Secrets Manager can't find the specified secret\. \(Service: AWSSecretsManager; Status Code: 400; Error Code: ResourceNotFoundException;/,
  );
  assert.equal(describe(ctx, 'Dyn').StackStatus, 'ROLLBACK_COMPLETE');

  secretsManagerService.operations.CreateSecret({ Name: 'app/db', SecretString: '{"username":"app"}' }, ctx);
  call(ctx, 'DeleteStack', { StackName: 'Dyn' });
  await cloudFormationSettled(ctx.sandbox);
  call(ctx, 'CreateStack', { StackName: 'Dyn', TemplateBody: DYNAMIC });
  await cloudFormationSettled(ctx.sandbox);
  assert.equal(describe(ctx, 'Dyn').StackStatus, 'CREATE_COMPLETE');
  assert.equal(ssm('GetParameter', { Name: '/copy/url' }).Parameter.Value, 'latest=two first=one');
  assert.equal(ssm('GetParameter', { Name: '/copy/user' }).Parameter.Value, 'app');
  // The template keeps the references; the events never show the resolved secret.
  assert.ok(!JSON.stringify(call(ctx, 'DescribeStackEvents', { StackName: 'Dyn' })).includes('"app"}'));
});
