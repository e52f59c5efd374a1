// Secrets Manager state: secrets per account and region, each with its versions and staging labels.
import { randomBytes, randomUUID } from 'node:crypto';
import { AwsError, type Sandbox } from '../core/types';

export interface SecretVersion {
  versionId: string;
  secretString?: string;
  secretBinary?: string;
  created: number;
  stages: string[];
}

export interface Secret {
  arn: string;
  name: string;
  description?: string;
  kmsKeyId?: string;
  tags: { Key: string; Value: string }[];
  created: number;
  lastChanged: number;
  lastAccessed?: number;
  /** Set when deletion is scheduled (epoch ms of the deletion date). */
  deletionDate?: number;
  versions: SecretVersion[];
}

interface SecretsState {
  secrets: Record<string, Secret>;
}

function secretsState(sandbox: Sandbox): SecretsState {
  const state = (sandbox.state.secretsmanager ??= { secrets: {} }) as SecretsState;
  state.secrets ??= {};
  return state;
}

const SUFFIX_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Secret ARNs end in a hyphen and six random characters, as Secrets Manager makes them. */
export function secretArn(accountId: string, region: string, name: string): string {
  const suffix = Array.from(randomBytes(6), (b) => SUFFIX_CHARS[b % SUFFIX_CHARS.length]).join('');
  return `arn:aws:secretsmanager:${region}:${accountId}:secret:${name}-${suffix}`;
}

export const notFound = () =>
  new AwsError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** A secret by name, full ARN, or ARN without its random suffix (deleted ones included). */
export function findSecret(sandbox: Sandbox, accountId: string, region: string, id: string): Secret | undefined {
  const prefix = `arn:aws:secretsmanager:${region}:${accountId}:secret:`;
  return Object.values(secretsState(sandbox).secrets).find(
    (s) =>
      s.arn.startsWith(prefix) &&
      (s.arn === id || s.name === id || (id.startsWith(prefix) && s.arn.slice(0, -7) === id)),
  );
}

export function requireSecret(sandbox: Sandbox, accountId: string, region: string, id: string): Secret {
  const secret = findSecret(sandbox, accountId, region, id);
  if (!secret) throw notFound();
  return secret;
}

export function createSecretRecord(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  input: {
    name: string;
    description?: string;
    kmsKeyId?: string;
    tags?: { Key: string; Value: string }[];
    secretString?: string;
    secretBinary?: string;
    versionId?: string;
  },
): Secret {
  const existing = findSecret(sandbox, accountId, region, input.name);
  if (existing?.deletionDate !== undefined)
    throw new AwsError(
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    );
  if (existing)
    throw new AwsError(
      'ResourceExistsException',
      `The operation failed because the secret ${input.name} already exists.`,
    );
  const now = sandbox.clock.now().getTime();
  const secret: Secret = {
    arn: secretArn(accountId, region, input.name),
    name: input.name,
    description: input.description,
    kmsKeyId: input.kmsKeyId,
    tags: input.tags ?? [],
    created: now,
    lastChanged: now,
    versions: [],
  };
  if (input.secretString !== undefined || input.secretBinary !== undefined)
    secret.versions.push({
      versionId: input.versionId ?? randomUUID(),
      secretString: input.secretString,
      secretBinary: input.secretBinary,
      created: now,
      stages: ['AWSCURRENT'],
    });
  secretsState(sandbox).secrets[secret.arn] = secret;
  sandbox.changed();
  return secret;
}

export function removeSecret(sandbox: Sandbox, secret: Secret): void {
  delete secretsState(sandbox).secrets[secret.arn];
  sandbox.changed();
}

/** Drops secrets whose scheduled deletion date has passed (called before every lookup-heavy operation). */
export function purgeDeleted(sandbox: Sandbox): void {
  const now = sandbox.clock.now().getTime();
  for (const secret of Object.values(secretsState(sandbox).secrets))
    if (secret.deletionDate !== undefined && secret.deletionDate <= now) removeSecret(sandbox, secret);
}
