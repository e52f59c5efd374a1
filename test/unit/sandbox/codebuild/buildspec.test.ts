// The buildspec parser: what CodeBuild accepts, and its YAML_FILE_ERROR texts for what it rejects.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BuildspecError, parseBuildspec } from '../../../sandbox/codebuild/buildspec';

test('parses env, phases with finally and on-failure, artifacts and reports', () => {
  const spec = parseBuildspec(
    [
      'version: 0.2',
      'env:',
      '  shell: bash',
      '  variables: { A: "1" }',
      '  parameter-store: { P: /app/p }',
      '  exported-variables: [A]',
      'phases:',
      '  pre_build:',
      '    on-failure: CONTINUE',
      '    commands: [echo hi]',
      '    finally: [echo bye]',
      'artifacts:',
      '  files: ["**/*"]',
      '  base-directory: out',
      '  discard-paths: yes',
      'reports:',
      '  Tests:',
      '    files: [reports/*.xml]',
      '    file-format: JUNITXML',
    ].join('\n'),
  );
  assert.equal(spec.shell, 'bash');
  assert.deepEqual(spec.variables, { A: '1' });
  assert.deepEqual(spec.parameterStore, { P: '/app/p' });
  assert.deepEqual(spec.exportedVariables, ['A']);
  assert.deepEqual(spec.phases.pre_build, { commands: ['echo hi'], finally: ['echo bye'], onFailure: 'CONTINUE' });
  assert.deepEqual(spec.artifacts, { files: ['**/*'], baseDirectory: 'out', discardPaths: true });
  assert.equal(spec.reports.Tests.fileFormat, 'JUNITXML');
});

test('a command with ": " is a map, rejected with CodeBuild\'s message', () => {
  assert.throws(
    () => parseBuildspec('version: 0.2\nphases:\n  build:\n    commands:\n      - echo Hello: world\n'),
    (e: unknown) =>
      e instanceof BuildspecError &&
      /^Expected Commands\[0\] to be of string type: found subkeys instead at line 5/.test(e.message),
  );
});

test('YAML syntax errors name the line; a missing version and unknown phases are rejected', () => {
  assert.throws(() => parseBuildspec('version: 0.2\nphases: [\n'), /at line \d+$/);
  assert.throws(
    () => parseBuildspec('phases:\n  build:\n    commands: [ls]\n'),
    /^Error: missing version$|missing version/,
  );
  assert.throws(() => parseBuildspec('version: 0.2\nphases:\n  test:\n    commands: [ls]\n'), /unknown phase: test/);
  assert.throws(
    () => parseBuildspec('version: 0.2\nphases:\n  build:\n    on-failure: RETRY\n    commands: [ls]\n'),
    /invalid on-failure value: RETRY/,
  );
});
