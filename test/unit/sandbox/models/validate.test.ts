import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ModelJudge } from '../../../sandbox/core/models/judge';
import { coralMessage } from '../../../sandbox/core/models/messages';
import { modelPattern } from '../../../sandbox/core/models/patterns';
import type { ServiceModel } from '../../../sandbox/core/models/shapes';
import { checkShape } from '../../../sandbox/core/models/validate';
import type { ServiceDefinition } from '../../../sandbox/core/types';

const pipeline: ServiceDefinition = {
  signingName: 'codepipeline',
  protocol: 'awsJson1_1',
  targetPrefix: 'CodePipeline_20150709',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {},
};
const logs: ServiceDefinition = { ...pipeline, signingName: 'logs', targetPrefix: 'Logs_20140328' };
const cloudformation: ServiceDefinition = {
  signingName: 'cloudformation',
  protocol: 'awsQuery',
  unknownKeyErrorCode: 'InvalidClientTokenId',
  operations: {},
};
const judge = new ModelJudge([pipeline, logs, cloudformation], true);

/** A small model with one shape of each kind, for the constraints the real models use rarely. */
const kinds: ServiceModel = {
  metadata: { protocol: 'json', apiVersion: '2024-01-01', endpointPrefix: 'kinds', targetPrefix: 'Kinds' },
  source: 'test',
  operations: {},
  shapes: {
    Input: {
      type: 'structure',
      required: ['Name'],
      members: {
        Name: { shape: 'Name' },
        Count: { shape: 'Count' },
        Big: { shape: 'Big' },
        Ratio: { shape: 'Ratio' },
        Flag: { shape: 'Flag' },
        When: { shape: 'When' },
        Data: { shape: 'Data' },
        Tags: { shape: 'Tags' },
        Items: { shape: 'Items' },
        Color: { shape: 'Color' },
        Secret: { shape: 'Secret' },
      },
    },
    Name: { type: 'string', min: 1, max: 5, pattern: '[a-z]+' },
    Count: { type: 'integer', min: 1, max: 10 },
    Big: { type: 'long' },
    Ratio: { type: 'double' },
    Flag: { type: 'boolean' },
    When: { type: 'timestamp' },
    Data: { type: 'blob', max: 3 },
    Tags: { type: 'map', key: { shape: 'TagKey' }, value: { shape: 'Name' }, max: 2 },
    TagKey: { type: 'string', min: 1, max: 3 },
    Items: { type: 'list', member: { shape: 'Item' }, min: 1 },
    Item: { type: 'structure', required: ['Id'], members: { Id: { shape: 'Name' } } },
    Color: { type: 'string', enum: ['RED', 'BLUE'] },
    Secret: { type: 'string', max: 2, sensitive: true },
  },
};
const request = { wire: 'json', response: false } as const;
const input = (value: Record<string, unknown>): string =>
  coralMessage(checkShape(kinds, { shape: 'Input' }, value, request));

