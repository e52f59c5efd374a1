// "Show Findings of Execution…" without the editor: the executions offered (title, status, age), the
// execution an id names (the history's, else read from the pipeline), and what the user is told: the
// Problems panel when the builds reported findings, else that none did and why.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findingOf } from '../../../src/findings/reportFindings';
import {
  executionChoices,
  executionNamed,
  findingsOutcome,
  unknownExecutionMessage,
} from '../../../src/following/showFindingsPlan';
import type { ExecutionFindings } from '../../../src/following/findingsFollower';
import type { ExecutionSummary } from '../../../src/pipeline/executions';

const NOW = Date.parse('2026-11-29T12:00:00Z');

const exec = (
  id: string,
  commit: string,
  summary: string,
  status: ExecutionSummary['status'],
  ageMs: number,
): ExecutionSummary => ({
  id,
  status,
  startTime: new Date(NOW - ageMs),
  revisions: [{ actionName: 'Source', revisionId: commit.padEnd(40, '0'), summary }],
});

const history: ExecutionSummary[] = [
  exec('e-3', 'cccccccc', 'Fix the leak', 'InProgress', 30_000),
  exec('e-2', 'bbbbbbbb', 'Add leak.js', 'Failed', 3 * 60_000),
  exec('e-1', 'aaaaaaaa', 'Initial commit', 'Succeeded', 3 * 3_600_000),
];

const leak = findingOf({ name: 'aws-access-token has detected a secret in file leak.js, line 2.', status: 'FAILED' })!;

function found(builds: number, findings = 0): ExecutionFindings {
  return {
    executionId: 'e-2',
    actions: Array.from({ length: builds }, (_, i) => ({
      stageName: 'Build',
      actionName: `Build${i}`,
      buildId: `b${i}`,
      failed: findings > 0,
      result: { buildId: `b${i}`, reports: [], findings: Array.from({ length: findings }, () => leak), complete: true },
    })),
  };
}

describe('Show Findings of Execution: choosing an execution', () => {
  it('offers the history newest first, each with its commit, message, status and age', () => {
    assert.deepEqual(executionChoices(history, NOW), [
      { label: 'ccccccc Fix the leak', description: 'In progress · 30s ago', executionId: 'e-3' },
      { label: 'bbbbbbb Add leak.js', description: 'Failed · 3m ago', executionId: 'e-2' },
      { label: 'aaaaaaa Initial commit', description: 'Succeeded · 3h ago', executionId: 'e-1' },
    ]);
    assert.deepEqual(executionChoices([], NOW), []);
  });

  it('takes an execution of the history without reading the pipeline', async () => {
    const fetched: string[] = [];
    const e = await executionNamed('e-2', history, (id) => {
      fetched.push(id);
      return Promise.resolve(undefined);
    });
    assert.equal(e?.id, 'e-2');
    assert.deepEqual(fetched, []);
  });

  it('reads an execution older than the history from the pipeline; an unknown one is named as such', async () => {
    const old = exec('e-0', '99999999', 'Older', 'Failed', 86_400_000);
    assert.equal((await executionNamed('e-0', history, () => Promise.resolve(old)))?.id, 'e-0');
    const missing = await executionNamed('e-x', history, () =>
      Promise.reject(Object.assign(new Error('not found'), { name: 'PipelineExecutionNotFoundException' })),
    );
    assert.equal(missing, undefined);
    assert.equal(unknownExecutionMessage('e-x'), "Execution e-x is not in the pipeline's history.");
  });
});

describe('Show Findings of Execution: what it shows', () => {
  const failed = history[1];

  it('opens Problems when the builds reported findings', () => {
    assert.deepEqual(findingsOutcome(failed, found(1, 3)), { kind: 'problems', count: 3 });
    assert.deepEqual(findingsOutcome(failed, found(2, 1)), { kind: 'problems', count: 2 });
  });

  it('says that its builds reported no findings', () => {
    assert.deepEqual(findingsOutcome(failed, found(1)), {
      kind: 'none',
      message: 'bbbbbbb Add leak.js: its builds reported no findings.',
    });
  });

  it('says why when no CodeBuild action of it has ended yet', () => {
    assert.deepEqual(findingsOutcome(history[0], found(0)), {
      kind: 'none',
      message: 'ccccccc Fix the leak: its builds reported no findings (no CodeBuild action of it has ended).',
    });
  });
});
