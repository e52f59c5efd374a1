// EventBridge pattern matching, as AWS's event-ruler matches: the CodeCommit rule of pipeline.yaml
// against the events CodeCommit emits, and each content filter on its own.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compilePattern, matchesPattern } from '../../../sandbox/events/pattern';

const REPO_ARN = 'arn:aws:codecommit:us-east-1:000000000000:modernization-workshop';
const pushEvent = (detail: Record<string, unknown>, resources = [REPO_ARN]) => ({
  version: '0',
  id: '6a7e8feb-b491-4cf7-a9f1-bf3703467718',
  'detail-type': 'CodeCommit Repository State Change',
  source: 'aws.codecommit',
  account: '000000000000',
  time: '2024-06-12T10:23:43Z',
  region: 'us-east-1',
  resources,
  detail: {
    event: 'referenceUpdated',
    repositoryName: 'modernization-workshop',
    referenceType: 'branch',
    referenceName: 'master',
    referenceFullName: 'refs/heads/master',
    commitId: 'a'.repeat(40),
    oldCommitId: 'b'.repeat(40),
    ...detail,
  },
});

/** The rule pipeline.yaml deploys. */
const workshopRule = compilePattern({
  source: ['aws.codecommit'],
  'detail-type': ['CodeCommit Repository State Change'],
  resources: [REPO_ARN],
  detail: { event: ['referenceCreated', 'referenceUpdated'], referenceType: ['branch'], referenceName: ['master'] },
});

test("the workshop's rule matches a push that creates or moves master, and nothing else", () => {
  assert.equal(matchesPattern(workshopRule, pushEvent({})), true);
  assert.equal(matchesPattern(workshopRule, pushEvent({ event: 'referenceCreated', oldCommitId: undefined })), true);
  assert.equal(matchesPattern(workshopRule, pushEvent({ referenceName: 'develop' })), false, 'another branch');
  assert.equal(matchesPattern(workshopRule, pushEvent({ event: 'referenceDeleted' })), false, 'a deleted branch');
  assert.equal(matchesPattern(workshopRule, pushEvent({ referenceType: 'tag' })), false, 'a tag named master');
  assert.equal(matchesPattern(workshopRule, pushEvent({}, [`${REPO_ARN}-fork`])), false, 'another repository');
  assert.equal(matchesPattern(workshopRule, { ...pushEvent({}), source: 'aws.codebuild' }), false, 'another source');
  const { detail: _detail, ...noDetail } = pushEvent({});
  assert.equal(matchesPattern(workshopRule, noDetail), false, 'a field the pattern names is missing');
});

test('values are exact and typed: case matters, a number does not match its string', () => {
  const p = compilePattern({ detail: { name: ['Master'], count: [5], flag: [true], nothing: [null] } });
  const base = { name: 'Master', count: 5, flag: true, nothing: null };
  assert.equal(matchesPattern(p, { detail: base }), true);
  assert.equal(matchesPattern(p, { detail: { ...base, name: 'master' } }), false);
  assert.equal(matchesPattern(p, { detail: { ...base, count: '5' } }), false);
  assert.equal(matchesPattern(p, { detail: { ...base, count: 5.0 } }), true);
  assert.equal(matchesPattern(p, { detail: { ...base, flag: 'true' } }), false);
});

test('an array in the event matches when any of its values matches', () => {
  const p = compilePattern({ resources: ['arn:b'] });
  assert.equal(matchesPattern(p, { resources: ['arn:a', 'arn:b'] }), true);
  assert.equal(matchesPattern(p, { resources: ['arn:a'] }), false);
  const nested = compilePattern({ detail: { items: { name: ['x'] } } });
  assert.equal(matchesPattern(nested, { detail: { items: [{ name: 'y' }, { name: 'x' }] } }), true);
});

test('prefix, suffix, equals-ignore-case and wildcard', () => {
  const branch = (pattern: unknown, name: string) =>
    matchesPattern(compilePattern({ detail: { referenceName: [pattern] } }), { detail: { referenceName: name } });
  assert.equal(branch({ prefix: 'release/' }, 'release/1.2'), true);
  assert.equal(branch({ prefix: 'release/' }, 'hotfix/1.2'), false);
  assert.equal(branch({ suffix: '-rc' }, '2.0-rc'), true);
  assert.equal(branch({ suffix: '-rc' }, '2.0'), false);
  assert.equal(branch({ 'equals-ignore-case': 'MAIN' }, 'main'), true);
  assert.equal(branch({ wildcard: 'feature/*/ui' }, 'feature/login/ui'), true);
  assert.equal(branch({ wildcard: 'feature/*/ui' }, 'feature/login/api'), false);
  assert.equal(branch({ wildcard: 'v1.*' }, 'v1x'), false, 'a dot is a dot');
});

