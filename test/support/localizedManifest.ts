// package.json as VS Code shows it: each `%key%` replaced by its text in package.nls.json (English)
// or package.nls.<locale>.json, the way the editor resolves contributions for its display language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const PLACEHOLDER = /^%([^%\s]+)%$/;

/** The message file of `locale` (undefined: the English default), key → text. */
export function nlsMessages(locale?: string, root = '.'): Record<string, string> {
  const file = locale ? `package.nls.${locale}.json` : 'package.nls.json';
  return JSON.parse(readFileSync(join(root, file), 'utf8')) as Record<string, string>;
}

/** Replaces every `%key%` string in `value`, throwing on a key the messages lack. */
export function resolveNls<T>(value: T, messages: Record<string, string>): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') {
      const key = PLACEHOLDER.exec(v)?.[1];
      if (key === undefined) return v;
      const text = messages[key];
      if (text === undefined) throw new Error(`package.json names %${key}%, which the messages lack`);
      return text;
    }
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v === 'object' && v !== null) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value) as T;
}

/** package.json with its contributions in `locale` (default English). */
export function localizedManifest<T>(locale?: string, root = '.'): T {
  const raw = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as T;
  return resolveNls(raw, nlsMessages(locale, root));
}
