// What happens after CreateStack/UpdateStack/DeleteStack/ExecuteChangeSet return: resources created,
// updated, replaced and deleted in dependency order, with the event stream and rollbacks of real CloudFormation.
import { needsReplacement } from './engine/changes.js';
import { references } from './engine/graph.js';
import { resolveOutputs, resolveProperties, type BoundTemplate } from './engine/model.js';
import { isRecord, TemplateError, type Template } from './engine/types.js';
import { resourceEvent, stackEvent } from './events.js';
import { failureReason, scenarioFails } from './providers/failures.js';
import { ResourceFailure, resourceProvider, type ProviderContext } from './providers/registry.js';
import { checkForwardAccess, type HandlerOperation } from './forwardAccess.js';
import { runGraph } from './runner.js';
import { resolveDynamicReferences } from './dynamicReferences.js';
import { currentValues, exportsOf, importsOf, type Caller } from './stacks.js';
import { cfnState, type ResourceRecord, type StackRecord, type StackSnapshot, type UpdateJournal } from './state.js';

const clone = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

function templateOf(stack: { template: unknown }): Template {
  return stack.template as Template;
}

function providerContext(
  caller: Caller,
  stack: StackRecord,
  logicalId: string,
  signal: AbortSignal,
  initiated: (id: string) => void,
): ProviderContext {
  return { ...caller, stackId: stack.stackId, stackName: stack.stackName, logicalId, signal, initiated };
}

/** The resource handler's calls, authorized as the stack's caller (no service role is modelled). */
function forwardAccess(
  caller: Caller,
  stack: StackRecord,
  logicalId: string,
  type: string,
  op: HandlerOperation,
  props: Record<string, unknown>,
  physicalId: string | undefined,
): void {
  checkForwardAccess(caller.authorize, caller.sandbox, type, op, props, {
    accountId: caller.accountId,
    region: caller.region,
    stackName: stack.stackName,
    logicalId,
    physicalId,
  });
}

function reasonOf(err: unknown, signal: AbortSignal, cancelled: string): string {
  if (err instanceof ResourceFailure || err instanceof TemplateError) return err.message;
  if (signal.aborted) return cancelled;
  return `Resource handler returned message: "${err instanceof Error ? err.message : String(err)}" (HandlerErrorCode: InternalFailure)`;
}

async function maybeFail(
  caller: Caller,
  kind: 'create' | 'delete' | 'rollback',
  logicalId: string,
  type: string,
  props: Record<string, unknown>,
  signal: AbortSignal,
): Promise<void> {
  if (!scenarioFails(caller.sandbox, kind, logicalId)) return;
  await caller.sandbox.clock.sleep(3_000, signal);
  throw new ResourceFailure(
    failureReason(caller.sandbox, type, props, kind === 'delete' ? 'delete' : kind === 'create' ? 'create' : 'update'),
  );
}

function unsupported(type: string): ResourceFailure {
  return new ResourceFailure(`Resource type ${type} is not supported by the Workshop Pipeline sandbox`);
}

/** Creates one resource (during a create, or an update that adds it). */
/**
 * Creates the physical resource through its provider, writing the "Resource creation Initiated"
 * event once the provider names it (with `status`: CREATE_ for a new resource, UPDATE_ for a replacement).
 */
async function createPhysical(
  caller: Caller,
  stack: StackRecord,
  rec: ResourceRecord,
  type: string,
  props: Record<string, unknown>,
  signal: AbortSignal,
  status: 'CREATE_IN_PROGRESS' | 'UPDATE_IN_PROGRESS',
): Promise<void> {
  const provider = resourceProvider(type);
  if (!provider) throw unsupported(type);
  let initiated = false;
  const onInitiated = (physicalId: string) => {
    if (initiated) return;
    initiated = true;
    rec.physicalId = physicalId;
    resourceEvent(caller.sandbox, stack, rec, status, 'Resource creation Initiated');
  };
  forwardAccess(caller, stack, rec.logicalId, type, 'create', props, undefined);
  const result = await provider.create(props, providerContext(caller, stack, rec.logicalId, signal, onInitiated));
  onInitiated(result.physicalId);
  rec.physicalId = result.physicalId;
  rec.attributes = result.attributes ?? {};
}

