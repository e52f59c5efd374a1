// The sandbox's single HTTP endpoint: the admin API, service routes (git), and the AWS APIs —
// JSON and query services (apiRoute.ts), REST-XML services (restRoute.ts) and unauthenticated
// REST-JSON ones (restJsonRoute.ts). This file wires the parts
// together and owns the server's life: state, clock, faults, models, listening and closing.
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PREFIX, handleAdmin, type AdminTarget } from './admin';
import { handleApi } from './apiRoute';
import { credentialLookup } from './auth';
import { createClock } from './clock';
import type { Endpoint } from './endpoint';
import { FaultInjector } from './faults';
import { readBody } from './http';
import { ModelJudge, type ModelViolation } from './models/judge';
import { handleRestJson, restJsonOperationFor } from './restJsonRoute';
import { handleRest, restServiceFor } from './restRoute';
import { authorizationLog, type AuthorizationRecord } from '../iam/authorizer';
import { StateStore } from './stateStore';
import type { RouteContext, Sandbox, SandboxCredentials, ServiceDefinition } from './types';

export { DEFAULT_ACCOUNT_ID, DEFAULT_CREDENTIALS } from './auth';
export { readBody } from './http';
export const DEFAULT_REGION = 'us-east-1';

export interface SandboxOptions {
  /** 0 picks a free port. */
  readonly port?: number;
  readonly host?: string;
  /** Persist state (and git repositories) here; in memory and a temp dir otherwise. */
  readonly stateDir?: string;
  /** AWS milliseconds per real millisecond (1 = real timing). */
  readonly speed?: number;
  /** Fault SPEC, see faults.ts. */
  readonly faults?: string;
  /** Seed of the fault injector's random source. */
  readonly seed?: number;
  readonly services: readonly ServiceDefinition[];
  /**
   * Access keys accepted besides (or overriding) the default `test`/`test`, e.g. IAM users and role
   * sessions with their identity policies (`--identities`, iam/identities.ts).
   */
  readonly credentials?: readonly SandboxCredentials[];
  readonly defaultRegion?: string;
  /**
   * Judge every response against the AWS service model too (requests are always judged). A response
   * that breaks it gets a 500, is printed, and makes close() reject. Default true: every test, bench
   * and demo run is strict; `npm run sandbox` turns it on with --strict-models.
   */
  readonly strictModels?: boolean;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly sandbox: Sandbox;
  readonly faults: FaultInjector;
  /** Calls per `service:Operation` (what GET /_sandbox/calls returns). */
  readonly calls: Map<string, number>;
  /** Responses that broke their service's model (strict mode; what GET /_sandbox/violations returns). */
  readonly violations: readonly ModelViolation[];
  /** Every IAM decision since start (or reset): who asked for which action on what, and which statements decided. */
  readonly authorizations: readonly AuthorizationRecord[];
  /** Writes the state file now (with a state dir). */
  flush(): void;
  /**
   * Stops listening, drops open connections, writes the state, removes the temp data dir; then, in
   * strict mode, rejects if any response broke its model, so the run that caused it fails.
   */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
  const judge = new ModelJudge(options.services, options.strictModels ?? true);
  const store = new StateStore(options.stateDir);
  const clock = createClock(options.speed ?? 1);
  warnIfSavedAhead(store.savedAt);
  const dataDir =
    options.stateDir === undefined ? mkdtempSync(join(tmpdir(), 'workshop-sandbox-')) : join(options.stateDir, 'data');
  mkdirSync(dataDir, { recursive: true });
  const bus = new EventEmitter();
  bus.setMaxListeners(100);
  const sandbox: Sandbox = { clock, state: store.state, changed: () => store.changed(), bus, scenarios: {}, dataDir };
  const faults = new FaultInjector(options.faults ?? '', options.seed ?? Date.now());
  const calls = new Map<string, number>();
  for (const service of options.services) service.start?.(sandbox);

  let port = 0;
  const findCredentials = credentialLookup(options.credentials, (accessKeyId) => {
    for (const service of options.services) {
      const issued = service.issuedCredentials?.(sandbox, accessKeyId);
      if (issued) return issued;
    }
    return undefined;
  });
  const endpoint: Endpoint = {
    services: options.services,
    sandbox,
    findCredentials,
    admission: { calls, faults },
    judge,
    fallbackHost: () => `127.0.0.1:${port}`,
  };
  const routeContext: RouteContext = {
    sandbox,
    findCredentials,
    defaultRegion: options.defaultRegion ?? DEFAULT_REGION,
  };
  const routes = options.services.flatMap((service) => service.routes ?? []);
  const hostRoutes = options.services.flatMap((service) => service.hostRoutes ?? []);
  const admin: AdminTarget = {
    health: () => ({
      status: 'ok',
      services: options.services.map((s) => s.signingName),
      speed: clock.speed,
      now: clock.now().toISOString(),
      strictModels: judge.strict,
    }),
    reset: async () => {
      store.reset();
      calls.clear();
      authorizationLog(sandbox).length = 0;
      for (const key of Object.keys(sandbox.scenarios)) delete sandbox.scenarios[key];
      for (const service of options.services) await service.reset?.(sandbox);
      store.flush();
    },
    scenarios: sandbox.scenarios,
    getFaults: () => faults.describe(),
    setFaults: (spec: string, seed?: number) => faults.set(spec, seed),
    calls,
    violations: judge.violations,
    authorizations: authorizationLog(sandbox),
    flush: () => store.flush(),
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '').replace(/\.$/, '').toLowerCase();
    const hostRoute = hostRoutes.find((candidate) => candidate.matches(hostname));
    if (hostRoute) return hostRoute.handle(req, res, routeContext);
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      return handleAdmin(req, res, url.pathname, await readBody(req), admin);
    }
    const route = routes.find((candidate) => url.pathname.startsWith(candidate.pathPrefix));
    if (route) return route.handle(req, res, routeContext);
    const body = await readBody(req);
    const restService = restServiceFor(options.services, req);
    if (restService) return handleRest(endpoint, req, res, url, body, restService);
    const restJson = restJsonOperationFor(options.services, req, url);
    if (restJson) return handleRestJson(endpoint, req, res, url, body, restJson, routeContext.defaultRegion);
    return handleApi(endpoint, req, res, url, body);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('sandbox: request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  let closed = false;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    sandbox,
    faults,
    calls,
    violations: judge.violations,
    authorizations: authorizationLog(sandbox),
    flush: () => store.flush(),
    close: async () => {
      if (closed) return;
      closed = true;
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await stopped;
      for (const service of options.services) await service.stop?.(sandbox);
      store.flush();
      if (options.stateDir === undefined) rmSync(dataDir, { recursive: true, force: true });
      const violations = judge.summary();
      if (violations) throw violations;
    },
  };
}

/** State saved by a sandbox whose clock ran ahead (before timestamps stayed at wall-clock time). */
function warnIfSavedAhead(savedAt: Date | undefined): void {
  const ahead = savedAt === undefined ? 0 : savedAt.getTime() - Date.now();
  if (ahead > 60_000) {
    console.warn(
      `sandbox: the saved state is dated ${Math.round(ahead / 60_000)} min in the future (written by an older sandbox whose clock ran ahead); timestamps in it stay as saved, new ones are wall-clock time. Start with a fresh --state-dir to drop them.`,
    );
  }
}
