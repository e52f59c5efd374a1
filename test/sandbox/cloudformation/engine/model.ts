// A template bound to parameter values and a stack: conditions, active resources, dependency order,
// and scopes for evaluating properties and outputs. Pure: the caller supplies physical ids and attributes.
import { evaluate, evaluateConditions, unknownValue, NO_VALUE, type Scope } from './intrinsics.js';
import { dependencyGraph, topologicalOrder } from './graph.js';
import { refValues, type ParameterValue, type StoredParameter } from './parameters.js';
import { TemplateError, type Template } from './types.js';

export interface StackEnv {
  readonly accountId: string;
  readonly region: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly notificationArns?: readonly string[];
  /** Value of an export in the region, or undefined. */
  exportValue?(name: string): string | undefined;
  /** Attribute names a resource type supports (for GetAtt validation), if known; `Prefix.*` allows any `Prefix.X`. */
  attributeNames?(type: string): readonly string[] | undefined;
  /** Parameter Store, for SSM parameter types (without it their values pass through as written). */
  ssmParameter?(name: string): StoredParameter | undefined;
}

export interface BoundTemplate {
  readonly template: Template;
  readonly env: StackEnv;
  readonly parameters: Readonly<Record<string, string>>;
  readonly refParameters: Readonly<Record<string, ParameterValue>>;
  /** Values of SSM-typed parameters as resolved from Parameter Store (DescribeStacks' ResolvedValue). */
  readonly resolvedParameters: Readonly<Record<string, string>>;
  readonly conditions: Readonly<Record<string, boolean>>;
  /** Logical ids whose Condition holds, in template order. */
  readonly active: readonly string[];
  readonly graph: ReadonlyMap<string, ReadonlySet<string>>;
  readonly order: readonly string[];
}

/** Where Ref/GetAtt of resources get their values. */
export interface ResourceValues {
  physicalId(logicalId: string): string | undefined;
  attribute(logicalId: string, attribute: string): unknown;
}

export function bindTemplate(
  template: Template,
  parameters: Readonly<Record<string, string>>,
  env: StackEnv,
): BoundTemplate {
  const { ref: refParameters, resolved: resolvedParameters } = refValues(
    template,
    parameters,
    env.ssmParameter?.bind(env),
  );
  const declared = new Set(Object.keys(template.Resources));
  const base = {
    accountId: env.accountId,
    region: env.region,
    stackName: env.stackName,
    stackId: env.stackId,
    notificationArns: env.notificationArns ?? [],
    parameters: refParameters,
    mappings: template.Mappings,
    resources: declared,
    ref: (id: string) => unknownValue(id),
    getAtt: (id: string, attr: string) => unknownValue(`${id}.${attr}`),
    importValue: (name: string) => importValue(env, name),
  };
  const conditions = evaluateConditions(template, base);
  const active: string[] = [];
  for (const [id, decl] of Object.entries(template.Resources)) {
    if (decl.Condition !== undefined) {
      if (typeof decl.Condition !== 'string' || !(decl.Condition in conditions)) {
        throw new TemplateError(
          `Template format error: Unresolved dependencies [${String(decl.Condition)}]. Cannot reference resources in the Conditions block of the template`,
        );
      }
      if (!conditions[decl.Condition]) continue;
    }
    active.push(id);
  }
  const graph = dependencyGraph(template, active);
  const order = topologicalOrder(graph);
  return { template, env, parameters, refParameters, resolvedParameters, conditions, active, graph, order };
}

function importValue(env: StackEnv, name: string): string {
  const value = env.exportValue?.(name);
  if (value === undefined) throw new TemplateError(`No export named ${name} found.`);
  return value;
}

export function makeScope(bound: BoundTemplate, values: ResourceValues, block: 'Resources' | 'Outputs'): Scope {
  const { env, template } = bound;
  const active = new Set(bound.active);
  return {
    accountId: env.accountId,
    region: env.region,
    stackName: env.stackName,
    stackId: env.stackId,
    notificationArns: env.notificationArns ?? [],
    parameters: bound.refParameters,
    conditions: bound.conditions,
    mappings: template.Mappings,
    resources: new Set(Object.keys(template.Resources)),
    block,
    ref(id) {
      if (!active.has(id))
        throw new TemplateError(
          `Template format error: Unresolved resource dependencies [${id}] in the ${block} block of the template`,
        );
      return values.physicalId(id) ?? unknownValue(id);
    },
    getAtt(id, attribute) {
      if (!active.has(id))
        throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${id}`);
      const type = template.Resources[id].Type;
      const names = env.attributeNames?.(type);
      const allowed = (name: string) =>
        name === attribute || (name.endsWith('.*') && attribute.startsWith(name.slice(0, -1)));
      if (names && !names.some(allowed)) {
        throw new TemplateError(
          `Template error: resource ${id} does not support attribute type ${attribute} in Fn::GetAtt`,
        );
      }
      const value = values.attribute(id, attribute);
      return value === undefined ? unknownValue(`${id}.${attribute}`) : value;
    },
    importValue: (name) => importValue(env, name),
  };
}

/** Resolved Properties of a resource (intrinsics evaluated, AWS::NoValue removed). */
export function resolveProperties(
  bound: BoundTemplate,
  logicalId: string,
  values: ResourceValues,
): Record<string, unknown> {
  const decl = bound.template.Resources[logicalId];
  const resolved = evaluate(decl.Properties ?? {}, makeScope(bound, values, 'Resources'));
  return (resolved === NO_VALUE ? {} : resolved) as Record<string, unknown>;
}

export interface ResolvedOutput {
  OutputKey: string;
  OutputValue: string;
  Description?: string;
  ExportName?: string;
}

function outputString(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function resolveOutputs(bound: BoundTemplate, values: ResourceValues): ResolvedOutput[] {
  const scope = makeScope(bound, values, 'Outputs');
  const outputs: ResolvedOutput[] = [];
  for (const [key, decl] of Object.entries(bound.template.Outputs ?? {})) {
    if (decl.Condition !== undefined && !bound.conditions[decl.Condition]) continue;
    const out: ResolvedOutput = { OutputKey: key, OutputValue: outputString(evaluate(decl.Value, scope)) };
    if (decl.Description !== undefined) out.Description = String(decl.Description);
    if (decl.Export !== undefined) out.ExportName = outputString(evaluate(decl.Export.Name, scope));
    outputs.push(out);
  }
  return outputs;
}

/**
 * Evaluates every active resource's properties and every output with placeholder values, so template
 * errors (unresolved names, bad GetAtt attributes, missing exports, bad Select indexes) surface before any work starts.
 */
export function checkEvaluates(bound: BoundTemplate): void {
  const placeholders: ResourceValues = { physicalId: () => undefined, attribute: () => undefined };
  for (const id of bound.active) {
    try {
      resolveProperties(bound, id, placeholders);
    } catch (err) {
      // Fn::Select over a list that is only known later cannot be checked now.
      if (err instanceof TemplateError && err.message.includes('Fn::Select')) continue;
      throw err;
    }
  }
  resolveOutputs(bound, placeholders);
}
