// The awsJson1_1 protocol: `X-Amz-Target: Prefix.Operation`, JSON in and out, errors as `__type`.

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

/** `CodeCommit_20150413.GetRepository` → { prefix, operation }, or undefined when malformed. */
export function parseTarget(target: string): { prefix: string; operation: string } | undefined {
  const dot = target.lastIndexOf('.');
  if (dot <= 0 || dot === target.length - 1) return undefined;
  return { prefix: target.slice(0, dot), operation: target.slice(dot + 1) };
}

/** Serializes an operation's output: Dates as epoch seconds (with milliseconds as a fraction), undefined omitted. */
export function toJsonBody(output: unknown): string {
  return JSON.stringify(output ?? {}, function (this: Record<string, unknown>, key, value: unknown) {
    const raw = this[key];
    return raw instanceof Date ? raw.getTime() / 1000 : value;
  });
}

export function jsonErrorBody(code: string, message: string): string {
  return JSON.stringify({ __type: code, message });
}
