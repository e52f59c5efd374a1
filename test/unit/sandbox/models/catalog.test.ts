import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MODEL_CATALOG, modelsFor } from '../../../sandbox/core/models/catalog';
import { loadServiceModel } from '../../../sandbox/core/models/shapes';
import { services } from '../../../sandbox/services';

test('every service the sandbox serves has an AWS model of the same protocol', () => {
  const bindings = modelsFor(services);
  assert.equal(bindings.size, services.length);
});

test('every operation the sandbox serves is an operation of its AWS model', () => {
  const unknown: string[] = [];
  let covered = 0;
  for (const service of services) {
    const { model } = modelsFor([service]).get(service.signingName)!;
    for (const operation of Object.keys(service.operations)) {
      if (Object.hasOwn(model.operations, operation)) covered++;
      else unknown.push(`${service.signingName}:${operation}`);
    }
  }
  assert.deepEqual(unknown, []);
  assert.ok(covered > 0);
});

test('every model in the catalog loads and names its protocol', () => {
  for (const entry of Object.values(MODEL_CATALOG)) {
    const model = loadServiceModel(entry.model);
    assert.ok(Object.keys(model.operations).length > 0, entry.model);
    assert.match(model.source, /^botocore \S+ data\//);
  }
});

test('a service without a catalog line cannot start strict', () => {
  assert.throws(
    () => modelsFor([{ signingName: 'nothing', protocol: 'awsJson1_1', unknownKeyErrorCode: 'X', operations: {} }]),
    /no AWS service model is registered for 'nothing': add its line to test\/sandbox\/core\/models\/catalog\.ts/,
  );
});
