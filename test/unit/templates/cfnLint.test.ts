// Runs the real cfn-lint on the bundled templates. A missing cfn-lint fails the test: a silent
// skip would let an invalid template ship.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { templatePath } from './templateHelpers';

const run = promisify(execFile);

interface Finding {
  Level: string;
  Message: string;
  Rule: { Id: string };
  Location: { Start: { LineNumber: number } };
}

async function lint(path: string): Promise<Finding[]> {
  try {
    const { stdout } = await run('cfn-lint', ['--format', 'json', '--', path], {
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return JSON.parse(stdout || '[]') as Finding[];
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; stderr?: string };
    if (e.code === 'ENOENT') {
      assert.fail(
        'cfn-lint is not installed or not on PATH; `npm run prerequisites` installs it (into a virtual environment in ~/.cache/workshop-pipeline).',
      );
    }
    // cfn-lint exits non-zero when it has findings; they are on stdout as JSON.
    if (e.stdout) return JSON.parse(e.stdout) as Finding[];
    throw new Error(`cfn-lint failed: ${e.stderr ?? e.message}`, { cause: error });
  }
}

describe('cfn-lint', () => {
  for (const name of ['pipeline', 'service'] as const) {
    it(`reports no errors and no warnings on ${name}.yaml`, async () => {
      const findings = await lint(templatePath(name));
      const listed = findings
        .map((f) => `${f.Level} ${f.Rule.Id} line ${f.Location.Start.LineNumber}: ${f.Message}`)
        .join('\n');
      assert.deepEqual(
        findings.filter((f) => f.Level === 'Error' || f.Level === 'Warning'),
        [],
        listed,
      );
      assert.equal(findings.length, 0, listed);
    });
  }
});
