// The Rules section: rule-specific intrinsic functions evaluated over the parameter values before
// CloudFormation creates or updates anything. A false RuleCondition skips the rule; a false Assert
// refuses the operation with the assertion's AssertDescription (as CDK's CheckBootstrapVersion shows).
import { pseudoParameter, type Scope } from './intrinsics.js';
import type { ParameterValue } from './parameters.js';
import { str } from '../../core/values.js';
import { isRecord, TemplateError, type Template } from './types.js';

const RULE_FUNCTIONS = [
  'Fn::And',
  'Fn::Contains',
  'Fn::EachMemberEquals',
  'Fn::EachMemberIn',
  'Fn::Equals',
  'Fn::Not',
  'Fn::Or',
  'Fn::RefAll',
  'Fn::ValueOf',
  'Fn::ValueOfAll',
];

/** A resource that Fn::RefAll / Fn::ValueOf / Fn::ValueOfAll can see in the account and region. */
export interface ExistingResource {
  physicalId: string;
  attributes: Record<string, unknown>;
  properties: Record<string, unknown>;
}

export interface RuleEnv {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly stackId: string;
  /** Values as Ref sees them (lists for list types, SSM types resolved). */
  readonly parameters: Readonly<Record<string, ParameterValue>>;
  /** Existing resources of a CloudFormation resource type, e.g. 'AWS::EC2::VPC'. */
  existing(resourceType: string): ExistingResource[];
  /** The region's availability zones (Fn::RefAll of AWS::EC2::AvailabilityZone::Name). */
  availabilityZones(): string[];
}

/** AWS-specific parameter types whose values name resources Fn::RefAll and Fn::ValueOf can look up. */
const PARAMETER_RESOURCE: Record<string, string> = {
  'AWS::EC2::VPC::Id': 'AWS::EC2::VPC',
  'AWS::EC2::Subnet::Id': 'AWS::EC2::Subnet',
  'AWS::EC2::SecurityGroup::Id': 'AWS::EC2::SecurityGroup',
  'AWS::EC2::Instance::Id': 'AWS::EC2::Instance',
  'AWS::EC2::Volume::Id': 'AWS::EC2::Volume',
};

function formatError(message: string): TemplateError {
  return new TemplateError(`Template format error: ${message}`);
}

function checkFunctions(value: unknown, rule: string): void {
  if (Array.isArray(value)) {
    for (const v of value) checkFunctions(v, rule);
    return;
  }
  if (!isRecord(value)) return;
  const keys = Object.keys(value);
  if (keys.length === 1 && keys[0].startsWith('Fn::') && !RULE_FUNCTIONS.includes(keys[0]))
    throw formatError(
      `Encountered unsupported function: ${keys[0]} Supported functions are: [${RULE_FUNCTIONS.join(', ')}]`,
    );
  for (const v of Object.values(value)) checkFunctions(v, rule);
}

/** The shape ValidateTemplate checks (it has no parameter values to evaluate with). */
export function checkRulesShape(template: Template): void {
  if (template.Rules === undefined) return;
  if (!isRecord(template.Rules)) throw formatError('Every Rules member must be an object');
  for (const [name, rule] of Object.entries(template.Rules)) {
    if (!isRecord(rule) || !Array.isArray(rule.Assertions))
      throw formatError(`Every Rules member must contain an Assertions member (rule ${name})`);
    for (const assertion of rule.Assertions) {
      if (!isRecord(assertion) || assertion.Assert === undefined)
        throw formatError(`Every Assertions member must contain an Assert member (rule ${name})`);
      if (assertion.AssertDescription !== undefined && typeof assertion.AssertDescription !== 'string')
        throw formatError(`Every AssertDescription member must be a string (rule ${name})`);
    }
    checkFunctions(rule.RuleCondition, name);
    checkFunctions(rule.Assertions, name);
  }
}

function strings(value: unknown, fn: string): string[] {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : undefined;
  if (!list) throw new TemplateError(`Template error: ${fn} requires a list of strings`);
  return list.map((v) => String(v));
}

function args(value: unknown, fn: string, n: number): unknown[] {
  if (!Array.isArray(value) || value.length !== n)
    throw new TemplateError(`Template error: ${fn} requires a list argument with ${n} elements`);
  return value;
}

function parameterTypeOf(template: Template, name: string): string {
  const decl = template.Parameters?.[name];
  if (!decl) throw new TemplateError(`Template error: Unresolved parameter ${name} in the Rules block of the template`);
  return decl.Type;
}

/** The resource type a parameter type (or its list) names, e.g. List<AWS::EC2::Subnet::Id> → AWS::EC2::Subnet. */
function resourceTypeFor(parameterType: string): string | undefined {
  const element = /^List<(.+)>$/.exec(parameterType)?.[1] ?? parameterType;
  return PARAMETER_RESOURCE[element];
}

