import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { StateStore } from '../../sandbox/core/stateStore';
import { mergePatch } from '../../sandbox/core/admin';

test('persists with a state dir and reloads, leaving no temp files', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const store = new StateStore(dir, () => new Date('2030-01-01T00:00:00Z'));
  store.state.codecommit = { repositories: { a: { name: 'a' } } };
  store.changed();
  store.flush();
  assert.deepEqual(readdirSync(dir), ['state.json']);
  const reloaded = new StateStore(dir);
  assert.deepEqual(reloaded.state, { codecommit: { repositories: { a: { name: 'a' } } } });
  assert.equal(reloaded.savedAt?.toISOString(), '2030-01-01T00:00:00.000Z');
  reloaded.reset();
  reloaded.flush();
  assert.deepEqual(new StateStore(dir).state, {});
});

test('in memory without a state dir', () => {
  const store = new StateStore(undefined);
  store.state.x = 1;
  store.changed();
  store.flush();
  assert.deepEqual(store.state, { x: 1 });
});

test('refuses a file that is not a state file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-state-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'state.json'), '{"something":"else"}');
  assert.throws(() => new StateStore(dir), /is not a sandbox state file/);
  assert.ok(existsSync(join(dir, 'state.json')));
});

test('scenario updates are JSON merge patches', () => {
  const scenarios: Record<string, unknown> = { a: 1, nested: { keep: true, drop: 1 }, gone: 'x' };
  mergePatch(scenarios, { b: 2, nested: { drop: null, add: [1] }, gone: null });
  assert.deepEqual(scenarios, { a: 1, b: 2, nested: { keep: true, add: [1] } });
});
