import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseTemplate } from '../../../src/deploy/cfnYaml';
import {
  parameterProblems,
  parameterValueProblem,
  resolveParameterValues,
  unknownParameterNames,
} from '../../../src/deploy/parameterValues';
import { parameterSpecs, type ParameterSpec } from '../../../src/deploy/templateModel';

const bundled = parameterSpecs(parseTemplate(readFileSync('media/templates/pipeline.yaml', 'utf8')));

function spec(overrides: Partial<ParameterSpec>): ParameterSpec {
  return {
    name: 'P',
    type: 'String',
    label: 'P',
    group: undefined,
    description: undefined,
    default: undefined,
    allowedPattern: undefined,
    allowedValues: undefined,
    constraintDescription: undefined,
    minLength: undefined,
    maxLength: undefined,
    minValue: undefined,
    maxValue: undefined,
    noEcho: false,
    ...overrides,
  };
}

describe('parameterSpecs', () => {
  it('orders the bundled template parameters by its interface groups, with their labels', () => {
    assert.equal(bundled[0].name, 'RepositoryName');
    assert.equal(bundled[0].group, 'Source repository');
    assert.equal(bundled[0].label, 'CodeCommit repository name');
    assert.equal(bundled.find((s) => s.name === 'BranchName')?.default, 'master');
    assert.equal(bundled.find((s) => s.name === 'ClusterName')?.default, 'ModernizationCluster');
    // Every template parameter appears exactly once.
    assert.equal(new Set(bundled.map((s) => s.name)).size, bundled.length);
  });

  it('puts parameters outside every group last, labelled by name', () => {
    const specs = parameterSpecs(
      parseTemplate(
        'Metadata:\n  AWS::CloudFormation::Interface:\n    ParameterGroups:\n      - Label: { default: G }\n        Parameters: [B]\nParameters:\n  A: { Type: String }\n  B: { Type: String }\nResources:\n  X: { Type: AWS::Logs::LogGroup }\n',
      ),
    );
    assert.deepEqual(
      specs.map((s) => [s.name, s.group, s.label]),
      [
        ['B', 'G', 'B'],
        ['A', 'Other parameters', 'A'],
      ],
    );
  });
});

describe('resolveParameterValues', () => {
  const specs = [
    spec({ name: 'Branch', default: 'master' }),
    spec({ name: 'Secret', noEcho: true, default: 'x' }),
    spec({ name: 'Port', default: '8080' }),
  ];

  it('takes settings first, then the stack, then the template default', () => {
    const values = resolveParameterValues(
      specs,
      { Branch: 'main' },
      new Map([
        ['Branch', 'dev'],
        ['Port', '80'],
      ]),
    );
    assert.deepEqual(
      values.map((v) => [v.name, v.value, v.source]),
      [
        ['Branch', 'main', 'setting'],
        ['Secret', 'x', 'default'],
        ['Port', '80', 'stack'],
      ],
    );
  });

  it('keeps a NoEcho value of the stack with UsePreviousValue instead of resending the mask', () => {
    const [, secret] = resolveParameterValues(specs, {}, new Map([['Secret', '****']]));
    assert.deepEqual(secret, { name: 'Secret', value: undefined, usePrevious: true, source: 'stack' });
  });

  it('finds settings that name no parameter', () => {
    assert.deepEqual(unknownParameterNames(specs, { Brnach: 'x', Branch: 'y' }), ['Brnach']);
  });
});

describe('parameterValueProblem', () => {
  it('names the rule that was broken, with the constraint description', () => {
    const branch = bundled.find((s) => s.name === 'BranchName')!;
    assert.equal(parameterValueProblem(branch, 'master'), undefined);
    assert.match(parameterValueProblem(branch, 'bad branch name') ?? '', /must match the pattern/);
    assert.match(
      parameterValueProblem(spec({ label: 'Port', type: 'Number', minValue: 1, maxValue: 65535 }), '70000') ?? '',
      /Port must be at most 65535/,
    );
    assert.match(parameterValueProblem(spec({ label: 'Port', type: 'Number' }), 'eighty') ?? '', /must be a number/);
    assert.match(
      parameterValueProblem(spec({ label: 'Mode', allowedValues: ['a', 'b'] }), 'c') ?? '',
      /Mode must be one of a, b/,
    );
    assert.match(
      parameterValueProblem(
        spec({ label: 'Name', maxLength: 3, constraintDescription: 'Short names only.' }),
        'abcd',
      ) ?? '',
      /at most 3 characters long\. Short names only\./,
    );
  });

  it('anchors AllowedPattern to the whole value, as CloudFormation does', () => {
    assert.match(parameterValueProblem(spec({ label: 'L', allowedPattern: '[a-z]+' }), 'abc1') ?? '', /must match/);
    assert.equal(parameterValueProblem(spec({ label: 'L', allowedPattern: '[a-z]+' }), 'abc'), undefined);
  });

  it('accepts every default of the bundled template', () => {
    const values = resolveParameterValues(bundled, {}, undefined);
    assert.deepEqual(parameterProblems(bundled, values), []);
  });
});
