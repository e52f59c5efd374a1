// The contract between the sandbox's HTTP core and its service modules.
// The core owns HTTP, SigV4, protocols, faults, state persistence and the clock; a service module
// only maps an operation's input to its output (or throws AwsError), against shared state.

/** Wire protocols the sandbox speaks, as the real services do. */
export type Protocol = 'awsQuery' | 'awsJson1_1' | 'restXml' | 'restJson1';

export interface ServiceDefinition {
  /** SigV4 signing name from the credential scope: 'sts', 'cloudformation', 'codepipeline', 'elasticloadbalancing', 'logs', … */
  readonly signingName: string;
  readonly protocol: Protocol;
  /** awsJson1_1: the `X-Amz-Target` prefix before the dot, e.g. 'CodePipeline_20150709'. */
  readonly targetPrefix?: string;
  /** awsQuery: the XML namespace of responses, e.g. 'http://cloudformation.amazonaws.com/doc/2010-05-15/'. */
  readonly xmlNamespace?: string;
  /** Error code for an access key the sandbox does not know ('InvalidClientTokenId' for STS/CloudFormation, 'UnrecognizedClientException' for JSON services). */
  readonly unknownKeyErrorCode: string;
  readonly operations: Readonly<Record<string, OperationHandler>>;
  /**
   * restXml (S3): the service routes the request itself — method, path and query name the operation.
   * The core picks the service by the SigV4 credential scope, verifies the signature, applies faults
   * (by the operation `restOperation` names) and sends what the handler returns, adding the request id.
   * `operations` stays empty for such a service.
   */
  readonly rest?: RestService;
  /**
   * Non-AWS-API HTTP routes on the same endpoint (CodeCommit's git smart HTTP at '/v1/repos/').
   * The core matches them by path prefix before API dispatch and does no SigV4 check: the route
   * authenticates the request itself (with `ctx.findCredentials`).
   */
  readonly routes?: readonly HttpRoute[];
  /**
   * Requests the service answers by their Host header before anything else on the endpoint (ELBv2's
   * load balancers by their DNS names): no SigV4, like the internet-facing endpoint they stand for.
   */
  readonly hostRoutes?: readonly HostRoute[];
  /**
   * Temporary credentials the service issued (IAM Identity Center's GetRoleCredentials): the core asks
   * every service for an access key id it does not know from its configuration.
   */
  issuedCredentials?(sandbox: Sandbox, accessKeyId: string): SandboxCredentials | undefined;
  /** Called by the admin reset after the state is cleared, to drop files the service owns in dataDir. */
  reset?(sandbox: Sandbox): Promise<void> | void;
  /** Called once when the sandbox starts (subscribe to `sandbox.bus`, resume background work). */
  start?(sandbox: Sandbox): void;
  /** Called by close() before the state is written: stop background work the service started. */
  stop?(sandbox: Sandbox): Promise<void> | void;
}

/** A request to a restXml service, after the core has verified its signature. */
export interface RestRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded (e.g. '/bucket/some%20key'). */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: import('node:http').IncomingHttpHeaders;
  readonly body: Buffer;
}

export interface RestResponse {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** Omitted (and never sent for HEAD) when the response has no body. */
  readonly body?: string | Buffer;
}

export interface RestService {
  /** The operation a request asks for (for call counts and fault rules), e.g. 'ListObjectVersions'. */
  operation(request: RestRequest): string;
  /** The actions and resources the operation is authorized for (the Service Authorization Reference's rows). */
  authorizations(
    request: RestRequest,
    operation: string,
  ): readonly {
    readonly action: string;
    readonly resource: string;
    readonly keys?: Readonly<Record<string, string | readonly string[] | undefined>>;
  }[];
  handle(request: RestRequest, ctx: RequestContext): Promise<RestResponse> | RestResponse;
  /** The response for an error the core raises (signature, faults) or a handler throws. */
  errorResponse(error: AwsError, request: RestRequest, requestId: string): RestResponse;
}

/** A raw HTTP route a service module serves next to its API (see ServiceDefinition.routes). */
export interface HttpRoute {
  /** Path prefix, e.g. '/v1/repos/'. Must not start with the reserved '/_sandbox/'. */
  readonly pathPrefix: string;
  handle(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    ctx: RouteContext,
  ): Promise<void> | void;
}

