// Templates and template paths are the user's: none of them may block the extension host or the
// deploy lane, and a broken one is a template error with its place, not a raw exception.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseTemplate, TemplateSyntaxError } from '../../../src/deploy/cfnYaml';
import { parameterValueProblem } from '../../../src/deploy/parameterValues';
import { loadTemplate, TemplateLoadError } from '../../../src/deploy/templateSource';
import { parameterSpecs } from '../../../src/deploy/templateModel';

function withParameter(lines: string[]): string {
  return [
    'Parameters:',
    '  Name:',
    '    Type: String',
    ...lines.map((l) => `    ${l}`),
    'Resources:',
    '  B:',
    '    Type: AWS::S3::Bucket',
    '',
  ].join('\n');
}

function syntaxError(body: string): TemplateSyntaxError {
  try {
    parseTemplate(body);
  } catch (error) {
    assert.ok(error instanceof TemplateSyntaxError, `expected TemplateSyntaxError, got ${String(error)}`);
    return error;
  }
  assert.fail('the template was accepted');
}

describe('template parameter constraints', { timeout: 10_000 }, () => {
  it('an AllowedPattern that backtracks exponentially answers at once, whatever the value', { timeout: 10_000 }, () => {
    const [spec] = parameterSpecs(parseTemplate(withParameter(["AllowedPattern: '(a+)+$'"])));
    assert.ok(spec);
    assert.equal(parameterValueProblem(spec, 'aaaa'), undefined);
    // A backtracking engine takes longer than the universe's age on this; the test's timeout is the witness.
    assert.match(parameterValueProblem(spec, `${'a'.repeat(50_000)}!`) ?? '', /must match the pattern \(a\+\)\+\$/);
  });

  it('matches the whole value, and each item of a CommaDelimitedList', () => {
    const body = withParameter(["AllowedPattern: '[a-z]+'"]).replace('Type: String', 'Type: CommaDelimitedList');
    const [spec] = parameterSpecs(parseTemplate(body));
    assert.ok(spec);
    assert.equal(parameterValueProblem(spec, 'dev,test'), undefined);
    assert.match(parameterValueProblem(spec, 'dev,Test') ?? '', /must match the pattern/);
    const [single] = parameterSpecs(parseTemplate(withParameter(["AllowedPattern: '[a-z]+'"])));
    assert.ok(single);
    assert.match(parameterValueProblem(single, 'abc1') ?? '', /must match the pattern/);
  });

  it('a pattern only CloudFormation can run (lookahead) is left to CloudFormation, not refused', () => {
    const [spec] = parameterSpecs(parseTemplate(withParameter(["AllowedPattern: '(?=.*[0-9]).{8,}'"])));
    assert.ok(spec);
    assert.equal(parameterValueProblem(spec, 'anything'), undefined);
  });

  it('an invalid AllowedPattern is a template error at the pattern', () => {
    const error = syntaxError(withParameter(["AllowedPattern: '['"]));
    assert.equal(error.line, 4);
    assert.match(
      error.message,
      /^Line 4, column \d+: Parameter Name: AllowedPattern "\[" is not a valid regular expression \(missing closing \]/,
    );
  });

  it('a scalar AllowedValues is a template error at the value', () => {
    const error = syntaxError(withParameter(['AllowedValues: dev']));
    assert.equal(error.line, 4);
    assert.match(error.message, /Parameter Name: AllowedValues must be a list of values, not the string "dev"/);
  });
});

describe('templatePath', { timeout: 10_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'wp-template-path-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function loadError(path: string): Promise<TemplateLoadError> {
    const error: unknown = await loadTemplate(path).then(
      () => assert.fail('loaded'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof TemplateLoadError, String(error));
    return error;
  }

  it('a FIFO is refused at once instead of blocking until something writes to it', async () => {
    const fifo = join(dir, 'template.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.match((await loadError(fifo)).message, /is not a regular file \(a FIFO, socket or device\)/);
  });

  it('a device and a directory are refused', async () => {
    assert.match((await loadError('/dev/zero')).message, /is not a regular file/);
    assert.match((await loadError(dir)).message, /is not a regular file \(a directory\)/);
  });

  it('a regular file still loads', async () => {
    const file = join(dir, 'template.yaml');
    writeFileSync(file, withParameter([]));
    assert.equal((await loadTemplate(file)).specs[0]?.name, 'Name');
  });
});
