import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseQueryRequest, queryErrorXml, queryResponseXml, toXml, unflattenQuery } from '../../sandbox/core/awsQuery';

test('unflattens member lists, entry maps and nested structures', () => {
  const input = unflattenQuery([
    ['StackName', 'demo'],
    ['Parameters.member.2.ParameterKey', 'B'],
    ['Parameters.member.1.ParameterKey', 'A'],
    ['Parameters.member.1.ParameterValue', '1'],
    ['Capabilities.member.1', 'CAPABILITY_IAM'],
    ['Tags.entry.1.key', 'team'],
    ['Tags.entry.1.value', 'ops'],
    ['Outer.Inner.Leaf', 'x'],
  ]);
  assert.deepEqual(input, {
    StackName: 'demo',
    Parameters: [{ ParameterKey: 'A', ParameterValue: '1' }, { ParameterKey: 'B' }],
    Capabilities: ['CAPABILITY_IAM'],
    Tags: { team: 'ops' },
    Outer: { Inner: { Leaf: 'x' } },
  });
});

test('orders members numerically, not lexically', () => {
  const pairs: [string, string][] = [];
  for (let i = 1; i <= 11; i++) pairs.push([`L.member.${i}`, String(i)]);
  pairs.reverse();
  assert.deepEqual(unflattenQuery(pairs).L, ['1', '2', '3', '4', '5', '6', '7', '8', '9', '10', '11']);
});

test('separates Action and Version from the input', () => {
  const parsed = parseQueryRequest(new URLSearchParams('Action=DescribeStacks&Version=2010-05-15&StackName=a%20b'));
  assert.equal(parsed.action, 'DescribeStacks');
  assert.equal(parsed.version, '2010-05-15');
  assert.deepEqual(parsed.input, { StackName: 'a b' });
});

test('writes XML with member lists, ISO dates, escaping, and omits undefined', () => {
  const xml = toXml({
    Name: 'a<b&"c"',
    When: new Date('2024-01-02T03:04:05.000Z'),
    List: ['x', { K: 1 }],
    Gone: undefined,
    Flag: false,
  });
  assert.match(xml, /<Name>a&lt;b&amp;&quot;c&quot;<\/Name>/);
  assert.match(xml, /<When>2024-01-02T03:04:05.000Z<\/When>/);
  assert.match(xml, /<List>\s*<member>x<\/member>\s*<member>\s*<K>1<\/K>\s*<\/member>\s*<\/List>/);
  assert.match(xml, /<Flag>false<\/Flag>/);
  assert.doesNotMatch(xml, /Gone/);
});

test('wraps results and errors the way awsQuery services do', () => {
  const ok = queryResponseXml(
    'GetCallerIdentity',
    'https://sts.amazonaws.com/doc/2011-06-15/',
    { Account: '1' },
    'req-1',
  );
  assert.match(ok, /^<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/">/);
  assert.match(ok, /<GetCallerIdentityResult>\s*<Account>1<\/Account>\s*<\/GetCallerIdentityResult>/);
  assert.match(ok, /<ResponseMetadata>\s*<RequestId>req-1<\/RequestId>\s*<\/ResponseMetadata>/);
  const empty = queryResponseXml('DeleteStack', 'ns', undefined, 'req-2');
  assert.match(empty, /<DeleteStackResult\/>/);
  const error = queryErrorXml('Sender', 'ValidationError', 'Stack with id x does not exist', 'req-3');
  assert.match(
    error,
    /<ErrorResponse>\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>ValidationError<\/Code>\s*<Message>Stack with id x does not exist<\/Message>\s*<\/Error>\s*<RequestId>req-3<\/RequestId>\s*<\/ErrorResponse>/,
  );
});
