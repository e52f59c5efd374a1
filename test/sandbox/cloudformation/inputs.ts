// Reading awsQuery inputs (every scalar a string, lists unflattened) and paging outputs.
import { AwsError } from '../core/types.js';
import { parseTemplateBody } from './engine/template.js';
import { isRecord, type Template } from './engine/types.js';
import type { SuppliedParameter } from './engine/parameters.js';
import { asApiError } from './stacks.js';
import { LIMITS } from './engine/limits.js';
import { templateBodyFromUrl, type UrlSource } from './templateUrl.js';

export function optString(input: Record<string, unknown>, name: string): string | undefined {
  const v = input[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}

export function flag(input: Record<string, unknown>, name: string): boolean {
  return input[name] === 'true' || input[name] === true;
}

export function stringList(input: Record<string, unknown>, name: string): string[] {
  const v = input[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' && v !== '' ? [v] : [];
}

export function parameterList(input: Record<string, unknown>): SuppliedParameter[] {
  const v = input.Parameters;
  return Array.isArray(v)
    ? v.filter(isRecord).map((p) => ({
        ParameterKey: p.ParameterKey as string | undefined,
        ParameterValue: p.ParameterValue as string | undefined,
        UsePreviousValue: p.UsePreviousValue as string | undefined,
      }))
    : [];
}

export function tagList(input: Record<string, unknown>): { Key: string; Value: string }[] | undefined {
  const v = input.Tags;
  if (!Array.isArray(v)) return undefined;
  return v
    .filter(isRecord)
    .map((t) => ({ Key: typeof t.Key === 'string' ? t.Key : '', Value: typeof t.Value === 'string' ? t.Value : '' }));
}

const MAX_BODY = LIMITS.templateBodyBytes;

/**
 * The template a call supplies: TemplateBody (which wins when both are given), TemplateURL into the
 * sandbox's S3, or the previous one with UsePreviousTemplate.
 */
export function templateFrom(
  input: Record<string, unknown>,
  source: UrlSource,
  previous?: { templateBody: string },
): { body: string; template: Template } {
  let body = optString(input, 'TemplateBody');
  const url = optString(input, 'TemplateURL');
  if (body === undefined && url !== undefined) {
    const text = templateBodyFromUrl(url, source);
    return { body: text, template: asApiError(() => parseTemplateBody(text)) };
  }
  if (body === undefined && flag(input, 'UsePreviousTemplate')) {
    if (!previous) throw new AwsError('ValidationError', 'UsePreviousTemplate is only allowed for updates');
    body = previous.templateBody;
  }
  if (body === undefined) {
    throw new AwsError('ValidationError', 'Either Template URL or Template Body must be specified.');
  }
  if (Buffer.byteLength(body) > MAX_BODY) {
    throw new AwsError(
      'ValidationError',
      `1 validation error detected: Value '${body.slice(0, 20)}...' at 'templateBody' failed to satisfy constraint: Member must have length less than or equal to ${MAX_BODY}`,
    );
  }
  const text = body;
  return { body, template: asApiError(() => parseTemplateBody(text)) };
}

/** Pages a list with an opaque NextToken, the way the real API does. */
export function page<T>(
  items: readonly T[],
  token: string | undefined,
  size: number,
): { items: T[]; nextToken?: string } {
  let start = 0;
  if (token !== undefined) {
    const decoded = Number(
      Buffer.from(token, 'base64')
        .toString('utf8')
        .replace(/^offset:/, ''),
    );
    if (!Number.isInteger(decoded) || decoded < 0) throw new AwsError('ValidationError', 'Invalid NextToken');
    start = decoded;
  }
  const slice = items.slice(start, start + size);
  const next = start + size < items.length ? Buffer.from(`offset:${start + size}`).toString('base64') : undefined;
  return { items: slice, nextToken: next };
}
