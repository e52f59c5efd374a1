// Rewrites the README's Benchmarks section from bench/results.json (`npm run bench` runs it last).
import { readFileSync, writeFileSync } from 'node:fs';
import { replaceSection, section } from './report';
import type { Results } from './results';

const results = JSON.parse(readFileSync('bench/results.json', 'utf8')) as Results;
const readme = readFileSync('README.md', 'utf8');
const updated = replaceSection(readme, section(results));
if (updated !== readme) {
  writeFileSync('README.md', updated);
  console.log('README.md: Benchmarks section rewritten from bench/results.json');
} else {
  console.log('README.md: Benchmarks section already matches bench/results.json');
}
