// REST services (S3, restXml): addressed by method and path rather than by an action name. The
// service names the operation from the request; the core authenticates, admits the call (counts,
// faults) and sends what the service answers, adding S3's request ids.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitCall, S3_INTERNAL_ERROR } from './admission';
import { requestContext, restAuthenticationError } from './auth';
import { authorizeNeeds, callerAuthorizer, sourceIpOf } from './authorization';
import type { Endpoint } from './endpoint';
import { rawPath } from './http';
import { parseAuthorization, verifySigV4 } from './sigv4';
import { AwsError, type RestRequest, type RestResponse, type RestService, type ServiceDefinition } from './types';

/** The restXml service a request is signed for: REST services are addressed by path, not by action. */
export function restServiceFor(
  services: readonly ServiceDefinition[],
  req: IncomingMessage,
): (ServiceDefinition & { readonly rest: RestService }) | undefined {
  const header = req.headers.authorization;
  if (typeof header !== 'string' || req.headers['x-amz-target'] !== undefined) return undefined;
  const scope = parseAuthorization(header)?.service;
  const service = services.find((s) => s.protocol === 'restXml' && s.signingName === scope);
  return service?.rest ? (service as ServiceDefinition & { readonly rest: RestService }) : undefined;
}

export async function handleRest(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
  service: ServiceDefinition & { readonly rest: RestService },
): Promise<void> {
  const rest = service.rest;
  const requestId = randomRestRequestId();
  const request: RestRequest = {
    method: req.method ?? 'GET',
    path: rawPath(req.url),
    query: url.searchParams,
    headers: req.headers,
    body,
  };
  const reply = (response: RestResponse): void => sendRest(res, request.method, response, requestId);
  const fail = (error: AwsError): void => reply(rest.errorResponse(error, request, requestId));

  const verified = await verifySigV4(
    { method: request.method, path: request.path, query: url.searchParams, headers: req.headers, body },
    endpoint.findCredentials,
  );
  const authError = restAuthenticationError(verified);
  if (authError) return fail(authError);
  if (!verified.ok) return; // unreachable: restAuthenticationError covers every failure

  const operation = rest.operation(request);
  const admitted = await admitCall(endpoint.admission, 'restXml', service.signingName, operation);
  if (admitted === 'reset') return void req.socket.destroy();
  if (admitted) return fail(admitted);

  const authorize = callerAuthorizer(endpoint.sandbox, {
    credentials: verified.credentials,
    region: verified.auth.region,
    protocol: 'restXml',
    sourceIp: sourceIpOf(req.socket.remoteAddress),
  });
  const denied = authorizeNeeds(authorize, rest.authorizations(request, operation));
  if (denied) return fail(denied);

  const ctx = requestContext(endpoint.sandbox, verified, requestId, req.headers, endpoint.fallbackHost(), authorize);
  let response: RestResponse;
  try {
    response = await rest.handle(request, ctx);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    console.error(`sandbox: ${service.signingName}:${operation} failed:`, error);
    return fail(new AwsError('InternalError', S3_INTERNAL_ERROR, 500));
  }
  const broken = endpoint.judge.checkRestResponse(service, operation, response, requestId);
  if (broken) return fail(broken);
  reply(response);
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
