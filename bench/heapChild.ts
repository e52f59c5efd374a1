// Child of heap.ts: the pipeline tracker and service-health tracker under the adaptive poller,
// through the real SDK adapters against the sandbox, on a fast-forward clock (each timer fires on
// the next turn of the event loop and moves the clock to its due time), so 10,000 cycles run back
// to back with the production schedule. Prints one JSON line.
import { AwsSession } from '../src/aws/awsSession';
import { codePipelineApi } from '../src/aws/codepipeline';
import { ecsApi } from '../src/aws/ecs';
import { elbv2Api } from '../src/aws/elbv2';
import { HealthTracker } from '../src/health/healthTracker';
import { silentLogger } from '../src/shared/logger';
import { AdaptivePoller } from '../src/polling/adaptivePoller';
import type { Timers } from '../src/polling/timers';
import { PipelineTracker } from '../src/pipeline/pipelineTracker';

const [endpoint, pipelineName, cluster, service, cyclesArg] = process.argv.slice(2);
const CYCLES = Number(cyclesArg);
const WARMUP = 500;
const MB = 1024 * 1024;

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  throw new Error('run with --expose-gc');
}
function heapAfterGc(): number {
  for (let i = 0; i < 4; i++) {
    gc!();
  }
  return process.memoryUsage().heapUsed;
}

class FastForwardTimers implements Timers {
  private clock = Date.now();
  now(): number {
    return this.clock;
  }
  setTimeout(callback: () => void, ms: number) {
    const due = this.clock + ms;
    return {
      token: setImmediate(() => {
        this.clock = Math.max(this.clock, due);
        callback();
      }),
    };
  }
  clearTimeout(handle: { token: unknown }): void {
    clearImmediate(handle.token as NodeJS.Immediate);
  }
}

async function main(): Promise<void> {
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  process.env.AWS_EC2_METADATA_DISABLED = 'true';
  const timers = new FastForwardTimers();
  const session = new AwsSession(
    { profile: undefined, region: 'us-east-1', endpointUrl: endpoint, sso: false },
    silentLogger,
  );
  const api = codePipelineApi(session);
  let cycles = 0;
  let onCycle: (() => void) | undefined;
  const counted = {
    ...api,
    getPipelineState: (name: string) => {
      cycles++;
      onCycle?.();
      return api.getPipelineState(name);
    },
  };
  const tracker = new PipelineTracker({
    api: counted,
    pipelineName,
    region: 'us-east-1',
    notifications: () => 'mine',
    now: () => timers.now(),
  });
  const health = new HealthTracker({
    ecs: ecsApi(session),
    elbv2: elbv2Api(session),
    cluster,
    service,
    now: () => timers.now(),
  });
  const poller = new AdaptivePoller([tracker, health], { timers, focused: true });
  // Views listen to every change, as the editor's tree providers do.
  let changes = 0;
  tracker.onDidChange(() => changes++);
  health.onDidChange(() => changes++);

  const reach = (n: number): Promise<void> =>
    new Promise((resolve) => {
      onCycle = () => {
        if (cycles >= n) {
          onCycle = undefined;
          resolve();
        }
      };
    });
  const started = Date.now();
  poller.start();
  await reach(WARMUP);
  const baseline = heapAfterGc();
  const samples: number[] = [];
  for (let k = 1000; k <= CYCLES; k += 1000) {
    await reach(WARMUP + k);
    samples.push(heapAfterGc() / MB);
  }
  const after = heapAfterGc();
  poller.dispose();
  tracker.dispose();
  health.dispose();
  session.dispose();
  process.stdout.write(
    `${JSON.stringify({ cycles: CYCLES, warmupCycles: WARMUP, baselineMB: baseline / MB, afterMB: after / MB, growthMB: (after - baseline) / MB, samplesMB: samples, seconds: (Date.now() - started) / 1000, changes })}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
