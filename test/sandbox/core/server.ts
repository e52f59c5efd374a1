// The sandbox's single HTTP endpoint: admin API, service routes (git), and the AWS APIs, routed
// the way AWS clients address them — `X-Amz-Target` for JSON services, the `Action` parameter for
// query services, disambiguated by the SigV4 credential scope's service name.
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_PREFIX, handleAdmin } from './admin';
import { JSON_CONTENT_TYPE, jsonErrorBody, parseTarget, toJsonBody } from './awsJson';
import { parseQueryRequest, queryErrorXml, queryResponseXml } from './awsQuery';
import { createClock } from './clock';
import { FaultInjector } from './faults';
import { parseAuthorization, verifySigV4, type VerifyResult } from './sigv4';
import { StateStore } from './stateStore';
import {
  AwsError,
  type Protocol,
  type RequestContext,
  type RestRequest,
  type RestResponse,
  type RestService,
  type RouteContext,
  type Sandbox,
  type SandboxCredentials,
  type ServiceDefinition,
} from './types';

export const DEFAULT_ACCOUNT_ID = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
export const DEFAULT_CREDENTIALS: SandboxCredentials = {
  accessKeyId: 'test',
  secretAccessKey: 'test',
  accountId: DEFAULT_ACCOUNT_ID,
};

const MAX_BODY_BYTES = 16 * 1024 * 1024;
const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const INVALID_TOKEN_MESSAGE = 'The security token included in the request is invalid.';

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
  /** Access keys accepted besides (or overriding) the default `test`/`test`. */
  readonly credentials?: readonly SandboxCredentials[];
  readonly defaultRegion?: string;
}

