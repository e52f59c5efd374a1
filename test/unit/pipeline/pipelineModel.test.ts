import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  GetPipelineOutput,
  GetPipelineStateOutput,
  ListPipelineExecutionsOutput,
} from '@aws-sdk/client-codepipeline';
import { matchCommit } from '../../../src/pipeline/commitMatch';
import { executionsFrom } from '../../../src/pipeline/executions';
import { escapeMarkdown, formatAge, formatDuration, revisionMessage } from '../../../src/pipeline/format';
import { FinishNotifier } from '../../../src/pipeline/notifications';
import { buildPipelineTree } from '../../../src/pipeline/pipelineTree';
import { buildStateModel, sourceRevisionsInState } from '../../../src/pipeline/stages';
import { buildStatusBar } from '../../../src/pipeline/statusBarModel';
import { diffTrees, type TreeNodeView } from '../../../src/pipeline/viewNode';
import { fixture } from '../fixtures/load';

const running = fixture<GetPipelineStateOutput>('codepipeline/state.build-running.json');
const failed = fixture<GetPipelineStateOutput>('codepipeline/state.build-failed.json');
const approval = fixture<GetPipelineStateOutput>('codepipeline/state.approval-parallel.json');
const reference = fixture<GetPipelineStateOutput>('codepipeline/get-pipeline-state.reference.json');
const workshop = fixture<GetPipelineOutput>('codepipeline/get-pipeline.workshop.json').pipeline;
const releaseTrain = fixture<GetPipelineOutput>('codepipeline/get-pipeline.release-train.json').pipeline;
const executions = executionsFrom(
  fixture<ListPipelineExecutionsOutput>('codepipeline/list-pipeline-executions.json').pipelineExecutionSummaries,
);
const NOW = 1_700_001_100_000;

function child(node: TreeNodeView, id: string): TreeNodeView {
  const found = node.children === 'lazy' ? undefined : node.children.find((c) => c.id === id);
  assert.ok(found, `no child ${id} under ${node.id}`);
  return found;
}

describe('stage model', () => {
  it('shows the current execution: stages it has not reached read "not started", with their last result kept', () => {
    const m = buildStateModel(running, workshop, 'e2');
    assert.deepEqual(
      m.stages.map((s) => [s.name, s.status]),
      [
        ['Source', 'Succeeded'],
        ['Build', 'InProgress'],
        ['PostBuild', 'NotStarted'],
        ['Deploy', 'NotStarted'],
      ],
    );
    assert.equal(m.stages[2].previousStatus, 'Succeeded');
    const build = m.stages[1].actions[0];
    assert.equal(build.buildId, 'WorkshopPipeline-Build:0d8a1b2c-3d4e-5f60-7182-93a4b5c6d7e8');
    assert.equal(build.provider, 'CodeBuild');
  });

  it('works without a declaration (the API reference example) and for the older execution', () => {
    const m = buildStateModel(reference, undefined, undefined);
    assert.deepEqual(
      m.stages.map((s) => s.status),
      ['Succeeded', 'Succeeded'],
    );
    assert.equal(m.stages[1].actions[0].summary, 'Deployment Succeeded');
    assert.equal(m.stages[1].actions[0].buildId, undefined, 'a CodeDeploy id is not a build id');
  });

  it('orders parallel actions by run order, exposes the approval token and the disabled transition', () => {
    const m = buildStateModel(approval, releaseTrain, 'x9');
    const test = m.stages[1];
    assert.deepEqual(
      test.actions.map((a) => [a.name, a.runOrder]),
      [
        ['Lint', 1],
        ['Unit', 1],
        ['Integration', 2],
      ],
    );
    assert.equal(test.steps, 2);
    assert.deepEqual(m.stages[2].actions[0].approval, { token: '11111111-2222-3333-4444-555555555555' });
    assert.equal(m.stages[3].inTransitionDisabled?.reason, 'Change freeze until Monday');
  });

  it('reads the source commit of an execution from the state', () => {
    assert.deepEqual(sourceRevisionsInState(running), [
      { executionId: 'e2', revisionId: '2222222222222222222222222222222222222222' },
    ]);
  });
});

