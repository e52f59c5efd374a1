import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeChanges } from '../../../sandbox/cloudformation/engine/changes';
import { requiredCapabilities, checkCapabilities } from '../../../sandbox/cloudformation/engine/capabilities';
import {
  bindTemplate,
  resolveOutputs,
  resolveProperties,
  type ResourceValues,
} from '../../../sandbox/cloudformation/engine/model';
import { resolveParameters } from '../../../sandbox/cloudformation/engine/parameters';
import { parseTemplateBody } from '../../../sandbox/cloudformation/engine/template';
import type { Template } from '../../../sandbox/cloudformation/engine/types';

const env = {
  accountId: '123456789012',
  region: 'us-east-1',
  stackName: 'S',
  stackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/S/id',
  exportValue: (n: string) => (n === 'Shared' ? 'shared-value' : undefined),
};
const values: ResourceValues = { physicalId: (id) => `${id}-phys`, attribute: (id, a) => `${id}.${a}` };

function props(yaml: string, params: Record<string, string> = {}): Record<string, unknown> {
  const t = parseTemplateBody(yaml);
  return resolveProperties(
    bindTemplate(
      t,
      resolveParameters(
        t,
        Object.entries(params).map(([k, v]) => ({ ParameterKey: k, ParameterValue: v })),
      ),
      env,
    ),
    'R',
    values,
  );
}

const head = `Parameters:
  Env: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  Ports: { Type: CommaDelimitedList, Default: "80,443" }
Mappings:
  M: { us-east-1: { Ami: ami-1 } }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  NotProd: !Not [!Condition IsProd]
  Both: !And [!Condition NotProd, !Or [!Equals [a, a], !Condition IsProd]]
Resources:
  B: { Type: AWS::S3::Bucket }
  R:
    Type: AWS::S3::Bucket
    Properties:
`;

test('intrinsics resolve like CloudFormation', () => {
  const p = props(`${head}      Ref: !Ref B
      Att: !GetAtt B.Arn
      Sub: !Sub '\${AWS::StackName}-\${Env}-\${B}-\${B.Arn}-\${!Literal}'
      SubVars: !Sub ['\${X}-y', { X: !Ref AWS::Region }]
      Join: !Join ['-', !Ref Ports]
      Select: !Select [1, !Ref Ports]
      Split: !Split [',', 'a,b']
      If: !If [IsProd, big, small]
      Gone: !If [IsProd, x, !Ref AWS::NoValue]
      Both: !If [Both, yes, no]
      Map: !FindInMap [M, !Ref AWS::Region, Ami]
      Azs: !GetAZs ''
      B64: !Base64 hi
      Cidr: !Cidr [10.0.0.0/16, 2, 8]
      Import: !ImportValue Shared
      Part: !Sub '\${AWS::Partition}.\${AWS::URLSuffix}.\${AWS::AccountId}'
`);
  assert.equal(p.Ref, 'B-phys');
  assert.equal(p.Att, 'B.Arn');
  assert.equal(p.Sub, 'S-dev-B-phys-B.Arn-${Literal}');
  assert.equal(p.SubVars, 'us-east-1-y');
  assert.equal(p.Join, '80-443');
  assert.equal(p.Select, '443');
  assert.deepEqual(p.Split, ['a', 'b']);
  assert.equal(p.If, 'small');
  assert.equal('Gone' in p, false);
  assert.equal(p.Both, 'yes');
  assert.equal(p.Map, 'ami-1');
  assert.equal((p.Azs as string[])[0], 'us-east-1a');
  assert.equal(p.B64, 'aGk=');
  assert.deepEqual(p.Cidr, ['10.0.0.0/24', '10.0.1.0/24']);
  assert.equal(p.Import, 'shared-value');
  assert.equal(p.Part, 'aws.amazonaws.com.123456789012');
});

test('template errors carry CloudFormation messages', () => {
  assert.throws(() => props(`${head}      X: !Ref Nope\n`), {
    message: 'Template format error: Unresolved resource dependencies [Nope] in the Resources block of the template',
  });
  assert.throws(() => props(`${head}      X: !GetAtt Nope.Arn\n`), {
    message: 'Template error: instance of Fn::GetAtt references undefined resource Nope',
  });
  assert.throws(() => props(`${head}      X: !Select [5, !Ref Ports]\n`), {
    message: /Fn::Select cannot select nonexistent value at index 5/,
  });
  assert.throws(() => props(`${head}      X: !ImportValue Missing\n`), { message: 'No export named Missing found.' });
  assert.throws(() => parseTemplateBody('Resources: {}\n'), {
    message: 'Template format error: At least one Resources member must be defined.',
  });
  assert.throws(() => parseTemplateBody('Resources:\n  A: {}\n'), {
    message: /Every Resources object must contain a Type member/,
  });
});