/** A raw HTTP route chosen by the request's Host name (see ServiceDefinition.hostRoutes). */
export interface HostRoute {
  /** `hostname`: the Host header's name, lower case, without port. */
  matches(hostname: string): boolean;
  handle(
    req: import('node:http').IncomingMessage,
    res: import('node:http').ServerResponse,
    ctx: RouteContext,
  ): Promise<void> | void;
}

export interface RouteContext {
  readonly sandbox: Sandbox;
  /** The configured identity for an access key id, or undefined for a key the sandbox does not know. */
  readonly findCredentials: (accessKeyId: string) => SandboxCredentials | undefined;
  /** Region used when the request names none (us-east-1 unless configured). */
  readonly defaultRegion: string;
}

/** An access key the sandbox accepts and the identity behind it. */
export interface SandboxCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId: string;
  /** Principal ARN GetCallerIdentity reports; defaults to `arn:aws:iam::<account>:root`. */
  readonly arn?: string;
  /** UserId GetCallerIdentity reports; defaults to the account id (as for the root user). */
  readonly userId?: string;
  /**
   * The identity policies of a user or role session (`--identities`). Without them the key is the
   * account's root user, whom no identity policy limits (the default `test` key).
   */
  readonly policies?: readonly { readonly name: string; readonly document: unknown }[];
  /** Temporary credentials: the session token every request must carry (`X-Amz-Security-Token`). */
  readonly sessionToken?: string;
  /** Temporary credentials: when they stop working (wall-clock). */
  readonly expiration?: Date;
}

/**
 * Input: awsJson1_1 → the parsed JSON body. awsQuery → the form parameters unflattened:
 * `A.member.1.B=x` becomes `{ A: [{ B: 'x' }] }`, `A.entry.1.key/value` becomes `{ A: { key: value } }`;
 * every scalar stays a string (the handler converts numbers and booleans).
 * Output: a plain object. Date values are written as epoch seconds (JSON) or ISO-8601 (XML);
 * arrays become `<member>` lists in XML; undefined members are omitted.
 */
export type OperationHandler = (input: Record<string, unknown>, ctx: RequestContext) => unknown;

export interface RequestContext {
  readonly sandbox: Sandbox;
  readonly accountId: string;
  readonly region: string;
  readonly accessKeyId: string;
  readonly requestId: string;
  /** The request's Host header value, e.g. '127.0.0.1:4566' (CloneUrlHttp and console URLs use it). */
  readonly host: string;
  /** The signing identity's configured ARN and user id, when the credentials name them. */
  readonly principal?: { readonly arn: string; readonly userId: string };
  /**
   * Authorizes one more action of this request against the caller's policies (S3's per-key
   * deletes): undefined when allowed, else the service's AccessDenied error.
   */
  readonly authorize?: (
    action: string,
    resource: string,
    keys?: Readonly<Record<string, string | readonly string[] | undefined>>,
  ) => AwsError | undefined;
}

/** A service error as the real API reports it: code, message, HTTP status, and who is at fault. */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number = 400,
    readonly fault: 'Sender' | 'Receiver' = status >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
    this.name = code;
  }
}

/** Simulated time: `sleep(ms)` waits ms of AWS time, i.e. ms / speed of real time. */
export interface Clock {
  readonly speed: number;
  /** The wall clock: what every timestamp the sandbox returns reads (never ahead of Date.now()). */
  now(): Date;
  /** Simulated milliseconds since the clock started, for deadlines and durations (never a timestamp). */
  elapsed(): number;
  sleep(awsMs: number, signal?: AbortSignal): Promise<void>;
}

/**
 * Everything a service module may touch. `state` is one JSON-serializable object with a slot per
 * service (`state.cloudformation`, `state.codecommit`, …), created by the service on first use;
 * call `changed()` after mutating it so the core persists it (atomically, debounced) with --state-dir.
 * `bus` carries cross-service events, e.g. 'events.put' with an AWS service event for EventBridge (events/bus.ts).
 */
export interface Sandbox {
  readonly clock: Clock;
  readonly state: Record<string, unknown>;
  changed(): void;
  readonly bus: import('node:events').EventEmitter;
  /** Scenario switches set through the admin API, e.g. { failResource: 'Pipeline', unhealthyTasks: true }. */
  readonly scenarios: Record<string, unknown>;
  /** Directory the sandbox owns for git repositories and other files (inside --state-dir, or a temp dir). */
  readonly dataDir: string;
}
