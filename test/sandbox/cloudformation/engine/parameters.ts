// Parameter values: defaults, previous values, type checks and constraints, with CloudFormation's messages.
import { checkParameterValueSize } from './limits.js';
import { TemplateError, type ParameterDeclaration, type Template } from './types.js';

export interface SuppliedParameter {
  ParameterKey?: string;
  ParameterValue?: string;
  UsePreviousValue?: string | boolean;
}

/** The value a Ref to the parameter yields: a string, or a list for list types. */
export type ParameterValue = string | string[];

const ID_PREFIX: Record<string, string> = {
  'AWS::EC2::VPC::Id': 'vpc-',
  'AWS::EC2::Subnet::Id': 'subnet-',
  'AWS::EC2::SecurityGroup::Id': 'sg-',
  'AWS::EC2::Image::Id': 'ami-',
  'AWS::EC2::Instance::Id': 'i-',
  'AWS::EC2::Volume::Id': 'vol-',
};

export function isListType(type: string): boolean {
  return type === 'CommaDelimitedList' || type.startsWith('List<');
}

function str(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

/**
 * Converts a raw (string) parameter value into what Ref returns. A blank CommaDelimitedList is a list
 * of one empty string on AWS (Fn::Length gives 1), not an empty list.
 */
export function parameterRefValue(decl: ParameterDeclaration, raw: string): ParameterValue {
  if (decl.Type === 'CommaDelimitedList') return raw.split(',');
  if (isListType(decl.Type)) return raw === '' ? [] : raw.split(',').map((s) => s.trim());
  return raw;
}

function checkValue(name: string, decl: ParameterDeclaration, raw: string): void {
  const constraint = decl.ConstraintDescription;
  const fail = (message: string): never => {
    throw new TemplateError(constraint ? `Parameter ${name} failed to satisfy constraint: ${constraint}` : message);
  };
  const type = decl.Type;
  const items =
    type === 'CommaDelimitedList' ? raw.split(',') : isListType(type) ? (raw === '' ? [] : raw.split(',')) : [raw];
  const elementType = /^List<(.+)>$/.exec(type)?.[1] ?? type;
  for (const item of items) {
    if (elementType === 'Number' && (item.trim() === '' || !Number.isFinite(Number(item)))) {
      throw new TemplateError(
        type === 'Number' ? `Parameter '${name}' must be a number` : `Parameter '${name}' must be a list of numbers`,
      );
    }
    const prefix = ID_PREFIX[elementType];
    if (prefix && !new RegExp(`^${prefix}[0-9a-f]{8}([0-9a-f]{9})?$`).test(item.trim())) {
      throw new TemplateError(
        `Parameter validation failed: parameter value ${item} for parameter name ${name} does not exist. Rollback requested by user.`,
      );
    }
    if (decl.AllowedValues && !decl.AllowedValues.map(String).includes(item)) {
      fail(`Parameter '${name}' must be one of AllowedValues`);
    }
    if (decl.AllowedPattern !== undefined && !new RegExp(`^(?:${decl.AllowedPattern})$`).test(item)) {
      fail(`Parameter '${name}' must match pattern ${decl.AllowedPattern}`);
    }
    if (decl.MinLength !== undefined && item.length < Number(decl.MinLength)) {
      fail(`Parameter '${name}' must contain at least ${Number(decl.MinLength)} characters`);
    }
    if (decl.MaxLength !== undefined && item.length > Number(decl.MaxLength)) {
      fail(`Parameter '${name}' must contain at most ${Number(decl.MaxLength)} characters`);
    }
    if (decl.MinValue !== undefined && Number(item) < Number(decl.MinValue)) {
      fail(`Parameter '${name}' must be a number not less than ${Number(decl.MinValue)}`);
    }
    if (decl.MaxValue !== undefined && Number(item) > Number(decl.MaxValue)) {
      fail(`Parameter '${name}' must be a number not greater than ${Number(decl.MaxValue)}`);
    }
  }
}

/**
 * Resolves every declared parameter to its raw string value: supplied, previous (UsePreviousValue),
 * or Default. Throws CloudFormation's messages for unknown keys, missing values and constraint failures.
 */
export function resolveParameters(
  template: Template,
  supplied: readonly SuppliedParameter[] = [],
  previous?: Readonly<Record<string, string>>,
): Record<string, string> {
  const decls = template.Parameters ?? {};
  const given = new Map<string, SuppliedParameter>();
  for (const p of supplied) if (p.ParameterKey !== undefined) given.set(p.ParameterKey, p);
  supplied.forEach((p, i) => {
    if (p.ParameterValue !== undefined) checkParameterValueSize(p.ParameterValue, i + 1);
  });
  const unknown = [...given.keys()].filter((k) => !(k in decls));
  if (unknown.length) throw new TemplateError(`Parameters: [${unknown.join(', ')}] do not exist in the template`);
  const values: Record<string, string> = {};
  const missing: string[] = [];
  for (const [name, decl] of Object.entries(decls)) {
    const p = given.get(name);
    const usePrevious = p && (p.UsePreviousValue === true || p.UsePreviousValue === 'true');
    if (usePrevious) {
      if (!previous || !(name in previous))
        throw new TemplateError(
          `Invalid input for parameter key ${name}. Cannot specify usePreviousValue as true for a parameter key not in the previous template`,
        );
      values[name] = previous[name];
    } else if (p && p.ParameterValue !== undefined) {
      values[name] = p.ParameterValue;
    } else if (decl.Default !== undefined) {
      values[name] = str(decl.Default);
      continue; // CloudFormation does not hold defaults to Min/MaxLength
    } else {
      missing.push(name);
      continue;
    }
    checkValue(name, decl, values[name]);
  }
  if (missing.length) throw new TemplateError(`Parameters: [${missing.join(', ')}] must have values`);
  return values;
}

export function isNoEcho(decl: ParameterDeclaration): boolean {
  return decl.NoEcho === true || decl.NoEcho === 'true';
}

/** Parameters as DescribeStacks reports them, NoEcho values masked; SSM-typed ones with their ResolvedValue. */
export function describeParameters(
  template: Template,
  values: Readonly<Record<string, string>>,
  resolved: Readonly<Record<string, string>> = {},
): { ParameterKey: string; ParameterValue: string; ResolvedValue?: string }[] {
  return Object.entries(template.Parameters ?? {}).map(([name, decl]) => ({
    ParameterKey: name,
    ParameterValue: isNoEcho(decl) ? '****' : (values[name] ?? ''),
    ...(name in resolved ? { ResolvedValue: isNoEcho(decl) ? '****' : resolved[name] } : {}),
  }));
}

/** A parameter type whose value names a Systems Manager parameter and resolves to its value. */
export function ssmValueType(type: string): string | undefined {
  return /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type)?.[1];
}

