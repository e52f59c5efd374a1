// AWS managed policies the sandbox knows, with their real documents (fixtures in ./managed, copied
// from the AWS Managed Policy Reference). A role or identity that attaches another AWS managed
// policy gets nothing from it, so a test never passes on a grant the sandbox made up.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NamedPolicy } from './evaluate';

const AWS_MANAGED = /^arn:aws[\w-]*:iam::aws:policy\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/;

const cache = new Map<string, NamedPolicy | undefined>();

/** The document of an AWS managed policy ARN, or undefined when the sandbox has no fixture of it. */
export function awsManagedPolicy(arn: string): NamedPolicy | undefined {
  if (cache.has(arn)) return cache.get(arn);
  const name = AWS_MANAGED.exec(arn)?.[1];
  const file = name === undefined ? undefined : join(__dirname, 'managed', `${name}.json`);
  const policy =
    file !== undefined && existsSync(file)
      ? { name: `AWS managed policy ${name}`, document: JSON.parse(readFileSync(file, 'utf8')) as unknown }
      : undefined;
  cache.set(arn, policy);
  return policy;
}
