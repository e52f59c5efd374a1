import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type {
  GetPipelineOutput,
  GetPipelineStateOutput,
  ListActionExecutionsOutput,
  ListPipelineExecutionsOutput,
} from '@aws-sdk/client-codepipeline';
import type { PipelineApi } from '../../../src/aws/codepipeline';
import { PipelineTracker, type PipelineChange } from '../../../src/pipeline/pipelineTracker';
import { fixture } from '../fixtures/load';

const running = fixture<GetPipelineStateOutput>('codepipeline/state.build-running.json');
const failed = fixture<GetPipelineStateOutput>('codepipeline/state.build-failed.json');
const declaration = fixture<GetPipelineOutput>('codepipeline/get-pipeline.workshop.json');
const listed = fixture<ListPipelineExecutionsOutput>('codepipeline/list-pipeline-executions.json');
const actions = fixture<ListActionExecutionsOutput>('codepipeline/list-action-executions.json');
const NOW = 1_700_001_100_000;

/** A strict fake: counts calls per operation and throws on anything unexpected. */
function fakeApi(): PipelineApi & {
  calls: Record<string, number>;
  state: GetPipelineStateOutput;
  list: ListPipelineExecutionsOutput;
} {
  const api = {
    calls: {} as Record<string, number>,
    state: running,
    list: listed,
    count(op: string) {
      api.calls[op] = (api.calls[op] ?? 0) + 1;
    },
    getPipeline: (name: string) => {
      api.count('getPipeline');
      assert.equal(name, 'WorkshopPipeline-Pipeline');
      return Promise.resolve(declaration);
    },
    getPipelineState: () => {
      api.count('getPipelineState');
      return Promise.resolve(api.state);
    },
    listPipelineExecutions: (_name: string, max: number) => {
      api.count('listPipelineExecutions');
      assert.equal(max, 10);
      return Promise.resolve(api.list);
    },
    getPipelineExecution: () => Promise.reject(new Error('unexpected GetPipelineExecution')),
    listActionExecutions: () => {
      api.count('listActionExecutions');
      return Promise.resolve(actions);
    },
  };
  return api;
}

function tracker(api: PipelineApi, now = () => NOW) {
  return new PipelineTracker({
    api,
    pipelineName: 'WorkshopPipeline-Pipeline',
    region: 'us-east-1',
    notifications: () => 'mine',
    now,
  });
}

