// `--identities FILE`: access keys of IAM users and role sessions, with their identity policies.
//
//   { "identities": [
//       { "accessKeyId": "AKIAVIEWER", "secretAccessKey": "…", "user": "viewer",
//         "policies": [ { "name": "read-only", "file": "docs/iam/workshop-pipeline-read-only.json" } ] },
//       { "accessKeyId": "ASIADEPLOY", "secretAccessKey": "…", "role": "Deployer", "sessionName": "alice",
//         "managedPolicyArns": ["arn:aws:iam::aws:policy/AdministratorAccess"] } ] }
//
// A policy is a `document` inline or a `file` (relative to the identities file). `accountId`
// defaults to the sandbox's account. The default `test` key stays the account's root user.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DEFAULT_ACCOUNT_ID } from '../core/auth';
import type { SandboxCredentials } from '../core/types';
import type { NamedPolicy } from './evaluate';
import { awsManagedPolicy } from './managedPolicies';

export interface IdentityConfig {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly accountId?: string;
  /** An IAM user of that name (with `path`), … */
  readonly user?: string;
  readonly path?: string;
  /** … or a session of the role of that name. */
  readonly role?: string;
  readonly sessionName?: string;
  readonly policies?: readonly { readonly name: string; readonly document?: unknown; readonly file?: string }[];
  readonly managedPolicyArns?: readonly string[];
}

export function readIdentitiesFile(file: string): SandboxCredentials[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`--identities ${file}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  const identities = (parsed as { identities?: unknown }).identities;
  if (!Array.isArray(identities)) throw new Error(`--identities ${file}: expected {"identities": [ … ]}`);
  return identities.map((entry, i) =>
    identityCredentials(entry as IdentityConfig, dirname(file), `${file}: identities[${i}]`),
  );
}

export function identityCredentials(config: IdentityConfig, baseDir: string, where = 'identity'): SandboxCredentials {
  if (typeof config.accessKeyId !== 'string' || typeof config.secretAccessKey !== 'string')
    throw new Error(`${where}: accessKeyId and secretAccessKey are required`);
  if ((config.user === undefined) === (config.role === undefined))
    throw new Error(`${where}: give either "user" or "role"`);
  const accountId = config.accountId ?? DEFAULT_ACCOUNT_ID;
  const policies: NamedPolicy[] = (config.policies ?? []).map((p) => {
    if (p.document !== undefined) return { name: p.name, document: p.document };
    if (p.file === undefined) throw new Error(`${where}: policy ${p.name} needs "document" or "file"`);
    return { name: p.name, document: JSON.parse(readFileSync(resolve(baseDir, p.file), 'utf8')) as unknown };
  });
  for (const arn of config.managedPolicyArns ?? []) {
    const managed = awsManagedPolicy(arn);
    if (!managed) throw new Error(`${where}: the sandbox has no document of the AWS managed policy ${arn}`);
    policies.push(managed);
  }
  const id = config.accessKeyId
    .replace(/[^A-Z0-9]/gi, '')
    .toUpperCase()
    .padEnd(17, '0')
    .slice(0, 17);
  if (config.user !== undefined) {
    const path = config.path ?? '/';
    return {
      accessKeyId: config.accessKeyId,
      secretAccessKey: config.secretAccessKey,
      accountId,
      arn: `arn:aws:iam::${accountId}:user${path}${config.user}`,
      userId: `AIDA${id}`,
      policies,
    };
  }
  const session = config.sessionName ?? config.accessKeyId;
  return {
    accessKeyId: config.accessKeyId,
    secretAccessKey: config.secretAccessKey,
    accountId,
    arn: `arn:aws:sts::${accountId}:assumed-role/${config.role}/${session}`,
    userId: `AROA${id}:${session}`,
    policies,
  };
}
