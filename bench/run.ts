// `npm run bench`: builds the production package, then measures bundle sizes, activation in the
// real extension host, deploy completion detection beside the seed's loop, stage-change detection,
// API calls per hour and heap growth. Prints a Markdown table and writes bench/results.json
// (`--markdown FILE` also writes the table to FILE).
import { writeFileSync } from 'node:fs';
import { measureActivation, type ActivationResult } from './activation';
import { measureBundleSizes, packageProduction, type BundleSizes } from './bundleSize';
import { log, round } from './common';
import { measureDeployDelay, type DeployDelayResult } from './deployDelay';
import { measureHeap, type HeapResult } from './heap';
import { measurePollingCalls, type PollingCallsResult } from './pollingCalls';
import { measureStageDelay, type StageDelayResult } from './stageDelay';

const SETTINGS = {
  activationSamples: 5,
  deploySpeed: 4,
  deployPairs: 5,
  stageSpeed: 10,
  stagePushes: 3,
  hourFactor: 120,
  heapCycles: 10_000,
};

interface Results {
  readonly date: string;
  readonly machine: { node: string; cpus: number };
  readonly settings: typeof SETTINGS;
  readonly bundle: BundleSizes;
  readonly activation: ActivationResult;
  readonly deploy: DeployDelayResult;
  readonly stages: StageDelayResult;
  readonly polling: PollingCallsResult;
  readonly heap: HeapResult;
  readonly seconds: number;
}

const kib = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
const ops = (calls: Record<string, number>): string =>
  Object.entries(calls)
    .sort(([, a], [, b]) => b - a)
    .map(([k, v]) => `${k.split(':')[1]} ${v}`)
    .join(', ');
const mark = (ok: boolean): string => (ok ? '✅' : '❌');

function table(r: Results): string {
  const b = r.bundle.chunks;
  const rows: [string, string, string][] = [
    ['Activation chunk `dist/extension.js`', kib(b['dist/extension.js']), ''],
    ['Lazy chunk `dist/sdk.js` (AWS SDK, loaded on first call)', kib(b['dist/sdk.js']), ''],
    ['Lazy chunk `dist/cfnYaml.js` (template parser, loaded on deploy)', kib(b['dist/cfnYaml.js']), ''],
    ['Credential helper `dist/git-credential-codecommit.js`', kib(b['dist/git-credential-codecommit.js']), ''],
    ['`.vsix`', kib(r.bundle.vsixBytes), ''],
    [
      `Activation time in the extension host (median of ${r.activation.samplesMs.length}: ${r.activation.samplesMs.join(', ')} ms)`,
      `${r.activation.medianMs} ms`,
      '',
    ],
    [
      `Deploy: completion seen after the final stack event, ours (median of ${r.deploy.oursDelaysS.length})`,
      `${r.deploy.oursMedianS.toFixed(1)} s`,
      `≤ 3 s ${mark(r.deploy.oursMedianS <= 3)}`,
    ],
    [
      `Deploy: same, the seed's 30 s \`describe-stacks\` loop (median of ${r.deploy.seedDelaysS.length}, same run and sandbox)`,
      `${r.deploy.seedMedianS.toFixed(1)} s`,
      '',
    ],
    [
      `API calls of one deploy (create, ${r.deploy.stackCreateSeconds.toFixed(0)} s stack): ${ops(r.deploy.callsPerDeploy)}`,
      `${r.deploy.callsPerDeployTotal}`,
      '',
    ],
    [
      `Stage-change detection while active, p50 / p95 (${r.stages.changes} changes, ${r.stages.pushes} pushes)`,
      `${r.stages.p50S.toFixed(1)} s / ${r.stages.p95S.toFixed(1)} s`,
      `p50 ≤ 3 s ${mark(r.stages.p50S <= 3)}`,
    ],
    [
      `API calls per hour, idle and focused: ${ops(r.polling.idleFocused)}`,
      `${r.polling.idleFocusedPerHour}`,
      `≤ 120 ${mark(r.polling.idleFocusedPerHour <= 120)}`,
    ],
    [
      'API calls per hour, idle and unfocused',
      `${r.polling.idleUnfocusedPerHour}`,
      `0 ${mark(r.polling.idleUnfocusedPerHour === 0)}`,
    ],
    [
      `API calls per hour during an execution (focused): ${ops(r.stages.executionCalls)} in ${r.stages.executionSeconds.toFixed(0)} s`,
      `${Math.round(r.stages.executionCallsPerHour)}`,
      '',
    ],
    [
      `Heap growth over ${r.heap.cycles.toLocaleString('en-US')} poll cycles (after forced GC)`,
      `${r.heap.growthMB.toFixed(2)} MB`,
      `< 5 MB ${mark(r.heap.growthMB < 5)}`,
    ],
  ];
  const lines = [
    '| Measure | Result | Target |',
    '| --- | ---: | --- |',
    ...rows.map(([m, v, t]) => `| ${m} | ${v} | ${t} |`),
  ];
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  const started = Date.now();
  const markdownOut = process.argv.includes('--markdown')
    ? process.argv[process.argv.indexOf('--markdown') + 1]
    : undefined;

  log('building the production package (npm run package)');
  packageProduction();
  const bundle = measureBundleSizes();
  const activation = await measureActivation(SETTINGS.activationSamples);
  const deploy = await measureDeployDelay({ speed: SETTINGS.deploySpeed, pairs: SETTINGS.deployPairs });
  const stages = await measureStageDelay({ speed: SETTINGS.stageSpeed, pushes: SETTINGS.stagePushes });
  let heap: HeapResult | undefined;
  const polling = await measurePollingCalls(SETTINGS.hourFactor, async (workshop) => {
    heap = await measureHeap(workshop, SETTINGS.heapCycles);
  });
  if (!heap) {
    throw new Error('the heap benchmark did not run');
  }
  const results: Results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: (await import('node:os')).cpus().length },
    settings: SETTINGS,
    bundle,
    activation,
    deploy: {
      ...deploy,
      oursDelaysS: deploy.oursDelaysS.map((d) => round(d, 3)),
      seedDelaysS: deploy.seedDelaysS.map((d) => round(d, 3)),
    },
    stages,
    polling,
    heap,
    seconds: (Date.now() - started) / 1000,
  };
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  const markdown = table(results);
  if (markdownOut) {
    writeFileSync(markdownOut, markdown);
  }
  process.stdout.write(`\n${markdown}\nbench/results.json written; ${results.seconds.toFixed(0)} s in all.\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
