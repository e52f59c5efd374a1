// EventBridge event patterns, compiled and matched the way AWS's own engine (aws/event-ruler) does:
// every field of the pattern must match (arrays are OR), nested objects follow the event's
// structure, `$or` forks alternatives, and the content filters prefix, suffix, anything-but,
// numeric, exists, equals-ignore-case and wildcard. An invalid pattern is rejected with the
// reason event-ruler gives, which EventBridge reports as InvalidEventPatternException.

type Scalar = string | number | boolean | null;

type Matcher =
  | { readonly kind: 'exact'; readonly value: Scalar }
  | { readonly kind: 'prefix'; readonly value: string }
  | { readonly kind: 'suffix'; readonly value: string }
  | { readonly kind: 'equals-ignore-case'; readonly value: string }
  | { readonly kind: 'anything-but'; readonly values: readonly (string | number)[]; readonly ignoreCase: boolean }
  | { readonly kind: 'anything-but-prefix'; readonly value: string }
  | { readonly kind: 'anything-but-suffix'; readonly value: string }
  | { readonly kind: 'numeric'; readonly test: (n: number) => boolean }
  | { readonly kind: 'exists'; readonly value: boolean }
  | { readonly kind: 'wildcard'; readonly regex: RegExp };

/** One alternative of the pattern: every dotted field path must match one of its matchers. */
type Branch = ReadonlyMap<string, readonly Matcher[]>;

export interface EventPattern {
  readonly branches: readonly Branch[];
}

/** The pattern is not valid: `message` is EventBridge's text. */
export class InvalidEventPattern extends Error {
  constructor(reason: string) {
    super(`Event pattern is not valid. Reason: ${reason}`);
    this.name = 'InvalidEventPatternException';
  }
}

/** Compiles a pattern given as JSON text (the API) or as an object (a CloudFormation template). */
export function compilePattern(pattern: unknown): EventPattern {
  let value = pattern;
  if (typeof pattern === 'string') {
    try {
      value = JSON.parse(pattern) as unknown;
    } catch (error) {
      throw new InvalidEventPattern(error instanceof Error ? error.message : String(error));
    }
  }
  if (!isObject(value)) throw new InvalidEventPattern('Filter is not an object');
  return { branches: compileObject(value, [], [new Map<string, Matcher[]>()]) };
}

export function matchesPattern(pattern: EventPattern, event: unknown): boolean {
  return pattern.branches.some((branch) =>
    [...branch].every(([path, matchers]) => fieldMatches(valuesAt(event, path.split('.')), matchers)),
  );
}

function compileObject(
  object: Record<string, unknown>,
  path: readonly string[],
  branches: Map<string, Matcher[]>[],
): Map<string, Matcher[]>[] {
  const keys = Object.keys(object);
  if (keys.length === 0) throw new InvalidEventPattern('Empty objects are not allowed');
  let current = branches;
  for (const key of keys) {
    const value = object[key];
    if (key === '$or') {
      if (!Array.isArray(value)) throw new InvalidEventPattern('It must be an Array followed with $or.');
      if (value.length < 2) throw new InvalidEventPattern('There must have at least 2 Objects in $or relationship.');
      current = value.flatMap((alternative) => {
        if (!isObject(alternative))
          throw new InvalidEventPattern('Only JSON object is allowed in array of $or relationship.');
        return compileObject(
          alternative,
          path,
          current.map((b) => new Map(b)),
        );
      });
    } else if (Array.isArray(value)) {
      const matchers = value.map(compileMatcher);
      if (matchers.length === 0) throw new InvalidEventPattern('Empty arrays are not allowed');
      const name = [...path, key].join('.');
      for (const branch of current) branch.set(name, matchers);
    } else if (isObject(value)) {
      current = compileObject(value, [...path, key], current);
    } else {
      throw new InvalidEventPattern(`"${key}" must be an object or an array`);
    }
  }
  return current;
}

function compileMatcher(value: unknown): Matcher {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    return { kind: 'exact', value };
  }
  if (!isObject(value)) throw new InvalidEventPattern('Match value must be String, number, true, false, or null');
  const keys = Object.keys(value);
  if (keys.length === 0) throw new InvalidEventPattern('Match expression name not found');
  if (keys.length > 1) throw new InvalidEventPattern('Only one key allowed in match expression');
  const [type] = keys;
  const arg = value[type];
  switch (type) {
    case 'prefix':
    case 'suffix':
    case 'equals-ignore-case':
    case 'wildcard':
      if (typeof arg !== 'string') throw new InvalidEventPattern(`${type} match pattern must be a string`);
      return type === 'wildcard' ? { kind: 'wildcard', regex: wildcardRegex(arg) } : { kind: type, value: arg };
    case 'exists':
      if (typeof arg !== 'boolean') throw new InvalidEventPattern('exists match pattern must be either true or false.');
      return { kind: 'exists', value: arg };
    case 'numeric':
      if (!Array.isArray(arg)) throw new InvalidEventPattern('Value of numeric must be an array.');
      return { kind: 'numeric', test: numericTest(arg) };
    case 'anything-but':
      return anythingBut(arg);
    default:
      throw new InvalidEventPattern(`Unrecognized match type ${type}`);
  }
}

