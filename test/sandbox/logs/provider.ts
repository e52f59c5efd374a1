// AWS::Logs::LogGroup: creates the group in the sandbox's CloudWatch Logs.
import type { ResourceProvider } from '../cloudformation/providers/registry';
import { generatedName } from '../cloudformation/providers/names';
import { createLogGroup, deleteLogGroup, findLogGroup, logGroupArn } from './store';

export const logsResourceProviders: Record<string, ResourceProvider> = {
  'AWS::Logs::LogGroup': {
    attributes: ['Arn'],
    async create(properties, ctx) {
      const name =
        typeof properties.LogGroupName === 'string'
          ? properties.LogGroupName
          : generatedName(ctx.stackName, ctx.logicalId, { max: 512 });
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      const group = createLogGroup(ctx.sandbox, ctx.accountId, ctx.region, name, retention(properties));
      return { physicalId: name, attributes: { Arn: `${logGroupArn(group)}:*` } };
    },
    update(physicalId, properties, _previous, ctx) {
      const group = findLogGroup(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      if (group) {
        group.retentionInDays = retention(properties);
        ctx.sandbox.changed();
      }
      return Promise.resolve({
        attributes: { Arn: `arn:aws:logs:${ctx.region}:${ctx.accountId}:log-group:${physicalId}:*` },
      });
    },
    delete(physicalId, _properties, ctx) {
      deleteLogGroup(ctx.sandbox, ctx.accountId, ctx.region, physicalId);
      return Promise.resolve();
    },
  },
};

function retention(properties: Record<string, unknown>): number | undefined {
  const n = Number(properties.RetentionInDays);
  return Number.isInteger(n) && n > 0 ? n : undefined;
}
