// The shape of bench/results.json: what `npm run bench` measured, with the settings it used.
import type { ActivationResult } from './activation';
import type { BundleSizes } from './bundleSize';
import type { DeployDelayResult } from './deployDelay';
import type { HeapResult } from './heap';
import type { PollingCallsResult } from './pollingCalls';
import type { SecretScanResult } from './secretScan';
import type { StageDelayResult } from './stageDelay';

export interface BenchSettings {
  readonly activationSamples: number;
  readonly deploySpeed: number;
  readonly deployPairs: number;
  readonly stageSpeed: number;
  readonly stagePushes: number;
  readonly stageSeedPushes: number;
  /** The seed loops' interval (30 s as in the workshop; shorter in the quick mode). */
  readonly seedIntervalS: number;
  readonly hourFactor: number;
  readonly heapCycles: number;
  /** Runs of the pre-push secret scan after the first (absent in results of older runs). */
  readonly secretScanSamples?: number;
}

export interface Results {
  readonly date: string;
  readonly machine: { readonly node: string; readonly cpus: number; readonly codeServer: string };
  readonly settings: BenchSettings;
  readonly bundle: BundleSizes;
  readonly activation: ActivationResult;
  readonly deploy: DeployDelayResult;
  readonly stages: StageDelayResult;
  readonly polling: PollingCallsResult;
  readonly heap: HeapResult;
  /** Absent in results written before the pre-push scan existed. */
  readonly secretScan?: SecretScanResult;
  readonly seconds: number;
}