async function createResource(
  caller: Caller,
  stack: StackRecord,
  bound: BoundTemplate,
  id: string,
  signal: AbortSignal,
): Promise<void> {
  const decl = bound.template.Resources[id];
  const rec: ResourceRecord = {
    logicalId: id,
    type: decl.Type,
    status: 'CREATE_IN_PROGRESS',
    timestamp: '',
    properties: {},
    attributes: {},
  };
  stack.resources[id] = rec;
  resourceEvent(caller.sandbox, stack, rec, 'CREATE_IN_PROGRESS', undefined, '', decl.Properties ?? {});
  try {
    const props = resolveDynamicReferences(resolveProperties(bound, id, currentValues(stack)), caller);
    rec.properties = props;
    await caller.sandbox.clock.sleep(500, signal);
    await maybeFail(caller, 'create', id, decl.Type, props, signal);
    await createPhysical(caller, stack, rec, decl.Type, props, signal, 'CREATE_IN_PROGRESS');
    resourceEvent(caller.sandbox, stack, rec, 'CREATE_COMPLETE');
  } catch (err) {
    resourceEvent(caller.sandbox, stack, rec, 'CREATE_FAILED', reasonOf(err, signal, 'Resource creation cancelled'));
    throw err;
  }
}

/** Dependencies among `ids` as the template declares them (for deletion order). */
function graphAmong(template: Template | undefined, ids: readonly string[]): Map<string, Set<string>> {
  const set = new Set(ids);
  return new Map(
    ids.map((id) => {
      const decl = template?.Resources[id];
      const deps = new Set<string>();
      if (decl) {
        const dependsOn =
          typeof decl.DependsOn === 'string' ? [decl.DependsOn] : Array.isArray(decl.DependsOn) ? decl.DependsOn : [];
        for (const d of [...dependsOn, ...references([decl.Properties ?? {}])]) if (set.has(d) && d !== id) deps.add(d);
      }
      return [id, deps];
    }),
  );
}

function reversed(graph: Map<string, Set<string>>): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>([...graph.keys()].map((k) => [k, new Set<string>()]));
  for (const [id, deps] of graph) for (const d of deps) out.get(d)?.add(id);
  return out;
}

async function deleteRecord(
  caller: Caller,
  stack: StackRecord,
  rec: ResourceRecord,
  retain: boolean,
  signal: AbortSignal,
): Promise<void> {
  if (rec.status === 'DELETE_COMPLETE' || rec.status === 'DELETE_SKIPPED') return;
  if (retain) {
    resourceEvent(caller.sandbox, stack, rec, 'DELETE_SKIPPED');
    return;
  }
  if (!rec.physicalId) {
    resourceEvent(caller.sandbox, stack, rec, 'DELETE_COMPLETE');
    return;
  }
  resourceEvent(caller.sandbox, stack, rec, 'DELETE_IN_PROGRESS');
  try {
    await maybeFail(caller, 'delete', rec.logicalId, rec.type, rec.properties, signal);
    const provider = resourceProvider(rec.type);
    forwardAccess(caller, stack, rec.logicalId, rec.type, 'delete', rec.properties, rec.physicalId);
    if (provider)
      await provider.delete(
        rec.physicalId,
        rec.properties,
        providerContext(caller, stack, rec.logicalId, signal, () => undefined),
      );
    else await caller.sandbox.clock.sleep(1_000, signal);
    resourceEvent(caller.sandbox, stack, rec, 'DELETE_COMPLETE');
  } catch (err) {
    resourceEvent(caller.sandbox, stack, rec, 'DELETE_FAILED', reasonOf(err, signal, 'Resource deletion cancelled'));
    throw err;
  }
}

