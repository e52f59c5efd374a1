// The Korean bundle as @vscode/l10n loads it at activation (src/editor/coreL10n.ts): the core's
// messages come out in Korean with their arguments in place, and English returns without a bundle.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as l10n from '@vscode/l10n';
import { missingProblem } from '../../../src/health/serviceProblem';
import { FinishNotifier, notPickedUpDecision } from '../../../src/pipeline/notifications';
import { formatAge } from '../../../src/pipeline/format';
import { buildStatusBar } from '../../../src/pipeline/statusBarModel';
import type { ExecutionSummary } from '../../../src/pipeline/executions';

const HANGUL = /[\uac00-\ud7a3]/;
const NOW = Date.UTC(2026, 0, 1, 12, 0, 0);
const failedRun: ExecutionSummary = {
  id: 'e1',
  status: 'Failed',
  statusSummary: 'Build failed',
  startTime: new Date(NOW - 120_000),
  lastUpdateTime: new Date(NOW - 10_000),
  revisions: [{ actionName: 'Source', revisionId: 'abcdef1234567890', summary: 'Fix the health check' }],
};

describe('the Korean bundle', () => {
  before(() => l10n.config({ fsPath: 'l10n/bundle.l10n.ko.json' }));
  after(() => l10n.config({ contents: {} }));

  it('names the pipeline, commit and failure in a failure notification', () => {
    const notifier = new FinishNotifier(NOW - 60_000);
    const [decision] = notifier.observe({
      level: 'mine',
      region: 'ap-northeast-2',
      pipelineName: 'WorkshopPipeline-Pipeline',
      executions: [failedRun],
      isMine: () => true,
      now: NOW,
    });
    assert.equal(
      decision.message,
      'WorkshopPipeline-Pipeline: abcdef1 Fix the health check이(가) 실패했습니다: Build failed',
    );
    assert.deepEqual(
      decision.actions.map((a) => a.title),
      ['콘솔에서 열기'],
    );
  });

  it('says a push was not picked up, with the pipeline, short commit and wait', () => {
    const d = notPickedUpDecision('WorkshopPipeline-Pipeline', 'abcdef1234567890', 90_000);
    assert.match(d.message, HANGUL);
    assert.match(d.message, /^WorkshopPipeline-Pipeline: 90초가 지나도록 abcdef1을\(를\) 가져간 실행이 없습니다\./);
    assert.deepEqual(
      d.actions.map((a) => a.title),
      ['변경 사항 릴리스'],
    );
  });

  it('keeps AWS names and state words while translating the sentence around them', () => {
    const p = missingProblem('service', {
      account: '111122223333',
      region: 'ap-northeast-2',
      cluster: 'ModernizationCluster',
      service: 'ModernService',
    });
    assert.equal(
      p.message,
      '클러스터 ModernizationCluster의 서비스 ModernService이(가) 111122223333 ap-northeast-2에 없습니다.',
    );
    const bar = buildStatusBar({ pipelineName: 'WorkshopPipeline-Pipeline', execution: failedRun, now: NOW });
    assert.equal(bar.text, '$(error) 실패');
    assert.match(bar.tooltip, /\*\*WorkshopPipeline\\-Pipeline\*\* — 실패/);
    assert.equal(formatAge(new Date(NOW - 180_000), NOW), '3분 전');
  });
});

describe('without a bundle (English, the default)', () => {
  it('formats the same messages in English, byte for byte', () => {
    l10n.config({ contents: {} });
    assert.equal(
      notPickedUpDecision('p', 'abcdef1234567890', 90_000).message,
      "p: no execution has picked up abcdef1 after 90 s. The pipeline's trigger may be disabled or watching another branch.",
    );
    assert.equal(formatAge(new Date(NOW - 180_000), NOW), '3m ago');
  });
});
