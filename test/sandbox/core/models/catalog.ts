// Which AWS model judges which sandbox service: one line per service, keyed by the SigV4 signing
// name the service definition declares. A service the sandbox serves without a line here cannot
// start in strict mode (see modelsFor), so a new service is never silently unjudged.
import type { ServiceDefinition } from '../types';
import { loadServiceModel, type ServiceModel } from './shapes';

interface CatalogEntry {
  /** The vendored model file in ./aws/ (botocore `<name>-<version>`). */
  readonly model: string;
  /** The error code the service answers a request that breaks its model with (protocol default otherwise). */
  readonly validationErrorCode?: string;
  /** false: the service's messages say "Value at 'x'" without repeating the value. */
  readonly quotesValues?: boolean;
  /** The service checks its input itself, with its own exceptions (the sandbox's handlers do the same). */
  readonly validatesItself?: boolean;
  /** Enums the real service widens: shape name → the shape whose enum values it also sends (with the evidence). */
  readonly enumAlsoFrom?: Readonly<Record<string, string>>;
}

export const MODEL_CATALOG: Readonly<Record<string, CatalogEntry>> = {
  sts: { model: 'sts-2011-06-15' },
  cloudformation: {
    model: 'cloudformation-2010-05-15',
    // The stack's own events (AWS::CloudFormation::Stack) carry its stack status as ResourceStatus:
    // REVIEW_IN_PROGRESS first for a CREATE change set (`sam deploy` reads it), then e.g.
    // UPDATE_COMPLETE_CLEANUP_IN_PROGRESS — values the model's ResourceStatus enum does not list.
    enumAlsoFrom: { ResourceStatus: 'StackStatus' },
  },
  // CodeCommit answers with its own exceptions (InvalidRepositoryNameException: "The repository name is not valid. …").
  codecommit: { model: 'codecommit-2015-04-13', validatesItself: true },
  // CodePipeline: "1 validation error detected: Value at 'pipeline.stages.1.member.actions.1.member.namespace' failed …".
  codepipeline: { model: 'codepipeline-2015-07-09', quotesValues: false },
  codebuild: { model: 'codebuild-2016-10-06' },
  // CloudWatch Logs reports its model violations as InvalidParameterException, with the same text.
  logs: { model: 'logs-2014-03-28', validationErrorCode: 'InvalidParameterException' },
  ecr: { model: 'ecr-2015-09-21' },
  ecs: { model: 'ecs-2014-11-13' },
  elasticloadbalancing: { model: 'elbv2-2015-12-01' },
  // S3 refuses requests with its own errors (MalformedXML, InvalidArgument…), which its handlers raise.
  s3: { model: 's3-2006-03-01', validatesItself: true },
  ssm: { model: 'ssm-2014-11-06' },
  secretsmanager: { model: 'secretsmanager-2017-10-17' },
  events: { model: 'events-2015-10-07' },
  // IAM: "Value at 'maxSessionDuration' failed to satisfy constraint: Member must have value less than or equal to 43200".
  iam: { model: 'iam-2010-05-08', quotesValues: false },
  // IAM Identity Center: both answer a request that breaks the model with InvalidRequestException.
  awsssoportal: { model: 'sso-2019-06-10', validationErrorCode: 'InvalidRequestException' },
  'sso-oauth': { model: 'sso-oidc-2019-06-10', validationErrorCode: 'InvalidRequestException' },
};

/** A service's model and how it reports a request that breaks it. */
export interface ServiceModelBinding {
  readonly model: ServiceModel;
  readonly validationErrorCode: string;
  readonly quotesValues: boolean;
  readonly validatesItself: boolean;
  readonly extraEnumValues: Readonly<Record<string, readonly string[]>>;
}

const PROTOCOLS = { awsJson1_1: 'json', awsQuery: 'query', restXml: 'rest-xml', restJson1: 'rest-json' } as const;

/**
 * The model binding of each service, by signing name. Throws when a service has no catalog entry or
 * its model does not describe the same wire protocol (and, for JSON services, the same target prefix).
 */
export function modelsFor(services: readonly ServiceDefinition[]): Map<string, ServiceModelBinding> {
  const bindings = new Map<string, ServiceModelBinding>();
  for (const service of services) {
    const entry = Object.hasOwn(MODEL_CATALOG, service.signingName) ? MODEL_CATALOG[service.signingName] : undefined;
    if (!entry) {
      throw new Error(
        `sandbox: no AWS service model is registered for '${service.signingName}': add its line to test/sandbox/core/models/catalog.ts (or start the sandbox with strictModels: false)`,
      );
    }
    const model = loadServiceModel(entry.model);
    if (model.metadata.protocol !== PROTOCOLS[service.protocol]) {
      throw new Error(
        `sandbox: '${service.signingName}' speaks ${service.protocol} but its model ${entry.model} is ${model.metadata.protocol}`,
      );
    }
    if (service.protocol === 'awsJson1_1' && model.metadata.targetPrefix !== service.targetPrefix) {
      throw new Error(
        `sandbox: '${service.signingName}' answers X-Amz-Target ${service.targetPrefix ?? '(none)'} but its model says ${model.metadata.targetPrefix ?? '(none)'}`,
      );
    }
    bindings.set(service.signingName, {
      model,
      validationErrorCode:
        entry.validationErrorCode ?? (service.protocol === 'awsJson1_1' ? 'ValidationException' : 'ValidationError'),
      quotesValues: entry.quotesValues ?? true,
      validatesItself: entry.validatesItself ?? false,
      extraEnumValues: Object.fromEntries(
        Object.entries(entry.enumAlsoFrom ?? {}).map(([shape, from]) => [shape, model.shapes[from]?.enum ?? []]),
      ),
    });
  }
  return bindings;
}
