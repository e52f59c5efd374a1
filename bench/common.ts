// Small helpers shared by the benchmark modules: statistics and the sandbox admin API.
import { waitFor } from '../test/support/waitFor';

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) {
    return Number.NaN;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (values: readonly number[]): number => percentile(values, 50);

export const round = (value: number, digits = 2): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Calls per `service:Operation` as the sandbox counted them (GET /_sandbox/calls). */
export async function sandboxCalls(endpoint: string): Promise<Record<string, number>> {
  const response = await fetch(`${endpoint}/_sandbox/calls`);
  if (!response.ok) {
    throw new Error(`GET /_sandbox/calls answered ${response.status}`);
  }
  return (await response.json()) as Record<string, number>;
}

export async function resetSandboxCalls(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/_sandbox/calls`, { method: 'DELETE' });
  if (!response.ok) {
    throw new Error(`DELETE /_sandbox/calls answered ${response.status}`);
  }
}

export function total(calls: Readonly<Record<string, number>>): number {
  return Object.values(calls).reduce((a, b) => a + b, 0);
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export { waitFor };

/** Credentials the SDK's default chain finds, as the editor's would (the sandbox accepts test/test). */
export function useSandboxCredentials(): void {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_REGION = 'us-east-1';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
