// A commit with a leaked AWS key fails at Build: the tracker (through the CodePipeline adapter)
// shows the failed stage and action with its error, the status bar turns red, the notification
// offers the build log, and the CodeBuild and CloudWatch Logs adapters read that log, tailing it
// with forward tokens while the build runs.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { codeBuildApi } from '../../../src/aws/codebuild';
import { codePipelineApi } from '../../../src/aws/codepipeline';
import { BuildFindingsCache, loadBuildFindings } from '../../../src/findings/buildFindings';
import { failureHeadline } from '../../../src/findings/findingText';
import { FindingsFollower, type ExecutionFindings } from '../../../src/following/findingsFollower';
import { silentLogger } from '../../../src/shared/logger';
import { LogTail, logsApi } from '../../../src/aws/logs';
import { AdaptivePoller } from '../../../src/polling/adaptivePoller';
import { PipelineTracker, type PipelineChange } from '../../../src/pipeline/pipelineTracker';
import { nodeIds } from '../../../src/pipeline/pipelineTree';
import type { TreeNodeView } from '../../../src/pipeline/viewNode';
import { LEAKED_CONFIG, SECRET_FRAGMENT, startWorkshop, waitFor, type Workshop } from './workshop';

function find(node: TreeNodeView | undefined, id: string): TreeNodeView | undefined {
  if (!node) {
    return undefined;
  }
  if (node.id === id) {
    return node;
  }
  return node.children === 'lazy' ? undefined : node.children.map((c) => find(c, id)).find(Boolean);
}

