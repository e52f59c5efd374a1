// Physical names and ids the way CloudFormation and the services generate them.
import { randomBytes, randomUUID } from 'node:crypto';

const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export function randomUpper(length: number): string {
  const bytes = randomBytes(length);
  return Array.from(bytes, (b) => UPPER[b % UPPER.length]).join('');
}

export function randomHex(length: number): string {
  return randomBytes(Math.ceil(length / 2))
    .toString('hex')
    .slice(0, length);
}

/** `<stack>-<logical>-<SUFFIX>`, shortened to fit `max` like CloudFormation does. */
export function generatedName(
  stackName: string,
  logicalId: string,
  options: { max?: number; lower?: boolean; suffixLength?: number } = {},
): string {
  const max = options.max ?? 128;
  const suffix = randomUpper(options.suffixLength ?? 12);
  let stack = stackName;
  let logical = logicalId;
  const room = max - suffix.length - 2;
  if (stack.length + logical.length > room) {
    const half = Math.floor(room / 2);
    const stackRoom = Math.max(room - Math.min(logical.length, half), half);
    stack = stack.slice(0, stackRoom);
    logical = logical.slice(0, room - stack.length);
  }
  const name = `${stack}-${logical}-${suffix}`;
  return options.lower ? name.toLowerCase() : name;
}

/** EC2-style id: prefix plus 17 hex digits. */
export function ec2Id(prefix: string): string {
  return `${prefix}-0${randomHex(16)}`;
}

export { randomUUID };
