import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StackEvent } from '../../../src/aws/cloudformation';
import { SingleFlight } from '../../../src/shared/singleFlight';
import { describeChanges, formatStackEvent, summarizeChanges } from '../../../src/deploy/eventFormat';
import { findRootCause, StackEventTail } from '../../../src/deploy/stackEvents';
import { stackSituation } from '../../../src/deploy/stackStatus';

let n = 0;
function event(logicalId: string, status: string, reason?: string, resourceType = 'AWS::S3::Bucket'): StackEvent {
  n++;
  return {
    id: `e${n}`,
    timestamp: new Date(Date.UTC(2026, 0, 1, 0, 0, n)),
    logicalId,
    physicalId: undefined,
    resourceType,
    status,
    reason,
  };
}

/** A stream that grows as the test appends; pages of 2, newest first, like DescribeStackEvents. */
function stream(): {
  events: StackEvent[];
  api: {
    describeStackEvents(id: string, token?: string): Promise<{ events: StackEvent[]; nextToken: string | undefined }>;
  };
  calls: number;
} {
  const state = {
    events: [] as StackEvent[],
    calls: 0,
    api: {
      describeStackEvents: (_id: string, token?: string) => {
        state.calls++;
        const newest = [...state.events].reverse();
        const start = token ? Number(token) : 0;
        const page = newest.slice(start, start + 2);
        return Promise.resolve({ events: page, nextToken: start + 2 < newest.length ? String(start + 2) : undefined });
      },
    },
  };
  return state;
}

describe('StackEventTail', () => {
  it('reports only new events, oldest first, reading back across pages to the last seen one', async () => {
    const s = stream();
    s.events.push(event('Old', 'CREATE_COMPLETE'), event('Old2', 'CREATE_COMPLETE'), event('Old3', 'CREATE_COMPLETE'));
    const tail = new StackEventTail(s.api, 'stack-id');
    await tail.prime();
    assert.deepEqual(await tail.poll(), []);

    const fresh = [
      event('Stack', 'UPDATE_IN_PROGRESS', 'User Initiated'),
      event('A', 'UPDATE_IN_PROGRESS'),
      event('A', 'UPDATE_COMPLETE'),
      event('B', 'UPDATE_IN_PROGRESS'),
      event('B', 'UPDATE_COMPLETE'),
    ];
    s.events.push(...fresh);
    const seen = await tail.poll();
    assert.deepEqual(
      seen.map((e) => e.id),
      fresh.map((e) => e.id),
    );
    assert.deepEqual(await tail.poll(), [], 'nothing twice');
    assert.deepEqual(
      tail.events.map((e) => e.id),
      fresh.map((e) => e.id),
    );
  });
});

describe('findRootCause', () => {
  it('names the first resource that failed, not the cancellations that followed', () => {
    const events = [
      event('WorkshopPipeline', 'CREATE_IN_PROGRESS', 'User Initiated', 'AWS::CloudFormation::Stack'),
      event('Bucket', 'CREATE_IN_PROGRESS'),
      event('Role', 'CREATE_FAILED', 'Resource creation cancelled', 'AWS::IAM::Role'),
      event('Project', 'CREATE_FAILED', 'Invalid service role', 'AWS::CodeBuild::Project'),
      event(
        'WorkshopPipeline',
        'ROLLBACK_IN_PROGRESS',
        'The following resource(s) failed to create: [Project, Role]. Rollback requested by user.',
        'AWS::CloudFormation::Stack',
      ),
    ];
    assert.deepEqual(findRootCause(events, 'WorkshopPipeline'), {
      logicalId: 'Project',
      resourceType: 'AWS::CodeBuild::Project',
      status: 'CREATE_FAILED',
      reason: 'Invalid service role',
    });
  });

  it('falls back to the stack failure when no resource failed', () => {
    const events = [event('S', 'UPDATE_ROLLBACK_FAILED', 'Role failed to roll back', 'AWS::CloudFormation::Stack')];
    assert.equal(findRootCause(events, 'S')?.reason, 'Role failed to roll back');
    assert.equal(findRootCause([event('A', 'CREATE_COMPLETE')], 'S'), undefined);
  });
});

describe('stackSituation', () => {
  it('maps every status family to what a deploy must do', () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'absent'],
      ['DELETE_COMPLETE', 'absent'],
      ['REVIEW_IN_PROGRESS', 'absent'],
      ['CREATE_COMPLETE', 'updatable'],
      ['UPDATE_ROLLBACK_COMPLETE', 'updatable'],
      ['UPDATE_COMPLETE_CLEANUP_IN_PROGRESS', 'inProgress'],
      ['ROLLBACK_IN_PROGRESS', 'inProgress'],
      ['ROLLBACK_COMPLETE', 'rollbackComplete'],
      ['UPDATE_ROLLBACK_FAILED', 'updateRollbackFailed'],
      ['DELETE_FAILED', 'failed'],
      ['ROLLBACK_FAILED', 'failed'],
    ];
    for (const [status, kind] of cases) {
      assert.equal(stackSituation(status).kind, kind, String(status));
    }
  });
});

describe('event and change formatting', () => {
  it('writes one aligned line per event with its reason', () => {
    const line = formatStackEvent({
      ...event('Pipeline', 'CREATE_FAILED', 'Role is invalid', 'AWS::CodePipeline::Pipeline'),
      timestamp: new Date('2026-01-01T10:11:12Z'),
    });
    assert.match(line, /^10:11:12 {2}CREATE_FAILED +Pipeline +AWS::CodePipeline::Pipeline {2}Role is invalid$/);
  });

  it('lists replacements first and summarizes counts', () => {
    const changes = [
      { action: 'Add', logicalId: 'B', physicalId: undefined, resourceType: 'T', replacement: undefined },
      { action: 'Modify', logicalId: 'A', physicalId: 'a', resourceType: 'T', replacement: 'True' },
      { action: 'Remove', logicalId: 'C', physicalId: 'c', resourceType: 'T', replacement: undefined },
    ];
    assert.deepEqual(describeChanges(changes), ['Modify A (T) — replacement required', 'Remove C (T)', 'Add    B (T)']);
    assert.equal(summarizeChanges(changes), '1 to add, 1 to change, 1 to remove (1 replaced)');
  });
});

describe('SingleFlight', () => {
  it('attaches a second request to the running one and frees the lane afterwards', async () => {
    const flight = new SingleFlight<number>();
    let release!: (v: number) => void;
    const first = flight.run(() => new Promise<number>((r) => (release = r)));
    const second = flight.run(() => Promise.resolve(2));
    assert.equal(first.attached, false);
    assert.equal(second.attached, true);
    release(1);
    assert.equal(await second.result, 1);
    assert.equal(flight.busy, false);
    assert.equal(await flight.run(() => Promise.resolve(3)).result, 3);
  });
});
