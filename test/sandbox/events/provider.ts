// AWS::Events::Rule: a rule on the account's default event bus, with its targets, checked as
// EventBridge checks PutRule and PutTargets (a valid pattern; a role for a pipeline target).
import { generatedName } from '../cloudformation/providers/names';
import type { ResourceProvider } from '../cloudformation/providers/registry';
import { serviceFailure } from '../cloudformation/providers/serviceFailure';
import { cfnState } from '../cloudformation/state';
import type { Sandbox } from '../core/types';
import { str } from '../core/values';
import { compilePattern, InvalidEventPattern } from './pattern';
import { DEFAULT_BUS, deleteRule, findRule, putRule, ruleArn, type Rule, type RuleTarget } from './store';

/** Targets that EventBridge can only invoke with a role (PutTargets rejects them without one). */
const NEEDS_ROLE = /^arn:aws[\w-]*:(codepipeline|codebuild|states|kinesis|ecs|batch):/;

function toRule(name: string, p: Record<string, unknown>, ctx: { accountId: string; region: string }): Rule {
  const bus = typeof p.EventBusName === 'string' && p.EventBusName !== '' ? p.EventBusName : DEFAULT_BUS;
  let eventPattern: string | undefined;
  if (p.EventPattern !== undefined) {
    try {
      compilePattern(p.EventPattern);
    } catch (error) {
      if (error instanceof InvalidEventPattern) throw serviceFailure('EventBridge', error.message);
      throw error;
    }
    eventPattern = typeof p.EventPattern === 'string' ? p.EventPattern : JSON.stringify(p.EventPattern);
  }
  const targets: RuleTarget[] = (Array.isArray(p.Targets) ? (p.Targets as Record<string, unknown>[]) : []).map((t) => ({
    Id: str(t.Id),
    Arn: str(t.Arn),
    ...(typeof t.RoleArn === 'string' ? { RoleArn: t.RoleArn } : {}),
    ...(typeof t.Input === 'string' ? { Input: t.Input } : {}),
    ...(typeof t.InputPath === 'string' ? { InputPath: t.InputPath } : {}),
  }));
  for (const target of targets) {
    if (NEEDS_ROLE.test(target.Arn) && target.RoleArn === undefined)
      throw serviceFailure('EventBridge', `RoleArn is required for target ${target.Arn}.`);
  }
  return {
    name,
    arn: ruleArn(ctx.accountId, ctx.region, name, bus),
    accountId: ctx.accountId,
    region: ctx.region,
    eventBusName: bus,
    ...(eventPattern !== undefined ? { eventPattern } : {}),
    ...(typeof p.ScheduleExpression === 'string' ? { scheduleExpression: p.ScheduleExpression } : {}),
    state: p.State === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ...(typeof p.Description === 'string' ? { description: p.Description } : {}),
    ...(typeof p.RoleArn === 'string' ? { roleArn: p.RoleArn } : {}),
    targets,
  };
}

export const eventsResourceProviders: Record<string, ResourceProvider> = {
  'AWS::Events::Rule': {
    attributes: ['Arn'],
    async create(p, ctx) {
      const name = typeof p.Name === 'string' ? p.Name : generatedName(ctx.stackName, ctx.logicalId, { max: 64 });
      const rule = toRule(name, p, ctx);
      await ctx.sandbox.clock.sleep(1_000, ctx.signal);
      putRule(ctx.sandbox, rule);
      ctx.initiated(name);
      // CloudFormation waits for the rule to propagate before it reports it created.
      await ctx.sandbox.clock.sleep(29_000, ctx.signal);
      return { physicalId: name, attributes: { Arn: rule.arn } };
    },
    async update(name, p, _previous, ctx) {
      const rule = toRule(name, p, ctx);
      await ctx.sandbox.clock.sleep(15_000, ctx.signal);
      putRule(ctx.sandbox, rule);
      return { attributes: { Arn: rule.arn } };
    },
    async delete(name, p, ctx) {
      const bus = typeof p.EventBusName === 'string' && p.EventBusName !== '' ? p.EventBusName : DEFAULT_BUS;
      await ctx.sandbox.clock.sleep(3_000, ctx.signal);
      if (findRule(ctx.sandbox, ctx.accountId, ctx.region, name, bus))
        deleteRule(ctx.sandbox, ctx.accountId, ctx.region, name, bus);
    },
  },
};

/**
 * Rules a sandbox recorded before EventBridge kept them (its state resumed with --state-dir): they
 * join the default bus as they were declared, so pushes keep starting their pipelines.
 */
export function adoptRecordedRules(sandbox: Sandbox): void {
  for (const [name, record] of Object.entries(cfnState(sandbox).records['AWS::Events::Rule'] ?? {})) {
    const [, , , region = '', accountId = ''] = record.stackId.split(':');
    try {
      const rule = toRule(name, record.properties, { accountId, region });
      if (!findRule(sandbox, accountId, region, name, rule.eventBusName)) putRule(sandbox, rule);
    } catch {
      // A rule EventBridge would have refused never existed.
    }
  }
}
