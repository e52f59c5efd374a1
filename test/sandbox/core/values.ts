// Request inputs are untyped JSON/form values: this turns one into text without "[object Object]".
export function str(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return value === undefined || value === null ? fallback : JSON.stringify(value);
}
