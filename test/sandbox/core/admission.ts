// The step every API call passes once its operation is known, whatever the protocol: it is counted
// (GET /_sandbox/calls) and then meets the injected faults — latency, a dropped connection, or the
// service's own throttling and 5xx errors.
import type { FaultInjector } from './faults';
import { AwsError, type Protocol } from './types';

export interface Admission {
  readonly calls: Map<string, number>;
  readonly faults: FaultInjector;
}

/** 'reset' when the connection must be dropped, an error to answer with, or undefined to go on. */
export type AdmissionResult = 'reset' | AwsError | undefined;

export async function admitCall(
  admission: Admission,
  protocol: Protocol,
  service: string,
  operation: string,
): Promise<AdmissionResult> {
  const key = `${service}:${operation}`;
  admission.calls.set(key, (admission.calls.get(key) ?? 0) + 1);
  const decision = admission.faults.decide(service, operation);
  if (decision.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, decision.latencyMs));
  switch (decision.fault) {
    case undefined:
      return undefined;
    case 'reset':
      return 'reset';
    default:
      return FAULT_ERRORS[protocol][decision.fault]();
  }
}

type InjectedError = 'throttle' | 'unavailable' | 'internal';

const FAULT_ERRORS: Readonly<Record<Protocol, Readonly<Record<InjectedError, () => AwsError>>>> = {
  awsJson1_1: {
    throttle: () => new AwsError('ThrottlingException', 'Rate exceeded', 400),
    unavailable: () =>
      new AwsError('ServiceUnavailableException', 'Service is unavailable. Please try again later.', 503),
    internal: () => new AwsError('InternalFailure', INTERNAL_FAILURE, 500),
  },
  awsQuery: {
    throttle: () => new AwsError('Throttling', 'Rate exceeded', 400),
    unavailable: () => new AwsError('ServiceUnavailable', 'Service is unavailable. Please try again later.', 503),
    internal: () => new AwsError('InternalFailure', INTERNAL_FAILURE, 500),
  },
  restJson1: {
    throttle: () => new AwsError('TooManyRequestsException', 'Too many requests', 429),
    unavailable: () =>
      new AwsError('ServiceUnavailableException', 'Service is unavailable. Please try again later.', 503),
    internal: () => new AwsError('InternalServerException', INTERNAL_FAILURE, 500),
  },
  restXml: {
    throttle: () => new AwsError('SlowDown', 'Please reduce your request rate.', 503),
    unavailable: () => new AwsError('ServiceUnavailable', 'Service is unable to handle request.', 503),
    internal: () => new AwsError('InternalError', S3_INTERNAL_ERROR, 500),
  },
};

/** What a JSON or query service says when the operation itself failed unexpectedly. */
export const INTERNAL_FAILURE = 'The request processing has failed because of an unknown error, exception or failure.';
export const S3_INTERNAL_ERROR = 'We encountered an internal error. Please try again.';
