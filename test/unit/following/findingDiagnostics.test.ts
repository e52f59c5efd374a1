// The Problems panel's content for a run's findings (what FindingsPresenter shows): severity, source,
// the rule id linked to its documentation, a message without the secret; a newer run replaces the
// findings shown, an older read that ends later is dropped, and a run without findings clears them.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  FINDINGS_SOURCE,
  FindingsBoard,
  layoutFindings,
  type FindingsLayout,
} from '../../../src/following/findingDiagnostics';
import type { RepoFiles } from '../../../src/findings/placement';
import { findingOf, type Finding, type TestCaseInput } from '../../../src/findings/reportFindings';
import type { ExecutionFindings } from '../../../src/following/findingsFollower';

const KEY = 'AKIA' + 'Q3EGRIGHTSIDEUPQ';
const LEAK_JS = `// app\nconst key = "${KEY}";\nmodule.exports = key;\n`;
const DOCKERFILE = 'FROM node:latest\n  RUN npm ci   \n';

/** The commit's files are the workspace's: nothing moved since the build. */
function sameFiles(files: Record<string, string>): RepoFiles {
  return {
    atCommit: (path) => Promise.resolve(files[path]),
    commitKnown: () => Promise.resolve(true),
    currentPath: (path) => Promise.resolve(files[path] === undefined ? undefined : path),
    current: (path) => Promise.resolve(files[path]),
    lockFiles: () => Promise.resolve([]),
  };
}

const FILES = sameFiles({ 'src/leak.js': LEAK_JS, Dockerfile: DOCKERFILE });
const OPTIONS = { dockerfile: 'Dockerfile' };

function finding(tc: TestCaseInput): Finding {
  const f = findingOf({ status: 'FAILED', ...tc });
  assert.ok(f);
  return f;
}

const leak = finding({
  prefix: 'Identified a pattern that may indicate AWS credentials',
  name: 'aws-access-token has detected a secret in file src/leak.js, line 2.',
  message: `aws-access-token has detected a secret in file src/leak.js, line 2. Secret: ${KEY}`,
  testSuiteName: 'gitleaks',
});
const latest = finding({ prefix: 'DL3007', name: 'Dockerfile:1', message: 'warning: Using latest is prone to errors' });
const pin = finding({ prefix: 'DL3008', name: 'Dockerfile:2', message: 'info: Pin versions in apt get install' });

function run(executionId: string, ...builds: Finding[][]): ExecutionFindings {
  return {
    executionId,
    commitId: '0123456789abcdef0123456789abcdef01234567',
    actions: builds.map((findings, i) => ({
      stageName: 'Build',
      actionName: 'Build',
      buildId: `build-${executionId}-${i}`,
      failed: findings.length > 0,
      result: { buildId: `build-${executionId}-${i}`, reports: [], findings, complete: true },
    })),
  };
}

describe('findings as diagnostics', () => {
  it('puts each finding on its line: severity, source, rule id with its docs link, no secret', async () => {
    const layout = await layoutFindings(run('e1', [leak, latest, pin]), FILES, OPTIONS);
    assert.equal(layout.reported, 3);
    const [secret] = layout.files.get('src/leak.js') ?? [];
    assert.deepEqual(secret, {
      line: 2,
      startColumn: 0,
      endColumn: LEAK_JS.split('\n')[1].length,
      message: secret?.message,
      severity: 'error',
      source: 'Workshop Pipeline',
      code: {
        value: 'aws-access-token',
        target: 'https://github.com/gitleaks/gitleaks/blob/v8.21.2/config/gitleaks.toml',
      },
    });
    assert.equal(FINDINGS_SOURCE, 'Workshop Pipeline');
    assert.match(secret?.message ?? '', /^AWS access key committed to the repository/);
    assert.ok(!secret?.message.includes(KEY), 'the secret never reaches the Problems panel');
    assert.ok(!secret?.message.includes('AKIA'));

    const docker = layout.files.get('Dockerfile') ?? [];
    assert.deepEqual(
      docker.map((d) => [d.line, d.severity, d.code.value, d.code.target]),
      [
        [1, 'warning', 'DL3007', 'https://github.com/hadolint/hadolint/wiki/DL3007'],
        [2, 'info', 'DL3008', 'https://github.com/hadolint/hadolint/wiki/DL3008'],
      ],
    );
    // The range runs from the line's first non-blank character to its last.
    assert.deepEqual([docker[1]?.startColumn, docker[1]?.endColumn], [2, '  RUN npm ci'.length]);
    assert.deepEqual(layout.placed.get('build-e1-0/0'), { path: 'src/leak.js', line: 2 });
  });

  it('leaves out a finding whose file is gone from the workspace, and counts it as reported', async () => {
    const layout = await layoutFindings(run('e1', [leak]), sameFiles({ Dockerfile: DOCKERFILE }), OPTIONS);
    assert.equal(layout.reported, 1);
    assert.equal(layout.files.size, 0);
    assert.equal(layout.placed.size, 0);
  });
});

describe('the findings shown in Problems', () => {
  const layout = (e: ExecutionFindings): Promise<FindingsLayout> => layoutFindings(e, FILES, OPTIONS);

  it('a newer run replaces the findings shown: files it has no finding in are cleared', async () => {
    const board = new FindingsBoard();
    const first = board.apply(board.begin(), await layout(run('e1', [leak, latest])));
    assert.deepEqual(first?.clear, []);
    assert.deepEqual([...(first?.set.keys() ?? [])].sort(), ['Dockerfile', 'src/leak.js']);

    const second = board.apply(board.begin(), await layout(run('e2', [pin])));
    assert.deepEqual(second?.clear, ['src/leak.js']);
    assert.deepEqual(
      second?.set.get('Dockerfile')?.map((d) => d.code.value),
      ['DL3008'],
      "only the newer run's finding on the Dockerfile",
    );
    assert.equal(board.locationOf('build-e1-0', 0), undefined, "the older run's findings no longer open");
    assert.deepEqual(board.locationOf('build-e2-0', 0), { path: 'Dockerfile', line: 2 });
  });

  it('a run that passes clears every finding', async () => {
    const board = new FindingsBoard();
    board.apply(board.begin(), await layout(run('e1', [leak, latest])));
    const passed = board.apply(board.begin(), await layout(run('e2', [])));
    assert.deepEqual(passed?.clear.slice().sort(), ['Dockerfile', 'src/leak.js']);
    assert.equal(passed?.set.size, 0);
  });

  it("an older run's findings read after a newer run began are dropped", async () => {
    const board = new FindingsBoard();
    const older = board.begin();
    const newer = board.begin();
    assert.ok(board.apply(newer, await layout(run('e2', [pin]))));
    assert.equal(board.apply(older, await layout(run('e1', [leak]))), undefined);
    assert.equal(board.locationOf('build-e1-0', 0), undefined);
  });

  it('nothing is shown once the presenter is disposed mid-read', async () => {
    const board = new FindingsBoard();
    const token = board.begin();
    board.cancel();
    assert.equal(board.apply(token, await layout(run('e1', [leak]))), undefined);
  });
});
