// What CodeBuild reads for a buildspec's `parameter-store` and `secrets-manager` variables (and for
// PARAMETER_STORE / SECRETS_MANAGER environment variables): the sandbox's Parameter Store and Secrets
// Manager, as the build's service role would read them. Undefined means "not found", which the runner
// reports with CodeBuild's own error text.
import type { Sandbox } from '../core/types';
import { findSecret } from '../secretsmanager/store';
import { findParameter } from '../ssm/store';

/** The newest value of a parameter (`name` or `name:version`). */
export function parameterValue(sandbox: Sandbox, accountId: string, region: string, name: string): string | undefined {
  const [bare, version] = splitVersion(name);
  const versions = findParameter(sandbox, accountId, region, bare);
  if (!versions) return undefined;
  const chosen = version === undefined ? versions[versions.length - 1] : versions.find((v) => v.version === version);
  return chosen?.value;
}

/**
 * A secret's value from CodeBuild's reference form `secret-id[:json-key[:version-stage[:version-id]]]`;
 * the secret id may be a full ARN (which itself contains colons).
 */
export function secretValue(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  reference: string,
): string | undefined {
  const arnParts = reference.startsWith('arn:') ? 7 : 1;
  const parts = reference.split(':');
  const id = parts.slice(0, arnParts).join(':');
  const [jsonKey = '', stage = '', versionId = ''] = parts.slice(arnParts);
  const secret = findSecret(sandbox, accountId, region, id);
  if (!secret || secret.deletionDate !== undefined) return undefined;
  const version = versionId
    ? secret.versions.find((v) => v.versionId === versionId)
    : secret.versions.find((v) => v.stages.includes(stage || 'AWSCURRENT'));
  if (version?.secretString === undefined) return undefined;
  if (jsonKey === '') return version.secretString;
  try {
    const value = (JSON.parse(version.secretString) as Record<string, unknown> | null)?.[jsonKey];
    if (value === undefined) return undefined;
    return typeof value === 'string' ? value : JSON.stringify(value);
  } catch {
    return undefined;
  }
}

function splitVersion(name: string): [string, number | undefined] {
  const match = /^(.*):(\d+)$/.exec(name);
  return match ? [match[1], Number(match[2])] : [name, undefined];
}

/** The ARN CodeBuild's ssm:GetParameters call is authorized on (`name` or `name:version`). */
export function parameterArn(accountId: string, region: string, name: string): string {
  const [bare] = splitVersion(name);
  return `arn:aws:ssm:${region}:${accountId}:parameter/${bare.replace(/^\//, '')}`;
}

/** The ARN CodeBuild's secretsmanager:GetSecretValue call is authorized on (the secret's, when it exists). */
export function secretArn(sandbox: Sandbox, accountId: string, region: string, reference: string): string {
  const parts = reference.split(':');
  const id = parts.slice(0, reference.startsWith('arn:') ? 7 : 1).join(':');
  return (
    findSecret(sandbox, accountId, region, id)?.arn ??
    (id.startsWith('arn:') ? id : `arn:aws:secretsmanager:${region}:${accountId}:secret:${id}`)
  );
}