/** Deletes records (dependents first, independent ones in parallel); returns the logical ids that failed. */
async function deleteRecords(
  caller: Caller,
  stack: StackRecord,
  template: Template | undefined,
  records: ResourceRecord[],
  retain: ReadonlySet<string>,
): Promise<string[]> {
  const byId = new Map(records.map((r) => [r.logicalId, r]));
  const order = reversed(graphAmong(template, [...byId.keys()]));
  const run = await runGraph(
    order,
    (id, signal) => deleteRecord(caller, stack, byId.get(id)!, retain.has(id), signal),
    new AbortController().signal,
    { continueOnFailure: true },
  );
  return run.failed;
}

function failedList(stack: StackRecord, status: string): string[] {
  return Object.values(stack.resources)
    .filter((r) => r.status === status)
    .map((r) => r.logicalId);
}

function duplicateExport(caller: Caller, stack: StackRecord, outputs: { ExportName?: string }[]): string | undefined {
  const existing = exportsOf(caller.sandbox);
  for (const o of outputs) {
    const other = o.ExportName ? existing.get(o.ExportName) : undefined;
    if (other && other.stackId !== stack.stackId) {
      const otherName = cfnState(caller.sandbox).stacks[other.stackId]?.stackName ?? other.stackId;
      return `Export with name ${o.ExportName} is already exported by stack ${otherName}`;
    }
  }
  return undefined;
}

/** CREATE_IN_PROGRESS → CREATE_COMPLETE, or → ROLLBACK_IN_PROGRESS → ROLLBACK_COMPLETE. Returns success. */
export async function runCreate(
  caller: Caller,
  stack: StackRecord,
  bound: BoundTemplate,
  signal: AbortSignal,
): Promise<boolean> {
  stackEvent(caller.sandbox, stack, 'CREATE_IN_PROGRESS', 'User Initiated');
  stack.resources = {};
  const run = await runGraph(bound.graph, (id, s) => createResource(caller, stack, bound, id, s), signal);
  let stackReason: string | undefined;
  if (run.failed.length === 0 && !signal.aborted) {
    try {
      const outputs = resolveOutputs(bound, currentValues(stack));
      stackReason = duplicateExport(caller, stack, outputs);
      if (!stackReason) {
        stack.outputs = outputs;
        stackEvent(caller.sandbox, stack, 'CREATE_COMPLETE');
        return true;
      }
    } catch (err) {
      stackReason = err instanceof Error ? err.message : String(err);
    }
  }
  const failed = failedList(stack, 'CREATE_FAILED');
  const reason = stackReason ?? `The following resource(s) failed to create: [${failed.join(', ')}]. `;
  if (stack.disableRollback) {
    stackEvent(caller.sandbox, stack, 'CREATE_FAILED', reason);
    return false;
  }
  stackEvent(
    caller.sandbox,
    stack,
    'ROLLBACK_IN_PROGRESS',
    `${reason}${stackReason ? '. ' : ''}Rollback requested by user.`,
  );
  const deleteFailed = await deleteRecords(caller, stack, bound.template, Object.values(stack.resources), new Set());
  stack.outputs = [];
  if (deleteFailed.length) {
    stackEvent(
      caller.sandbox,
      stack,
      'ROLLBACK_FAILED',
      `The following resource(s) failed to delete: [${deleteFailed.join(', ')}]. `,
    );
  } else {
    stackEvent(caller.sandbox, stack, 'ROLLBACK_COMPLETE');
  }
  return false;
}

export function snapshot(stack: StackRecord): StackSnapshot {
  return clone({
    templateBody: stack.templateBody,
    template: stack.template,
    parameters: stack.parameters,
    resolvedParameters: stack.resolvedParameters,
    outputs: stack.outputs,
    resources: stack.resources,
    capabilities: stack.capabilities,
    tags: stack.tags,
  });
}

