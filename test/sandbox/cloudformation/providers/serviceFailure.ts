// The status reason CloudFormation's resource handlers show when the service rejected a call:
// the service's own message, with the service name, status code and request id they append.
import { randomUUID } from 'node:crypto';
import { ResourceFailure } from './registry.js';

export function serviceFailure(
  service: string,
  message: string,
  handlerErrorCode = 'InvalidRequest',
  statusCode = 400,
): ResourceFailure {
  return new ResourceFailure(
    `Resource handler returned message: "${message} (Service: ${service}, Status Code: ${statusCode}, Request ID: ${randomUUID()})" (RequestToken: ${randomUUID()}, HandlerErrorCode: ${handlerErrorCode})`,
  );
}
