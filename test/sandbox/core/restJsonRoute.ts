// REST-JSON services (restJson1: IAM Identity Center's OIDC and portal APIs): addressed by method and
// path as their AWS model's `requestUri` says, members read from the path, query string, headers and
// JSON body, errors named by `x-amzn-errortype`. The operations the sandbox serves this way are
// unauthenticated in AWS (`authtype: none`: the caller has no AWS credentials yet), so no SigV4 is
// checked; the model still judges every request and, in strict mode, every response.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitCall, INTERNAL_FAILURE } from './admission';
import { toJsonBody } from './awsJson';
import type { Endpoint } from './endpoint';
import { send } from './http';
import { MODEL_CATALOG } from './models/catalog';
import { loadServiceModel, shapeOf, type Operation, type ServiceModel, type ShapeRef } from './models/shapes';
import { AwsError, type RequestContext, type ServiceDefinition } from './types';

interface Route {
  readonly service: ServiceDefinition;
  readonly model: ServiceModel;
  readonly operation: string;
  readonly method: string;
  readonly path: RegExp;
  readonly labels: readonly string[];
  /** Literal query parameters of the requestUri (`/token?aws_iam=t`): all must be present. */
  readonly query: readonly [string, string][];
}

export interface RestJsonMatch {
  readonly route: Route;
  readonly labels: Readonly<Record<string, string>>;
}

/** One routing table per service list; built on first use. */
const tables = new WeakMap<readonly ServiceDefinition[], Route[]>();

function routesOf(services: readonly ServiceDefinition[]): Route[] {
  let routes = tables.get(services);
  if (routes) return routes;
  routes = [];
  for (const service of services.filter((s) => s.protocol === 'restJson1')) {
    const entry = MODEL_CATALOG[service.signingName];
    if (!entry) throw new Error(`sandbox: the REST-JSON service '${service.signingName}' has no model in catalog.ts`);
    const model = loadServiceModel(entry.model);
    for (const name of Object.keys(service.operations)) {
      const operation = model.operations[name] as Operation | undefined;
      if (!operation?.http) throw new Error(`sandbox: ${service.signingName} has no HTTP binding for ${name}`);
      if (operation.authtype !== 'none')
        throw new Error(
          `sandbox: ${service.signingName}:${name} needs SigV4, which the REST-JSON route does not check`,
        );
      const [pathPart, queryPart = ''] = operation.http.requestUri.split('?');
      const labels: string[] = [];
      const pattern = pathPart
        .split(/(\{[^}]+\})/)
        .map((part) => {
          const label = /^\{([^}+]+)(\+?)\}$/.exec(part);
          if (!label) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
          labels.push(label[1]);
          return label[2] ? '(.+)' : '([^/]+)';
        })
        .join('');
      routes.push({
        service,
        model,
        operation: name,
        method: operation.http.method,
        path: new RegExp(`^${pattern}$`),
        labels,
        query: [...new URLSearchParams(queryPart).entries()],
      });
    }
  }
  // The most specific binding first: `/token?aws_iam=t` before `/token`.
  routes.sort((a, b) => b.query.length - a.query.length);
  tables.set(services, routes);
  return routes;
}

/** The REST-JSON operation an unsigned request addresses, if any (signed requests belong to S3 and the others). */
export function restJsonOperationFor(
  services: readonly ServiceDefinition[],
  req: IncomingMessage,
  url: URL,
): RestJsonMatch | undefined {
  if (req.headers.authorization !== undefined) return undefined;
  for (const route of routesOf(services)) {
    if (route.method !== req.method) continue;
    const match = route.path.exec(url.pathname);
    if (!match || !route.query.every(([key, value]) => url.searchParams.get(key) === value)) continue;
    const labels: Record<string, string> = {};
    route.labels.forEach((label, index) => (labels[label] = decodeURIComponent(match[index + 1])));
    return { route, labels };
  }
  return undefined;
}