/** What the sandbox's Parameter Store holds under a name. */
export interface StoredParameter {
  readonly type: 'String' | 'StringList' | 'SecureString';
  readonly value: string;
}

/**
 * The values Ref yields, with SSM parameter types resolved from Parameter Store, and the resolved
 * values DescribeStacks reports. A missing parameter, or a SecureString, fails as CloudFormation does.
 */
export function refValues(
  template: Template,
  parameters: Readonly<Record<string, string>>,
  lookup?: (name: string) => StoredParameter | undefined,
): { ref: Record<string, ParameterValue>; resolved: Record<string, string> } {
  const ref: Record<string, ParameterValue> = {};
  const resolved: Record<string, string> = {};
  const missing: string[] = [];
  const unsupported: string[] = [];
  for (const [name, decl] of Object.entries(template.Parameters ?? {})) {
    if (!(name in parameters)) continue;
    const raw = parameters[name];
    const inner = ssmValueType(decl.Type);
    if (!lookup || (inner === undefined && decl.Type !== 'AWS::SSM::Parameter::Name')) {
      ref[name] = parameterRefValue(decl, raw);
      continue;
    }
    const stored = lookup(raw);
    if (!stored) {
      missing.push(raw);
      continue;
    }
    if (inner === undefined) {
      ref[name] = raw; // AWS::SSM::Parameter::Name: the name, once it is known to exist
      continue;
    }
    if (stored.type === 'SecureString') {
      unsupported.push(raw);
      continue;
    }
    resolved[name] = stored.value;
    ref[name] = parameterRefValue({ ...decl, Type: inner }, stored.value);
  }
  if (unsupported.length)
    throw new TemplateError(
      `Parameters [${unsupported.join(', ')}] referenced by template have types not supported by CloudFormation.`,
    );
  if (missing.length)
    throw new TemplateError(
      `Unable to fetch parameters [${missing.join(', ')}] from parameter store for this account.`,
    );
  return { ref, resolved };
}
