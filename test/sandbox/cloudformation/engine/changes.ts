// What a change set reports: Add/Modify/Remove per resource, with Replacement and Details, from a
// stack's deployed resources (and template) to a newly bound template.
import { containsUnknown } from './intrinsics.js';
import { references } from './graph.js';
import { resolveProperties, type BoundTemplate, type ResourceValues } from './model.js';
import { requiresRecreation, type RequiresRecreation } from './replacement.js';
import { TemplateError, type Template } from './types.js';

export interface DeployedResource {
  readonly type: string;
  readonly physicalId?: string;
  readonly properties: Readonly<Record<string, unknown>>;
  readonly attributes: Readonly<Record<string, unknown>>;
}

export interface ChangeDetail {
  Target: { Attribute: 'Properties' | 'Tags'; Name: string; RequiresRecreation: RequiresRecreation };
  Evaluation: 'Static' | 'Dynamic';
  ChangeSource: 'DirectModification' | 'ParameterReference' | 'ResourceReference' | 'ResourceAttribute';
  CausingEntity?: string;
}

export interface ResourceChange {
  Action: 'Add' | 'Modify' | 'Remove';
  LogicalResourceId: string;
  PhysicalResourceId?: string;
  ResourceType: string;
  Replacement?: 'True' | 'False' | 'Conditional';
  PolicyAction?: 'Delete' | 'Retain';
  Scope: ('Properties' | 'Tags')[];
  Details: ChangeDetail[];
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** Names of top-level properties whose values differ. */
export function changedProperties(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((n) => !same(before[n], after[n])).sort();
}

/** Whether applying `after` over `before` needs a new physical resource. */
export function needsReplacement(
  type: string,
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): boolean {
  return changedProperties(before, after).some((p) => requiresRecreation(type, p) === 'Always');
}

export function computeChanges(
  deployed: Readonly<Record<string, DeployedResource>>,
  previousTemplate: Template | undefined,
  previousParameters: Readonly<Record<string, string>>,
  bound: BoundTemplate,
): ResourceChange[] {
  const changed = new Set<string>();
  const replaced = new Set<string>();
  const values: ResourceValues = {
    physicalId: (id) => (deployed[id] && !replaced.has(id) ? deployed[id].physicalId : undefined),
    attribute: (id, attr) => (deployed[id] && !changed.has(id) ? deployed[id].attributes[attr] : undefined),
  };
  const changes: ResourceChange[] = [];
  const retyped = bound.active.filter((id) => deployed[id] && deployed[id].type !== bound.template.Resources[id].Type);
  if (retyped.length) {
    throw new TemplateError(
      `Update of resource type is not permitted. The new template modifies resource type of the following resources: [${retyped.join(', ')}]`,
    );
  }
  for (const id of bound.order) {
    const decl = bound.template.Resources[id];
    const old = deployed[id];
    if (!old) {
      changed.add(id);
      replaced.add(id);
      changes.push({ Action: 'Add', LogicalResourceId: id, ResourceType: decl.Type, Scope: [], Details: [] });
      continue;
    }
    const props = resolveProperties(bound, id, values);
    const rawBefore = previousTemplate?.Resources[id]?.Properties ?? {};
    const rawAfter = decl.Properties ?? {};
    const details: ChangeDetail[] = [];
    for (const name of changedProperties(old.properties, props)) {
      const dynamic = containsUnknown(props[name]);
      const recreation = requiresRecreation(decl.Type, name);
      const target = {
        Attribute: name === 'Tags' ? ('Tags' as const) : ('Properties' as const),
        Name: name,
        RequiresRecreation: recreation,
      };
      if (!same(rawBefore[name], rawAfter[name])) {
        details.push({
          Target: target,
          Evaluation: dynamic ? 'Dynamic' : 'Static',
          ChangeSource: 'DirectModification',
        });
        if (!dynamic) continue;
      }
      const refs = references(rawAfter[name]);
      let recorded = false;
      for (const ref of [...refs].sort()) {
        if (ref in bound.parameters && bound.parameters[ref] !== previousParameters[ref]) {
          details.push({
            Target: target,
            Evaluation: 'Static',
            ChangeSource: 'ParameterReference',
            CausingEntity: ref,
          });
          recorded = true;
        } else if (changed.has(ref)) {
          const viaAttribute =
            JSON.stringify(rawAfter[name]).includes(`"Fn::GetAtt"`) ||
            JSON.stringify(rawAfter[name]).includes(`\${${ref}.`);
          details.push({
            Target: target,
            Evaluation: 'Dynamic',
            ChangeSource: viaAttribute ? 'ResourceAttribute' : 'ResourceReference',
            CausingEntity: ref,
          });
          recorded = true;
        }
      }
      if (!recorded && same(rawBefore[name], rawAfter[name])) {
        details.push({
          Target: target,
          Evaluation: dynamic ? 'Dynamic' : 'Static',
          ChangeSource: 'DirectModification',
        });
      }
    }
    if (details.length === 0) continue;
    const staticAlways = details.some((d) => d.Target.RequiresRecreation === 'Always' && d.Evaluation === 'Static');
    const maybe = details.some((d) => d.Target.RequiresRecreation !== 'Never');
    const replacement = staticAlways ? 'True' : maybe ? 'Conditional' : 'False';
    changed.add(id);
    if (replacement !== 'False') replaced.add(id);
    const scope = [...new Set(details.map((d) => d.Target.Attribute))].sort();
    changes.push({
      Action: 'Modify',
      LogicalResourceId: id,
      PhysicalResourceId: old.physicalId,
      ResourceType: decl.Type,
      Replacement: replacement,
      Scope: scope,
      Details: details,
    });
  }
  const active = new Set(bound.active);
  for (const [id, old] of Object.entries(deployed)) {
    if (active.has(id)) continue;
    const retain = previousTemplate?.Resources[id]?.DeletionPolicy === 'Retain';
    changes.push({
      Action: 'Remove',
      LogicalResourceId: id,
      PhysicalResourceId: old.physicalId,
      ResourceType: old.type,
      PolicyAction: retain ? 'Retain' : 'Delete',
      Scope: [],
      Details: [],
    });
  }
  return changes;
}
