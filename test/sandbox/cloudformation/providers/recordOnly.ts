// A provider that creates nothing outside CloudFormation: it waits a realistic (simulated) time,
// remembers the resource in CloudFormation's state slot, and returns realistic ids and attributes.
import { cfnState } from '../state.js';
import type { ProviderContext, ResourceProvider } from './registry.js';

export interface RecordOnlySpec {
  readonly type: string;
  readonly attributes: readonly string[];
  /** Simulated AWS milliseconds. */
  readonly createMs: number;
  readonly updateMs?: number;
  readonly deleteMs?: number;
  physicalId(properties: Record<string, unknown>, ctx: ProviderContext): string;
  attributeValues?(
    physicalId: string,
    properties: Record<string, unknown>,
    ctx: ProviderContext,
  ): Record<string, unknown>;
}

export function recordOnlyProvider(spec: RecordOnlySpec): ResourceProvider {
  const sleep = (ctx: ProviderContext, ms: number) => ctx.sandbox.clock.sleep(ms, ctx.signal);
  const remember = (ctx: ProviderContext, physicalId: string, properties: Record<string, unknown>) => {
    const records = cfnState(ctx.sandbox).records;
    (records[spec.type] ??= {})[physicalId] = { stackId: ctx.stackId, logicalId: ctx.logicalId, properties };
    ctx.sandbox.changed();
  };
  return {
    attributes: spec.attributes,
    async create(properties, ctx) {
      const physicalId = spec.physicalId(properties, ctx);
      const initial = Math.min(1000, spec.createMs / 4);
      await sleep(ctx, initial);
      ctx.initiated(physicalId);
      await sleep(ctx, spec.createMs - initial);
      remember(ctx, physicalId, properties);
      return { physicalId, attributes: spec.attributeValues?.(physicalId, properties, ctx) ?? {} };
    },
    async update(physicalId, properties, _previous, ctx) {
      await sleep(ctx, spec.updateMs ?? spec.createMs / 2);
      remember(ctx, physicalId, properties);
      return { attributes: spec.attributeValues?.(physicalId, properties, ctx) ?? {} };
    },
    async delete(physicalId, _properties, ctx) {
      await sleep(ctx, spec.deleteMs ?? spec.createMs / 2);
      const records = cfnState(ctx.sandbox).records[spec.type];
      if (records) delete records[physicalId];
      ctx.sandbox.changed();
    },
  };
}

export function stringProp(properties: Record<string, unknown>, name: string): string | undefined {
  const v = properties[name];
  return typeof v === 'string' && v !== '' ? v : undefined;
}
