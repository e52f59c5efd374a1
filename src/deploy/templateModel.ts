// What the deploy UI needs from a template: its parameters in the order and with the labels of
// `AWS::CloudFormation::Interface`, and the constraints each value must satisfy.
import type { CfnParameter, CfnTemplate, CfnValue } from './cfnYaml';

export interface ParameterSpec {
  name: string;
  type: string;
  label: string;
  group: string | undefined;
  description: string | undefined;
  default: string | undefined;
  allowedPattern: string | undefined;
  allowedValues: string[] | undefined;
  constraintDescription: string | undefined;
  minLength: number | undefined;
  maxLength: number | undefined;
  minValue: number | undefined;
  maxValue: number | undefined;
  noEcho: boolean;
}

export function parameterSpecs(template: CfnTemplate): ParameterSpec[] {
  const parameters = template.Parameters ?? {};
  const ui = asRecord(template.Metadata?.['AWS::CloudFormation::Interface']);
  const labels = asRecord(ui?.ParameterLabels);
  const groups = Array.isArray(ui?.ParameterGroups) ? ui.ParameterGroups : [];

  const ordered: { name: string; group: string | undefined }[] = [];
  for (const group of groups) {
    const g = asRecord(group);
    const label = labelText(g?.Label);
    for (const name of Array.isArray(g?.Parameters) ? g.Parameters : []) {
      if (typeof name === 'string' && name in parameters && !ordered.some((o) => o.name === name)) {
        ordered.push({ name, group: label });
      }
    }
  }
  // Parameters outside every group come last, in template order, as the console shows them.
  for (const name of Object.keys(parameters)) {
    if (!ordered.some((o) => o.name === name)) {
      ordered.push({ name, group: groups.length > 0 ? 'Other parameters' : undefined });
    }
  }

  return ordered.map(({ name, group }) => toSpec(name, parameters[name], labelText(labels?.[name]) ?? name, group));
}

function toSpec(name: string, p: CfnParameter, label: string, group: string | undefined): ParameterSpec {
  return {
    name,
    type: p.Type,
    label,
    group,
    description: p.Description,
    default: scalar(p.Default),
    allowedPattern: p.AllowedPattern,
    allowedValues: p.AllowedValues?.map((v) => scalar(v) ?? ''),
    constraintDescription: p.ConstraintDescription,
    minLength: num(p.MinLength),
    maxLength: num(p.MaxLength),
    minValue: num(p.MinValue),
    maxValue: num(p.MaxValue),
    noEcho: p.NoEcho === true || p.NoEcho === 'true',
  };
}

function scalar(value: CfnValue | undefined): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (Array.isArray(value)) {
    return value.map((v) => scalar(v) ?? '').join(',');
  }
  return typeof value === 'object' ? undefined : String(value);
}

function num(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined;
}

function asRecord(value: unknown): Record<string, CfnValue> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, CfnValue>)
    : undefined;
}

function labelText(value: unknown): string | undefined {
  const record = asRecord(value);
  const text = record ? record.default : value;
  return typeof text === 'string' ? text : undefined;
}