export interface UpdateTarget {
  templateBody: string;
  template: Template;
  parameters: Record<string, string>;
  resolvedParameters?: Record<string, string>;
  capabilities: string[];
  tags: { Key: string; Value: string }[];
}

async function updateResource(
  caller: Caller,
  stack: StackRecord,
  bound: BoundTemplate,
  journal: UpdateJournal,
  id: string,
  signal: AbortSignal,
): Promise<void> {
  const old = stack.previous?.resources[id];
  if (!old || !old.physicalId) {
    journal.added.push(id);
    return createResource(caller, stack, bound, id, signal);
  }
  const decl = bound.template.Resources[id];
  const rec = stack.resources[id];
  let props: Record<string, unknown>;
  try {
    props = resolveDynamicReferences(resolveProperties(bound, id, currentValues(stack)), caller);
  } catch (err) {
    resourceEvent(caller.sandbox, stack, rec, 'UPDATE_FAILED', reasonOf(err, signal, 'Resource update cancelled'));
    throw err;
  }
  if (same(old.properties, props)) return;
  const provider = resourceProvider(decl.Type);
  const replace = needsReplacement(decl.Type, old.properties, props);
  try {
    if (replace) {
      journal.replaced[id] = clone(old);
      resourceEvent(
        caller.sandbox,
        stack,
        rec,
        'UPDATE_IN_PROGRESS',
        'Requested update requires the creation of a new physical resource; hence creating one.',
        old.physicalId,
        decl.Properties ?? {},
      );
      rec.physicalId = undefined;
      await caller.sandbox.clock.sleep(500, signal);
      await maybeFail(caller, 'create', id, decl.Type, props, signal);
      await createPhysical(caller, stack, rec, decl.Type, props, signal, 'UPDATE_IN_PROGRESS');
    } else {
      journal.inPlace.push(id);
      resourceEvent(caller.sandbox, stack, rec, 'UPDATE_IN_PROGRESS', undefined, old.physicalId, decl.Properties ?? {});
      await caller.sandbox.clock.sleep(500, signal);
      await maybeFail(caller, 'create', id, decl.Type, props, signal);
      if (!provider) throw unsupported(decl.Type);
      forwardAccess(caller, stack, id, decl.Type, 'update', props, old.physicalId);
      const result = await provider.update(
        old.physicalId,
        props,
        old.properties,
        providerContext(caller, stack, id, signal, () => undefined),
      );
      rec.attributes = { ...rec.attributes, ...(result.attributes ?? {}) };
    }
    rec.properties = props;
    resourceEvent(caller.sandbox, stack, rec, 'UPDATE_COMPLETE');
  } catch (err) {
    resourceEvent(caller.sandbox, stack, rec, 'UPDATE_FAILED', reasonOf(err, signal, 'Resource update cancelled'));
    throw err;
  }
}

