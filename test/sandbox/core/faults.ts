// Fault injection for reliability tests: throttling, 5xx, latency and connection resets per
// service or operation, at given rates, from a seedable random source so runs are repeatable.
//
// SPEC syntax (for --faults and PUT /_sandbox/faults), rules separated by commas:
//   RULE   := TARGET '=' FAULT ['@' RATE] ['#' COUNT]
//   TARGET := '*' | SERVICE | SERVICE ':' OPERATION | '*:' OPERATION | SERVICE ':*'
//             (SERVICE is the SigV4 signing name: sts, cloudformation, codecommit, codepipeline, …)
//   FAULT  := 'throttle'                 the service's throttling error (Throttling / ThrottlingException, 400 "Rate exceeded")
//           | 'unavailable' | '5xx'      503 ServiceUnavailable
//           | 'internal'                 500 InternalFailure
//           | 'reset'                    the connection is destroyed without a response
//           | 'latency:' N ('ms' | 's')  the call is delayed (real time) and then proceeds
//   RATE   := probability in [0, 1] that a matching call is hit (default 1)
//   COUNT  := hit at most N calls, then the rule is spent (e.g. `throttle#2`: the next two calls)
// Example: `cloudformation:DescribeStackEvents=throttle@0.5,*=latency:200ms@0.1,codecommit:GetRepository=5xx#1`
// Every matching latency rule adds its delay; of the other rules the first that hits decides the fault.

export type FaultKind = 'throttle' | 'unavailable' | 'internal' | 'reset' | 'latency';

export interface FaultRule {
  readonly service: string;
  readonly operation: string;
  readonly kind: FaultKind;
  readonly latencyMs: number;
  readonly rate: number;
  /** Hits left before the rule is spent; undefined = unlimited. */
  remaining: number | undefined;
  readonly source: string;
}

export interface FaultDecision {
  readonly latencyMs: number;
  readonly fault?: Exclude<FaultKind, 'latency'>;
}

const RULE =
  /^(\*|[a-z0-9-]+)(?::(\*|[A-Za-z0-9]+))?=(throttle|unavailable|5xx|internal|reset|latency:(\d+(?:\.\d+)?)(ms|s))(?:@(\d*\.?\d+))?(?:#(\d+))?$/;

export function parseFaultSpec(spec: string): FaultRule[] {
  return spec
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((source) => {
      const m = RULE.exec(source);
      if (!m)
        throw new Error(
          `invalid fault rule '${source}': expected TARGET=FAULT[@RATE][#COUNT], e.g. cloudformation:DescribeStackEvents=throttle@0.5`,
        );
      const [, service, operation = '*', fault, amount, unit, rateText, countText] = m;
      const rate = rateText === undefined ? 1 : Number(rateText);
      if (!(rate >= 0 && rate <= 1)) throw new Error(`invalid fault rule '${source}': rate must be between 0 and 1`);
      const kind: FaultKind = fault.startsWith('latency')
        ? 'latency'
        : fault === '5xx'
          ? 'unavailable'
          : (fault as FaultKind);
      const latencyMs = kind === 'latency' ? Number(amount) * (unit === 's' ? 1000 : 1) : 0;
      return {
        service,
        operation,
        kind,
        latencyMs,
        rate,
        remaining: countText === undefined ? undefined : Number(countText),
        source,
      };
    });
}

/** mulberry32: tiny, fast and good enough to make fault patterns repeatable from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class FaultInjector {
  private rules: FaultRule[] = [];
  private random: () => number;

  constructor(spec = '', seed: number = Date.now()) {
    this.random = seededRandom(seed);
    this.set(spec);
  }

  /** Replaces the rules; a seed restarts the random sequence. */
  set(spec: string, seed?: number): void {
    this.rules = parseFaultSpec(spec);
    if (seed !== undefined) this.random = seededRandom(seed);
  }

  describe(): string {
    return this.rules
      .map((rule) => rule.source + (rule.remaining === undefined ? '' : ` (${rule.remaining} left)`))
      .join(',');
  }

  decide(service: string, operation: string): FaultDecision {
    let latencyMs = 0;
    let fault: FaultDecision['fault'];
    for (const rule of this.rules) {
      if (rule.service !== '*' && rule.service !== service) continue;
      if (rule.operation !== '*' && rule.operation !== operation) continue;
      if (rule.remaining === 0) continue;
      if (rule.kind !== 'latency' && fault !== undefined) continue;
      if (rule.rate < 1 && this.random() >= rule.rate) continue;
      if (rule.remaining !== undefined) rule.remaining--;
      if (rule.kind === 'latency') latencyMs += rule.latencyMs;
      else fault = rule.kind;
    }
    return fault === undefined ? { latencyMs } : { latencyMs, fault };
  }
}