describe('pipeline tree', () => {
  const tree = (state: GetPipelineStateOutput, executionIndex = 0) =>
    buildPipelineTree({
      region: 'us-east-1',
      state: buildStateModel(state, workshop, executions[executionIndex].id),
      execution: executions[executionIndex],
      history: executions,
      now: NOW,
    });

  it('describes the root by status and progress, with commit, message, trigger and duration in the tooltip', () => {
    const root = tree(running);
    assert.equal(root.id, 'pipeline:WorkshopPipeline-Pipeline');
    assert.equal(root.description, 'In progress · Build 2/4');
    assert.equal(root.icon.id, 'sync~spin');
    assert.match(root.tooltip, /`2222222` Add health endpoint/);
    assert.match(root.tooltip, /Trigger: Push \\\(EventBridge\\\)/);
    assert.match(root.tooltip, /running for 1m 40s/);
    assert.match(root.contextValue, /\bstoppable\b/);
  });

  it('gives stages icons, durations and capabilities; a failed CodeBuild action shows its error and build', () => {
    const root = tree(failed);
    const build = child(root, 'stage:WorkshopPipeline-Pipeline/Build');
    assert.equal(build.icon.id, 'error');
    assert.match(build.contextValue, /\bretryable\b/);
    assert.equal(build.description, 'Failed · 3m 10s');
    const action = child(build, 'action:WorkshopPipeline-Pipeline/Build/SecurityTestsAndBuild');
    assert.match(action.contextValue, /\bcodeBuild\b/);
    assert.equal(action.links.buildId, 'WorkshopPipeline-Build:0d8a1b2c-3d4e-5f60-7182-93a4b5c6d7e8');
    assert.match(action.links.consoleUrl ?? '', /^https:\/\/console\.aws\.amazon\.com\/codebuild/);
    const error = child(action, 'actionError:WorkshopPipeline-Pipeline/Build/SecurityTestsAndBuild');
    assert.match(error.label, /npm audit/);
    assert.equal(child(root, 'stage:WorkshopPipeline-Pipeline/Deploy').icon.id, 'circle-outline');
  });

  it('lists history with short commit, message, trigger and lazily loaded action executions', () => {
    const history = child(tree(running), 'history:WorkshopPipeline-Pipeline');
    const e1 = child(history, 'execution:WorkshopPipeline-Pipeline/e1');
    assert.equal(e1.label, '1111111 Initial commit');
    assert.equal(e1.description, 'Succeeded · Release change by alice · 10m 00s · 18m ago');
    assert.equal(e1.children, 'lazy');
  });

  it('marks a pending approval with its token and a disabled transition', () => {
    const root = buildPipelineTree({
      region: 'us-east-1',
      state: buildStateModel(approval, releaseTrain, 'x9'),
      execution: { id: 'x9', status: 'InProgress', revisions: [] },
      history: [],
      now: NOW,
    });
    const approve = child(child(root, 'stage:release-train/Approve'), 'action:release-train/Approve/ReleaseManager');
    assert.match(approve.contextValue, /\bapproval\b/);
    assert.equal(approve.links.approvalToken, '11111111-2222-3333-4444-555555555555');
    assert.equal(approve.icon.id, 'question');
    const prod = child(root, 'stage:release-train/Production');
    assert.match(prod.description, /transition disabled/);
    assert.match(prod.contextValue, /\btransitionDisabled\b/);
  });

  it('reports only the nodes that changed, outermost first', () => {
    const first = diffTrees(new Map(), [tree(running)]);
    assert.equal(first.change.roots, true);
    const same = diffTrees(first.fingerprints, [tree(running)]);
    assert.deepEqual(same.change, { roots: false, nodeIds: [] });
    const next = diffTrees(first.fingerprints, [tree(failed)]);
    assert.equal(next.change.roots, false);
    assert.ok(next.change.nodeIds.includes('stage:WorkshopPipeline-Pipeline/Build'));
    assert.ok(!next.change.nodeIds.includes('stage:WorkshopPipeline-Pipeline/Source'));
    assert.ok(
      !next.change.nodeIds.includes('action:WorkshopPipeline-Pipeline/Build/SecurityTestsAndBuild'),
      'inside a changed stage',
    );
  });
});

describe('commit matching', () => {
  const pushedAt = NOW - 30_000;
  it('matches the execution whose source revision is the followed commit, also by a short id', () => {
    const m = matchCommit({ commitId: '1111111', pushedAt }, executions, NOW);
    assert.equal(m.kind === 'matched' && m.execution.id, 'e1');
  });
  it('falls back to the revision in the state', () => {
    const bare = executions.map((e) => ({ ...e, revisions: [] }));
    const m = matchCommit(
      { commitId: '2222222222222222222222222222222222222222', pushedAt },
      bare,
      NOW,
      sourceRevisionsInState(running),
    );
    assert.equal(m.kind === 'matched' && m.execution.id, 'e2');
  });
  it('waits a minute, then reports a push nobody picked up', () => {
    const commit = { commitId: '3333333333333333333333333333333333333333', pushedAt };
    assert.deepEqual(matchCommit(commit, executions, NOW), { kind: 'waiting', waitedMs: 30_000 });
    assert.deepEqual(matchCommit(commit, executions, pushedAt + 60_000), { kind: 'notPickedUp', waitedMs: 60_000 });
  });
});