function attributeOf(resource: ExistingResource, attribute: string): string | undefined {
  if (attribute.startsWith('Tags.')) {
    const key = attribute.slice(5);
    const tags = Array.isArray(resource.properties.Tags) ? resource.properties.Tags : [];
    const tag = tags.find((t): t is { Key: string; Value: unknown } => isRecord(t) && t.Key === key);
    return tag === undefined ? undefined : String(tag.Value);
  }
  const value = resource.attributes[attribute];
  return value === undefined ? undefined : str(value);
}

function evaluateRule(value: unknown, template: Template, env: RuleEnv): unknown {
  if (Array.isArray(value)) return value.map((v) => evaluateRule(v, template, env));
  if (!isRecord(value) || Object.keys(value).length !== 1) return value;
  const [fn, arg] = Object.entries(value)[0];
  const ev = (v: unknown) => evaluateRule(v, template, env);
  const bool = (v: unknown, name: string): boolean => {
    const r = ev(v);
    if (typeof r === 'boolean') return r;
    if (r === 'true' || r === 'false') return r === 'true';
    throw new TemplateError(`Template error: every ${name} member must be a boolean rule function`);
  };
  switch (fn) {
    case 'Ref': {
      const name = String(arg);
      if (name in env.parameters) return env.parameters[name];
      const pseudo = pseudoParameter(name, { ...env, notificationArns: [] } as unknown as Scope);
      if (pseudo !== undefined && typeof pseudo !== 'symbol') return pseudo;
      throw new TemplateError(
        `Template format error: Unresolved resource dependencies [${name}] in the Rules block of the template`,
      );
    }
    case 'Fn::Equals': {
      const [a, b] = args(arg, fn, 2).map(ev);
      return JSON.stringify(normalize(a)) === JSON.stringify(normalize(b));
    }
    case 'Fn::Not':
      return !bool(args(arg, fn, 1)[0], fn);
    case 'Fn::And':
    case 'Fn::Or': {
      if (!Array.isArray(arg) || arg.length < 2 || arg.length > 10)
        throw new TemplateError(`Template error: ${fn} requires a list argument with between 2 and 10 elements`);
      const results = arg.map((v) => bool(v, fn));
      return fn === 'Fn::And' ? results.every(Boolean) : results.some(Boolean);
    }
    case 'Fn::Contains': {
      const [list, item] = args(arg, fn, 2).map(ev);
      return strings(list, fn).includes(String(item));
    }
    case 'Fn::EachMemberEquals': {
      const [list, item] = args(arg, fn, 2).map(ev);
      return strings(list, fn).every((v) => v === String(item as string));
    }
    case 'Fn::EachMemberIn': {
      const [list, allowed] = args(arg, fn, 2).map(ev);
      const set = new Set(strings(allowed, fn));
      return strings(list, fn).every((v) => set.has(v));
    }
    case 'Fn::RefAll': {
      const type = String(ev(arg));
      if (type === 'AWS::EC2::AvailabilityZone::Name') return env.availabilityZones();
      const resourceType = resourceTypeFor(type);
      return resourceType ? env.existing(resourceType).map((r) => r.physicalId) : [];
    }
    case 'Fn::ValueOf': {
      const [nameRaw, attributeRaw] = args(arg, fn, 2).map(ev);
      const name = String(nameRaw);
      const attribute = String(attributeRaw);
      const resourceType = resourceTypeFor(parameterTypeOf(template, name));
      if (!resourceType)
        throw new TemplateError(`Template error: Fn::ValueOf does not support parameter ${name} of its type`);
      const ids = [env.parameters[name] ?? []].flat();
      const found = ids.map((id) => {
        const resource = env.existing(resourceType).find((r) => r.physicalId === id);
        return resource ? (attributeOf(resource, attribute) ?? '') : '';
      });
      return Array.isArray(env.parameters[name]) ? found : (found[0] ?? '');
    }
    case 'Fn::ValueOfAll': {
      const [typeRaw, attributeRaw] = args(arg, fn, 2).map(ev);
      const resourceType = resourceTypeFor(String(typeRaw));
      if (!resourceType) return [];
      return env
        .existing(resourceType)
        .map((r) => attributeOf(r, String(attributeRaw as string)))
        .filter((v): v is string => v !== undefined);
    }
    default:
      return value;
  }
}

function normalize(value: unknown): unknown {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map(normalize);
  return value;
}

/** Evaluates every rule; the first failing assertion refuses the operation. */
export function evaluateRules(template: Template, env: RuleEnv): void {
  for (const [name, rule] of Object.entries(template.Rules ?? {})) {
    if (!isRecord(rule)) continue;
    if (rule.RuleCondition !== undefined && evaluateRule(rule.RuleCondition, template, env) !== true) continue;
    for (const assertion of (rule.Assertions ?? []) as { Assert: unknown; AssertDescription?: string }[]) {
      const result = evaluateRule(assertion.Assert, template, env);
      if (result !== true && result !== 'true')
        throw new TemplateError(assertion.AssertDescription ?? `Template error: Assertion failed for rule ${name}`);
    }
  }
}
