import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Emitter } from '../../../src/shared/emitter';
import { nonEmpty } from '../../../src/shared/text';

describe('Emitter', () => {
  it('delivers each event to every listener in subscription order, and no more after dispose', () => {
    const emitter = new Emitter<number>();
    const seen: string[] = [];
    const first = emitter.event((n) => seen.push(`a${n}`));
    emitter.event((n) => seen.push(`b${n}`));
    emitter.fire(1);
    first.dispose();
    emitter.fire(2);
    emitter.dispose();
    emitter.fire(3);
    assert.deepEqual(seen, ['a1', 'b1', 'b2']);
  });

  it('reports a throwing listener and still delivers to the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<string>((error) => errors.push(error));
    const seen: string[] = [];
    emitter.event(() => {
      throw new Error('listener broke');
    });
    emitter.event((value) => seen.push(value));
    emitter.fire('x');
    assert.deepEqual(seen, ['x']);
    assert.equal((errors[0] as Error).message, 'listener broke');
  });

  it('without an error handler, a listener error reaches the caller of fire', () => {
    const emitter = new Emitter<void>();
    emitter.event(() => {
      throw new Error('loud');
    });
    assert.throws(() => emitter.fire(), /loud/);
  });

  it('a listener that unsubscribes another during delivery does not stop this delivery', () => {
    const emitter = new Emitter<void>();
    const seen: string[] = [];
    const later: { subscription?: { dispose(): void } } = {};
    emitter.event(() => {
      seen.push('first');
      later.subscription?.dispose();
    });
    later.subscription = emitter.event(() => seen.push('second'));
    emitter.fire();
    emitter.fire();
    assert.deepEqual(seen, ['first', 'second', 'first']);
  });
});

describe('nonEmpty', () => {
  it('trims, and treats missing or blank as undefined', () => {
    assert.equal(nonEmpty('  eu-west-1 '), 'eu-west-1');
    assert.equal(nonEmpty('   '), undefined);
    assert.equal(nonEmpty(''), undefined);
    assert.equal(nonEmpty(undefined), undefined);
  });
});