describe('status bar', () => {
  const state = buildStateModel(running, workshop, 'e2');
  it('spins with the running stage and progress', () => {
    const v = buildStatusBar({ pipelineName: 'p', state, execution: executions[0], now: NOW });
    assert.equal(v.text, '$(sync~spin) Build · 2/4');
    assert.equal(v.backgroundColor, undefined);
    assert.match(v.tooltip, /- \$\(sync~spin\) Build — In progress/);
  });
  it('follows a push by its short commit', () => {
    const commit = { commitId: '2222222222222222222222222222222222222222', pushedAt: NOW - 5_000 };
    const match = matchCommit(commit, executions, NOW);
    const v = buildStatusBar({
      pipelineName: 'p',
      state,
      execution: executions[0],
      followed: { commit, match },
      now: NOW,
    });
    assert.equal(v.text, '$(sync~spin) Following 2222222 · Build');
  });
  it('shows success with its age, failure at the stage on the error background, and a degraded service', () => {
    const ok = buildStatusBar({ pipelineName: 'p', execution: executions[1], now: 1_700_000_780_000 });
    assert.equal(ok.text, '$(pass) Succeeded 3m ago');
    const failedState = buildStateModel(failed, workshop, 'e2');
    const bad = buildStatusBar({
      pipelineName: 'p',
      state: failedState,
      execution: { ...executions[0], status: 'Failed' },
      now: NOW,
    });
    assert.equal(bad.text, '$(error) Failed at Build');
    assert.equal(bad.backgroundColor, 'statusBarItem.errorBackground');
    const degraded = buildStatusBar({
      pipelineName: 'p',
      execution: executions[1],
      serviceVerdict: 'Degraded',
      now: NOW,
    });
    assert.match(degraded.text, /\$\(warning\) Service degraded$/);
    assert.equal(degraded.backgroundColor, 'statusBarItem.warningBackground');
  });
  it('hides without a pipeline and says when AWS cannot be reached', () => {
    assert.equal(buildStatusBar({ now: NOW }).visible, false);
    const v = buildStatusBar({
      pipelineName: 'p',
      execution: executions[1],
      retrying: { reason: 'throttled', retryAt: NOW + 8_000 },
      now: NOW,
    });
    assert.match(v.text, /throttled$/);
    assert.match(v.tooltip, /retrying in 8s/);
  });
});

describe('finish notifications', () => {
  const runningE2 = executions[0];
  const doneE2 = { ...runningE2, status: 'Failed' as const, lastUpdateTime: new Date(NOW) };
  const failedState = buildStateModel(failed, workshop, 'e2');
  const base = { region: 'us-east-1', pipelineName: 'WorkshopPipeline-Pipeline', state: failedState, now: NOW };

  it('announces a failure of mine once, with logs, console and retry', () => {
    const n = new FinishNotifier(NOW - 600_000);
    assert.deepEqual(n.observe({ ...base, level: 'mine', executions: [runningE2], isMine: () => true }), []);
    const [d] = n.observe({ ...base, level: 'mine', executions: [doneE2], isMine: () => true });
    assert.ok(d);
    assert.equal(d.severity, 'error');
    assert.match(
      d.message,
      /2222222 Add health endpoint failed at Build \(SecurityTestsAndBuild\): Error while executing command/,
    );
    assert.deepEqual(
      d.actions.map((a) => a.kind),
      ['showBuildLogs', 'openInConsole', 'retryStage'],
    );
    assert.deepEqual(
      n.observe({ ...base, level: 'mine', executions: [doneE2], isMine: () => true }),
      [],
      'never twice',
    );
  });

  it('honours all/mine/none and ignores old news', () => {
    const all = new FinishNotifier(NOW - 600_000);
    all.observe({ ...base, level: 'all', executions: [runningE2], isMine: () => false });
    assert.equal(all.observe({ ...base, level: 'all', executions: [doneE2], isMine: () => false }).length, 1);
    const mine = new FinishNotifier(NOW - 600_000);
    mine.observe({ ...base, level: 'mine', executions: [runningE2], isMine: () => false });
    assert.equal(mine.observe({ ...base, level: 'mine', executions: [doneE2], isMine: () => false }).length, 0);
    const none = new FinishNotifier(NOW - 600_000);
    assert.equal(none.observe({ ...base, level: 'none', executions: [doneE2], isMine: () => true }).length, 0);
    const fresh = new FinishNotifier(NOW);
    assert.equal(
      fresh.observe({ ...base, level: 'all', executions: [executions[1]], isMine: () => true }).length,
      0,
      'finished before start-up',
    );
  });
});

describe('format', () => {
  it('formats ages and durations', () => {
    assert.equal(formatAge(new Date(NOW - 5_000), NOW), 'just now');
    assert.equal(formatAge(new Date(NOW - 185_000), NOW), '3m ago');
    assert.equal(formatDuration(185_000), '3m 05s');
    assert.equal(formatDuration(3_720_000), '1h 02m');
  });
  it('reads commit messages, GitHub JSON summaries included, and escapes Markdown', () => {
    assert.equal(revisionMessage('Fix it\n\nbody'), 'Fix it');
    assert.equal(revisionMessage('{"ProviderType":"GitHub","CommitMessage":"Bump deps\\nmore"}'), 'Bump deps');
    assert.equal(escapeMarkdown('[x](javascript:y)'), '\\[x\\]\\(javascript:y\\)');
  });
});