test('required members: null and absent are both missing, in Coral words', () => {
  assert.equal(
    input({}),
    "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  );
  assert.match(input({ Name: null }), /Value null at 'name'/);
  assert.match(
    input({ Name: 'ok', Items: [{}] }),
    /Value null at 'items\.1\.member\.id' failed to satisfy constraint: Member must not be null/,
  );
});

test('string lengths and patterns are each one error; the pattern must match the whole value', () => {
  assert.equal(
    input({ Name: 'abcdef1' }),
    "2 validation errors detected: Value 'abcdef1' at 'name' failed to satisfy constraint: Member must have length less than or equal to 5; " +
      "Value 'abcdef1' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+",
  );
  assert.match(input({ Name: '' }), /Member must have length greater than or equal to 1/);
  assert.equal(checkShape(kinds, { shape: 'Input' }, { Name: 'abc' }, request).length, 0);
});

test('numeric ranges, enums, list and map sizes, blob bytes', () => {
  assert.match(
    input({ Name: 'a', Count: 0 }),
    /Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1/,
  );
  assert.match(input({ Name: 'a', Count: 11 }), /Member must have value less than or equal to 10/);
  assert.match(
    input({ Name: 'a', Color: 'GREEN' }),
    /Value 'GREEN' at 'color' failed to satisfy constraint: Member must satisfy enum value set: \[RED, BLUE\]/,
  );
  assert.match(
    input({ Name: 'a', Items: [] }),
    /Value '\[\]' at 'items' failed to satisfy constraint: Member must have length greater than or equal to 1/,
  );
  assert.match(
    input({ Name: 'a', Data: Buffer.from('four').toString('base64') }),
    /at 'data' failed to satisfy constraint: Member must have length less than or equal to 3/,
  );
  assert.match(
    input({ Name: 'a', Tags: { long: 'x', a: 'UPPER' } }),
    /Value '\{long=x, a=UPPER\}' at 'tags' failed to satisfy constraint: Map keys must satisfy constraint: \[Member must have length less than or equal to 3\]; .*Map value must satisfy constraint: \[Member must satisfy regular expression pattern: \[a-z\]\+\]/,
  );
  assert.match(
    input({ Name: 'a', Tags: { a: 'x', b: 'y', c: 'z' } }),
    /at 'tags' failed to satisfy constraint: Member must have length less than or equal to 2/,
  );
});

test('sensitive values are not repeated in the message', () => {
  assert.equal(
    input({ Name: 'a', Secret: 'hunter2' }),
    "1 validation error detected: Value at 'secret' failed to satisfy constraint: Member must have length less than or equal to 2",
  );
});

test('JSON types: a token of the wrong type is a SerializationException-style problem', () => {
  const kindsOf = (value: Record<string, unknown>) =>
    checkShape(kinds, { shape: 'Input' }, { Name: 'a', ...value }, request).map((p) => `${p.kind}: ${p.message}`);
  assert.deepEqual(kindsOf({ Count: '5' }), ['serialization: STRING_VALUE cannot be converted to Integer']);
  assert.deepEqual(kindsOf({ Big: true }), ['serialization: TRUE_VALUE cannot be converted to Long']);
  assert.deepEqual(kindsOf({ Ratio: 'x' }), ['serialization: STRING_VALUE cannot be converted to Double']);
  assert.deepEqual(kindsOf({ Flag: 'true' }), ['serialization: STRING_VALUE cannot be converted to Boolean']);
  assert.deepEqual(kindsOf({ When: '2024-01-01T00:00:00Z' }), [
    'serialization: STRING_VALUE cannot be converted to Timestamp',
  ]);
  assert.deepEqual(kindsOf({ Name: 5 }), ['serialization: NUMBER_VALUE cannot be converted to String']);
  assert.deepEqual(kindsOf({ Items: { Id: 'a' } }), ['type: Start of structure or map found where not expected.']);
  assert.deepEqual(kindsOf({ Tags: ['a'] }), ['type: Start of list found where not expected']);
  assert.deepEqual(kindsOf({ When: 1700000000.5, Flag: false, Big: 2 ** 40, Ratio: 0.5 }), []);
});

test('query input: scalars arrive as strings and are judged by the shape type', () => {
  const query = { wire: 'query', response: false } as const;
  const problems = (value: Record<string, unknown>) =>
    checkShape(kinds, { shape: 'Input' }, { Name: 'a', ...value }, query).map((p) => p.message);
  assert.deepEqual(
    problems({ Count: '5', Big: '-12', Ratio: '0.25', Flag: 'false', When: '2024-01-01T00:00:00Z' }),
    [],
  );
  assert.deepEqual(problems({ Count: 'five' }), ['expected an integer, found string "five"']);
  assert.deepEqual(problems({ Flag: 'yes' }), ['expected a boolean, found string "yes"']);
  assert.deepEqual(problems({ Count: '0' }), ['Member must have value greater than or equal to 1']);
  // An empty list is sent as `Items=`: judged as a list of length 0.
  assert.deepEqual(problems({ Items: '' }), ['Member must have length greater than or equal to 1']);
});

test('the real models: CodePipeline leaves values out, CloudFormation and Logs quote them', () => {
  const tooLong = judge.checkRequest(pipeline, 'GetPipelineState', { name: 'x'.repeat(101) });
  assert.equal(tooLong?.code, 'ValidationException');
  assert.equal(
    tooLong?.message,
    "1 validation error detected: Value at 'name' failed to satisfy constraint: Member must have length less than or equal to 100",
  );
  const missing = judge.checkRequest(pipeline, 'GetPipelineState', {});
  assert.equal(
    missing?.message,
    "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
  );

  const stack = judge.checkRequest(cloudformation, 'CreateChangeSet', { StackName: 'a_b', ChangeSetName: 'c1' });
  assert.equal(stack?.code, 'ValidationError');
  assert.match(
    stack?.message ?? '',
    /^1 validation error detected: Value 'a_b' at 'stackName' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
  );
  const status = judge.checkRequest(cloudformation, 'ListStacks', { StackStatusFilter: ['CREATE_COMPLETE', 'DONE'] });
  assert.match(
    status?.message ?? '',
    /Value 'DONE' at 'stackStatusFilter\.2\.member' failed to satisfy constraint: Member must satisfy enum value set: \[CREATE_IN_PROGRESS, /,
  );

  const limit = judge.checkRequest(logs, 'GetLogEvents', { logGroupName: 'g', logStreamName: 's', limit: 0 });
  assert.equal(limit?.code, 'InvalidParameterException');
  assert.equal(
    limit?.message,
    "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
  );
  assert.equal(judge.checkRequest(pipeline, 'GetPipelineState', { name: 'WorkshopPipeline-Pipeline-1A2B' }), undefined);
  const serialization = judge.checkRequest(pipeline, 'GetPipeline', { name: 'p', version: '1' });
  assert.equal(serialization?.code, 'SerializationException');
  assert.equal(serialization?.message, 'STRING_VALUE cannot be converted to Integer');
});

test('responses: missing required members, unknown members, enums and types are violations', () => {
  const response = { wire: 'json', response: true } as const;
  const lines = (value: unknown) =>
    checkShape(kinds, { shape: 'Input' }, value, response).map((p) => `${p.kind}: ${p.message}`);
  assert.deepEqual(lines({ Name: 'too long and UPPER', Count: 99 }), [
    'constraint: Member must have value less than or equal to 10',
  ]);
  assert.deepEqual(lines({ Name: 'a', Colour: 'RED' }), ["unknownMember: 'Colour' is not a member of Input"]);
  assert.deepEqual(lines({ Name: 'a', Color: 'red' }), ['constraint: Member must satisfy enum value set: [RED, BLUE]']);
  assert.deepEqual(lines({ Name: 'a', When: '2024-01-01T00:00:00.000Z' }), [
    'type: STRING_VALUE cannot be converted to Timestamp',
  ]);
  assert.deepEqual(lines({ Count: 1 }), ['required: Member must not be null']);

  const pipelineState = judge.checkResponse(
    pipeline,
    'GetPipelineState',
    { pipelineName: 'p', stageStates: [{ stageName: 'Source', latestExecution: { status: 'Running' } }] },
    'req-1',
  );
  assert.equal(pipelineState?.status, 500);
  assert.match(
    pipelineState?.message ?? '',
    /stageStates\[0\]\.latestExecution: required member is missing|stageStates\[0\]\.latestExecution\.pipelineExecutionId: required member is missing/,
  );
  assert.match(
    pipelineState?.message ?? '',
    /stageStates\[0\]\.latestExecution\.status: Member must satisfy enum value set: \[Cancelled, InProgress, /,
  );
  assert.equal(judge.violations.at(-1)?.operation, 'GetPipelineState');
  assert.match(judge.summary()?.message ?? '', /broke the AWS service models/);
});

test('query responses are judged before they are written as XML', () => {
  const strict = new ModelJudge([cloudformation], true);
  const ok = strict.checkResponse(
    cloudformation,
    'DescribeStacks',
    {
      Stacks: [
        {
          StackName: 's',
          StackId: 'arn:x',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          EnableTerminationProtection: false,
        },
      ],
    },
    'r',
  );
  assert.equal(ok, undefined);
  const broken = strict.checkResponse(
    cloudformation,
    'DescribeStacks',
    { Stacks: [{ StackName: 's', StackStatus: 'DONE' }] },
    'r',
  );
  assert.match(broken?.message ?? '', /Stacks\[0\]\.CreationTime: required member is missing/);
  assert.match(broken?.message ?? '', /Stacks\[0\]\.StackStatus: Member must satisfy enum value set/);
  assert.equal(broken?.code, 'InternalFailure');
  assert.equal(strict.violations.length, 1);
});

test('model patterns are Java regular expressions matched against the whole value', () => {
  assert.equal(modelPattern('[a-z]+')?.test('abc'), true);
  assert.equal(modelPattern('[a-z]+')?.test('abc1'), false);
  assert.equal(modelPattern('(?i)all|[0-9]{12}')?.test('ALL'), true);
  assert.equal(modelPattern('^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$')?.test('Café 1'), true);
  assert.equal(modelPattern('[\\w\\.-]+')?.test('my.repo-1'), true);
});
