// Templates judged like CloudFormation, through the real SDK clients over HTTP: rejections with
// CloudFormation's texts, SSM-typed parameters, and a stack with network ACLs, a secret and a nested stack.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CloudFormationClient,
  CreateChangeSetCommand,
  CreateStackCommand,
  DeleteStackCommand,
  DescribeStacksCommand,
  ValidateTemplateCommand,
  waitUntilStackCreateComplete,
  waitUntilStackDeleteComplete,
} from '@aws-sdk/client-cloudformation';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { clientConfig, startTestSandbox } from './helpers';

const wait = { minDelay: 1, maxDelay: 1, maxWaitTime: 60 };

test('SDK v3: unknown types, unimplemented types and oversized parameter values are refused before anything exists', async (t) => {
  const sb = await startTestSandbox(t);
  const cfn = new CloudFormationClient(clientConfig(sb.endpoint));
  const unknown = 'Resources:\n  Thing: { Type: AWS::Foo::Bar }\n';
  const refusal = {
    name: 'ValidationError',
    message: 'Template format error: Unrecognized resource types: [AWS::Foo::Bar]',
  };
  await assert.rejects(cfn.send(new ValidateTemplateCommand({ TemplateBody: unknown })), refusal);
  await assert.rejects(cfn.send(new CreateStackCommand({ StackName: 'Foo', TemplateBody: unknown })), refusal);
  await assert.rejects(
    cfn.send(
      new CreateChangeSetCommand({
        StackName: 'Foo',
        ChangeSetName: 'one',
        ChangeSetType: 'CREATE',
        TemplateBody: unknown,
      }),
    ),
    refusal,
  );
  await assert.rejects(cfn.send(new DescribeStacksCommand({ StackName: 'Foo' })), {
    message: 'Stack with id Foo does not exist',
  });

  await assert.rejects(
    cfn.send(new ValidateTemplateCommand({ TemplateBody: 'Resources:\n  Fn: { Type: AWS::Lambda::Function }\n' })),
    {
      name: 'ValidationError',
      message:
        'Sandbox limitation: the Workshop Pipeline sandbox does not implement resource type [AWS::Lambda::Function] (used by [Fn]). AWS CloudFormation supports it; the sandbox cannot create it.',
    },
  );

  await assert.rejects(
    cfn.send(
      new CreateStackCommand({
        StackName: 'Big',
        TemplateBody: 'Parameters:\n  P: { Type: String }\nResources:\n  B: { Type: AWS::S3::Bucket }\n',
        Parameters: [{ ParameterKey: 'P', ParameterValue: 'x'.repeat(1_000_000) }],
      }),
    ),
    {
      name: 'ValidationError',
      message:
        "1 validation error detected: Value at 'parameters.1.member.parameterValue' failed to satisfy constraint: Member must have length less than or equal to 4096",
    },
  );
});

const SSM_TYPED = `Parameters:
  BucketName: { Type: 'AWS::SSM::Parameter::Value<String>', Default: /workshop/bucket-name }
Resources:
  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: !Ref BucketName } }
Outputs:
  Name: { Value: !Ref Bucket }
`;

test('SDK v3: an SSM-typed parameter resolves from Parameter Store, and a missing one is refused', async (t) => {
  const sb = await startTestSandbox(t);
  const cfn = new CloudFormationClient(clientConfig(sb.endpoint));
  const ssm = new SSMClient(clientConfig(sb.endpoint));
  await assert.rejects(
    cfn.send(
      new CreateChangeSetCommand({
        StackName: 'Ssm',
        ChangeSetName: 'one',
        ChangeSetType: 'CREATE',
        TemplateBody: SSM_TYPED,
      }),
    ),
    {
      name: 'ValidationError',
      message: 'Unable to fetch parameters [/workshop/bucket-name] from parameter store for this account.',
    },
  );
  await ssm.send(
    new PutParameterCommand({ Name: '/workshop/bucket-name', Value: 'from-parameter-store', Type: 'String' }),
  );
  await cfn.send(new CreateStackCommand({ StackName: 'Ssm', TemplateBody: SSM_TYPED }));
  await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'Ssm' });
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: 'Ssm' }))).Stacks?.[0];
  assert.deepEqual(stack?.Parameters, [
    { ParameterKey: 'BucketName', ParameterValue: '/workshop/bucket-name', ResolvedValue: 'from-parameter-store' },
  ]);
  assert.equal(stack?.Outputs?.[0].OutputValue, 'from-parameter-store');
});