function anythingBut(arg: unknown): Matcher {
  if (isObject(arg)) {
    const [op, ...more] = Object.keys(arg);
    if (op === undefined) throw new InvalidEventPattern('Anything-But expression name not found');
    if (more.length > 0) throw new InvalidEventPattern('Only one key allowed in match expression');
    const inner = arg[op];
    if (op === 'equals-ignore-case') {
      const values = Array.isArray(inner) ? inner : [inner];
      if (values.some((v) => typeof v !== 'string')) {
        throw new InvalidEventPattern(
          'Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.',
        );
      }
      return { kind: 'anything-but', values: values as string[], ignoreCase: true };
    }
    if (op !== 'prefix' && op !== 'suffix') throw new InvalidEventPattern(`Unsupported anything-but pattern: ${op}`);
    if (typeof inner !== 'string') throw new InvalidEventPattern('prefix/suffix match pattern must be a string');
    if (inner === '') throw new InvalidEventPattern('Null prefix/suffix not allowed');
    return { kind: op === 'prefix' ? 'anything-but-prefix' : 'anything-but-suffix', value: inner };
  }
  const values = Array.isArray(arg) ? arg : [arg];
  if (!Array.isArray(arg) && typeof arg !== 'string' && typeof arg !== 'number') {
    throw new InvalidEventPattern('Value of anything-but must be an array or single string/number value.');
  }
  if (values.some((v) => typeof v !== 'string' && typeof v !== 'number')) {
    throw new InvalidEventPattern('Inside anything but list, start|null|boolean is not supported.');
  }
  const numbers = values.filter((v) => typeof v === 'number').length;
  if (numbers !== 0 && numbers !== values.length) {
    throw new InvalidEventPattern(
      'Inside anything but list, either all values are number or string, mixed type is not supported',
    );
  }
  return { kind: 'anything-but', values: values as (string | number)[], ignoreCase: false };
}

/** `[">", 0, "<=", 5]`, `["<", 10]`, `["=", 3]`: at most a lower and an upper bound. */
function numericTest(terms: readonly unknown[]): (n: number) => boolean {
  const [op, value, op2, value2, ...rest] = terms;
  if (typeof op !== 'string') throw new InvalidEventPattern(`Invalid member in numeric match: ${String(op)}`);
  if (!['=', '<', '<=', '>', '>='].includes(op)) {
    throw new InvalidEventPattern(`Unrecognized numeric range operator: ${op}`);
  }
  if (typeof value !== 'number') {
    throw new InvalidEventPattern(`Value of ${op === '=' ? 'equals' : op} must be numeric`);
  }
  const first = comparison(op, value);
  if (op2 === undefined) return first;
  if (op !== '>' && op !== '>=') throw new InvalidEventPattern('Too many elements in numeric expression');
  if (op2 !== '<' && op2 !== '<=')
    throw new InvalidEventPattern(`Bad numeric range operator: ${typeof op2 === 'string' ? op2 : JSON.stringify(op2)}`);
  if (typeof value2 !== 'number') throw new InvalidEventPattern(`Value of ${op2} must be numeric`);
  if (rest.length > 0) throw new InvalidEventPattern('Too many terms in numeric range expression');
  const second = comparison(op2, value2);
  return (n) => first(n) && second(n);
}

function comparison(op: string, bound: number): (n: number) => boolean {
  switch (op) {
    case '=':
      return (n) => n === bound;
    case '<':
      return (n) => n < bound;
    case '<=':
      return (n) => n <= bound;
    case '>':
      return (n) => n > bound;
    default:
      return (n) => n >= bound;
  }
}

/** `*` matches any run of characters; `\*` is a literal star. */
function wildcardRegex(pattern: string): RegExp {
  if (/\*\*/.test(pattern.replace(/\\\*/g, ''))) {
    throw new InvalidEventPattern('Consecutive wildcard characters at pos ' + pattern.indexOf('**'));
  }
  const parts = pattern.split(/(\\\*|\*)/).map((part) => {
    if (part === '*') return '.*';
    if (part === '\\*') return '\\*';
    return part.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  });
  return new RegExp(`^${parts.join('')}$`, 's');
}

/** The leaf values at a dotted path; arrays anywhere on the way contribute each element. */
function valuesAt(value: unknown, path: readonly string[]): Scalar[] {
  if (Array.isArray(value)) return value.flatMap((v) => valuesAt(v, path));
  if (path.length === 0) return isObject(value) ? [] : [value as Scalar];
  if (!isObject(value) || !Object.hasOwn(value, path[0])) return [];
  return valuesAt(value[path[0]], path.slice(1));
}

function fieldMatches(values: readonly Scalar[], matchers: readonly Matcher[]): boolean {
  return matchers.some((m) =>
    m.kind === 'exists' ? values.length > 0 === m.value : values.some((v) => valueMatches(v, m)),
  );
}

function valueMatches(value: Scalar, m: Matcher): boolean {
  switch (m.kind) {
    case 'exact':
      return m.value === value;
    case 'prefix':
      return typeof value === 'string' && value.startsWith(m.value);
    case 'suffix':
      return typeof value === 'string' && value.endsWith(m.value);
    case 'equals-ignore-case':
      return typeof value === 'string' && value.toLowerCase() === m.value.toLowerCase();
    case 'wildcard':
      return typeof value === 'string' && m.regex.test(value);
    case 'anything-but':
      if (m.ignoreCase) {
        return typeof value === 'string' && !m.values.some((v) => String(v).toLowerCase() === value.toLowerCase());
      }
      return !m.values.includes(value as string | number);
    case 'anything-but-prefix':
      return typeof value === 'string' && !value.startsWith(m.value);
    case 'anything-but-suffix':
      return typeof value === 'string' && !value.endsWith(m.value);
    case 'numeric':
      return typeof value === 'number' && m.test(value);
    case 'exists':
      return m.value;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
