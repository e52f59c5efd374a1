// Heap growth over 10,000 poll cycles, measured in a child Node with --expose-gc so nothing else
// of the benchmark (the sandbox serving the calls lives in this process) is in the measured heap.
import { spawn } from 'node:child_process';
import type { Workshop } from '../test/integration/pipeline/workshop';
import { log } from './common';

export interface HeapResult {
  readonly cycles: number;
  readonly warmupCycles: number;
  readonly baselineMB: number;
  readonly afterMB: number;
  readonly growthMB: number;
  /** heapUsed after forced GC every 1000 cycles, MB. */
  readonly samplesMB: number[];
  readonly seconds: number;
}

export function measureHeap(workshop: Workshop, cycles: number): Promise<HeapResult> {
  log(`heap: ${cycles} poll cycles in a child process (--expose-gc)`);
  const args = [
    '--expose-gc',
    '--import',
    'tsx',
    'bench/heapChild.ts',
    workshop.endpoint,
    workshop.outputs.PipelineName,
    workshop.outputs.ClusterName,
    workshop.outputs.ServiceName,
    String(cycles),
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, NODE_NO_WARNINGS: '1' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) {
        reject(new Error(`heap child exited ${code}: ${stderr.slice(-1000)}`));
        return;
      }
      try {
        resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as HeapResult);
      } catch (error) {
        reject(new Error(`heap child printed no result: ${String(error)} ${stdout.slice(-500)} ${stderr.slice(-500)}`));
      }
    });
  });
}
