// How the stage benchmark times an observer (the editor's view, or a CLI loop) against the
// sandbox's record of each stage change.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { caughtUp, detectionDelays, parseStateText, type Observation } from '../../../bench/detection';

const shows = (at: number, stages: Record<string, [string, string]>): Observation => ({
  at,
  stages: new Map(Object.entries(stages).map(([name, [execution, status]]) => [name, { execution, status }])),
});

describe('stage-change detection', () => {
  const transitions = [
    { execution: 'e1', stage: 'Build', status: 'InProgress', at: 1000 },
    { execution: 'e1', stage: 'Build', status: 'Succeeded', at: 2000 },
    { execution: 'e1', stage: 'Deploy', status: 'InProgress', at: 2000 },
  ];

  it('measures each change to the first observation that shows it', () => {
    const seen = [
      shows(900, { Build: ['e1', 'NotStarted'] }),
      shows(1500, { Build: ['e1', 'InProgress'] }),
      shows(2500, { Build: ['e1', 'Succeeded'], Deploy: ['e1', 'InProgress'] }),
    ];
    assert.deepEqual(detectionDelays(transitions, seen, 'view'), { delaysS: [0.5, 0.5, 0.5], skipped: 0 });
  });

  it('counts a change shown only by a later state as skipped, timed to that state', () => {
    const seen = [shows(2600, { Build: ['e1', 'Succeeded'], Deploy: ['e1', 'InProgress'] })];
    assert.deepEqual(detectionDelays(transitions, seen, 'loop'), { delaysS: [1.6, 0.6, 0.6], skipped: 1 });
  });

  it("ignores another execution's stage, and fails when a change is never shown", () => {
    const seen = [shows(3000, { Build: ['e0', 'Succeeded'], Deploy: ['e1', 'InProgress'] })];
    assert.throws(
      () => detectionDelays(transitions, seen, 'the CLI loop'),
      /the CLI loop never showed Build InProgress of e1/,
    );
    assert.equal(caughtUp(transitions, seen), false);
    assert.equal(caughtUp(transitions, [...seen, shows(3100, { Build: ['e1', 'Succeeded'] })]), true);
  });

  it("reads get-pipeline-state's text output", () => {
    const o = parseStateText('Source\te1\tSucceeded\nBuild\te1\tInProgress\nDeploy\tNone\tNone\n', 42);
    assert.equal(o.at, 42);
    assert.deepEqual(
      [...o.stages],
      [
        ['Source', { execution: 'e1', status: 'Succeeded' }],
        ['Build', { execution: 'e1', status: 'InProgress' }],
        ['Deploy', { execution: undefined, status: 'NotStarted' }],
      ],
    );
  });
});