describe('a failed Build', () => {
  let workshop: Workshop;
  let tracker: PipelineTracker;
  let poller: AdaptivePoller;
  let follower: FindingsFollower;
  const changes: PipelineChange[] = [];
  const shown: (ExecutionFindings | undefined)[] = [];
  let failedBuild = '';

  before(async () => {
    workshop = await startWorkshop({ speed: 30 });
    tracker = new PipelineTracker({
      api: codePipelineApi(workshop.session),
      pipelineName: workshop.outputs.PipelineName,
      region: 'us-east-1',
      notifications: () => 'mine',
    });
    tracker.onDidChange((c) => changes.push(c));
    // As the controller wires it: the findings of each CodeBuild action that ends.
    follower = new FindingsFollower(
      tracker,
      new BuildFindingsCache(() => codeBuildApi(workshop.session)),
      silentLogger,
    );
    follower.onDidChange((f) => shown.push(f));
    poller = new AdaptivePoller([tracker], { fastMs: 100, focused: true });
    poller.start();
  });

  after(async () => {
    poller?.dispose();
    follower?.dispose();
    tracker?.dispose();
    await workshop?.close();
  });

  it('shows the failed stage and action with the error, and a red status bar', async () => {
    const commitId = await workshop.push(
      { 'app/config.js': LEAKED_CONFIG, Dockerfile: 'FROM node:20\n' },
      'Configure credentials',
    );
    tracker.follow({ commitId, pushedAt: Date.now() });
    await poller.refreshNow(); // as the editor does after a push: from here the poller stays fast waitFor the run ends
    const name = workshop.outputs.PipelineName;

    // While the build runs, tail its log: each read returns only new lines.
    const buildId = await waitFor(
      () => {
        const m = tracker.view.followMatch;
        const build = tracker.view.state?.stages.find((s) => s.name === 'Build')?.actions[0];
        return m?.kind === 'matched' && build?.buildId && tracker.view.state?.executionId === m.execution.id
          ? build.buildId
          : undefined;
      },
      60_000,
      () => JSON.stringify(tracker.view.state?.stages.map((s) => [s.name, s.status])),
    );
    const session = workshop.session;
    const build = await waitFor(
      async () => {
        const b = await codeBuildApi(session).getBuild(buildId);
        return b?.logGroup && b.logStream ? b : undefined;
      },
      30_000,
      () => `build ${buildId} has no log yet`,
    );
    const tail = new LogTail(logsApi(session), build.logGroup!, build.logStream!);
    const tailed: string[] = [];
    let reads = 0;
    await waitFor(
      async () => {
        tailed.push(...(await tail.read()));
        reads++;
        const b = await codeBuildApi(session).getBuild(buildId);
        return b && b.status !== 'IN_PROGRESS' ? b : undefined;
      },
      60_000,
      () => `build ${buildId} still running`,
      100,
    );
    tailed.push(...(await tail.read()));
    assert.ok(reads > 0);

    const execution = await waitFor(
      () => {
        const m = tracker.view.followMatch;
        return m?.kind === 'matched' &&
          m.execution.status === 'Failed' &&
          tracker.view.state?.executionId === m.execution.id
          ? m.execution
          : undefined;
      },
      60_000,
      () => JSON.stringify(tracker.view.followMatch),
    );
    failedBuild = buildId;
    const stages = tracker.view.state!.stages;
    assert.deepEqual(
      stages.map((s) => s.status),
      ['Succeeded', 'Failed', 'NotStarted', 'NotStarted'],
    );
    const action = stages[1].actions[0];
    assert.equal(action.status, 'Failed');
    assert.match(action.errorMessage ?? '', /Phase: PRE_BUILD, Code: COMMAND_EXECUTION_ERROR/);

    const root = tracker.view.root;
    const stageNode = find(root, nodeIds.stage(name, 'Build'));
    assert.match(stageNode?.contextValue ?? '', /\bretryable\b/);
    const actionNode = find(root, nodeIds.action(name, 'Build', action.name));
    assert.match(actionNode?.contextValue ?? '', /\bcodeBuild\b/);
    assert.equal(actionNode?.links.buildId, buildId);
    const errorNode = find(root, nodeIds.actionError(name, 'Build', action.name));
    assert.match(errorNode?.label ?? '', /COMMAND_EXECUTION_ERROR/);
    assert.equal(tracker.view.statusBar.text, '$(error) Failed at Build');
    assert.equal(tracker.view.statusBar.backgroundColor, 'statusBarItem.errorBackground');

    const notice = changes.flatMap((c) => c.notifications).find((n) => n.executionId === execution.id);
    assert.equal(notice?.severity, 'error');
    assert.match(notice?.message ?? '', /failed at Build/);
    assert.deepEqual(
      notice?.actions.map((a) => a.kind),
      ['showBuildLogs', 'openInConsole', 'retryStage'],
    );

    // The whole log read from the head equals what tailing collected: no line lost or repeated.
    const whole = await new LogTail(logsApi(session), build.logGroup!, build.logStream!).read();
    assert.deepEqual(tailed, whole);
    const text = whole.join('');
    // gitleaks --verbose prints the finding, redacted: its rule, file and line.
    assert.match(text, /^RuleID: {6}aws-access-token\nEntropy: .*\nFile: {8}app\/config\.js\nLine: {8}3$/m);
    assert.doesNotMatch(text, new RegExp(SECRET_FRAGMENT));
    assert.deepEqual(await tail.read(), [], 'nothing new after the end');
  });

  it('reads the build’s SecurityTests report: the finding at its file and line, named by the notification and the tree', async () => {
    assert.ok(failedBuild, 'the failed build of the test before');
    const name = workshop.outputs.PipelineName;
    const result = await loadBuildFindings(codeBuildApi(workshop.session), failedBuild);
    assert.equal(result.complete, true);
    // One report, of the report group the template declares (CodeBuild names it <project>-SecurityTests).
    assert.deepEqual(
      result.reports.map((r) => [/-Build-SecurityTests$/.test(r.group), r.status]),
      [[true, 'FAILED']],
    );
    const secrets = result.findings.filter((f) => f.tool === 'gitleaks');
    assert.deepEqual(
      secrets.map((f) => [f.ruleId, f.anchor]),
      [['aws-access-token', { kind: 'line', path: 'app/config.js', line: 3 }]],
    );
    assert.doesNotMatch(JSON.stringify(result), new RegExp(SECRET_FRAGMENT));
    assert.match(
      failureHeadline('Build', result.findings) ?? '',
      /^Build failed: AWS access key in `app\/config\.js:3` \(gitleaks aws-access-token\)/,
    );

    // The follower read the same report when the action ended, and the tree lists it under the action.
    const found = await waitFor(
      () => shown.find((f) => f?.actions.some((a) => a.buildId === failedBuild && a.result.findings.length > 0)),
      30_000,
      () => JSON.stringify(shown.map((f) => f?.executionId)),
    );
    assert.equal(found.actions.find((a) => a.buildId === failedBuild)?.failed, true);
    const action = tracker.view.state!.stages[1].actions[0];
    const node = find(tracker.view.root, nodeIds.finding(name, 'Build', action.name, 0));
    assert.equal(node?.label, 'AWS access key');
    assert.deepEqual(node?.links.finding, { path: 'app/config.js', line: 3, buildId: failedBuild, index: 0 });
    const notice = changes.flatMap((c) => c.notifications).find((n) => n.failure?.buildId === failedBuild);
    assert.deepEqual(notice?.failure, { stageName: 'Build', actionName: action.name, buildId: failedBuild });
  });
});