/** UPDATE_IN_PROGRESS → UPDATE_COMPLETE_CLEANUP_IN_PROGRESS → UPDATE_COMPLETE, or the update rollback. */
export async function runUpdate(
  caller: Caller,
  stack: StackRecord,
  bound: BoundTemplate,
  target: UpdateTarget,
  signal: AbortSignal,
): Promise<boolean> {
  stack.previous = snapshot(stack);
  const journal: UpdateJournal = { added: [], inPlace: [], replaced: {} };
  stack.journal = journal;
  Object.assign(stack, {
    templateBody: target.templateBody,
    template: target.template,
    parameters: target.parameters,
    resolvedParameters: target.resolvedParameters,
    capabilities: target.capabilities,
    tags: target.tags,
  });
  stack.lastUpdatedTime = caller.sandbox.clock.now().toISOString();
  stack.description = target.template.Description;
  stackEvent(caller.sandbox, stack, 'UPDATE_IN_PROGRESS', 'User Initiated');
  const run = await runGraph(bound.graph, (id, s) => updateResource(caller, stack, bound, journal, id, s), signal);
  let stackReason: string | undefined;
  if (run.failed.length === 0 && !signal.aborted) {
    try {
      const outputs = resolveOutputs(bound, currentValues(stack));
      stackReason = duplicateExport(caller, stack, outputs);
      if (!stackReason) {
        stack.outputs = outputs;
        stackEvent(caller.sandbox, stack, 'UPDATE_COMPLETE_CLEANUP_IN_PROGRESS');
        const previous = stack.previous;
        const active = new Set(bound.active);
        const removed = Object.values(previous.resources).filter((r) => !active.has(r.logicalId));
        const retain = new Set(
          removed
            .filter((r) => templateOf(previous).Resources[r.logicalId]?.DeletionPolicy === 'Retain')
            .map((r) => r.logicalId),
        );
        for (const r of removed) stack.resources[r.logicalId] = r;
        await deleteRecords(caller, stack, templateOf(previous), removed, retain);
        for (const r of removed) delete stack.resources[r.logicalId];
        const superseded = Object.values(journal.replaced);
        await deleteRecords(caller, stack, templateOf(previous), superseded, new Set());
        stack.previous = undefined;
        stack.journal = undefined;
        stackEvent(caller.sandbox, stack, 'UPDATE_COMPLETE');
        return true;
      }
    } catch (err) {
      stackReason = err instanceof Error ? err.message : String(err);
    }
  }
  let reason = stackReason;
  if (!reason) {
    const failedUpdate = failedList(stack, 'UPDATE_FAILED');
    const failedCreate = failedList(stack, 'CREATE_FAILED');
    if ((failedUpdate.length === 0 && failedCreate.length === 0) || (signal.aborted && isCancel(signal)))
      reason = 'Stack update cancelled';
    else
      reason = failedUpdate.length
        ? `The following resource(s) failed to update: [${failedUpdate.join(', ')}]. `
        : `The following resource(s) failed to create: [${failedCreate.join(', ')}]. `;
  }
  stackEvent(caller.sandbox, stack, 'UPDATE_ROLLBACK_IN_PROGRESS', reason);
  await rollbackUpdate(caller, stack, new Set());
  return false;
}

function isCancel(signal: AbortSignal): boolean {
  return signal.reason instanceof Error && signal.reason.message === 'cancelled';
}

/**
 * Undoes the journal of a failed update: in-place changes are updated back, replacements revert to the
 * old physical resource, then added and replacement resources are cleaned up. Stops at UPDATE_ROLLBACK_FAILED
 * when a rollback update fails (ContinueUpdateRollback resumes, skipping `skip`).
 */