test('parameter validation messages', () => {
  const t = parseTemplateBody(`Parameters:
  A: { Type: String, AllowedPattern: '[a-z]+' }
  B: { Type: String, MinLength: 3, Default: x }
  C: { Type: Number, MaxValue: 5, Default: 1 }
  D: { Type: String, NoEcho: true, Default: s }
  E: { Type: String, AllowedPattern: '[a-z]+', ConstraintDescription: lower case only, Default: a }
Resources:
  R: { Type: AWS::S3::Bucket }
`);
  assert.throws(() => resolveParameters(t, []), { message: 'Parameters: [A] must have values' });
  assert.throws(() => resolveParameters(t, [{ ParameterKey: 'A', ParameterValue: 'X1' }]), {
    message: "Parameter 'A' must match pattern [a-z]+",
  });
  assert.throws(
    () =>
      resolveParameters(t, [
        { ParameterKey: 'A', ParameterValue: 'a' },
        { ParameterKey: 'B', ParameterValue: 'ab' },
      ]),
    { message: "Parameter 'B' must contain at least 3 characters" },
  );
  assert.throws(
    () =>
      resolveParameters(t, [
        { ParameterKey: 'A', ParameterValue: 'a' },
        { ParameterKey: 'C', ParameterValue: 'x' },
      ]),
    { message: "Parameter 'C' must be a number" },
  );
  assert.throws(
    () =>
      resolveParameters(t, [
        { ParameterKey: 'A', ParameterValue: 'a' },
        { ParameterKey: 'E', ParameterValue: 'A' },
      ]),
    { message: 'Parameter E failed to satisfy constraint: lower case only' },
  );
  assert.throws(() => resolveParameters(t, [{ ParameterKey: 'Z', ParameterValue: 'a' }]), {
    message: 'Parameters: [Z] do not exist in the template',
  });
  assert.deepEqual(
    resolveParameters(
      t,
      [
        { ParameterKey: 'A', ParameterValue: 'a' },
        { ParameterKey: 'B', UsePreviousValue: 'true' },
      ],
      { B: 'prev' },
    ).B,
    'prev',
  );
});

test('dependency order, DependsOn and cycles', () => {
  const t = parseTemplateBody(`Resources:
  C: { Type: AWS::S3::Bucket, DependsOn: B }
  B: { Type: AWS::S3::Bucket, Properties: { BucketName: !Sub '\${A}-b' } }
  A: { Type: AWS::S3::Bucket }
  D: { Type: AWS::S3::Bucket }
`);
  const bound = bindTemplate(t, {}, env);
  assert.deepEqual(bound.order, ['A', 'D', 'B', 'C']);
  const cyclic = parseTemplateBody(`Resources:
  A: { Type: AWS::S3::Bucket, Properties: { X: !GetAtt B.Arn } }
  B: { Type: AWS::S3::Bucket, DependsOn: A }
  C: { Type: AWS::S3::Bucket, DependsOn: A }
`);
  assert.throws(() => bindTemplate(cyclic, {}, env), { message: 'Circular dependency between resources: [A, B]' });
  assert.throws(
    () => bindTemplate(parseTemplateBody('Resources:\n  A: { Type: AWS::S3::Bucket, DependsOn: Z }\n'), {}, env),
    { message: /Unresolved resource dependencies \[Z\]/ },
  );
});

test('capabilities', () => {
  const named: Template = { Resources: { R: { Type: 'AWS::IAM::Role', Properties: { RoleName: 'x' } } } };
  assert.throws(() => checkCapabilities(requiredCapabilities(named.Resources), []), {
    message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
    code: 'InsufficientCapabilitiesException',
  } as object);
  assert.throws(() => checkCapabilities(requiredCapabilities(named.Resources), ['CAPABILITY_IAM']), {
    message: 'Requires capabilities : [CAPABILITY_NAMED_IAM]',
  });
  const unnamed = { R: { Type: 'AWS::IAM::Role' } };
  assert.throws(() => checkCapabilities(requiredCapabilities(unnamed), []), {
    message: 'Requires capabilities : [CAPABILITY_IAM]',
  });
  assert.doesNotThrow(() => checkCapabilities(requiredCapabilities(unnamed), ['CAPABILITY_NAMED_IAM']));
});

test('change computation: Add, Modify with Replacement, Remove', () => {
  const before = parseTemplateBody(`Parameters: { Name: { Type: String, Default: a } }
Resources:
  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: !Ref Name } }
  Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 7 } }
  Old: { Type: AWS::S3::Bucket }
Outputs:
  O: { Value: !GetAtt Bucket.Arn }
`);
  const beforeBound = bindTemplate(before, { Name: 'a' }, env);
  const deployed = Object.fromEntries(
    beforeBound.order.map((id) => [
      id,
      {
        type: before.Resources[id].Type,
        physicalId: `${id}-1`,
        properties: resolveProperties(beforeBound, id, values),
        attributes: { Arn: `arn-${id}` },
      },
    ]),
  );
  assert.deepEqual(resolveOutputs(beforeBound, values), [{ OutputKey: 'O', OutputValue: 'Bucket.Arn' }]);
  const after = parseTemplateBody(`Parameters: { Name: { Type: String, Default: a } }
Resources:
  Bucket: { Type: AWS::S3::Bucket, Properties: { BucketName: !Ref Name } }
  Logs: { Type: AWS::Logs::LogGroup, Properties: { RetentionInDays: 14 } }
  New: { Type: AWS::S3::Bucket }
`);
  const changes = computeChanges(deployed, before, { Name: 'a' }, bindTemplate(after, { Name: 'b' }, env));
  const byId = Object.fromEntries(changes.map((c) => [c.LogicalResourceId, c]));
  assert.equal(byId.Bucket.Action, 'Modify');
  assert.equal(byId.Bucket.Replacement, 'True');
  assert.deepEqual(byId.Bucket.Details[0], {
    Target: { Attribute: 'Properties', Name: 'BucketName', RequiresRecreation: 'Always' },
    Evaluation: 'Static',
    ChangeSource: 'ParameterReference',
    CausingEntity: 'Name',
  });
  assert.equal(byId.Logs.Replacement, 'False');
  assert.equal(byId.Logs.Details[0].ChangeSource, 'DirectModification');
  assert.equal(byId.New.Action, 'Add');
  assert.equal(byId.Old.Action, 'Remove');
  assert.deepEqual(computeChanges(deployed, before, { Name: 'a' }, bindTemplate(before, { Name: 'a' }, env)), []);
});
