// Model `pattern`s are Java regular expressions that must match the whole value (Coral checks them
// with Pattern.matches). This compiles them for JavaScript once each: `u` mode understands the
// `\p{L}`-style classes they use; a leading `(?i)` becomes the `i` flag.
const compiled = new Map<string, RegExp | null>();

/** The anchored JavaScript RegExp for a model pattern, or null when JavaScript cannot express it. */
export function modelPattern(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = compile(pattern);
    compiled.set(pattern, regex);
  }
  return regex;
}

function compile(pattern: string): RegExp | null {
  let source = pattern;
  let flags = '';
  if (source.startsWith('(?i)')) {
    source = source.slice(4);
    flags = 'i';
  }
  for (const mode of ['u', '']) {
    try {
      return new RegExp(`^(?:${source})$`, flags + mode);
    } catch {
      // Java accepts escapes (`\_`, `\/`) that `u` mode rejects: try without it.
    }
  }
  return null;
}
