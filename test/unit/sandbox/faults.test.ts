import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FaultInjector, parseFaultSpec, seededRandom } from '../../sandbox/core/faults';

test('parses targets, faults, rates and counts', () => {
  const rules = parseFaultSpec(
    'cloudformation:DescribeStackEvents=throttle@0.5, *=latency:200ms@0.1,codecommit=5xx#2,*:GetPipelineState=reset,sts:*=latency:1.5s,ecs=internal',
  );
  assert.deepEqual(
    rules.map(({ service, operation, kind, latencyMs, rate, remaining }) => ({
      service,
      operation,
      kind,
      latencyMs,
      rate,
      remaining,
    })),
    [
      {
        service: 'cloudformation',
        operation: 'DescribeStackEvents',
        kind: 'throttle',
        latencyMs: 0,
        rate: 0.5,
        remaining: undefined,
      },
      { service: '*', operation: '*', kind: 'latency', latencyMs: 200, rate: 0.1, remaining: undefined },
      { service: 'codecommit', operation: '*', kind: 'unavailable', latencyMs: 0, rate: 1, remaining: 2 },
      { service: '*', operation: 'GetPipelineState', kind: 'reset', latencyMs: 0, rate: 1, remaining: undefined },
      { service: 'sts', operation: '*', kind: 'latency', latencyMs: 1500, rate: 1, remaining: undefined },
      { service: 'ecs', operation: '*', kind: 'internal', latencyMs: 0, rate: 1, remaining: undefined },
    ],
  );
  assert.deepEqual(parseFaultSpec(''), []);
});

test('rejects malformed rules with a message naming the rule', () => {
  assert.throws(() => parseFaultSpec('sts=explode'), /invalid fault rule 'sts=explode'/);
  assert.throws(() => parseFaultSpec('sts=throttle@1.5'), /rate must be between 0 and 1/);
  assert.throws(() => parseFaultSpec('=throttle'), /invalid fault rule/);
  assert.throws(() => parseFaultSpec('sts=latency:fast'), /invalid fault rule/);
});

test('the same seed gives the same fault pattern', () => {
  const pattern = (seed: number): string[] => {
    const injector = new FaultInjector('sts=throttle@0.5', seed);
    return Array.from({ length: 40 }, () => injector.decide('sts', 'GetCallerIdentity').fault ?? 'ok');
  };
  assert.deepEqual(pattern(7), pattern(7));
  assert.notDeepEqual(pattern(7), pattern(8));
  const hits = pattern(7).filter((f) => f === 'throttle').length;
  assert.ok(hits > 5 && hits < 35, `about half the calls are throttled, got ${hits}/40`);
});

test('matches by service and operation, counts down, and adds latencies', () => {
  const injector = new FaultInjector('codecommit:GetRepository=throttle#2,*=latency:10ms,codecommit=latency:5ms', 1);
  assert.deepEqual(injector.decide('sts', 'GetCallerIdentity'), { latencyMs: 10 });
  assert.deepEqual(injector.decide('codecommit', 'ListRepositories'), { latencyMs: 15 });
  assert.deepEqual(injector.decide('codecommit', 'GetRepository'), { latencyMs: 15, fault: 'throttle' });
  assert.deepEqual(injector.decide('codecommit', 'GetRepository'), { latencyMs: 15, fault: 'throttle' });
  assert.deepEqual(injector.decide('codecommit', 'GetRepository'), { latencyMs: 15 });
  assert.match(injector.describe(), /codecommit:GetRepository=throttle#2 \(0 left\)/);
  injector.set('');
  assert.deepEqual(injector.decide('codecommit', 'GetRepository'), { latencyMs: 0 });
});

test('seededRandom stays in [0, 1)', () => {
  const random = seededRandom(123);
  for (let i = 0; i < 1000; i++) {
    const n = random();
    assert.ok(n >= 0 && n < 1);
  }
});
