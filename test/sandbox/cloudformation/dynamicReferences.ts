// Dynamic references in resource properties: {{resolve:ssm:name[:version]}}, {{resolve:ssm-secure:...}}
// and {{resolve:secretsmanager:secret-id[:SecretString[:json-key[:version-stage[:version-id]]]]}},
// resolved from the sandbox's Parameter Store and Secrets Manager when the resource is created or updated.
import { randomUUID } from 'node:crypto';
import { AwsError } from '../core/types.js';
import { findSecret } from '../secretsmanager/store.js';
import { findParameter } from '../ssm/store.js';
import { ResourceFailure } from './providers/registry.js';
import type { Caller } from './stacks.js';
import type { Template } from './engine/types.js';

const REFERENCE = /\{\{resolve:(ssm|ssm-secure|secretsmanager):([^}]+)\}\}/g;

function ssmReference(reference: string): { name: string; version?: number } {
  const match = /^(.+?)(?::(\d+))?$/.exec(reference);
  return { name: match?.[1] ?? reference, version: match?.[2] === undefined ? undefined : Number(match[2]) };
}

function ssmValue(caller: Caller, reference: string): string | undefined {
  const { name, version } = ssmReference(reference);
  const versions = findParameter(caller.sandbox, caller.accountId, caller.region, name);
  const found = version === undefined ? versions?.[versions.length - 1] : versions?.find((v) => v.version === version);
  return found?.value;
}

/**
 * SSM parameters a template's resources name literally; CloudFormation refuses the operation when one
 * does not exist ("Parameters: [ssm:/name] cannot be found.").
 */
export function checkSsmReferences(caller: Caller, template: Template): void {
  const text = JSON.stringify(template.Resources);
  const missing = [...text.matchAll(REFERENCE)]
    .filter(([, service, reference]) => service !== 'secretsmanager' && !reference.includes('${'))
    .map(([, service, reference]) => ({ service, reference }))
    .filter(({ reference }) => ssmValue(caller, reference) === undefined)
    .map(({ service, reference }) => `${service}:${ssmReference(reference).name}`);
  if (missing.length)
    throw new AwsError('ValidationError', `Parameters: [${[...new Set(missing)].join(', ')}] cannot be found.`);
}

function secretsManagerError(message: string, code: string): ResourceFailure {
  return new ResourceFailure(
    `${message} (Service: AWSSecretsManager; Status Code: 400; Error Code: ${code}; Request ID: ${randomUUID()}; Proxy: null)`,
  );
}

function secretValue(caller: Caller, reference: string): string {
  const parts = reference.split(':');
  // A secret ARN has seven colon-separated parts of its own.
  const idParts = parts[0] === 'arn' ? 7 : 1;
  const id = parts.slice(0, idParts).join(':');
  const [field = 'SecretString', jsonKey = '', stage = '', versionId = ''] = parts.slice(idParts);
  const secret = findSecret(caller.sandbox, caller.accountId, caller.region, id);
  if (!secret || secret.deletionDate !== undefined)
    throw secretsManagerError("Secrets Manager can't find the specified secret.", 'ResourceNotFoundException');
  if (field !== 'SecretString')
    throw new ResourceFailure(
      `Dynamic reference {{resolve:secretsmanager:${id}:${field}}} names an unsupported field; only SecretString can be referenced`,
    );
  const version = versionId
    ? secret.versions.find((v) => v.versionId === versionId)
    : secret.versions.find((v) => v.stages.includes(stage || 'AWSCURRENT'));
  if (!version || version.secretString === undefined)
    throw secretsManagerError(
      `Secrets Manager can't find the specified secret value for ${versionId ? `VersionId: ${versionId}` : `staging label: ${stage || 'AWSCURRENT'}`}`,
      'ResourceNotFoundException',
    );
  if (jsonKey === '') return version.secretString;
  let object: unknown;
  try {
    object = JSON.parse(version.secretString);
  } catch {
    throw new ResourceFailure(`Could not parse SecretString JSON of secret ${secret.name}`);
  }
  const value = (object as Record<string, unknown> | null)?.[jsonKey];
  if (value === undefined)
    throw new ResourceFailure(`Could not find SecretString JSON key ${jsonKey} in secret ${secret.name}`);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Properties with every dynamic reference replaced by its value. */
export function resolveDynamicReferences<T>(value: T, caller: Caller): T {
  if (typeof value === 'string') {
    if (!value.includes('{{resolve:')) return value;
    return value.replace(REFERENCE, (_whole, service: string, reference: string) => {
      if (service === 'secretsmanager') return secretValue(caller, reference);
      const resolved = ssmValue(caller, reference);
      if (resolved === undefined)
        throw new ResourceFailure(`Parameters: [${service}:${ssmReference(reference).name}] cannot be found.`);
      return resolved;
    }) as T;
  }
  if (Array.isArray(value)) return value.map((v: unknown) => resolveDynamicReferences(v, caller)) as T;
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, resolveDynamicReferences(v as unknown, caller)]),
    ) as T;
  return value;
}
