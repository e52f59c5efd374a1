// Intrinsic functions and condition functions over the long form, with CloudFormation's error messages.
import { isRecord, TemplateError, type Template } from './types.js';
import type { ParameterValue } from './parameters.js';

/** What `Ref: AWS::NoValue` yields; removed from the enclosing object or list. */
export const NO_VALUE: unique symbol = Symbol('AWS::NoValue');

/** Prefix of a placeholder for a value only known after a resource is (re)created (change sets). */
export const UNKNOWN_PREFIX = '{{sandbox:unknown:';
export function unknownValue(what: string): string {
  return `${UNKNOWN_PREFIX}${what}}}`;
}
export function containsUnknown(value: unknown): boolean {
  return JSON.stringify(value ?? null).includes(UNKNOWN_PREFIX);
}

export interface Scope {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns: readonly string[];
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  readonly mappings: Template['Mappings'];
  /** Logical ids declared in Resources. */
  readonly resources: ReadonlySet<string>;
  /** Physical id of a resource (Ref); an unknown placeholder when not yet known. */
  ref(logicalId: string): string;
  /** A resource attribute (Fn::GetAtt); an unknown placeholder when not yet known. */
  getAtt(logicalId: string, attribute: string): unknown;
  /** Fn::ImportValue; throws when there is no such export. */
  importValue(name: string): string;
  /** Which block is being evaluated, for messages. */
  readonly block?: 'Resources' | 'Outputs' | 'Conditions';
}

const AZ_COUNT: Record<string, number> = { 'us-east-1': 6, 'us-west-2': 4, 'ap-northeast-1': 3 };