export interface RunningSandbox {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly port: number;
  readonly sandbox: Sandbox;
  readonly faults: FaultInjector;
  /** Calls per `service:Operation` (what GET /_sandbox/calls returns). */
  readonly calls: Map<string, number>;
  /** Writes the state file now (with a state dir). */
  flush(): void;
  /** Stops listening, drops open connections, writes the state, removes the temp data dir. */
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions): Promise<RunningSandbox> {
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
  const defaultRegion = options.defaultRegion ?? DEFAULT_REGION;
  for (const service of options.services) service.start?.(sandbox);

  const credentials = new Map<string, SandboxCredentials>([[DEFAULT_CREDENTIALS.accessKeyId, DEFAULT_CREDENTIALS]]);
  for (const pair of options.credentials ?? []) credentials.set(pair.accessKeyId, pair);
  const findCredentials = (accessKeyId: string): SandboxCredentials | undefined => credentials.get(accessKeyId);
  const routeContext: RouteContext = { sandbox, findCredentials, defaultRegion };
  const routes = options.services.flatMap((service) => service.routes ?? []);

  const admin = {
    health: () => ({
      status: 'ok',
      services: options.services.map((s) => s.signingName),
      speed: clock.speed,
      now: clock.now().toISOString(),
    }),
    reset: async () => {
      store.reset();
      calls.clear();
      for (const key of Object.keys(sandbox.scenarios)) delete sandbox.scenarios[key];
      for (const service of options.services) await service.reset?.(sandbox);
      store.flush();
    },
    scenarios: sandbox.scenarios,
    getFaults: () => faults.describe(),
    setFaults: (spec: string, seed?: number) => faults.set(spec, seed),
    calls,
    flush: () => store.flush(),
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      console.error('sandbox: request failed:', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    if (url.pathname.startsWith(ADMIN_PREFIX)) {
      return handleAdmin(req, res, url.pathname, await readBody(req), admin);
    }
    const route = routes.find((candidate) => url.pathname.startsWith(candidate.pathPrefix));
    if (route) return route.handle(req, res, routeContext);
    const body = await readBody(req);
    return handleApi(req, res, url, body);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, body: Buffer): Promise<void> {
    const restService = restServiceFor(req);
    if (restService?.rest) return handleRest(req, res, url, body, restService, restService.rest);
    const requestId = randomUUID();
    const targetHeader = req.headers['x-amz-target'];
    const protocol: Protocol = typeof targetHeader === 'string' ? 'awsJson1_1' : 'awsQuery';
    const fail = (
      code: string,
      message: string,
      status = 400,
      fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
    ): void => sendError(res, protocol, new AwsError(code, message, status, fault), requestId);

    // Which operation is asked for (the body is needed for the signature anyway).
    let operation: string | undefined;
    let queryInput: Record<string, unknown> | undefined;
    let version: string | undefined;
    let targetPrefix: string | undefined;
    if (protocol === 'awsJson1_1') {
      const target = parseTarget(String(targetHeader));
      targetPrefix = target?.prefix;
      operation = target?.operation;
    } else {
      const params = req.method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
      const parsed = parseQueryRequest(params);
      operation = parsed.action;
      version = parsed.version;
      queryInput = parsed.input;
    }

    const verified = await verifySigV4(
      { method: req.method ?? 'GET', path: rawPath(req.url), query: url.searchParams, headers: req.headers, body },
      findCredentials,
    );
    if (!verified.ok && (verified.kind === 'missing' || verified.kind === 'incomplete')) {
      return verified.kind === 'missing'
        ? protocol === 'awsJson1_1'
          ? fail('MissingAuthenticationTokenException', 'Missing Authentication Token', 403)
          : fail('MissingAuthenticationToken', 'Request is missing Authentication Token', 403)
        : fail(
            protocol === 'awsJson1_1' ? 'IncompleteSignatureException' : 'IncompleteSignature',
            verified.message,
            400,
          );
    }
    const scopeService = verified.auth.service;
    const service =
      protocol === 'awsJson1_1'
        ? pickService(
            options.services.filter((s) => s.protocol === 'awsJson1_1' && s.targetPrefix === targetPrefix),
            scopeService,
          )
        : options.services.find((s) => s.protocol === 'awsQuery' && s.signingName === scopeService);

    const authError = authenticationError(verified, protocol, service);
    if (authError) return sendError(res, protocol, authError, requestId);
    if (!verified.ok) return; // unreachable: authenticationError covers every failure

    if (!service || operation === undefined || !Object.hasOwn(service.operations, operation)) {
      return protocol === 'awsJson1_1'
        ? fail('UnknownOperationException', `Operation ${String(targetHeader)} is not supported.`)
        : fail(
            'InvalidAction',
            `Could not find operation ${operation ?? ''} for version ${version ?? 'NO_VERSION_SPECIFIED'}`,
          );
    }
    const key = `${service.signingName}:${operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);

    const decision = faults.decide(service.signingName, operation);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    switch (decision.fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'throttle':
        return fail(protocol === 'awsJson1_1' ? 'ThrottlingException' : 'Throttling', 'Rate exceeded', 400);
      case 'unavailable':
        return fail(
          protocol === 'awsJson1_1' ? 'ServiceUnavailableException' : 'ServiceUnavailable',
          'Service is unavailable. Please try again later.',
          503,
        );
      case 'internal':
        return fail(
          'InternalFailure',
          'The request processing has failed because of an unknown error, exception or failure.',
          500,
        );
      case undefined:
        break;
    }

    let input: Record<string, unknown>;
    if (protocol === 'awsJson1_1') {
      const parsed = parseJsonInput(body);
      if (parsed === undefined)
        return fail('SerializationException', 'Start of structure or map found where not expected.');
      input = parsed;
    } else {
      input = queryInput ?? {};
    }

    const identity = verified.credentials;
    const ctx: RequestContext = {
      sandbox,
      accountId: identity.accountId,
      region: verified.auth.region,
      accessKeyId: identity.accessKeyId,
      requestId,
      host: req.headers.host ?? `127.0.0.1:${port}`,
      principal: {
        arn: identity.arn ?? `arn:aws:iam::${identity.accountId}:root`,
        userId: identity.userId ?? identity.accountId,
      },
    };
    let output: unknown;
    try {
      output = await service.operations[operation](input, ctx);
    } catch (error) {
      if (error instanceof AwsError) return sendError(res, protocol, error, requestId);
      console.error(`sandbox: ${key} failed:`, error);
      return fail(
        'InternalFailure',
        'The request processing has failed because of an unknown error, exception or failure.',
        500,
      );
    }
    if (protocol === 'awsJson1_1') {
      return send(res, 200, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, toJsonBody(output));
    }
    const xml = queryResponseXml(operation, service.xmlNamespace ?? '', output, requestId);
    return send(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, xml);
  }

  /** The restXml service (S3) a request is signed for: REST services are addressed by path, not by action. */
  function restServiceFor(req: IncomingMessage): ServiceDefinition | undefined {
    const header = req.headers.authorization;
    if (typeof header !== 'string' || req.headers['x-amz-target'] !== undefined) return undefined;
    const scope = parseAuthorization(header)?.service;
    return options.services.find((s) => s.protocol === 'restXml' && s.signingName === scope);
  }

  async function handleRest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    body: Buffer,
    service: ServiceDefinition,
    rest: RestService,
  ): Promise<void> {
    const requestId = randomRestRequestId();
    const request: RestRequest = {
      method: req.method ?? 'GET',
      path: rawPath(req.url),
      query: url.searchParams,
      headers: req.headers,
      body,
    };
    const reply = (response: RestResponse): void => sendRest(res, request.method, response, requestId);
    const fail = (code: string, message: string, status: number): void =>
      reply(rest.errorResponse(new AwsError(code, message, status), request, requestId));

    const verified = await verifySigV4(
      { method: request.method, path: request.path, query: url.searchParams, headers: req.headers, body },
      findCredentials,
    );
    if (!verified.ok) {
      switch (verified.kind) {
        case 'missing':
          return fail('AccessDenied', 'Access Denied', 403);
        case 'incomplete':
          return fail('AuthorizationHeaderMalformed', verified.message, 400);
        case 'unknownKey':
          return fail('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
        case 'expired':
          return fail(
            'RequestTimeTooSkewed',
            'The difference between the request time and the current time is too large.',
            403,
          );
        case 'mismatch':
          return fail(
            'SignatureDoesNotMatch',
            'The request signature we calculated does not match the signature you provided. Check your key and signing method.',
            403,
          );
      }
    }
    const operation = rest.operation(request);
    const key = `${service.signingName}:${operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    const decision = faults.decide(service.signingName, operation);
    if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
    switch (decision.fault) {
      case 'reset':
        req.socket.destroy();
        return;
      case 'throttle':
        return fail('SlowDown', 'Please reduce your request rate.', 503);
      case 'unavailable':
        return fail('ServiceUnavailable', 'Service is unable to handle request.', 503);
      case 'internal':
        return fail('InternalError', 'We encountered an internal error. Please try again.', 500);
      case undefined:
        break;
    }
    const identity = verified.credentials;
    const ctx: RequestContext = {
      sandbox,
      accountId: identity.accountId,
      region: verified.auth.region,
      accessKeyId: identity.accessKeyId,
      requestId,
      host: req.headers.host ?? `127.0.0.1:${port}`,
      principal: {
        arn: identity.arn ?? `arn:aws:iam::${identity.accountId}:root`,
        userId: identity.userId ?? identity.accountId,
      },
    };
    try {
      reply(await rest.handle(request, ctx));
    } catch (error) {
      if (error instanceof AwsError) return reply(rest.errorResponse(error, request, requestId));
      console.error(`sandbox: ${key} failed:`, error);
      fail('InternalError', 'We encountered an internal error. Please try again.', 500);
    }
  }

  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closed = false;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    sandbox,
    faults,
    calls,
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
    },
  };
}