describe('PipelineTracker', () => {
  it('makes one GetPipelineState per refresh and lists executions only when an execution changes', async () => {
    const api = fakeApi();
    const t = tracker(api);
    const outcome = await t.run();
    assert.deepEqual(outcome, { active: true, followedActive: false });
    assert.deepEqual(api.calls, { getPipelineState: 1, getPipeline: 1, listPipelineExecutions: 1 });
    for (let i = 0; i < 5; i++) {
      await t.run();
    }
    assert.deepEqual(api.calls, { getPipelineState: 6, getPipeline: 1, listPipelineExecutions: 1 });
    api.state = failed; // e2 finished: list once more for its final status
    api.list = {
      pipelineExecutionSummaries: listed.pipelineExecutionSummaries!.map((s) =>
        s.pipelineExecutionId === 'e2' ? { ...s, status: 'Failed' } : s,
      ),
    };
    await t.run();
    await t.run();
    assert.deepEqual(api.calls, { getPipelineState: 8, getPipeline: 1, listPipelineExecutions: 2 });
  });

  it('emits only changed node ids, and nothing when nothing changed', async () => {
    const api = fakeApi();
    const t = tracker(api);
    const changes: PipelineChange[] = [];
    t.onDidChange((c) => changes.push(c));
    await t.run();
    assert.equal(changes.length, 1);
    assert.equal(changes[0].tree.roots, true);
    await t.run();
    assert.equal(changes.length, 1, 'no event for an unchanged refresh');
    api.state = failed;
    await t.run();
    assert.equal(changes.length, 2);
    assert.equal(changes[1].tree.roots, false);
    assert.ok(changes[1].tree.nodeIds.includes('stage:WorkshopPipeline-Pipeline/Build'));
    assert.ok(changes[1].statusBarChanged);
  });

  it('follows a push: polls in the background while it runs and notifies once when it fails', async () => {
    const api = fakeApi();
    const t = tracker(api);
    t.follow({ commitId: '2222222222222222222222222222222222222222', pushedAt: NOW - 60_000 });
    const changes: PipelineChange[] = [];
    t.onDidChange((c) => changes.push(c));
    assert.deepEqual(await t.run(), { active: true, followedActive: true });
    assert.equal(t.view.statusBar.text, '$(sync~spin) Following 2222222 · Build');
    api.state = failed;
    api.list = {
      pipelineExecutionSummaries: listed.pipelineExecutionSummaries!.map((s) =>
        s.pipelineExecutionId === 'e2' ? { ...s, status: 'Failed', lastUpdateTime: new Date(NOW) } : s,
      ),
    };
    assert.deepEqual(await t.run(), { active: false, followedActive: false });
    await t.run();
    const notes = changes.flatMap((c) => c.notifications);
    assert.equal(notes.length, 1);
    assert.equal(notes[0].executionId, 'e2');
    assert.equal(t.view.statusBar.text, '$(error) Failed at Build');
  });

  it('polls fast while a followed push waits to be picked up', async () => {
    const api = fakeApi();
    const t = tracker(api);
    t.follow({ commitId: '9999999999999999999999999999999999999999', pushedAt: NOW - 1_000 });
    api.state = failed;
    api.list = {
      pipelineExecutionSummaries: listed.pipelineExecutionSummaries!.map((s) => ({ ...s, status: 'Failed' })),
    };
    assert.deepEqual(await t.run(), { active: true, followedActive: true });
    assert.match(t.view.statusBar.text, /waiting for the pipeline/);
  });

  it('says once when no execution picked up a push within a minute, offering Release Change', async () => {
    const api = fakeApi();
    let now = NOW;
    const t = tracker(api, () => now);
    const changes: PipelineChange[] = [];
    t.onDidChange((c) => changes.push(c));
    t.follow({ commitId: '9999999999999999999999999999999999999999', pushedAt: NOW });
    await t.run();
    assert.deepEqual(
      changes.flatMap((c) => c.notifications),
      [],
      'still within the grace period',
    );
    now = NOW + 61_000;
    await t.run();
    await t.run();
    const notes = changes.flatMap((c) => c.notifications);
    assert.equal(notes.length, 1);
    assert.equal(notes[0].severity, 'warning');
    assert.match(notes[0].message, /no execution has picked up 9999999 after 61 s/);
    assert.deepEqual(notes[0].actions, [{ kind: 'releaseChange', title: 'Release Change' }]);
    assert.match(t.view.statusBar.text, /9999999 not picked up/);
  });

  it('loads action executions of a finished history entry once', async () => {
    const api = fakeApi();
    const t = tracker(api);
    await t.run();
    const first = await t.loadActionExecutions('e1');
    await t.loadActionExecutions('e1');
    assert.equal(api.calls.listActionExecutions, 1);
    assert.deepEqual(
      first.map((d) => d.actionName),
      ['Source', 'SecurityTestsAndBuild'],
    );
    const root = t.view.root!;
    const history = root.children === 'lazy' ? undefined : root.children.at(-1);
    const e1 =
      history && history.children !== 'lazy'
        ? history.children.find((c) => c.id === 'execution:WorkshopPipeline-Pipeline/e1')
        : undefined;
    assert.ok(e1 && e1.children !== 'lazy', 'loaded children replace the lazy marker');
    assert.deepEqual(
      e1.children.map((c) => c.links.buildId),
      [undefined, 'WorkshopPipeline-Build:11111111-2222-3333-4444-555555555555'],
    );
  });

  it('keeps memory bounded over 10,000 refreshes', async () => {
    const api = fakeApi();
    let now = NOW;
    const t = tracker(api, () => now);
    t.onDidChange(() => undefined);
    // A real collection before each measure, so only retained memory counts.
    setFlagsFromString('--expose_gc');
    const gc = runInNewContext('gc') as () => void;
    await t.run();
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) {
      api.state = i % 2 === 0 ? running : failed;
      now += 2_500;
      await t.run();
    }
    gc();
    const growth = process.memoryUsage().heapUsed - before;
    assert.ok(growth < 5 * 1024 * 1024, `heap grew ${Math.round(growth / 1024)} KiB`);
  });
});
