// Amazon EventBridge (awsJson1_1, AWSEvents): the rules CloudFormation creates, readable and
// switchable through the API (ListRules, DescribeRule, ListTargetsByRule, EnableRule, DisableRule),
// and the delivery of the events other services put on the default bus (delivery.ts).
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type Sandbox, type ServiceDefinition } from '../core/types';
import { onEvent } from './bus';
import { deliver } from './delivery';
import { adoptRecordedRules, eventsResourceProviders } from './provider';
import { DEFAULT_BUS, requireRule, rulesOf, type Rule } from './store';

for (const [type, provider] of Object.entries(eventsResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError => new AwsError('ValidationException', 'The NextToken provided is invalid.');
const unsubscribers = new WeakMap<Sandbox, () => void>();

export const eventsService: ServiceDefinition = {
  signingName: 'events',
  protocol: 'awsJson1_1',
  targetPrefix: 'AWSEvents',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  start(sandbox) {
    adoptRecordedRules(sandbox);
    unsubscribers.set(
      sandbox,
      onEvent(sandbox, (event) => deliver(sandbox, event)),
    );
  },
  stop(sandbox) {
    unsubscribers.get(sandbox)?.();
    unsubscribers.delete(sandbox);
  },
  operations: {
    ListRules: (input, ctx) => {
      const prefix = typeof input.NamePrefix === 'string' ? input.NamePrefix : '';
      const rules = rulesOf(ctx.sandbox, ctx.accountId, ctx.region, busName(input.EventBusName)).filter((r) =>
        r.name.startsWith(prefix),
      );
      const page = paginate(rules, input.NextToken, pageLimit(input.Limit, 100, 100, 'limit'), invalidToken);
      return {
        Rules: page.items.map((r) => {
          const { CreatedBy: _createdBy, ...summary } = describeRule(r);
          return summary;
        }),
        NextToken: page.nextToken,
      };
    },

    DescribeRule: (input, ctx) => describeRule(rule(input, ctx)),

    ListTargetsByRule: (input, ctx) => {
      const r = requireRule(ctx.sandbox, ctx.accountId, ctx.region, input.Rule, input.EventBusName);
      const page = paginate(r.targets, input.NextToken, pageLimit(input.Limit, 100, 100, 'limit'), invalidToken);
      return { Targets: page.items, NextToken: page.nextToken };
    },

    EnableRule: (input, ctx) => {
      rule(input, ctx).state = 'ENABLED';
      ctx.sandbox.changed();
      return {};
    },

    DisableRule: (input, ctx) => {
      rule(input, ctx).state = 'DISABLED';
      ctx.sandbox.changed();
      return {};
    },
  },
};

function busName(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value.slice(value.lastIndexOf('/') + 1) : DEFAULT_BUS;
}

function rule(input: Record<string, unknown>, ctx: RequestContext): Rule {
  if (typeof input.Name !== 'string' || input.Name === '') {
    throw new AwsError(
      'ValidationException',
      "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    );
  }
  return requireRule(ctx.sandbox, ctx.accountId, ctx.region, input.Name, input.EventBusName);
}

function describeRule(r: Rule): Record<string, unknown> {
  return {
    Name: r.name,
    Arn: r.arn,
    EventPattern: r.eventPattern,
    ScheduleExpression: r.scheduleExpression,
    State: r.state,
    Description: r.description,
    RoleArn: r.roleArn,
    EventBusName: r.eventBusName,
    CreatedBy: r.accountId,
  };
}
