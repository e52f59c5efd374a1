// Which value each parameter gets, and whether a value is allowed — checked before any API call,
// naming the rule that was broken.
import { loadCfnYaml } from './cfnYamlLoader';
import type { ParameterSpec } from './templateModel';

/** `detected`: chosen from what exists in the account (see repositoryDefaults.ts). */
export type ValueSource = 'setting' | 'stack' | 'default' | 'detected' | 'user';

export interface ParameterValue {
  name: string;
  /** Undefined with usePrevious: the stack keeps its current (possibly NoEcho) value. */
  value: string | undefined;
  usePrevious: boolean;
  source: ValueSource;
}

/**
 * Settings first, else the stack's current value, else the template default. NoEcho values of an
 * existing stack come back masked, so they are kept with UsePreviousValue instead of being resent.
 */
export function resolveParameterValues(
  specs: ParameterSpec[],
  fromSettings: Readonly<Record<string, string>>,
  current: ReadonlyMap<string, string> | undefined,
): ParameterValue[] {
  return specs.map((spec) => {
    const setting = fromSettings[spec.name];
    if (setting !== undefined) {
      return { name: spec.name, value: setting, usePrevious: false, source: 'setting' };
    }
    if (current?.has(spec.name)) {
      return spec.noEcho
        ? { name: spec.name, value: undefined, usePrevious: true, source: 'stack' }
        : { name: spec.name, value: current.get(spec.name), usePrevious: false, source: 'stack' };
    }
    return { name: spec.name, value: spec.default, usePrevious: false, source: 'default' };
  });
}

/** Why `value` is not acceptable for `spec`, in CloudFormation's terms; undefined when it is fine. */
export function parameterValueProblem(spec: ParameterSpec, value: string | undefined): string | undefined {
  if (value === undefined) {
    return `Parameter ${spec.name} (${spec.label}) needs a value.`;
  }
  const rule = spec.constraintDescription ? ` ${spec.constraintDescription}` : '';
  if (spec.allowedValues && !spec.allowedValues.includes(value)) {
    return `${spec.label} must be one of ${spec.allowedValues.join(', ')}.`;
  }
  if (spec.type === 'Number') {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n)) {
      return `${spec.label} must be a number.`;
    }
    if (spec.minValue !== undefined && n < spec.minValue) {
      return `${spec.label} must be at least ${spec.minValue}.${rule}`;
    }
    if (spec.maxValue !== undefined && n > spec.maxValue) {
      return `${spec.label} must be at most ${spec.maxValue}.${rule}`;
    }
  }
  if (spec.minLength !== undefined && value.length < spec.minLength) {
    return `${spec.label} must be at least ${spec.minLength} characters long.${rule}`;
  }
  if (spec.maxLength !== undefined && value.length > spec.maxLength) {
    return `${spec.label} must be at most ${spec.maxLength} characters long.${rule}`;
  }
  if (spec.allowedPattern !== undefined && !matchesPattern(spec, spec.allowedPattern, value)) {
    return `${spec.label} must match the pattern ${spec.allowedPattern}.${rule}`;
  }
  return undefined;
}

/**
 * CloudFormation anchors AllowedPattern to the whole value, and to each item of a
 * CommaDelimitedList. Linear time whatever the pattern (src/deploy/allowedPattern.ts); a pattern
 * only CloudFormation can run is left to it.
 */
function matchesPattern(spec: ParameterSpec, pattern: string, value: string): boolean {
  const check = loadCfnYaml().allowedPattern(pattern);
  if (check.kind !== 'checked') {
    return true;
  }
  const items = spec.type === 'CommaDelimitedList' ? value.split(',') : [value];
  return items.every((item) => check.matches(item));
}

/** Every problem across the values, so the user sees them all at once. */
export function parameterProblems(specs: ParameterSpec[], values: ParameterValue[]): string[] {
  return values.flatMap((v) => {
    const spec = specs.find((s) => s.name === v.name);
    if (!spec || v.usePrevious) {
      return [];
    }
    const problem = parameterValueProblem(spec, v.value);
    return problem ? [problem] : [];
  });
}

/** Settings may name parameters the template does not have: a typo that would otherwise be ignored. */
export function unknownParameterNames(
  specs: ParameterSpec[],
  fromSettings: Readonly<Record<string, string>>,
): string[] {
  return Object.keys(fromSettings).filter((name) => !specs.some((s) => s.name === name));
}
