// `npm run bench`: builds the production package, then measures bundle sizes, activation in the
// real extension host (beside an empty extension), deploy completion detection and stage-change
// detection (beside the seed's CLI loops), API calls per hour, heap growth and the pre-push secret scan. Prints a Markdown
// table and writes bench/results.json (`npm run bench` then rewrites the README from it).
//
// `--quick` (`npm run bench:quick`, part of `npm test`): every benchmark through the same code with
// fewer samples, faster sandboxes and shorter loop intervals, so a broken benchmark fails the tests.
// Its figures mean little and are printed only: results.json and the README are left alone.
import { cpus } from 'node:os';
import { writeFileSync } from 'node:fs';
import { CODE_SERVER_VERSION } from '../scripts/cache.cjs';
import { measureActivation } from './activation';
import { measureBundleSizes, packageProduction } from './bundleSize';
import { log, round } from './common';
import { measureDeployDelay } from './deployDelay';
import { measureHeap, type HeapResult } from './heap';
import { measurePollingCalls } from './pollingCalls';
import { table } from './report';
import type { BenchSettings, Results } from './results';
import { measureSecretScan } from './secretScan';
import { SEED_INTERVAL_S } from './seedCli';
import { measureStageDelay } from './stageDelay';

const FULL: BenchSettings = {
  activationSamples: 5,
  deploySpeed: 4,
  deployPairs: 5,
  stageSpeed: 10,
  stagePushes: 3,
  stageSeedPushes: 2,
  seedIntervalS: SEED_INTERVAL_S,
  hourFactor: 120,
  heapCycles: 10_000,
  secretScanSamples: 20,
};

const QUICK: BenchSettings = {
  activationSamples: 1,
  deploySpeed: 20,
  deployPairs: 1,
  stageSpeed: 30,
  stagePushes: 1,
  stageSeedPushes: 1,
  seedIntervalS: 2,
  hourFactor: 600,
  heapCycles: 1_000,
  secretScanSamples: 3,
};

async function main(): Promise<void> {
  const started = Date.now();
  const quick = process.argv.includes('--quick');
  const settings = quick ? QUICK : FULL;
  log(`${quick ? 'quick mode: ' : ''}building the production package (npm run package)`);
  packageProduction();
  const bundle = measureBundleSizes();
  const secretScan = await measureSecretScan(settings.secretScanSamples ?? 3);
  const activation = await measureActivation(settings.activationSamples);
  const deploy = await measureDeployDelay({
    speed: settings.deploySpeed,
    pairs: settings.deployPairs,
    seedIntervalS: settings.seedIntervalS,
  });
  const stages = await measureStageDelay({
    speed: settings.stageSpeed,
    pushes: settings.stagePushes,
    seedPushes: settings.stageSeedPushes,
    seedIntervalS: settings.seedIntervalS,
  });
  let heap: HeapResult | undefined;
  const polling = await measurePollingCalls(settings.hourFactor, async (workshop) => {
    heap = await measureHeap(workshop, settings.heapCycles);
  });
  if (!heap) {
    throw new Error('the heap benchmark did not run');
  }
  const results: Results = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: cpus().length, codeServer: CODE_SERVER_VERSION },
    settings,
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
    secretScan,
    seconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`\n${table(results)}\n\n`);
  if (quick) {
    process.stdout.write(`Quick mode: every benchmark ran (${results.seconds.toFixed(0)} s); figures not kept.\n`);
    return;
  }
  writeFileSync('bench/results.json', `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`bench/results.json written; ${results.seconds.toFixed(0)} s in all.\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