export function availabilityZones(region: string): string[] {
  const n = AZ_COUNT[region] ?? 3;
  return Array.from({ length: n }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

export function pseudoParameter(name: string, scope: Scope): ParameterValue | typeof NO_VALUE | undefined {
  switch (name) {
    case 'AWS::AccountId':
      return scope.accountId;
    case 'AWS::Region':
      return scope.region;
    case 'AWS::StackName':
      return scope.stackName;
    case 'AWS::StackId':
      return scope.stackId;
    case 'AWS::Partition':
      return scope.region.startsWith('cn-') ? 'aws-cn' : scope.region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
    case 'AWS::URLSuffix':
      return scope.region.startsWith('cn-') ? 'amazonaws.com.cn' : 'amazonaws.com';
    case 'AWS::NotificationARNs':
      return [...scope.notificationArns];
    case 'AWS::NoValue':
      return NO_VALUE;
    default:
      return undefined;
  }
}

function unresolved(name: string, scope: Scope): never {
  if (scope.block === 'Conditions') {
    throw new TemplateError(
      `Template format error: Unresolved dependencies [${name}]. Cannot reference resources in the Conditions block of the template`,
    );
  }
  throw new TemplateError(
    `Template format error: Unresolved resource dependencies [${name}] in the ${scope.block ?? 'Resources'} block of the template`,
  );
}

function resolveRef(name: unknown, scope: Scope): unknown {
  if (typeof name !== 'string')
    throw new TemplateError('Template error: every Ref object must have a single String value.');
  const pseudo = pseudoParameter(name, scope);
  if (pseudo !== undefined) return pseudo;
  if (name in scope.parameters) return scope.parameters[name];
  if (scope.block !== 'Conditions' && scope.resources.has(name)) return scope.ref(name);
  return unresolved(name, scope);
}

function splitGetAtt(arg: unknown): [string, string] {
  if (typeof arg === 'string') {
    const dot = arg.indexOf('.');
    if (dot > 0) return [arg.slice(0, dot), arg.slice(dot + 1)];
  }
  if (Array.isArray(arg) && arg.length === 2 && typeof arg[0] === 'string' && typeof arg[1] === 'string')
    return [arg[0], arg[1]];
  throw new TemplateError(
    'Template error: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute',
  );
}

function resolveGetAtt(arg: unknown, scope: Scope): unknown {
  const [logicalId, attribute] = splitGetAtt(Array.isArray(arg) ? [arg[0], evaluate(arg[1], scope)] : arg);
  if (!scope.resources.has(logicalId) || scope.block === 'Conditions') {
    throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${logicalId}`);
  }
  return scope.getAtt(logicalId, attribute);
}

function asString(value: unknown, fn: string): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new TemplateError(`Template error: every ${fn} object requires string values`);
}

function asList(value: unknown, fn: string): unknown[] {
  if (!Array.isArray(value)) throw new TemplateError(`Template error: every ${fn} object requires a list of values`);
  return value;
}

function resolveSub(arg: unknown, scope: Scope): string {
  let text: unknown;
  let vars: Record<string, unknown> = {};
  if (Array.isArray(arg)) {
    if (arg.length !== 2 || !isRecord(arg[1]))
      throw new TemplateError(
        "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
      );
    text = arg[0];
    vars = Object.fromEntries(Object.entries(arg[1]).map(([k, v]) => [k, evaluate(v, scope)]));
  } else {
    text = arg;
  }
  if (typeof text !== 'string')
    throw new TemplateError(
      "Template error: One or more Fn::Sub intrinsic functions don't specify expected arguments. Specify a string as first argument, and an optional second argument to specify a mapping of values to replace in the string",
    );
  return text.replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`;
    const name = inner.trim();
    let value: unknown;
    if (name in vars) value = vars[name];
    else if (name.includes('.') && !name.startsWith('AWS::')) value = resolveGetAtt(name, scope);
    else value = resolveRef(name, scope);
    if (Array.isArray(value)) {
      throw new TemplateError(`Template error: variable ${name} in Fn::Sub expression does not resolve to a string`);
    }
    return asString(value, 'Fn::Sub');
  });
}

function conditionValue(name: unknown, scope: Scope): boolean {
  if (typeof name !== 'string' || !(name in scope.conditions)) {
    throw new TemplateError(`Template error: unresolved condition dependency ${String(name)} in Fn::If`);
  }
  return scope.conditions[name];
}

function evaluateBoolean(value: unknown, scope: Scope, fn: string): boolean {
  if (isRecord(value) && 'Condition' in value && Object.keys(value).length === 1) {
    const name = value.Condition;
    if (typeof name !== 'string' || !(name in scope.conditions))
      throw new TemplateError(
        `Template format error: Unresolved dependencies [${String(name)}]. Cannot reference resources in the Conditions block of the template`,
      );
    return scope.conditions[name];
  }
  const result = evaluate(value, scope);
  if (typeof result === 'boolean') return result;
  if (result === 'true' || result === 'false') return result === 'true';
  throw new TemplateError(`Template error: every ${fn} member must be a condition`);
}

function cidr(args: unknown[]): string[] {
  const [block, countRaw, bitsRaw] = args;
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(String(block));
  const count = Number(countRaw);
  const bits = Number(bitsRaw);
  if (
    !m ||
    !Number.isInteger(count) ||
    !Number.isInteger(bits) ||
    count < 1 ||
    count > 256 ||
    bits < 1 ||
    bits > 32 - Number(m[5])
  ) {
    throw new TemplateError(
      'Template error: Fn::Cidr requires an ipBlock, a count between 1 and 256, and cidrBits that fit in the block',
    );
  }
  const prefix = Number(m[5]);
  const base = (((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4])) >>> 0;
  const network = prefix === 0 ? 0 : (base & (~0 << (32 - prefix))) >>> 0;
  const size = 2 ** bits;
  if (count * size > 2 ** (32 - prefix))
    throw new TemplateError(
      `Template error: Fn::Cidr cannot fit ${count} subnets of /${32 - bits} in ${String(block)}`,
    );
  return Array.from({ length: count }, (_, i) => {
    const addr = network + i * size;
    return `${addr >>> 24}.${(addr >>> 16) & 255}.${(addr >>> 8) & 255}.${addr & 255}/${32 - bits}`;
  });
}

const FUNCTIONS: Record<string, (arg: unknown, scope: Scope) => unknown> = {
  Ref: resolveRef,
  'Fn::GetAtt': resolveGetAtt,
  'Fn::Sub': resolveSub,
  'Fn::Join': (arg, scope) => {
    const [delimiter, list] = asList(arg, 'Fn::Join');
    const items = asList(evaluate(list, scope), 'Fn::Join');
    return items.map((v) => asString(v, 'Fn::Join')).join(asString(delimiter, 'Fn::Join'));
  },
  'Fn::Select': (arg, scope) => {
    const [indexRaw, listRaw] = asList(arg, 'Fn::Select');
    const index = Number(evaluate(indexRaw, scope));
    const list = asList(evaluate(listRaw, scope), 'Fn::Select');
    if (!Number.isInteger(index) || index < 0 || index >= list.length) {
      throw new TemplateError(
        `Template error: Fn::Select cannot select nonexistent value at index ${String(indexRaw)}`,
      );
    }
    return list[index];
  },
  'Fn::Split': (arg, scope) => {
    const [delimiter, source] = asList(arg, 'Fn::Split');
    return asString(evaluate(source, scope), 'Fn::Split').split(asString(delimiter, 'Fn::Split'));
  },
  'Fn::If': (arg, scope) => {
    const list = asList(arg, 'Fn::If');
    if (list.length !== 3)
      throw new TemplateError('Template error: Fn::If requires a list argument with three elements');
    return evaluate(conditionValue(list[0], scope) ? list[1] : list[2], scope);
  },
  'Fn::Equals': (arg, scope) => {
    const list = asList(arg, 'Fn::Equals');
    if (list.length !== 2)
      throw new TemplateError('Template error: Fn::Equals requires a list argument with two elements');
    const [a, b] = list.map((v) => evaluate(v, scope));
    return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
  },
  'Fn::And': (arg, scope) => {
    const list = asList(arg, 'Fn::And');
    if (list.length < 2 || list.length > 10)
      throw new TemplateError('Template error: Fn::And requires a list argument with between 2 and 10 elements');
    return list.map((v) => evaluateBoolean(v, scope, 'Fn::And')).every(Boolean);
  },
  'Fn::Or': (arg, scope) => {
    const list = asList(arg, 'Fn::Or');
    if (list.length < 2 || list.length > 10)
      throw new TemplateError('Template error: Fn::Or requires a list argument with between 2 and 10 elements');
    return list.map((v) => evaluateBoolean(v, scope, 'Fn::Or')).some(Boolean);
  },
  'Fn::Not': (arg, scope) => {
    const list = asList(arg, 'Fn::Not');
    if (list.length !== 1) throw new TemplateError('Template error: Fn::Not requires a list argument with one element');
    return !evaluateBoolean(list[0], scope, 'Fn::Not');
  },
  'Fn::ImportValue': (arg, scope) => scope.importValue(asString(evaluate(arg, scope), 'Fn::ImportValue')),
  'Fn::GetAZs': (arg, scope) => {
    const region = asString(evaluate(arg ?? '', scope), 'Fn::GetAZs');
    return availabilityZones(region === '' ? scope.region : region);
  },
  'Fn::Base64': (arg, scope) => Buffer.from(asString(evaluate(arg, scope), 'Fn::Base64'), 'utf8').toString('base64'),
  'Fn::FindInMap': (arg, scope) => {
    const list = asList(arg, 'Fn::FindInMap');
    if (list.length < 3)
      throw new TemplateError(
        'Template error: every Fn::FindInMap object requires three parameters, the map name, map key and the attribute for return value',
      );
    const [map, top, second] = list.slice(0, 3).map((v) => asString(evaluate(v, scope), 'Fn::FindInMap'));
    const mapping = scope.mappings?.[map];
    if (!mapping)
      throw new TemplateError(
        `Template error: Mapping named '${map}' is not present in the 'Mappings' section of template.`,
      );
    const value = mapping[top]?.[second];
    if (value === undefined) {
      if (list[3] !== undefined && isRecord(list[3]) && 'DefaultValue' in list[3])
        return evaluate(list[3].DefaultValue, scope);
      throw new TemplateError(`Template error: Unable to get mapping for ${map}::${top}::${second}`);
    }
    return value;
  },
  'Fn::Cidr': (arg, scope) => cidr(asList(arg, 'Fn::Cidr').map((v) => evaluate(v, scope))),
  'Fn::Length': (arg, scope) => asList(evaluate(arg, scope), 'Fn::Length').length,
  'Fn::ToJsonString': (arg, scope) => JSON.stringify(evaluate(arg, scope)),
};

export const SUPPORTED_FUNCTIONS = Object.keys(FUNCTIONS).filter((k) => k !== 'Ref');

function normalize(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

/** Evaluates a template value; `NO_VALUE` members are dropped from objects and lists. */
export function evaluate(value: unknown, scope: Scope): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => evaluate(v, scope)).filter((v) => v !== NO_VALUE);
  }
  if (!isRecord(value)) return value;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const key = keys[0];
    const fn = FUNCTIONS[key];
    if (fn) return fn(value[key], scope);
    if (key.startsWith('Fn::')) {
      throw new TemplateError(
        `Template format error: Encountered unsupported function: ${key} Supported functions are: [${SUPPORTED_FUNCTIONS.join(', ')}]`,
      );
    }
  }
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const resolved = evaluate(v, scope);
    if (resolved !== NO_VALUE) out[k] = resolved;
  }
  return out;
}

/** Evaluates the Conditions block (conditions may refer to each other with `Condition`). */
export function evaluateConditions(
  template: Template,
  base: Omit<Scope, 'conditions' | 'block'>,
): Record<string, boolean> {
  const decls = template.Conditions ?? {};
  const results: Record<string, boolean> = {};
  const visiting = new Set<string>();
  const conditions = new Proxy(results, {
    has: (_t, name) => typeof name === 'string' && name in decls,
    get: (_t, name) => (typeof name === 'string' ? evalOne(name) : undefined),
  });
  const scope: Scope = {
    ...base,
    conditions,
    block: 'Conditions',
    ref: base.ref,
    getAtt: base.getAtt,
    importValue: base.importValue,
  };
  function evalOne(name: string): boolean {
    if (name in results) return results[name];
    if (visiting.has(name)) throw new TemplateError(`Template error: circular condition dependency involving ${name}`);
    visiting.add(name);
    const value = evaluateBoolean(decls[name], scope, 'Conditions');
    visiting.delete(name);
    results[name] = value;
    return value;
  }
  for (const name of Object.keys(decls)) evalOne(name);
  return { ...results };
}
