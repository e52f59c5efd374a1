// The identities the policy proofs run as: one holding exactly docs/iam's full policy, one exactly
// the watch policy, and for each statement of each policy one holding that policy without it. Each
// is a named profile in a shared credentials file, as a user would configure it.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { identityCredentials } from '../../sandbox/iam/identities';
import type { SandboxCredentials } from '../../sandbox/core/types';

export interface PolicyStatement {
  readonly Sid: string;
  readonly Action: string | readonly string[];
}

export interface PolicyDocument {
  readonly Version: string;
  readonly Statement: readonly PolicyStatement[];
}

export type PolicyName = 'full' | 'watch';

export const POLICY_FILES: Record<PolicyName, string> = {
  full: 'docs/iam/workshop-pipeline-full.json',
  watch: 'docs/iam/workshop-pipeline-watch.json',
};

export function readPolicy(name: PolicyName): PolicyDocument {
  return JSON.parse(readFileSync(POLICY_FILES[name], 'utf8')) as PolicyDocument;
}

export function actionsOf(statement: PolicyStatement): string[] {
  return typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action];
}

/** IAM's action matching: case-insensitive, `*` and `?` wildcards. */
export function statementGrants(statement: PolicyStatement, action: string): boolean {
  return actionsOf(statement).some((pattern) =>
    new RegExp(
      `^${pattern
        .replace(/[.+^${}()|[\]\\]/g, '\\$&')
        .replace(/\*/g, '.*')
        .replace(/\?/g, '.')}$`,
      'i',
    ).test(action),
  );
}

export interface PolicyIdentity {
  /** The profile name in the credentials file. */
  readonly profile: string;
  readonly userArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** `full`, `watch`, and `full-without-<Sid>` / `watch-without-<Sid>`. */
export const withoutProfile = (policy: PolicyName, sid: string): string => `${policy}-without-${sid}`;

/**
 * Identities in a second account: a first ECS cluster or load balancer there makes CloudFormation
 * create the service-linked roles (which account 000000000000 already has after the first deploy).
 */
export const FRESH_ACCOUNT = '111122223333';
const IN_FRESH_ACCOUNT = new Set([
  'full-without-StackCreatesServiceLinkedRoles',
  'full-without-StackCreatesServiceResources',
]);

export function policyIdentities(dir: string): {
  readonly credentials: SandboxCredentials[];
  readonly identities: ReadonlyMap<string, PolicyIdentity>;
} {
  const credentials: SandboxCredentials[] = [];
  const identities = new Map<string, PolicyIdentity>();
  let n = 0;
  const add = (profile: string, document: PolicyDocument) => {
    n++;
    const accessKeyId = `AKIAPOLICY${String(n).padStart(6, '0')}`;
    const secretAccessKey = `policy-secret-${n}`;
    const created = identityCredentials(
      {
        accessKeyId,
        secretAccessKey,
        user: profile,
        ...(IN_FRESH_ACCOUNT.has(profile) ? { accountId: FRESH_ACCOUNT } : {}),
        policies: [{ name: profile, document }],
      },
      dir,
    );
    credentials.push(created);
    identities.set(profile, { profile, userArn: created.arn ?? '', accessKeyId, secretAccessKey });
  };
  for (const name of ['full', 'watch'] as const) {
    const policy = readPolicy(name);
    add(name, policy);
    for (const statement of policy.Statement) {
      add(withoutProfile(name, statement.Sid), {
        ...policy,
        Statement: policy.Statement.filter((s) => s !== statement),
      });
    }
  }
  const profiles = [...identities.values()];
  writeFileSync(
    join(dir, 'credentials'),
    profiles
      .map(
        (p) => `[${p.profile}]\naws_access_key_id = ${p.accessKeyId}\naws_secret_access_key = ${p.secretAccessKey}\n`,
      )
      .join('\n'),
  );
  writeFileSync(join(dir, 'config'), profiles.map((p) => `[profile ${p.profile}]\nregion = us-east-1\n`).join('\n'));
  return { credentials, identities };
}
