// The README's Benchmarks section is what bench/report.ts renders from bench/results.json: text and
// figures come from the same run, and a hand edit or a stale table fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BEGIN_MARKER, END_MARKER, currentSection, replaceSection, section } from '../../../bench/report';
import type { Results } from '../../../bench/results';

const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results;
const readme = readFileSync('README.md', 'utf8');

describe('README benchmarks', () => {
  it('hold exactly the figures of bench/results.json (npm run bench rewrites them)', () => {
    assert.equal(currentSection(readme), section(results));
  });

  it('say how long the last full run took and with what', () => {
    const text = section(results);
    assert.ok(text.includes(`${Math.round(results.seconds / 60)} minutes on ${results.machine.cpus} cores`));
    assert.ok(text.includes(`| \`.vsix\` | ${(results.bundle.vsixBytes / 1024).toFixed(1)} KiB |`));
  });

  it('are replaced between the markers only', () => {
    const doc = `# T\n\n## Benchmarks\n\n${BEGIN_MARKER}\nold\n${END_MARKER}\n\n## After\n`;
    assert.equal(
      replaceSection(doc, 'new\ntable'),
      `# T\n\n## Benchmarks\n\n${BEGIN_MARKER}\nnew\ntable\n${END_MARKER}\n\n## After\n`,
    );
    assert.equal(currentSection(replaceSection(doc, 'x')), 'x');
    assert.throws(() => replaceSection('# no markers\n', 'x'), /has no <!-- bench:begin/);
  });
});
