// A statement's Condition block as IAM evaluates it: every operator block must hold, every key in
// a block must hold, and a key holds when any of its values matches (for the negated operators:
// when none does). A key missing from the request fails the positive operators, satisfies the
// negated ones and `…IfExists`; `ForAnyValue:`/`ForAllValues:` compare a multivalued key as sets.
// (IAM JSON policy reference: Condition operators; Multivalued context keys.)
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { arnLike, literalText, substituteVariables, wildcardMatch, type ContextValues } from './patterns';

type Compare = (contextValue: string, policyValue: string) => boolean;

interface Operator {
  readonly compare: Compare;
  /** Negated operators (StringNotEquals, …) hold when no policy value matches. */
  readonly negated: boolean;
  /** Policy variables are substituted in the policy's values (string and ARN operators). */
  readonly variables: boolean;
}

const text = (ignoreCase: boolean): Compare => {
  return (c, p) => (ignoreCase ? c.toLowerCase() === literalText(p).toLowerCase() : c === literalText(p));
};
const like: Compare = (c, p) => wildcardMatch(p, c);
const arnEquals: Compare = (c, p) => c === literalText(p);
const arnMatch: Compare = (c, p) => arnLike(p, c);
const numeric =
  (test: (c: number, p: number) => boolean): Compare =>
  (c, p) => {
    const a = Number(c);
    const b = Number(p);
    return c.trim() !== '' && p.trim() !== '' && Number.isFinite(a) && Number.isFinite(b) && test(a, b);
  };
const date =
  (test: (c: number, p: number) => boolean): Compare =>
  (c, p) => {
    const a = dateValue(c);
    const b = dateValue(p);
    return a !== undefined && b !== undefined && test(a, b);
  };
const bool: Compare = (c, p) => c.toLowerCase() === p.toLowerCase() && /^(true|false)$/i.test(p);
const binary: Compare = (c, p) => c === p;
const ip: Compare = (c, p) => inCidr(c, p);

const op = (compare: Compare, negated = false, variables = false): Operator => ({ compare, negated, variables });

const OPERATORS: Readonly<Record<string, Operator>> = {
  stringequals: op(text(false), false, true),
  stringnotequals: op(text(false), true, true),
  stringequalsignorecase: op(text(true), false, true),
  stringnotequalsignorecase: op(text(true), true, true),
  stringlike: op(like, false, true),
  stringnotlike: op(like, true, true),
  numericequals: op(numeric((a, b) => a === b)),
  numericnotequals: op(
    numeric((a, b) => a === b),
    true,
  ),
  numericlessthan: op(numeric((a, b) => a < b)),
  numericlessthanequals: op(numeric((a, b) => a <= b)),
  numericgreaterthan: op(numeric((a, b) => a > b)),
  numericgreaterthanequals: op(numeric((a, b) => a >= b)),
  dateequals: op(date((a, b) => a === b)),
  datenotequals: op(
    date((a, b) => a === b),
    true,
  ),
  datelessthan: op(date((a, b) => a < b)),
  datelessthanequals: op(date((a, b) => a <= b)),
  dategreaterthan: op(date((a, b) => a > b)),
  dategreaterthanequals: op(date((a, b) => a >= b)),
  bool: op(bool),
  binaryequals: op(binary),
  ipaddress: op(ip),
  notipaddress: op(ip, true),
  arnequals: op(arnEquals, false, true),
  arnlike: op(arnMatch, false, true),
  arnnotequals: op(arnEquals, true, true),
  arnnotlike: op(arnMatch, true, true),
};

/** The operator names IAM accepts (lower case, without `IfExists` and set prefixes), for validation. */
export function knownOperator(name: string): boolean {
  const { base } = parseOperator(name);
  return base === 'null' || Object.hasOwn(OPERATORS, base);
}

function parseOperator(name: string): { base: string; ifExists: boolean; set?: 'any' | 'all' } {
  let rest = name.toLowerCase();
  let set: 'any' | 'all' | undefined;
  if (rest.startsWith('foranyvalue:')) {
    set = 'any';
    rest = rest.slice('foranyvalue:'.length);
  } else if (rest.startsWith('forallvalues:')) {
    set = 'all';
    rest = rest.slice('forallvalues:'.length);
  }
  const ifExists = rest.endsWith('ifexists') && rest !== 'ifexists';
  const base = ifExists ? rest.slice(0, -'ifexists'.length) : rest;
  return set ? { base, ifExists, set } : { base, ifExists };
}

/** True when every operator block of the Condition element holds for the request. */
export function conditionsHold(condition: unknown, context: ContextValues): boolean {
  if (condition === undefined) return true;
  if (typeof condition !== 'object' || condition === null || Array.isArray(condition)) return false;
  for (const [operatorName, block] of Object.entries(condition as Record<string, unknown>)) {
    if (typeof block !== 'object' || block === null || Array.isArray(block)) return false;
    for (const [key, raw] of Object.entries(block as Record<string, unknown>)) {
      if (!keyHolds(operatorName, key.toLowerCase(), policyValues(raw), context)) return false;
    }
  }
  return true;
}

function keyHolds(operatorName: string, key: string, values: readonly string[], context: ContextValues): boolean {
  const { base, ifExists, set } = parseOperator(operatorName);
  const present = context.get(key);
  if (base === 'null') {
    const absent = present === undefined || present.length === 0;
    return values.some((v) => (v.toLowerCase() === 'true' ? absent : v.toLowerCase() === 'false' && !absent));
  }
  const operator = OPERATORS[base];
  if (!operator) return false; // an operator IAM does not know never holds
  const resolved = operator.variables
    ? values.map((v) => substituteVariables(v, context)).filter((v): v is string => v !== undefined)
    : values;
  const matches = (contextValue: string): boolean => resolved.some((p) => operator.compare(contextValue, p));
  if (present === undefined || present.length === 0) {
    if (set === 'all') return true;
    if (set === 'any') return false;
    return ifExists || operator.negated;
  }
  if (set === 'all') return present.every((c) => (operator.negated ? !matches(c) : matches(c)));
  if (set === 'any') return present.some((c) => (operator.negated ? !matches(c) : matches(c)));
  return operator.negated ? !present.some(matches) : present.some(matches);
}

function policyValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  return list.filter((v) => ['string', 'number', 'boolean'].includes(typeof v)).map((v) => String(v));
}

function dateValue(text: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(text.trim())) return Number(text) * 1000;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function inCidr(address: string, cidr: string): boolean {
  const family = (a: string): 'ipv4' | 'ipv6' | undefined => (isIPv4(a) ? 'ipv4' : isIPv6(a) ? 'ipv6' : undefined);
  const [network, bits] = cidr.split('/');
  const addressFamily = family(address);
  const networkFamily = family(network ?? '');
  if (!addressFamily || !networkFamily || addressFamily !== networkFamily) return false;
  const prefix = bits === undefined ? (networkFamily === 'ipv4' ? 32 : 128) : Number(bits);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > (networkFamily === 'ipv4' ? 32 : 128)) return false;
  const list = new BlockList();
  list.addSubnet(network, prefix, networkFamily);
  return list.check(address, addressFamily);
}
