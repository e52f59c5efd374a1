// IAM's string patterns: `*` and `?` wildcards in actions, resources and the *Like operators, and
// policy variables (`${aws:username}`, `${aws:PrincipalTag/team}`, `${key, 'default'}`, and the
// escapes `${*}`, `${?}`, `${$}`) in Resource elements and condition values.

/** The request's context keys, by lower-cased name (IAM compares key names case-insensitively). */
export type ContextValues = ReadonlyMap<string, readonly string[]>;

/** `*` matches any run of characters (also none), `?` one character; the rest literally. */
export function wildcardMatch(pattern: string, value: string, ignoreCase = false): boolean {
  return wildcardRegExp(pattern, ignoreCase).test(value);
}

const cache = new Map<string, RegExp>();

function wildcardRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const key = `${ignoreCase ? 'i' : 's'}${pattern}`;
  let re = cache.get(key);
  if (!re) {
    let source = '';
    for (const c of pattern) {
      if (c === '*') source += '[\\s\\S]*';
      else if (c === '?') source += '[\\s\\S]';
      else source += literalText(c).replace(/[.*?+^${}()|[\]\\]/g, '\\$&');
    }
    re = new RegExp(`^${source}$`, ignoreCase ? 'i' : '');
    if (cache.size > 5_000) cache.clear();
    cache.set(key, re);
  }
  return re;
}

/** Stand-ins for the literal `*` and `?` of `${*}` and `${?}`, which wildcardMatch does not expand. */
const LITERAL_STAR = '\uE000';
const LITERAL_QUESTION = '\uE001';

/** The text with the escapes' stand-ins back as plain characters (for the exact-match operators). */
export function literalText(text: string): string {
  return text.replaceAll(LITERAL_STAR, '*').replaceAll(LITERAL_QUESTION, '?');
}

/**
 * Replaces policy variables with the request's values. A variable without a value (and without a
 * default) makes the string match nothing, as IAM treats it: undefined is returned. `${*}` and
 * `${?}` become characters that wildcardMatch compares literally (literalText turns them back).
 */
export function substituteVariables(text: string, context: ContextValues): string | undefined {
  if (!text.includes('${')) return text;
  let missing = false;
  const out = text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    const body = inner.trim();
    if (body === '*') return LITERAL_STAR;
    if (body === '?') return LITERAL_QUESTION;
    if (body === '$') return '$';
    const comma = /^([^,]+?)\s*,\s*'([^']*)'$/.exec(body);
    const name = (comma ? comma[1] : body).trim().toLowerCase();
    const values = context.get(name);
    if (values && values.length === 1) return values[0];
    if (comma) return comma[2];
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}

/** ARN-aware matching (ArnLike, Resource elements): each of the six colon-separated parts on its own. */
export function arnLike(pattern: string, arn: string): boolean {
  if (pattern === '*') return true;
  const p = splitArn(pattern);
  const a = splitArn(arn);
  if (!p || !a) return wildcardMatch(pattern, arn);
  return p.every((part, i) => wildcardMatch(part, a[i]));
}

/** `arn:partition:service:region:account:resource` — the resource part keeps its own colons. */
function splitArn(arn: string): string[] | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  return [...parts.slice(0, 5), parts.slice(5).join(':')];
}