test('anything-but: a value, a list, a prefix; never matches a missing field', () => {
  const event = (referenceName?: string) => ({ detail: referenceName === undefined ? {} : { referenceName } });
  const butMain = compilePattern({ detail: { referenceName: [{ 'anything-but': 'main' }] } });
  assert.equal(matchesPattern(butMain, event('develop')), true);
  assert.equal(matchesPattern(butMain, event('main')), false);
  assert.equal(matchesPattern(butMain, event()), false);
  const butList = compilePattern({ detail: { referenceName: [{ 'anything-but': ['main', 'master'] }] } });
  assert.equal(matchesPattern(butList, event('master')), false);
  assert.equal(matchesPattern(butList, event('dev')), true);
  const butPrefix = compilePattern({ detail: { referenceName: [{ 'anything-but': { prefix: 'wip/' } }] } });
  assert.equal(matchesPattern(butPrefix, event('wip/x')), false);
  assert.equal(matchesPattern(butPrefix, event('main')), true);
});

test('numeric ranges and exists', () => {
  const p = compilePattern({ detail: { size: [{ numeric: ['>', 0, '<=', 5] }] } });
  assert.deepEqual(
    [0, 1, 5, 6].map((size) => matchesPattern(p, { detail: { size } })),
    [false, true, true, false],
  );
  assert.equal(matchesPattern(p, { detail: { size: '3' } }), false, 'numeric matches numbers only');
  const has = compilePattern({ detail: { oldCommitId: [{ exists: true }] } });
  const hasNot = compilePattern({ detail: { oldCommitId: [{ exists: false }] } });
  assert.equal(matchesPattern(has, { detail: { oldCommitId: 'abc' } }), true);
  assert.equal(matchesPattern(has, { detail: {} }), false);
  assert.equal(matchesPattern(hasNot, { detail: {} }), true);
  assert.equal(matchesPattern(hasNot, { detail: { oldCommitId: 'abc' } }), false);
});

test('$or matches when one alternative does', () => {
  const p = compilePattern({
    source: ['aws.codecommit'],
    $or: [{ detail: { referenceName: ['main'] } }, { detail: { referenceType: ['tag'] } }],
  });
  assert.equal(matchesPattern(p, { source: 'aws.codecommit', detail: { referenceName: 'main' } }), true);
  assert.equal(matchesPattern(p, { source: 'aws.codecommit', detail: { referenceType: 'tag' } }), true);
  assert.equal(matchesPattern(p, { source: 'aws.codecommit', detail: { referenceName: 'dev' } }), false);
  assert.equal(matchesPattern(p, { source: 'aws.s3', detail: { referenceName: 'main' } }), false);
});

test('JSON text patterns (the API form) compile like objects', () => {
  const p = compilePattern('{"detail":{"referenceName":["main"]}}');
  assert.equal(matchesPattern(p, { detail: { referenceName: 'main' } }), true);
});

test('invalid patterns are rejected with the reason EventBridge gives', () => {
  const invalid = (pattern: unknown, reason: string) =>
    assert.throws(() => compilePattern(pattern), {
      name: 'InvalidEventPatternException',
      message: `Event pattern is not valid. Reason: ${reason}`,
    });
  invalid({ source: 'aws.codecommit' }, '"source" must be an object or an array');
  invalid({ detail: {} }, 'Empty objects are not allowed');
  invalid({ source: [] }, 'Empty arrays are not allowed');
  invalid({ detail: { x: [{ exists: 'true' }] } }, 'exists match pattern must be either true or false.');
  invalid({ detail: { x: [{ regex: '.*' }] } }, 'Unrecognized match type regex');
  invalid({ detail: { x: [{ prefix: 1 }] } }, 'prefix match pattern must be a string');
  invalid({ detail: { x: [{ numeric: ['<', 'ten'] }] } }, 'Value of < must be numeric');
  invalid(
    { detail: { x: [{ 'anything-but': ['a', 1] }] } },
    'Inside anything but list, either all values are number or string, mixed type is not supported',
  );
  invalid({ $or: [{ source: ['a'] }] }, 'There must have at least 2 Objects in $or relationship.');
  invalid(['aws.codecommit'], 'Filter is not an object');
});