export async function handleRestJson(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  { route, labels }: RestJsonMatch,
  defaultRegion: string,
): Promise<void> {
  const { service, model, operation } = route;
  const requestId = randomUUID();
  const fail = (error: AwsError): void => sendRestJsonError(res, model, error, requestId);

  const admitted = await admitCall(endpoint.admission, 'restJson1', service.signingName, operation);
  if (admitted === 'reset') return void req.socket.destroy();
  if (admitted) return fail(admitted);

  const input = readInput(model, model.operations[operation], req, url, body, labels);
  if (input === undefined)
    return fail(new AwsError('SerializationException', 'Start of structure or map found where not expected.'));
  const invalid = endpoint.judge.checkRequest(service, operation, input);
  if (invalid) return fail(invalid);

  const ctx: RequestContext = {
    sandbox: endpoint.sandbox,
    // Unauthenticated: the caller is whoever holds the token or device code in the input.
    accountId: '',
    accessKeyId: '',
    region: defaultRegion,
    requestId,
    host: req.headers.host ?? endpoint.fallbackHost(),
  };
  let output: unknown;
  try {
    output = await service.operations[operation](input, ctx);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    console.error(`sandbox: ${service.signingName}:${operation} failed:`, error);
    return fail(new AwsError('InternalServerException', INTERNAL_FAILURE, 500));
  }
  const json = toJsonBody(output ?? {});
  const broken = endpoint.judge.checkResponse(service, operation, JSON.parse(json), requestId);
  if (broken) return fail(broken);
  send(res, 200, { 'content-type': 'application/json', 'x-amzn-requestid': requestId }, json);
}

/** The operation's input from where its model binds each member: URI labels, query string, headers, JSON body. */
function readInput(
  model: ServiceModel,
  operation: Operation | undefined,
  req: IncomingMessage,
  url: URL,
  body: Buffer,
  labels: Readonly<Record<string, string>>,
): Record<string, unknown> | undefined {
  const text = body.toString('utf8').trim();
  let input: Record<string, unknown> = {};
  if (text !== '') {
    try {
      const parsed = JSON.parse(text) as unknown;
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
      input = parsed as Record<string, unknown>;
    } catch {
      return undefined;
    }
  }
  const members = operation?.input ? (shapeOf(model, operation.input).members ?? {}) : {};
  for (const [name, member] of Object.entries(members)) {
    const key = member.locationName ?? name;
    let value: string | undefined;
    if (member.location === 'uri') value = labels[key];
    else if (member.location === 'querystring') value = url.searchParams.get(key) ?? undefined;
    else if (member.location === 'header') {
      const header = req.headers[key.toLowerCase()];
      value = Array.isArray(header) ? header.join(',') : header;
    } else continue;
    if (value !== undefined) input[name] = scalarFromText(model, member, value);
  }
  return input;
}

/** A query-string or header value as the member's type (numbers and booleans travel as text). */
function scalarFromText(model: ServiceModel, member: ShapeRef, text: string): unknown {
  const type = shapeOf(model, member).type;
  if (['integer', 'long', 'float', 'double'].includes(type) && text.trim() !== '' && Number.isFinite(Number(text)))
    return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  return text;
}

/**
 * An error as REST-JSON services send it: the code in `x-amzn-errortype`, the body as the error's
 * model shape has it — OAuth's `error`/`error_description` for the OIDC service (e.g.
 * `{"error":"authorization_pending"}`), `message` for the others.
 */
function sendRestJsonError(res: ServerResponse, model: ServiceModel, error: AwsError, requestId: string): void {
  const shape = model.shapes[error.code];
  const oauth = shape?.members?.error !== undefined;
  const payload: Record<string, string> = oauth
    ? { error: oauthErrorCode(error.code), ...(error.message ? { error_description: error.message } : {}) }
    : { message: error.message };
  send(
    res,
    error.status,
    { 'content-type': 'application/json', 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.code },
    JSON.stringify(payload),
  );
}

/** `AuthorizationPendingException` → `authorization_pending` (RFC 8628 / RFC 6749 error codes). */
export function oauthErrorCode(code: string): string {
  return code
    .replace(/Exception$/, '')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}
