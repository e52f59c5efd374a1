import * as l10n from '@vscode/l10n';
// git's credential-helper protocol (gitcredentials(7), git-credential(1)): git runs
// `<helper> get|store|erase` and writes `key=value` lines, ending with a blank line or EOF; for
// `get` the helper answers with lines of the same form. Keys ending in `[]` (wwwauth[],
// capability[], state[]) are lists. Unknown keys are ignored, as git itself ignores them.
//
// git sends `path` only when `credential.useHttpPath` is true for the URL. The CodeCommit signature
// covers the path, so the extension must set `credential.<url>.useHttpPath=true` for every URL it
// serves (gitEnvironment.ts does).

export type CredentialAction = 'get' | 'store' | 'erase';

export interface CredentialRequest {
  readonly protocol?: string;
  readonly host?: string;
  readonly path?: string;
  readonly username?: string;
  /** Every attribute as git sent it; list attributes keep all their values in order. */
  readonly attributes: ReadonlyMap<string, readonly string[]>;
}

export type ParseResult =
  { readonly ok: true; readonly request: CredentialRequest } | { readonly ok: false; readonly reason: string };

export function parseAction(arg: string | undefined): CredentialAction | undefined {
  return arg === 'get' || arg === 'store' || arg === 'erase' ? arg : undefined;
}

/** Parses what git wrote to the helper's stdin; input after the first blank line is not part of it. */
export function parseCredentialRequest(input: string): ParseResult {
  const attributes = new Map<string, string[]>();
  for (const raw of input.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line === '') break;
    const eq = line.indexOf('=');
    if (eq <= 0) return { ok: false, reason: 'a line without key=value' };
    const key = line.slice(0, eq);
    const value = line.slice(eq + 1);
    if (value.includes('\0') || key.includes('\0')) return { ok: false, reason: 'a NUL byte' };
    if (key.endsWith('[]')) {
      // As in git, an empty value clears the list.
      attributes.set(key, value === '' ? [] : [...(attributes.get(key) ?? []), value]);
    } else {
      attributes.set(key, [value]);
    }
  }
  const single = (key: string): string | undefined =>
    attributes.get(key)?.length ? attributes.get(key)?.[0] : undefined;
  return {
    ok: true,
    request: {
      protocol: single('protocol'),
      host: single('host'),
      path: single('path'),
      username: single('username'),
      attributes,
    },
  };
}

/** Formats an answer; refuses keys or values that would break the line protocol. */
export function formatCredentialResponse(fields: Readonly<Record<string, string>>): string {
  let out = '';
  for (const [key, value] of Object.entries(fields)) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*(\[\])?$/.test(key) || /[\n\r\0]/.test(value)) {
      throw new Error(l10n.t('credential attribute {0} cannot be sent to git', key));
    }
    out += `${key}=${value}\n`;
  }
  return out;
}
