// How AWS words a request that breaks the model. Coral (the framework behind the JSON and query
// services) lists every broken constraint in one message:
//   1 validation error detected: Value 'a_b' at 'stackName' failed to satisfy constraint: Member must
//   satisfy regular expression pattern: [a-zA-Z][-a-zA-Z0-9]*
//   2 validation errors detected: Value null at 'name' failed to satisfy constraint: Member must not be null; Value …
// Paths name members with a lower-case first letter and list items as `<position>.member`
// ('pipeline.stages.1.member.name'); values are quoted, null is not, sensitive values are left out.
import type { Problem } from './validate';

export function coralMessage(problems: readonly Problem[], quotesValues = true): string {
  const parts = problems.map(
    (p) =>
      `Value ${p.sensitive || (!quotesValues && p.value !== null) ? '' : `${renderValue(p.value)} `}at '${coralPath(p.path)}' failed to satisfy constraint: ${p.message}`,
  );
  const count = parts.length;
  return `${count} validation error${count === 1 ? '' : 's'} detected: ${parts.join('; ')}`;
}

export function coralPath(path: readonly (string | number)[]): string {
  return path.map((segment) => (typeof segment === 'number' ? `${segment}.member` : lowerFirst(segment))).join('.');
}

/** A readable path for the sandbox's own reports: 'stageStates[0].actionStates[1].status'. */
export function readablePath(path: readonly (string | number)[]): string {
  let text = '';
  for (const segment of path)
    text += typeof segment === 'number' ? `[${segment - 1}]` : `${text === '' ? '' : '.'}${segment}`;
  return text === '' ? '(top level)' : text;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** Values as Coral's Java objects print them: 'text', '5', '[a, b]', '{k=v}'; null unquoted. */
function renderValue(value: unknown): string {
  return value === null || value === undefined ? 'null' : `'${javaText(value)}'`;
}

function javaText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaText).join(', ')}]`;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([key, item]) => `${key}=${javaText(item)}`)
      .join(', ')}}`;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
