// What the API routes share: the served services, the sandbox they act on, who may call, the
// admission step (call counts and faults) and the models that judge requests and responses.
import type { Admission } from './admission';
import type { ModelJudge } from './models/judge';
import type { Sandbox, SandboxCredentials, ServiceDefinition } from './types';

export interface Endpoint {
  readonly services: readonly ServiceDefinition[];
  readonly sandbox: Sandbox;
  readonly findCredentials: (accessKeyId: string) => SandboxCredentials | undefined;
  readonly admission: Admission;
  readonly judge: ModelJudge;
  /** Host a request without a Host header is taken to have used ('127.0.0.1:<port>'). */
  fallbackHost(): string;
}