/** The error AWS returns for a request whose signature does not check out, or undefined when it does. */
function authenticationError(
  verified: VerifyResult,
  protocol: Protocol,
  service: ServiceDefinition | undefined,
): AwsError | undefined {
  const signatureCode = protocol === 'awsJson1_1' ? 'InvalidSignatureException' : 'SignatureDoesNotMatch';
  if (verified.ok) {
    if (service && verified.auth.service !== service.signingName) {
      return new AwsError(
        signatureCode,
        `Credential should be scoped to correct service: '${service.signingName}'. `,
        403,
      );
    }
    return undefined;
  }
  switch (verified.kind) {
    case 'unknownKey':
      return new AwsError(
        service?.unknownKeyErrorCode ??
          (protocol === 'awsJson1_1' ? 'UnrecognizedClientException' : 'InvalidClientTokenId'),
        INVALID_TOKEN_MESSAGE,
        403,
      );
    case 'expired':
      return new AwsError(signatureCode, verified.message, 403);
    case 'mismatch':
      return new AwsError(signatureCode, SIGNATURE_MISMATCH_MESSAGE, 403);
    default:
      return new AwsError(signatureCode, SIGNATURE_MISMATCH_MESSAGE, 403);
  }
}

function pickService(candidates: readonly ServiceDefinition[], scopeService: string): ServiceDefinition | undefined {
  return candidates.find((s) => s.signingName === scopeService) ?? candidates[0];
}

function sendError(res: ServerResponse, protocol: Protocol, error: AwsError, requestId: string): void {
  if (protocol === 'awsJson1_1') {
    send(
      res,
      error.status,
      { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
      jsonErrorBody(error.code, error.message),
    );
  } else {
    send(
      res,
      error.status,
      { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
      queryErrorXml(error.fault, error.code, error.message, requestId),
    );
  }
}

/** S3 request ids are 16 upper-case hex digits; x-amz-id-2 is an opaque base64 host id. */
function randomRestRequestId(): string {
  return randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
}

function sendRest(res: ServerResponse, method: string, response: RestResponse, requestId: string): void {
  if (res.destroyed) return;
  const body = response.body === undefined || method === 'HEAD' ? undefined : response.body;
  const headers: Record<string, string> = {
    'x-amz-request-id': requestId,
    'x-amz-id-2': Buffer.from(randomUUID() + randomUUID()).toString('base64'),
    ...response.headers,
  };
  if (headers['content-length'] === undefined)
    headers['content-length'] = String(body === undefined ? 0 : Buffer.byteLength(body));
  res.writeHead(response.status, headers);
  res.end(body);
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  if (res.destroyed) return;
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function parseJsonInput(body: Buffer): Record<string, unknown> | undefined {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const value = JSON.parse(text) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The request path as sent (still percent-encoded), which is what the client signed. */
function rawPath(url: string | undefined): string {
  const path = (url ?? '/').split('?')[0];
  return path === '' ? '/' : path;
}

export function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error(`request body larger than ${limit} bytes`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
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
