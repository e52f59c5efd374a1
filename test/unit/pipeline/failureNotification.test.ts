// The notification of a failed Build once its reports are read: it names the first finding, says how
// many more are in Problems, and offers Show Problems and Show Build Logs; with one finding it says
// no "more"; with none (or reports not read in time) it is FinishNotifier's own failure notification.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withFirstFinding } from '../../../src/pipeline/findingNotification';
import { findingOf, type Finding } from '../../../src/findings/reportFindings';
import type { ExecutionSummary } from '../../../src/pipeline/executions';
import { FinishNotifier, type NotificationDecision } from '../../../src/pipeline/notifications';
import type { PipelineStateModel } from '../../../src/pipeline/stages';

const NOW = Date.parse('2026-11-29T12:00:00Z');
const BUILD_ID = 'WorkshopPipeline-Build:6f1c5a52-0d4e-4f4b-9a55-3b8f3e0d7a11';
const CODEBUILD_ERROR =
  'Build terminated with state: FAILED. Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR, Message: Error while executing command: failed="". Reason: exit status 1';

const execution: ExecutionSummary = {
  id: 'e-1',
  status: 'Failed',
  startTime: new Date(NOW - 120_000),
  lastUpdateTime: new Date(NOW),
  revisions: [{ actionName: 'Source', revisionId: '0123456789abcdef0123456789abcdef01234567', summary: 'Add leak.js' }],
};

const state: PipelineStateModel = {
  pipelineName: 'WorkshopPipeline-Pipeline',
  executionId: 'e-1',
  stages: [
    { name: 'Source', status: 'Succeeded', actions: [], steps: 1 },
    {
      name: 'Build',
      status: 'Failed',
      steps: 1,
      actions: [
        {
          stageName: 'Build',
          name: 'SecurityTestsAndBuild',
          runOrder: 1,
          category: 'Build',
          provider: 'CodeBuild',
          status: 'Failed',
          errorMessage: CODEBUILD_ERROR,
          buildId: BUILD_ID,
        },
      ],
    },
  ],
};

/** FinishNotifier's decision for the failed execution the user pushed. */
function failedBuildDecision(): NotificationDecision {
  const [decision] = new FinishNotifier(NOW - 600_000).observe({
    level: 'mine',
    region: 'us-east-1',
    pipelineName: 'WorkshopPipeline-Pipeline',
    executions: [execution],
    isMine: () => true,
    state,
    now: NOW,
  });
  assert.ok(decision);
  return decision;
}

const f = (name: string, prefix?: string, message?: string): Finding => {
  const finding = findingOf({ name, prefix, message, status: 'FAILED' });
  assert.ok(finding);
  return finding;
};
const leak = f('aws-access-token has detected a secret in file leak.js, line 2.');
const lint = f('Dockerfile:1', 'DL3007', 'warning: Using latest is prone to errors');
const vuln = f('[HIGH] CVE-2020-8203', 'lodash-4.17.11');

describe('the failed Build notification', () => {
  it('names the first finding, "— 2 more in Problems", with Show Problems and Show Build Logs', () => {
    const decision = withFirstFinding(failedBuildDecision(), [leak, lint, vuln]);
    assert.equal(
      decision.message,
      'Build failed: AWS access key in `leak.js:2` (gitleaks aws-access-token) — 2 more in Problems',
    );
    assert.equal(decision.severity, 'error');
    assert.deepEqual(
      decision.actions.map((a) => a.title),
      ['Show Problems', 'Show Build Logs'],
    );
    const logs = decision.actions.find((a) => a.kind === 'showBuildLogs');
    assert.equal(logs?.kind === 'showBuildLogs' ? logs.buildId : undefined, BUILD_ID);
    assert.ok(!decision.message.includes('COMMAND_EXECUTION_ERROR'), "not CodeBuild's phase error");
  });

  it('with a single finding, names it and says nothing of more', () => {
    const decision = withFirstFinding(failedBuildDecision(), [lint]);
    assert.equal(decision.message, 'Build failed: Dockerfile lint finding in `Dockerfile:1` (hadolint DL3007)');
    assert.deepEqual(
      decision.actions.map((a) => a.kind),
      ['showProblems', 'showBuildLogs'],
    );
  });

  it('with no finding (or the reports not read in time), is the failure as CodePipeline tells it', () => {
    const plain = failedBuildDecision();
    assert.match(plain.message, /failed at Build \(SecurityTestsAndBuild\): Build terminated with state: FAILED/);
    assert.deepEqual(
      plain.actions.map((a) => a.title),
      ['Show Build Logs', 'Open in Console', 'Retry'],
    );
    assert.equal(withFirstFinding(plain, []), plain);
    assert.equal(withFirstFinding(plain, undefined), plain);
  });

  it('a notification that is no failure is never rewritten by findings', () => {
    const succeeded = new FinishNotifier(NOW - 600_000).observe({
      level: 'mine',
      region: 'us-east-1',
      pipelineName: 'WorkshopPipeline-Pipeline',
      executions: [{ ...execution, status: 'Succeeded' }],
      isMine: () => true,
      now: NOW,
    })[0];
    assert.ok(succeeded);
    assert.equal(withFirstFinding(succeeded, [leak]), succeeded);
  });
});