export async function rollbackUpdate(caller: Caller, stack: StackRecord, skip: ReadonlySet<string>): Promise<boolean> {
  const previous = stack.previous;
  const journal = stack.journal ?? { added: [], inPlace: [], replaced: {} };
  if (!previous) {
    stackEvent(caller.sandbox, stack, 'UPDATE_ROLLBACK_COMPLETE');
    return true;
  }
  const signal = new AbortController().signal;
  for (const id of [...journal.inPlace]) {
    const rec = stack.resources[id];
    const old = previous.resources[id];
    if (!rec || !old || skip.has(id)) {
      journal.inPlace = journal.inPlace.filter((x) => x !== id);
      if (rec && old && skip.has(id)) stack.resources[id] = { ...old, status: 'UPDATE_COMPLETE' };
      continue;
    }
    resourceEvent(caller.sandbox, stack, rec, 'UPDATE_IN_PROGRESS');
    try {
      await maybeFail(caller, 'rollback', id, rec.type, old.properties, signal);
      const provider = resourceProvider(rec.type);
      if (provider && old.physicalId)
        await provider.update(
          old.physicalId,
          old.properties,
          rec.properties,
          providerContext(caller, stack, id, signal, () => undefined),
        );
      else await caller.sandbox.clock.sleep(1_000, signal);
    } catch (err) {
      resourceEvent(caller.sandbox, stack, rec, 'UPDATE_FAILED', reasonOf(err, signal, 'Resource update cancelled'));
      stackEvent(
        caller.sandbox,
        stack,
        'UPDATE_ROLLBACK_FAILED',
        `The following resource(s) failed to update: [${id}]. `,
      );
      return false;
    }
    rec.properties = old.properties;
    rec.attributes = old.attributes;
    resourceEvent(caller.sandbox, stack, rec, 'UPDATE_COMPLETE');
    journal.inPlace = journal.inPlace.filter((x) => x !== id);
    caller.sandbox.changed();
  }
  const cleanup: ResourceRecord[] = [];
  for (const [id, old] of Object.entries(journal.replaced)) {
    const current = stack.resources[id];
    if (current?.physicalId && current.physicalId !== old.physicalId) cleanup.push({ ...current });
    const restored: ResourceRecord = { ...old };
    stack.resources[id] = restored;
    resourceEvent(caller.sandbox, stack, restored, 'UPDATE_IN_PROGRESS');
    resourceEvent(caller.sandbox, stack, restored, 'UPDATE_COMPLETE');
  }
  journal.replaced = {};
  const added = journal.added.map((id) => stack.resources[id]).filter((r): r is ResourceRecord => r !== undefined);
  Object.assign(stack, {
    templateBody: previous.templateBody,
    template: previous.template,
    parameters: previous.parameters,
    resolvedParameters: previous.resolvedParameters,
    capabilities: previous.capabilities,
    tags: previous.tags,
    outputs: previous.outputs,
  });
  stack.description =
    isRecord(previous.template) && typeof previous.template.Description === 'string'
      ? previous.template.Description
      : undefined;
  stackEvent(caller.sandbox, stack, 'UPDATE_ROLLBACK_COMPLETE_CLEANUP_IN_PROGRESS');
  await deleteRecords(caller, stack, undefined, [...added, ...cleanup], new Set());
  for (const r of added) delete stack.resources[r.logicalId];
  stack.previous = undefined;
  stack.journal = undefined;
  stackEvent(caller.sandbox, stack, 'UPDATE_ROLLBACK_COMPLETE');
  return true;
}

/** DELETE_IN_PROGRESS → DELETE_COMPLETE (or DELETE_FAILED). */
export async function runDelete(
  caller: Caller,
  stack: StackRecord,
  retainResources: ReadonlySet<string>,
): Promise<void> {
  stackEvent(caller.sandbox, stack, 'DELETE_IN_PROGRESS', 'User Initiated');
  const ownExports = new Set(stack.outputs.map((o) => o.ExportName).filter((n): n is string => !!n));
  for (const other of Object.values(cfnState(caller.sandbox).stacks)) {
    if (other.stackId === stack.stackId || other.status === 'DELETE_COMPLETE') continue;
    const used = importsOf(other).find((name) => ownExports.has(name));
    if (used) {
      stackEvent(
        caller.sandbox,
        stack,
        'DELETE_FAILED',
        `Export ${used} cannot be deleted as it is in use by ${other.stackName}`,
      );
      return;
    }
  }
  const template = templateOf(stack);
  const retain = new Set([
    ...retainResources,
    ...Object.keys(stack.resources).filter((id) => template.Resources?.[id]?.DeletionPolicy === 'Retain'),
  ]);
  const failed = await deleteRecords(caller, stack, template, Object.values(stack.resources), retain);
  if (failed.length) {
    stackEvent(
      caller.sandbox,
      stack,
      'DELETE_FAILED',
      `The following resource(s) failed to delete: [${failed.join(', ')}]. `,
    );
    return;
  }
  stack.deletionTime = caller.sandbox.clock.now().toISOString();
  stackEvent(caller.sandbox, stack, 'DELETE_COMPLETE');
}
