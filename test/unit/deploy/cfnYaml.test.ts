import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTemplate, TemplateSyntaxError } from '../../../src/deploy/cfnYaml';

const wrap = (properties: string) => `Resources:\n  Thing:\n    Type: AWS::S3::Bucket\n    Properties:\n${properties}`;
const props = (body: string) => parseTemplate(wrap(body)).Resources.Thing.Properties;

/** Asserts that `body` is rejected at line:column with a message matching `reason`. */
function rejects(body: string, line: number, column: number, reason: RegExp) {
  assert.throws(
    () => parseTemplate(body),
    (error: unknown) => {
      assert.ok(error instanceof TemplateSyntaxError, `expected TemplateSyntaxError, got ${String(error)}`);
      assert.match(error.reason, reason);
      assert.deepEqual([error.line, error.column], [line, column], error.message);
      assert.equal(error.message, `Line ${line}, column ${column}: ${error.reason}`);
      return true;
    },
  );
}

describe('parseTemplate: short-form tags become the long form', () => {
  it('turns every scalar short form into its function', () => {
    assert.deepEqual(
      props(
        [
          '      A: !Ref Name',
          '      B: !Sub "${AWS::StackName}-x"',
          '      C: !ImportValue shared-vpc',
          '      D: !GetAZs ""',
          '      E: !Base64 hello',
          '      F: !Condition IsProd',
          '',
        ].join('\n'),
      ),
      {
        A: { Ref: 'Name' },
        B: { 'Fn::Sub': '${AWS::StackName}-x' },
        C: { 'Fn::ImportValue': 'shared-vpc' },
        D: { 'Fn::GetAZs': '' },
        E: { 'Fn::Base64': 'hello' },
        F: { Condition: 'IsProd' },
      },
    );
  });

  it('splits !GetAtt at the first dot only, and accepts the list form', () => {
    assert.deepEqual(props('      A: !GetAtt Db.Endpoint.Address\n      B: !GetAtt [Bucket, Arn]\n'), {
      A: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] },
      B: { 'Fn::GetAtt': ['Bucket', 'Arn'] },
    });
  });

  it('converts list forms and nests functions inside each other', () => {
    assert.deepEqual(
      props(
        [
          "      A: !Join ['', ['arn:', !Ref AWS::Partition, ':s3:::', !Ref Bucket]]",
          '      B: !If [IsProd, !Select [0, !Split [",", !Ref Subnets]], !Ref AWS::NoValue]',
          '      C: !Sub',
          '        - "${Name}-${Suffix}"',
          '        - Suffix: !FindInMap [Sizes, !Ref AWS::Region, small]',
          '      D: !Cidr [!GetAtt Vpc.CidrBlock, 2, 8]',
          '      E: !And [!Equals [!Ref A, x], !Or [!Not [!Condition B], !Equals [1, 1]]]',
          '',
        ].join('\n'),
      ),
      {
        A: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::', { Ref: 'Bucket' }]] },
        B: {
          'Fn::If': [
            'IsProd',
            { 'Fn::Select': [0, { 'Fn::Split': [',', { Ref: 'Subnets' }] }] },
            { Ref: 'AWS::NoValue' },
          ],
        },
        C: {
          'Fn::Sub': ['${Name}-${Suffix}', { Suffix: { 'Fn::FindInMap': ['Sizes', { Ref: 'AWS::Region' }, 'small'] } }],
        },
        D: { 'Fn::Cidr': [{ 'Fn::GetAtt': ['Vpc', 'CidrBlock'] }, 2, 8] },
        E: {
          'Fn::And': [
            { 'Fn::Equals': [{ Ref: 'A' }, 'x'] },
            { 'Fn::Or': [{ 'Fn::Not': [{ Condition: 'B' }] }, { 'Fn::Equals': [1, 1] }] },
          ],
        },
      },
    );
  });

  it('keeps block scalars, long forms and CloudFormation-style strings as written', () => {
    assert.deepEqual(
      props(
        [
          '      Script: !Sub |',
          '        echo ${!HOME} ${AWS::Region}',
          '      Long: { "Fn::GetAtt": [A, B] }',
          '      Version: 2012-10-17',
          '      B64: !Base64 { "Fn::Sub": "x" }',
          '',
        ].join('\n'),
      ),
      {
        Script: { 'Fn::Sub': 'echo ${!HOME} ${AWS::Region}\n' },
        Long: { 'Fn::GetAtt': ['A', 'B'] },
        Version: '2012-10-17',
        B64: { 'Fn::Base64': { 'Fn::Sub': 'x' } },
      },
    );
  });

  it('reads the template sections', () => {
    const t = parseTemplate(
      [
        'AWSTemplateFormatVersion: "2010-09-09"',
        'Parameters:',
        '  Env: { Type: String, Default: dev, AllowedValues: [dev, prod] }',
        'Conditions:',
        '  IsProd: !Equals [!Ref Env, prod]',
        'Resources:',
        '  Bucket: { Type: AWS::S3::Bucket, Condition: IsProd }',
        'Outputs:',
        '  Name: { Value: !Ref Bucket }',
      ].join('\n'),
    );
    assert.equal(t.AWSTemplateFormatVersion, '2010-09-09');
    assert.deepEqual(t.Parameters?.Env, { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] });
    assert.deepEqual(t.Conditions?.IsProd, { 'Fn::Equals': [{ Ref: 'Env' }, 'prod'] });
    assert.equal(t.Resources.Bucket.Condition, 'IsProd');
    assert.deepEqual(t.Outputs?.Name.Value, { Ref: 'Bucket' });
  });

  it('parses JSON templates', () => {
    const t = parseTemplate(
      '{\n\t"Resources": {\n\t\t"B": { "Type": "AWS::S3::Bucket", "Properties": { "N": { "Ref": "X" } } }\n\t}\n}\n',
    );
    assert.deepEqual(t.Resources.B, { Type: 'AWS::S3::Bucket', Properties: { N: { Ref: 'X' } } });
  });
});

