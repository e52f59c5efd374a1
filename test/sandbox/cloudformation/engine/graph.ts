// Resource dependencies (DependsOn plus implicit Ref/GetAtt/Sub references), creation order and cycles.
import { isRecord, TemplateError, type Template } from './types.js';

const PSEUDO = /^AWS::/;

/** Names referenced by Ref, Fn::GetAtt and Fn::Sub anywhere inside a value (all Fn::If branches). */
export function references(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) references(v, out);
    return out;
  }
  if (!isRecord(value)) return out;
  const keys = Object.keys(value);
  if (keys.length === 1) {
    const [key] = keys;
    const arg = value[key];
    if (key === 'Ref' && typeof arg === 'string') {
      if (!PSEUDO.test(arg)) out.add(arg);
      return out;
    }
    if (key === 'Fn::GetAtt') {
      if (typeof arg === 'string') out.add(arg.split('.')[0]);
      else if (Array.isArray(arg) && typeof arg[0] === 'string') out.add(arg[0]);
      if (Array.isArray(arg)) references(arg[1], out);
      return out;
    }
    if (key === 'Fn::Sub') {
      const text: unknown = Array.isArray(arg) ? arg[0] : arg;
      const vars: unknown = Array.isArray(arg) ? arg[1] : undefined;
      const local = isRecord(vars) ? new Set(Object.keys(vars)) : new Set<string>();
      if (typeof text === 'string') {
        for (const m of text.matchAll(/\$\{([^}!][^}]*)\}/g)) {
          const name = m[1].trim().split('.')[0];
          if (!local.has(m[1].trim()) && !PSEUDO.test(m[1].trim())) out.add(name);
        }
      }
      if (isRecord(vars)) references(Object.values(vars), out);
      return out;
    }
  }
  for (const v of Object.values(value)) references(v, out);
  return out;
}

/** Logical ids named by Fn::GetAtt inside a value. */
export function getAttTargets(value: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(value)) {
    for (const v of value) getAttTargets(v, out);
  } else if (isRecord(value)) {
    const arg = value['Fn::GetAtt'];
    if (typeof arg === 'string') out.add(arg.split('.')[0]);
    else if (Array.isArray(arg) && typeof arg[0] === 'string') out.add(arg[0]);
    for (const v of Object.values(value)) getAttTargets(v, out);
  }
  return out;
}

function dependsOnList(value: unknown): string[] {
  if (value === undefined) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new TemplateError('Template format error: DependsOn must be a string or list of strings.');
}

/**
 * Dependencies between the resources in `active` (those whose Condition holds), checking that every
 * referenced name is a parameter, a declared resource or a pseudo parameter.
 */
export function dependencyGraph(template: Template, active: readonly string[]): Map<string, Set<string>> {
  const params = new Set(Object.keys(template.Parameters ?? {}));
  const declared = new Set(Object.keys(template.Resources));
  const graph = new Map<string, Set<string>>();
  const unresolved = new Set<string>();
  for (const id of active) {
    for (const target of getAttTargets(template.Resources[id].Properties ?? {})) {
      if (!declared.has(target))
        throw new TemplateError(`Template error: instance of Fn::GetAtt references undefined resource ${target}`);
    }
  }
  for (const id of active) {
    const decl = template.Resources[id];
    const deps = new Set<string>();
    for (const name of dependsOnList(decl.DependsOn)) {
      if (!declared.has(name)) unresolved.add(name);
      else deps.add(name);
    }
    for (const name of references([decl.Properties ?? {}, decl.Metadata ?? {}])) {
      if (declared.has(name)) deps.add(name);
      else if (!params.has(name)) unresolved.add(name);
    }
    deps.delete(id);
    graph.set(id, deps);
  }
  if (unresolved.size) {
    throw new TemplateError(
      `Template format error: Unresolved resource dependencies [${[...unresolved].join(', ')}] in the Resources block of the template`,
    );
  }
  for (const [id, deps] of graph) {
    for (const dep of deps) if (!graph.has(dep)) deps.delete(dep); // a dependency whose Condition is false
    if (template.Resources[id].DependsOn !== undefined) {
      for (const name of dependsOnList(template.Resources[id].DependsOn)) {
        if (!active.includes(name))
          throw new TemplateError(
            `Template format error: Unresolved resource dependencies [${name}] in the Resources block of the template`,
          );
      }
    }
  }
  const cycle = findCycle(graph);
  if (cycle) throw new TemplateError(`Circular dependency between resources: [${cycle.join(', ')}]`);
  return graph;
}

/** The resources on a dependency cycle (sorted), or undefined. */
export function findCycle(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] | undefined {
  // Kahn's algorithm: whatever cannot be ordered lies on (or behind) a cycle; report the strongly connected part.
  const remaining = new Map([...graph].map(([id, deps]) => [id, new Set(deps)]));
  let progressed = true;
  while (progressed) {
    progressed = false;
    for (const [id, deps] of remaining) {
      if ([...deps].every((d) => !remaining.has(d))) {
        remaining.delete(id);
        progressed = true;
      }
    }
  }
  if (remaining.size === 0) return undefined;
  // Drop nodes that only depend on the cycle but are not on it (nothing in `remaining` depends on them).
  let trimmed = true;
  while (trimmed) {
    trimmed = false;
    for (const id of remaining.keys()) {
      const needed = [...remaining].some(([other, deps]) => other !== id && deps.has(id));
      if (!needed) {
        remaining.delete(id);
        trimmed = true;
      }
    }
  }
  return [...remaining.keys()].sort();
}

/** A creation order: every resource after its dependencies; ties keep template order. */
export function topologicalOrder(graph: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  while (order.length < graph.size) {
    const ready = [...graph].filter(([id, deps]) => !done.has(id) && [...deps].every((d) => done.has(d)));
    if (ready.length === 0)
      throw new TemplateError(`Circular dependency between resources: [${(findCycle(graph) ?? []).join(', ')}]`);
    for (const [id] of ready) {
      done.add(id);
      order.push(id);
    }
  }
  return order;
}

/** Dependents of each resource (the reverse graph), for deletion order. */
export function reverseGraph(graph: ReadonlyMap<string, ReadonlySet<string>>): Map<string, Set<string>> {
  const reverse = new Map<string, Set<string>>([...graph.keys()].map((id) => [id, new Set<string>()]));
  for (const [id, deps] of graph) for (const dep of deps) reverse.get(dep)?.add(id);
  return reverse;
}
