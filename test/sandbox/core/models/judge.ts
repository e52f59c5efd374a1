// The sandbox's use of the AWS models: every request is checked against its operation's input shape
// and refused the way the service refuses it; in strict mode every response is checked against the
// output shape too, and a mismatch fails the request (500), is printed, and is kept for the run's
// end (GET /_sandbox/violations, and RunningSandbox.close() rejects while any is kept).
import { INTERNAL_FAILURE, S3_INTERNAL_ERROR } from '../admission';
import { AwsError, type Protocol, type RestResponse, type ServiceDefinition } from '../types';
import { MODEL_CATALOG, modelsFor, type ServiceModelBinding } from './catalog';
import { coralMessage, readablePath } from './messages';
import { readRestXmlOutput } from './restXml';
import { checkShape, type Problem } from './validate';

/** A response the sandbox sent (or tried to) that its service's model does not allow. */
export interface ModelViolation {
  readonly service: string;
  readonly operation: string;
  readonly requestId: string;
  /** One line per problem: 'stageStates[0].latestExecution.status: Member must satisfy enum value set: […]'. */
  readonly problems: readonly string[];
}

export class ModelJudge {
  readonly violations: ModelViolation[] = [];
  private readonly bindings: Map<string, ServiceModelBinding>;

  /** strict: also judge responses. Throws when a service has no model (strict) — see catalog.ts. */
  constructor(
    services: readonly ServiceDefinition[],
    readonly strict: boolean,
  ) {
    // Without strict mode a service without a model (a test double) is served unjudged.
    this.bindings = modelsFor(strict ? services : services.filter((s) => Object.hasOwn(MODEL_CATALOG, s.signingName)));
  }

  /** The error the service answers an input that breaks the operation's model with, or undefined. */
  checkRequest(service: ServiceDefinition, operation: string, input: unknown): AwsError | undefined {
    const binding = this.bindings.get(service.signingName);
    const shape = binding?.model.operations[operation]?.input;
    if (!binding || !shape || binding.validatesItself) return undefined;
    const wire = service.protocol === 'awsJson1_1' || service.protocol === 'restJson1' ? 'json' : 'query';
    const problems = checkShape(binding.model, shape, input, { wire, response: false });
    if (problems.length === 0) return undefined;
    const serialization = problems.find((p) => p.kind === 'serialization');
    if (serialization) return new AwsError('SerializationException', serialization.message, 400);
    return new AwsError(binding.validationErrorCode, coralMessage(problems, binding.quotesValues), 400);
  }

  /**
   * Strict mode: the problems of a response body (awsJson: the JSON as sent; awsQuery: the result
   * object before it is written as XML), recorded and turned into the 500 the client gets.
   */
  checkResponse(
    service: ServiceDefinition,
    operation: string,
    output: unknown,
    requestId: string,
  ): AwsError | undefined {
    if (!this.strict) return undefined;
    const binding = this.bindings.get(service.signingName);
    if (!binding) return undefined;
    const op = binding.model.operations[operation];
    let problems: string[];
    if (!op) {
      problems = [`operation ${operation} is not in the model (${binding.model.source})`];
    } else if (!op.output) {
      const empty =
        output === undefined || output === null || (typeof output === 'object' && Object.keys(output).length === 0);
      problems = empty ? [] : ['the model says this operation answers with no body, the sandbox sent one'];
    } else {
      const wire = service.protocol === 'awsJson1_1' || service.protocol === 'restJson1' ? 'json' : 'xml';
      problems = checkShape(binding.model, op.output, output ?? {}, {
        wire,
        response: true,
        extraEnumValues: binding.extraEnumValues,
      }).map(describe);
    }
    return this.record(service.signingName, operation, requestId, problems, service.protocol);
  }

  /** Strict mode: the problems of a successful REST (S3) response, read back from its XML and headers. */
  checkRestResponse(
    service: ServiceDefinition,
    operation: string,
    response: RestResponse,
    requestId: string,
  ): AwsError | undefined {
    if (!this.strict || response.status >= 300) return undefined;
    const binding = this.bindings.get(service.signingName);
    if (!binding) return undefined;
    const op = binding.model.operations[operation];
    let problems: string[];
    if (!op) {
      problems = [`operation ${operation} is not in the model (${binding.model.source})`];
    } else if (!op.output) {
      const empty = response.body === undefined || response.body.length === 0;
      problems = empty ? [] : ['the model says this operation answers with no body, the sandbox sent one'];
    } else {
      const read = readRestXmlOutput(binding.model, op.output, response);
      problems = [
        ...read.problems,
        ...checkShape(binding.model, op.output, read.value, { wire: 'rest-xml', response: true }).map(describe),
      ];
    }
    return this.record(service.signingName, operation, requestId, problems, service.protocol);
  }

  /** Records problems found outside the generic walk (e.g. a REST service's own response checks). */
  record(
    service: string,
    operation: string,
    requestId: string,
    problems: readonly string[],
    protocol: Protocol,
  ): AwsError | undefined {
    if (problems.length === 0) return undefined;
    const violation: ModelViolation = { service, operation, requestId, problems };
    this.violations.push(violation);
    console.error(
      `sandbox: STRICT MODELS: the response to ${service}:${operation} breaks the AWS model:\n  ${problems.join('\n  ')}`,
    );
    const message = `${protocol === 'restXml' ? S3_INTERNAL_ERROR : INTERNAL_FAILURE} (sandbox strict models: the response to ${service}:${operation} breaks the AWS model: ${problems.join('; ')})`;
    return new AwsError(protocol === 'restXml' ? 'InternalError' : 'InternalFailure', message, 500);
  }

  /** The error close() raises when the run produced violations. */
  summary(): Error | undefined {
    if (this.violations.length === 0) return undefined;
    const lines = this.violations.map(
      (v) => `${v.service}:${v.operation} (request ${v.requestId}): ${v.problems.join('; ')}`,
    );
    return new Error(
      `sandbox: ${this.violations.length} response${this.violations.length === 1 ? '' : 's'} broke the AWS service models (strict mode):\n  ${lines.join('\n  ')}`,
    );
  }
}

function describe(problem: Problem): string {
  const value = problem.kind === 'required' || problem.sensitive ? '' : ` (value ${short(problem.value)})`;
  const what = problem.kind === 'required' ? 'required member is missing' : problem.message;
  return `${readablePath(problem.path)}: ${what}${value}`;
}

function short(value: unknown): string {
  const text = value instanceof Date ? value.toISOString() : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
