// `npm run sandbox -- --port N [--state-dir DIR] [--speed X] [--faults SPEC] [--seed N] [--strict-models] [--identities FILE]`
// Starts the local AWS on one loopback endpoint and prints `Sandbox endpoint: http://127.0.0.1:N`
// once it accepts requests. SIGINT/SIGTERM write the state (with --state-dir) and exit.
import { parseArgs } from 'node:util';
import { startSandbox } from './core/server';
import { readIdentitiesFile } from './iam/identities';
import { loadBalancerEndpoint } from './elbv2/serving';
import { services } from './services';

const USAGE = `usage: npm run sandbox -- [--port N] [--state-dir DIR] [--speed X] [--faults SPEC] [--seed N] [--strict-models] [--identities FILE]

  --port N         port on 127.0.0.1 (0 or absent: pick a free one)
  --state-dir DIR  persist state and git repositories in DIR (default: in memory + temp dir)
  --speed X        simulated AWS time per real time (1 = real AWS timing, 60 = a minute per second)
  --faults SPEC    inject faults, rules separated by commas: TARGET=FAULT[@RATE][#COUNT]
                   TARGET  *  |  service  |  service:Operation  |  *:Operation   (service = SigV4 name, e.g. codecommit)
                   FAULT   throttle | unavailable (5xx) | internal | reset | latency:200ms | latency:2s
                   RATE    probability 0..1 (default 1); COUNT: hit at most N calls
                   e.g. cloudformation:DescribeStackEvents=throttle@0.5,*=latency:200ms@0.1
  --seed N         seed of the fault injector's random source (repeatable runs)
  --strict-models  also check every response against the AWS service model: a mismatch is answered
                   with a 500, printed, listed by GET /_sandbox/violations, and makes the exit code 1
                   (requests are always checked against the model, as AWS does)
  --identities FILE  access keys of IAM users and role sessions with their identity policies (JSON,
                   see test/sandbox/iam/identities.ts); every request is authorized against them

Credentials: access key "test", secret "test" (the account's root user), account 000000000000, region us-east-1.
Admin API (no signature): GET /_sandbox/health, POST /_sandbox/reset, GET|PUT /_sandbox/scenarios,
GET|PUT /_sandbox/faults, GET|DELETE /_sandbox/calls, GET /_sandbox/violations, GET|DELETE /_sandbox/authorizations,
POST /_sandbox/flush`;

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        'state-dir': { type: 'string' },
        speed: { type: 'string' },
        faults: { type: 'string' },
        seed: { type: 'string' },
        'strict-models': { type: 'boolean' },
        identities: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (error) {
    console.error(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = numberOption('port', values.port ?? '0', (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const speed = numberOption('speed', values.speed ?? '1', (n) => n > 0 && Number.isFinite(n));
  const seed = values.seed === undefined ? undefined : numberOption('seed', values.seed, Number.isInteger);

  let running;
  try {
    const credentials = values.identities === undefined ? undefined : readIdentitiesFile(values.identities);
    running = await startSandbox({
      ...(credentials ? { credentials } : {}),
      port,
      speed,
      services,
      strictModels: values['strict-models'] === true,
      ...(values['state-dir'] !== undefined ? { stateDir: values['state-dir'] } : {}),
      ...(values.faults !== undefined ? { faults: values.faults } : {}),
      ...(seed !== undefined ? { seed } : {}),
    });
  } catch (error) {
    console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  const sandbox = running;
  console.log(`Sandbox endpoint: ${sandbox.endpoint}`);
  console.log(`Load balancers: ${await loadBalancerEndpoint(sandbox.sandbox)}`);

  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    sandbox.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error('sandbox: failed to stop cleanly:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

function numberOption(name: string, text: string, valid: (n: number) => boolean): number {
  const n = Number(text);
  if (text.trim() === '' || !valid(n)) {
    console.error(`invalid --${name} '${text}'\n\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

void main();
