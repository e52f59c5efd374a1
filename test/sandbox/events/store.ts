// EventBridge state: the rules of each account's default event bus with their targets.
import { AwsError, type Sandbox } from '../core/types';

export type RuleState = 'ENABLED' | 'DISABLED';

export interface RuleTarget {
  readonly Id: string;
  readonly Arn: string;
  readonly RoleArn?: string;
  readonly Input?: string;
  readonly InputPath?: string;
}

export interface Rule {
  readonly name: string;
  readonly arn: string;
  readonly accountId: string;
  readonly region: string;
  readonly eventBusName: string;
  /** The pattern as JSON text, as DescribeRule returns it. */
  eventPattern?: string;
  scheduleExpression?: string;
  state: RuleState;
  description?: string;
  roleArn?: string;
  targets: RuleTarget[];
}

interface EventsState {
  /** Keyed by `<account>/<region>/<bus>/<name>`. */
  rules: Record<string, Rule>;
}

export const DEFAULT_BUS = 'default';

function eventsState(sandbox: Sandbox): EventsState {
  const state = sandbox.state as { events?: EventsState };
  state.events ??= { rules: {} };
  return state.events;
}

const key = (accountId: string, region: string, bus: string, name: string): string =>
  `${accountId}/${region}/${bus}/${name}`;

export const ruleArn = (accountId: string, region: string, name: string, bus = DEFAULT_BUS): string =>
  `arn:aws:events:${region}:${accountId}:rule/${bus === DEFAULT_BUS ? '' : `${bus}/`}${name}`;

export function putRule(sandbox: Sandbox, rule: Rule): void {
  eventsState(sandbox).rules[key(rule.accountId, rule.region, rule.eventBusName, rule.name)] = rule;
  sandbox.changed();
}

export function deleteRule(sandbox: Sandbox, accountId: string, region: string, name: string, bus = DEFAULT_BUS): void {
  delete eventsState(sandbox).rules[key(accountId, region, bus, name)];
  sandbox.changed();
}

export function findRule(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
  bus = DEFAULT_BUS,
): Rule | undefined {
  return eventsState(sandbox).rules[key(accountId, region, bus, name)];
}

/** A rule named by its name (or ARN) on a bus, or EventBridge's ResourceNotFoundException. */
export function requireRule(sandbox: Sandbox, accountId: string, region: string, name: unknown, bus: unknown): Rule {
  const busName = typeof bus === 'string' && bus !== '' ? bus.slice(bus.lastIndexOf('/') + 1) : DEFAULT_BUS;
  const ruleName = typeof name === 'string' ? name.slice(name.lastIndexOf('/') + 1) : '';
  const rule = findRule(sandbox, accountId, region, ruleName, busName);
  if (!rule) throw new AwsError('ResourceNotFoundException', `Rule ${ruleName} does not exist on EventBus ${busName}.`);
  return rule;
}

export function rulesOf(sandbox: Sandbox, accountId: string, region: string, bus = DEFAULT_BUS): Rule[] {
  return Object.values(eventsState(sandbox).rules)
    .filter((r) => r.accountId === accountId && r.region === region && r.eventBusName === bus)
    .sort((a, b) => a.name.localeCompare(b.name));
}
