import assert from 'node:assert/strict';
import { test } from 'node:test';
import { failedCommandOutputLine } from '../../../src/pipeline/buildLogFailure';

const T = '2026/11/29 10:48:31.401000';

test('a failed one-line command: its first output line', () => {
  const lines = [
    `[Container] ${T} Entering phase BUILD`,
    `[Container] ${T} Running command npm test`,
    '> test',
    'Error: 1 failing',
    `[Container] ${T} Command did not exit successfully npm test exit status 1`,
  ];
  assert.equal(failedCommandOutputLine(lines), 2);
});

test('a failed command over several lines: the line after the whole command, not inside it', () => {
  const command = ['failed=""', 'gitleaks dir . --redact || failed="$failed secrets"', 'test -z "$failed"'];
  const lines = [
    `[Container] ${T} Running command echo ok`,
    'ok',
    `[Container] ${T} Running command ${command[0]}`,
    ...command.slice(1),
    'Finding: REDACTED',
    'RuleID: aws-access-token',
    `[Container] ${T} Command did not exit successfully ${command[0]}`,
    ...command.slice(1, -1),
    `${command.at(-1)} exit status 1`,
  ];
  assert.equal(failedCommandOutputLine(lines), 5);
});

test('a command ending in a newline (a YAML block scalar): " exit status" on its own line is not a command line', () => {
  const lines = [
    `[Container] ${T} Running command if [ -n "$failed" ]; then`,
    '  exit 1',
    'fi',
    'Finding: REDACTED',
    `[Container] ${T} Command did not exit successfully if [ -n "$failed" ]; then`,
    '  exit 1',
    'fi',
    ' exit status 1',
  ];
  assert.equal(failedCommandOutputLine(lines), 3);
});

test('a build whose commands all succeeded has no such line', () => {
  assert.equal(
    failedCommandOutputLine([`[Container] ${T} Running command true`, `[Container] ${T} Phase complete`]),
    undefined,
  );
});

test('a command that printed nothing: its failure line', () => {
  const lines = [
    `[Container] ${T} Running command false`,
    `[Container] ${T} Command did not exit successfully false exit status 1`,
  ];
  assert.equal(failedCommandOutputLine(lines), 1);
});
