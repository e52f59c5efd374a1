// The JSON and query APIs: one POST (or query GET) per call, routed the way AWS clients address
// them — `X-Amz-Target` for JSON services, the `Action` parameter for query services,
// disambiguated by the SigV4 credential scope's service name.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { admitCall, INTERNAL_FAILURE } from './admission';
import { authenticationError, requestContext, unsignedError } from './auth';
import { authorizeNeeds, callerAuthorizer, sourceIpOf } from './authorization';
import { JSON_CONTENT_TYPE, jsonErrorBody, parseTarget, toJsonBody } from './awsJson';
import { parseQueryRequest, queryErrorXml, queryResponseXml } from './awsQuery';
import type { Endpoint } from './endpoint';
import { rawPath, send } from './http';
import { verifySigV4 } from './sigv4';
import { neededFor } from '../iam/operationActions';
import { MODEL_CATALOG } from './models/catalog';
import { AwsError, type Protocol, type ServiceDefinition } from './types';

interface ApiCall {
  readonly protocol: Protocol;
  readonly operation: string | undefined;
  /** awsJson1_1: the X-Amz-Target prefix; awsQuery: the Version parameter. */
  readonly targetPrefix?: string;
  readonly version?: string;
  readonly queryInput?: Record<string, unknown>;
}

/** Which operation a request asks for (the body is needed for the signature anyway). */
function identifyCall(req: IncomingMessage, url: URL, body: Buffer): ApiCall {
  const targetHeader = req.headers['x-amz-target'];
  if (typeof targetHeader === 'string') {
    const target = parseTarget(targetHeader);
    return { protocol: 'awsJson1_1', operation: target?.operation, targetPrefix: target?.prefix };
  }
  const params = req.method === 'GET' ? url.searchParams : new URLSearchParams(body.toString('utf8'));
  const parsed = parseQueryRequest(params);
  return { protocol: 'awsQuery', operation: parsed.action, version: parsed.version, queryInput: parsed.input };
}

export async function handleApi(
  endpoint: Endpoint,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  body: Buffer,
): Promise<void> {
  const requestId = randomUUID();
  const call = identifyCall(req, url, body);
  const { protocol, operation } = call;
  const fail = (error: AwsError): void => sendError(res, protocol, error, requestId);

  const verified = await verifySigV4(
    { method: req.method ?? 'GET', path: rawPath(req.url), query: url.searchParams, headers: req.headers, body },
    endpoint.findCredentials,
  );
  const unsigned = unsignedError(verified, protocol);
  if (unsigned) return fail(unsigned);
  const service = serviceFor(endpoint.services, call, verified.ok ? verified.auth.service : scopeOf(verified));
  const authError = authenticationError(verified, protocol, service);
  if (authError) return fail(authError);
  if (!verified.ok) return; // unreachable: authenticationError covers every failure

  if (!service || operation === undefined || !Object.hasOwn(service.operations, operation)) {
    return fail(
      protocol === 'awsJson1_1'
        ? new AwsError(
            'UnknownOperationException',
            `Operation ${String(req.headers['x-amz-target'])} is not supported.`,
          )
        : new AwsError(
            'InvalidAction',
            `Could not find operation ${operation ?? ''} for version ${call.version ?? 'NO_VERSION_SPECIFIED'}`,
          ),
    );
  }
  const admitted = await admitCall(endpoint.admission, protocol, service.signingName, operation);
  if (admitted === 'reset') return void req.socket.destroy();
  if (admitted) return fail(admitted);

  const input = protocol === 'awsJson1_1' ? parseJsonInput(body) : (call.queryInput ?? {});
  if (input === undefined)
    return fail(new AwsError('SerializationException', 'Start of structure or map found where not expected.'));
  const invalid = endpoint.judge.checkRequest(service, operation, input);
  if (invalid) return fail(invalid);

  const authorize = callerAuthorizer(endpoint.sandbox, {
    credentials: verified.credentials,
    region: verified.auth.region,
    protocol,
    sourceIp: sourceIpOf(req.socket.remoteAddress),
  });
  const where = { sandbox: endpoint.sandbox, accountId: verified.credentials.accountId, region: verified.auth.region };
  // A test double (no AWS model, served only outside strict mode) has no IAM actions: only the
  // account root, which IAM never limits, may call it.
  const testDouble = !Object.hasOwn(MODEL_CATALOG, service.signingName) && verified.credentials.policies === undefined;
  const needs = neededFor(service.signingName, operation, input, where) ?? (testDouble ? [] : undefined);
  if (!needs) {
    console.error(`sandbox: ${service.signingName}:${operation} has no row in iam/operationActions.ts`);
    return fail(new AwsError('InternalFailure', INTERNAL_FAILURE, 500));
  }
  const denied = authorizeNeeds(authorize, needs);
  if (denied) return fail(denied);

  const ctx = requestContext(endpoint.sandbox, verified, requestId, req.headers, endpoint.fallbackHost(), authorize);
  let output: unknown;
  try {
    output = await service.operations[operation](input, ctx);
  } catch (error) {
    if (error instanceof AwsError) return fail(error);
    console.error(`sandbox: ${service.signingName}:${operation} failed:`, error);
    return fail(new AwsError('InternalFailure', INTERNAL_FAILURE, 500));
  }
  if (protocol === 'awsJson1_1') {
    const json = toJsonBody(output);
    const broken = endpoint.judge.checkResponse(service, operation, JSON.parse(json), requestId);
    if (broken) return fail(broken);
    return send(res, 200, { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId }, json);
  }
  const broken = endpoint.judge.checkResponse(service, operation, output, requestId);
  if (broken) return fail(broken);
  const xml = queryResponseXml(operation, service.xmlNamespace ?? '', output, requestId);
  return send(res, 200, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, xml);
}

function scopeOf(verified: Awaited<ReturnType<typeof verifySigV4>>): string | undefined {
  return !verified.ok && 'auth' in verified ? verified.auth.service : undefined;
}

function serviceFor(
  services: readonly ServiceDefinition[],
  call: ApiCall,
  scopeService: string | undefined,
): ServiceDefinition | undefined {
  if (call.protocol === 'awsJson1_1') {
    const candidates = services.filter((s) => s.protocol === 'awsJson1_1' && s.targetPrefix === call.targetPrefix);
    return candidates.find((s) => s.signingName === scopeService) ?? candidates[0];
  }
  return services.find((s) => s.protocol === 'awsQuery' && s.signingName === scopeService);
}

export function sendError(res: ServerResponse, protocol: Protocol, error: AwsError, requestId: string): void {
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
