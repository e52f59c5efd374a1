import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonErrorBody, parseTarget, toJsonBody } from '../../sandbox/core/awsJson';

test('splits X-Amz-Target into prefix and operation', () => {
  assert.deepEqual(parseTarget('CodeCommit_20150413.GetRepository'), {
    prefix: 'CodeCommit_20150413',
    operation: 'GetRepository',
  });
  assert.equal(parseTarget('NoDot'), undefined);
  assert.equal(parseTarget('Trailing.'), undefined);
});

test('writes dates as epoch seconds and omits undefined members', () => {
  const body = JSON.parse(
    toJsonBody({ at: new Date('2024-01-02T03:04:05.500Z'), nested: [{ at: new Date(0) }], gone: undefined }),
  ) as unknown;
  assert.deepEqual(body, { at: 1704164645.5, nested: [{ at: 0 }] });
  assert.equal(toJsonBody(undefined), '{}');
});

test('errors carry __type and message', () => {
  assert.deepEqual(JSON.parse(jsonErrorBody('ThrottlingException', 'Rate exceeded')), {
    __type: 'ThrottlingException',
    message: 'Rate exceeded',
  });
});
