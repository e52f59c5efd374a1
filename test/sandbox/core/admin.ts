// The admin API under the reserved path /_sandbox/ (no SigV4): tests and benchmarks drive the
// sandbox through it.
//   GET    /_sandbox/health     → { status: 'ok', services, speed, now }
//   POST   /_sandbox/reset      → clears all service state (and their files), calls and scenarios
//   GET    /_sandbox/scenarios  → the scenario switches
//   PUT    /_sandbox/scenarios  ← JSON merge patch (RFC 7386: null deletes a key) → the merged switches
//   GET    /_sandbox/faults     → { spec } the active rules (with hits left)
//   PUT    /_sandbox/faults     ← a SPEC as text, or JSON { "spec": "…", "seed": 1 }; '' clears
//   GET    /_sandbox/calls      → { "codecommit:GetRepository": 3, … } calls per operation since start/reset
//   DELETE /_sandbox/calls      → resets the counts
//   GET    /_sandbox/violations → [{ service, operation, requestId, problems }] responses that broke
//                                  their AWS model (strict mode); kept until the sandbox closes
//   GET    /_sandbox/authorizations → [{ arn, principalArn, action, resource, verdict, allowedBy, deniedBy }]
//                                  every IAM decision since start/reset, oldest first
//   DELETE /_sandbox/authorizations → forgets them
//   POST   /_sandbox/flush      → writes the state file now (with --state-dir)
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthorizationRecord } from '../iam/authorizer';
import type { ModelViolation } from './models/judge';

export const ADMIN_PREFIX = '/_sandbox/';

export interface AdminTarget {
  health(): Record<string, unknown>;
  reset(): Promise<void>;
  readonly scenarios: Record<string, unknown>;
  getFaults(): string;
  setFaults(spec: string, seed?: number): void;
  readonly calls: Map<string, number>;
  readonly violations: readonly ModelViolation[];
  readonly authorizations: AuthorizationRecord[];
  flush(): void;
}

export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  body: Buffer,
  target: AdminTarget,
): Promise<void> {
  const route = `${req.method ?? 'GET'} ${path.slice(ADMIN_PREFIX.length)}`;
  try {
    switch (route) {
      case 'GET health':
        return send(res, 200, target.health());
      case 'POST reset':
        await target.reset();
        return send(res, 200, { reset: true });
      case 'GET scenarios':
        return send(res, 200, target.scenarios);
      case 'PUT scenarios': {
        const patch = parseJson(body);
        if (typeof patch !== 'object' || patch === null || Array.isArray(patch))
          return send(res, 400, { error: 'expected a JSON object' });
        mergePatch(target.scenarios, patch as Record<string, unknown>);
        return send(res, 200, target.scenarios);
      }
      case 'GET faults':
        return send(res, 200, { spec: target.getFaults() });
      case 'PUT faults': {
        const text = body.toString('utf8').trim();
        if (text.startsWith('{')) {
          const { spec, seed } = parseJson(body) as { spec?: unknown; seed?: unknown };
          if (typeof spec !== 'string' || (seed !== undefined && typeof seed !== 'number')) {
            return send(res, 400, { error: 'expected { "spec": string, "seed"?: number }' });
          }
          target.setFaults(spec, seed);
        } else {
          target.setFaults(text);
        }
        return send(res, 200, { spec: target.getFaults() });
      }
      case 'GET calls':
        return send(res, 200, Object.fromEntries([...target.calls.entries()].sort(([a], [b]) => a.localeCompare(b))));
      case 'DELETE calls':
        target.calls.clear();
        return send(res, 200, {});
      case 'GET authorizations':
        return send(res, 200, target.authorizations);
      case 'DELETE authorizations':
        target.authorizations.length = 0;
        return send(res, 200, {});
      case 'GET violations':
        return send(res, 200, target.violations);
      case 'POST flush':
        target.flush();
        return send(res, 200, { flushed: true });
      default:
        return send(res, 404, { error: `unknown admin call ${route}` });
    }
  } catch (error) {
    return send(res, 400, { error: error instanceof Error ? error.message : String(error) });
  }
}

/** RFC 7386 JSON merge patch, applied in place. */
export function mergePatch(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete target[key];
    } else if (typeof value === 'object' && !Array.isArray(value)) {
      const current = target[key];
      const next =
        typeof current === 'object' && current !== null && !Array.isArray(current)
          ? (current as Record<string, unknown>)
          : {};
      mergePatch(next, value as Record<string, unknown>);
      target[key] = next;
    } else {
      target[key] = value;
    }
  }
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new Error('the body is not valid JSON');
  }
}

function send(res: ServerResponse, status: number, value: unknown): void {
  const text = `${JSON.stringify(value)}\n`;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