const CHILD = `Parameters:
  VpcId: { Type: String }
Resources:
  Acl: { Type: AWS::EC2::NetworkAcl, Properties: { VpcId: !Ref VpcId } }
  Deny:
    Type: AWS::EC2::NetworkAclEntry
    Properties: { NetworkAclId: !Ref Acl, RuleNumber: 90, Protocol: -1, RuleAction: deny, CidrBlock: 192.0.2.0/24 }
Outputs:
  AclId: { Value: !Ref Acl }
`;

const PARENT = `Resources:
  Vpc: { Type: AWS::EC2::VPC, Properties: { CidrBlock: 10.0.0.0/16 } }
  Subnet: { Type: AWS::EC2::Subnet, Properties: { VpcId: !Ref Vpc, CidrBlock: 10.0.0.0/24 } }
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://workshop-templates.s3.amazonaws.com/network/acl.yaml
      Parameters: { VpcId: !Ref Vpc }
  Assoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties: { SubnetId: !Ref Subnet, NetworkAclId: !GetAtt Network.Outputs.AclId }
  DbSecret:
    Type: AWS::SecretsManager::Secret
    Properties:
      Name: workshop/db
      GenerateSecretString: { SecretStringTemplate: '{"username":"app"}', GenerateStringKey: password }
  Endpoint: { Type: AWS::SSM::Parameter, Properties: { Name: /workshop/acl, Type: String, Value: !GetAtt Network.Outputs.AclId } }
Outputs:
  AclId: { Value: !GetAtt Network.Outputs.AclId }
  NetworkStack: { Value: !Ref Network }
`;

test('SDK v3: network ACLs, a secret, an SSM parameter and a nested stack from S3 are deployed and deleted together', async (t) => {
  const sb = await startTestSandbox(t);
  const config = clientConfig(sb.endpoint);
  const cfn = new CloudFormationClient(config);
  const s3 = new S3Client({ ...config, forcePathStyle: true });
  const secrets = new SecretsManagerClient(config);
  const ssm = new SSMClient(config);
  await s3.send(new CreateBucketCommand({ Bucket: 'workshop-templates' }));
  await s3.send(new PutObjectCommand({ Bucket: 'workshop-templates', Key: 'network/acl.yaml', Body: CHILD }));

  await cfn.send(new CreateStackCommand({ StackName: 'Workshop', TemplateBody: PARENT }));
  await waitUntilStackCreateComplete({ client: cfn, ...wait }, { StackName: 'Workshop' });
  const parent = (await cfn.send(new DescribeStacksCommand({ StackName: 'Workshop' }))).Stacks?.[0];
  const outputs: Record<string, string> = Object.fromEntries(
    (parent?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']),
  );
  assert.match(outputs.AclId ?? '', /^acl-0[0-9a-f]{16}$/);
  const nested = (await cfn.send(new DescribeStacksCommand({ StackName: outputs.NetworkStack }))).Stacks?.[0];
  assert.equal(nested?.StackStatus, 'CREATE_COMPLETE');
  assert.equal(nested?.ParentId, parent?.StackId);
  assert.equal(nested?.RootId, parent?.StackId);
  const all = (await cfn.send(new DescribeStacksCommand({}))).Stacks?.map((s) => s.StackName);
  assert.ok(all?.includes(nested?.StackName ?? '-'), 'nested stacks are listed');

  const secret = await secrets.send(new GetSecretValueCommand({ SecretId: 'workshop/db' }));
  const value = JSON.parse(secret.SecretString ?? '{}') as { username?: string; password?: string };
  assert.equal(value.username, 'app');
  assert.equal(value.password?.length, 32);
  assert.equal((await ssm.send(new GetParameterCommand({ Name: '/workshop/acl' }))).Parameter?.Value, outputs.AclId);

  await cfn.send(new DeleteStackCommand({ StackName: 'Workshop' }));
  await waitUntilStackDeleteComplete({ client: cfn, ...wait }, { StackName: 'Workshop' });
  const after = (await cfn.send(new DescribeStacksCommand({ StackName: outputs.NetworkStack }))).Stacks?.[0];
  assert.equal(after?.StackStatus, 'DELETE_COMPLETE');
  await assert.rejects(secrets.send(new GetSecretValueCommand({ SecretId: 'workshop/db' })), {
    name: 'ResourceNotFoundException',
  });
  await assert.rejects(ssm.send(new GetParameterCommand({ Name: '/workshop/acl' })), { name: 'ParameterNotFound' });
});
