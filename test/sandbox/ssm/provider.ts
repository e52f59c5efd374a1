// AWS::SSM::Parameter: writes the parameter into the sandbox's Parameter Store.
import { randomUpper } from '../cloudformation/providers/names';
import { ResourceFailure, type ProviderContext, type ResourceProvider } from '../cloudformation/providers/registry';
import { findParameter, putVersion, removeParameter } from './store';

function write(properties: Record<string, unknown>, name: string, ctx: ProviderContext): void {
  const type = String(properties.Type);
  if (type !== 'String' && type !== 'StringList')
    throw new ResourceFailure(
      `Resource handler returned message: "1 validation error detected: Value '${type}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [StringList, String]" (HandlerErrorCode: InvalidRequest)`,
    );
  const value = String(properties.Value);
  const versions = findParameter(ctx.sandbox, ctx.accountId, ctx.region, name);
  const previous = versions?.[versions.length - 1];
  const tags =
    typeof properties.Tags === 'object' && properties.Tags !== null ? (properties.Tags as Record<string, unknown>) : {};
  putVersion(ctx.sandbox, ctx.accountId, ctx.region, {
    name,
    type,
    value,
    version: (previous?.version ?? 0) + 1,
    lastModified: ctx.sandbox.clock.now().getTime(),
    lastModifiedUser: `arn:aws:iam::${ctx.accountId}:root`,
    description: typeof properties.Description === 'string' ? properties.Description : undefined,
    allowedPattern: typeof properties.AllowedPattern === 'string' ? properties.AllowedPattern : undefined,
    dataType: typeof properties.DataType === 'string' ? properties.DataType : 'text',
    tier: properties.Tier === 'Advanced' || value.length > 4096 ? 'Advanced' : 'Standard',
    tags: Object.entries(tags).map(([Key, Value]) => ({ Key, Value: String(Value as string) })),
  });
}

export const ssmResourceProviders: Record<string, ResourceProvider> = {
  'AWS::SSM::Parameter': {
    attributes: ['Type', 'Value'],
    async create(properties, ctx) {
      const name =
        typeof properties.Name === 'string' && properties.Name !== ''
          ? properties.Name
          : `CFN-${ctx.logicalId}-${randomUpper(12)}`;
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      if (findParameter(ctx.sandbox, ctx.accountId, ctx.region, name))
        throw new ResourceFailure(`${name} already exists in stack ${ctx.stackId}`);
      write(properties, name, ctx);
      return { physicalId: name, attributes: { Type: properties.Type, Value: properties.Value } };
    },
    async update(physicalId, properties, _previous, ctx) {
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      write(properties, physicalId, ctx);
      return { attributes: { Type: properties.Type, Value: properties.Value } };
    },
    delete(physicalId, _properties, ctx) {
      removeParameter(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      return Promise.resolve();
    },
  },
};
