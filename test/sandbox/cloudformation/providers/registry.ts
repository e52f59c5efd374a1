// Resource providers: how a resource type is created, updated and deleted in the sandbox.
// Service modules register providers that create real state in their service; the record-only
// providers registered by default only remember the resource in CloudFormation's own state slot.
import type { Sandbox } from '../../core/types.js';

export interface ProviderContext {
  readonly sandbox: Sandbox;
  readonly accountId: string;
  readonly region: string;
  /** The request's Host header (for URLs pointing back at the sandbox, e.g. CloneUrlHttp). */
  readonly host: string;
  readonly stackId: string;
  readonly stackName: string;
  readonly logicalId: string;
  /** Aborted when the operation is cancelled (another resource failed, CancelUpdateStack). */
  readonly signal: AbortSignal;
  /**
   * Call once the physical resource exists but before it is stable, so the stack shows
   * "Resource creation Initiated" with the physical id (called by the engine if you do not).
   */
  initiated(physicalId: string): void;
}

export interface ProvisionResult {
  physicalId: string;
  /** Values for Fn::GetAtt, under the real attribute names. */
  attributes?: Record<string, unknown>;
}

export interface ResourceProvider {
  /** The Fn::GetAtt attribute names the type supports; a template asking for another fails validation. */
  readonly attributes: readonly string[];
  create(properties: Record<string, unknown>, ctx: ProviderContext): Promise<ProvisionResult>;
  /** In-place update (the engine replaces the resource instead when a replacement property changed). */
  update(
    physicalId: string,
    properties: Record<string, unknown>,
    previous: Record<string, unknown>,
    ctx: ProviderContext,
  ): Promise<{ attributes?: Record<string, unknown> }>;
  delete(physicalId: string, properties: Record<string, unknown>, ctx: ProviderContext): Promise<void>;
}

/** A failure with the message CloudFormation shows as the resource's status reason. */
export class ResourceFailure extends Error {}

const providers = new Map<string, ResourceProvider>();

/** Registers (or replaces) the provider for a resource type, e.g. 'AWS::ECS::Service'. */
export function registerResourceProvider(type: string, provider: ResourceProvider): void {
  providers.set(type, provider);
}

/** Registers a provider only if the type has none yet (how the record-only defaults are installed). */
export function registerDefaultResourceProvider(type: string, provider: ResourceProvider): void {
  if (!providers.has(type)) providers.set(type, provider);
}

export function resourceProvider(type: string): ResourceProvider | undefined {
  return providers.get(type);
}

export function registeredResourceTypes(): string[] {
  return [...providers.keys()].sort();
}
