// The awsQuery protocol: form-encoded requests (`Action=…&Version=…&A.member.1.B=x`) and XML responses.
import { escapeXml } from './xml';

export interface QueryRequest {
  readonly action: string | undefined;
  readonly version: string | undefined;
  readonly input: Record<string, unknown>;
}

/** Parses a form body (or a GET query string) into the action and the unflattened input. */
export function parseQueryRequest(params: URLSearchParams): QueryRequest {
  const flat: [string, string][] = [];
  let action: string | undefined;
  let version: string | undefined;
  for (const [key, value] of params) {
    if (key === 'Action') action = value;
    else if (key === 'Version') version = value;
    else flat.push([key, value]);
  }
  return { action, version, input: unflattenQuery(flat) };
}

type Tree = { value?: string; children: Map<string, Tree> };

/**
 * `A.member.1.B=x` → `{ A: [{ B: 'x' }] }`; `A.entry.1.key=k&A.entry.1.value=v` → `{ A: { k: 'v' } }`.
 * Scalars stay strings: the protocol carries no types and the handler knows its shapes.
 */
export function unflattenQuery(pairs: Iterable<[string, string]>): Record<string, unknown> {
  const root: Tree = { children: new Map() };
  for (const [key, value] of pairs) {
    let node = root;
    for (const segment of key.split('.')) {
      let child = node.children.get(segment);
      if (!child) {
        child = { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
    node.value = value;
  }
  const result = convert(root);
  return typeof result === 'object' && result !== null && !Array.isArray(result)
    ? (result as Record<string, unknown>)
    : {};
}

function convert(node: Tree): unknown {
  if (node.children.size === 0) return node.value ?? '';
  const keys = [...node.children.keys()];
  if (keys.length === 1 && keys[0] === 'member') return indexed(node.children.get('member')!).map(convert);
  if (keys.length === 1 && keys[0] === 'entry') {
    const map: Record<string, unknown> = {};
    for (const entry of indexed(node.children.get('entry')!)) {
      const key = entry.children.get('key');
      const value = entry.children.get('value');
      if (key?.value !== undefined) map[key.value] = value ? convert(value) : '';
    }
    return map;
  }
  const object: Record<string, unknown> = {};
  for (const [key, child] of node.children) object[key] = convert(child);
  return object;
}

/** Children named 1, 2, … in numeric order (non-numeric names are ignored). */
function indexed(node: Tree): Tree[] {
  return [...node.children.entries()]
    .filter(([index]) => /^\d+$/.test(index))
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, child]) => child);
}

/** Serializes a value as XML children: arrays become `<member>` lists, Dates ISO-8601, undefined/null is omitted. */
export function toXml(value: unknown, indent = ''): string {
  if (value instanceof Date) return escapeXml(value.toISOString());
  if (Array.isArray(value)) {
    return value
      .filter((item) => item !== undefined && item !== null)
      .map((item) => `\n${indent}<member>${toXml(item, `${indent}  `)}${isComplex(item) ? `\n${indent}` : ''}</member>`)
      .join('');
  }
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined && item !== null)
      .map(
        ([key, item]) =>
          `\n${indent}<${key}>${toXml(item, `${indent}  `)}${isComplex(item) ? `\n${indent}` : ''}</${key}>`,
      )
      .join('');
  }
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return escapeXml(value);
  return typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' ? String(value) : '';
}

function isComplex(value: unknown): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Date) &&
    (!Array.isArray(value) || value.length > 0)
  );
}

export function queryResponseXml(action: string, xmlNamespace: string, output: unknown, requestId: string): string {
  const result = output === undefined || output === null ? '' : toXml(output, '    ');
  const resultElement = result === '' ? `  <${action}Result/>` : `  <${action}Result>${result}\n  </${action}Result>`;
  return `<${action}Response xmlns="${escapeXml(xmlNamespace)}">\n${resultElement}\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`;
}

export function queryErrorXml(type: 'Sender' | 'Receiver', code: string, message: string, requestId: string): string {
  return `<ErrorResponse>\n  <Error>\n    <Type>${type}</Type>\n    <Code>${escapeXml(code)}</Code>\n    <Message>${escapeXml(message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}