describe('parseTemplate: errors point at the line and column to fix', () => {
  it('reports YAML syntax errors with 1-based positions', () => {
    rejects('Resources:\n  A:\n    Type: X\n    Properties: { a: [1, 2 }\n', 4, 28, /end with a \]/);
  });

  it('rejects unknown tags instead of passing them through', () => {
    rejects(wrap('      A: !Reff Name\n'), 5, 10, /Unresolved tag: !Reff/);
  });

  it('rejects a tag on the wrong kind of node', () => {
    rejects(wrap('      A: !If IsProd\n'), 5, 10, /!If takes a list, not a scalar/);
    rejects(wrap('      A: !Ref [a, b]\n'), 5, 10, /!Ref takes a scalar, not a list/);
    rejects(wrap('      A: !GetAtt NoDot\n'), 5, 10, /!GetAtt needs "Resource.Attribute"/);
  });

  it('rejects duplicate keys and YAML aliases, which CloudFormation refuses', () => {
    rejects('Resources:\n  A: { Type: X }\n  A: { Type: Y }\n', 3, 3, /unique/);
    rejects('Resources:\n  A: &shared\n    Type: X\n  B: *shared\n', 4, 6, /aliases/);
  });

  it('rejects a body that is not a mapping', () => {
    rejects('', 1, 1, /must be a mapping.*empty document/);
    rejects('# only a comment\n', 1, 1, /must be a mapping/);
    rejects('- Resources\n', 1, 1, /must be a mapping.*not a list/);
    rejects('just text', 1, 1, /must be a mapping.*single value/);
  });

  it('rejects a template without resources or with a resource without Type', () => {
    rejects('Description: nothing here\n', 1, 1, /no Resources section/);
    rejects('Description: x\nResources: {}\n', 2, 1, /at least one resource, not an empty mapping/);
    rejects('Description: x\nResources:\n  - A\n', 2, 1, /at least one resource, not a list/);
    rejects('Resources:\n  A:\n    Properties: {}\n', 2, 3, /Resource A needs a Type/);
    rejects('Resources:\n  A: { Type: X }\nOutputs:\n  O: { Description: d }\n', 4, 3, /Output O needs a Value/);
    rejects('Resources:\n  A: { Type: X }\nParameters:\n  P: { Default: d }\n', 4, 3, /Parameter P needs a Type/);
  });

  it('applies strict JSON rules to JSON bodies', () => {
    rejects('{\n  "Resources": { "A": { "Type": "X", } }\n}\n', 2, 38, /./);
  });
});
