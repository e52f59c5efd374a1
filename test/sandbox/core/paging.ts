// NextToken paging over an in-memory list: the token is an opaque base64 offset, and a token the
// service did not issue gets the service's own error.
import { AwsError } from './types';
import { str } from './values';

export interface Page<T> {
  readonly items: T[];
  readonly nextToken?: string;
}

export function paginate<T>(all: readonly T[], token: unknown, limit: number, invalidToken: () => AwsError): Page<T> {
  const start = token === undefined || token === null ? 0 : decodeOffset(token, invalidToken);
  const items = all.slice(start, start + limit);
  return start + limit < all.length ? { items, nextToken: encodeOffset(start + limit) } : { items };
}

/** A positive integer input (`maxResults`, `limit`) within bounds, or the default when absent. */
export function pageLimit(value: unknown, defaultLimit: number, max: number, name: string): number {
  if (value === undefined || value === null) return defaultLimit;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    const bound = n < 1 ? 'greater than or equal to 1' : `less than or equal to ${max}`;
    throw new AwsError(
      'ValidationException',
      `1 validation error detected: Value '${str(value)}' at '${name}' failed to satisfy constraint: Member must have value ${bound}`,
    );
  }
  return n;
}

function encodeOffset(offset: number): string {
  return Buffer.from(JSON.stringify({ o: offset })).toString('base64');
}

function decodeOffset(token: unknown, invalidToken: () => AwsError): number {
  try {
    const { o } = JSON.parse(Buffer.from(String(token), 'base64').toString('utf8')) as { o?: unknown };
    if (typeof o === 'number' && Number.isInteger(o) && o >= 0) return o;
  } catch {
    // the service's error below
  }
  throw invalidToken();
}
