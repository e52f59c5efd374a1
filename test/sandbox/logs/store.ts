// CloudWatch Logs data: log groups and streams per account and region in the sandbox state.
// CodeBuild writes build logs here through appendLogEvents; the API (service.ts) only reads.
import { AwsError, type Sandbox } from '../core/types';

export interface LogEvent {
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime: number;
}

export interface LogStream {
  readonly logStreamName: string;
  readonly creationTime: number;
  firstEventTimestamp?: number;
  lastEventTimestamp?: number;
  lastIngestionTime?: number;
  storedBytes: number;
  readonly events: LogEvent[];
}

export interface LogGroup {
  readonly logGroupName: string;
  readonly accountId: string;
  readonly region: string;
  readonly creationTime: number;
  retentionInDays?: number;
  readonly streams: Record<string, LogStream>;
}

interface LogsState {
  /** Keyed by `<account>/<region>/<group name>`. */
  groups: Record<string, LogGroup>;
}

export function logsState(sandbox: Sandbox): LogsState {
  const state = sandbox.state as { logs?: LogsState };
  state.logs ??= { groups: {} };
  return state.logs;
}

const key = (accountId: string, region: string, name: string): string => `${accountId}/${region}/${name}`;

export function logGroupArn(group: Pick<LogGroup, 'accountId' | 'region' | 'logGroupName'>): string {
  return `arn:aws:logs:${group.region}:${group.accountId}:log-group:${group.logGroupName}`;
}

export function findLogGroup(sandbox: Sandbox, accountId: string, region: string, name: string): LogGroup | undefined {
  return logsState(sandbox).groups[key(accountId, region, name)];
}

export function requireLogGroup(sandbox: Sandbox, accountId: string, region: string, name: unknown): LogGroup {
  const group = typeof name === 'string' ? findLogGroup(sandbox, accountId, region, name) : undefined;
  if (!group) throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
  return group;
}

export function listLogGroups(sandbox: Sandbox, accountId: string, region: string): LogGroup[] {
  return Object.values(logsState(sandbox).groups)
    .filter((g) => g.accountId === accountId && g.region === region)
    .sort((a, b) => a.logGroupName.localeCompare(b.logGroupName));
}

export function createLogGroup(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  name: string,
  retentionInDays?: number,
): LogGroup {
  const groups = logsState(sandbox).groups;
  const id = key(accountId, region, name);
  if (groups[id]) throw new AwsError('ResourceAlreadyExistsException', 'The specified log group already exists');
  const group: LogGroup = {
    logGroupName: name,
    accountId,
    region,
    creationTime: sandbox.clock.now().getTime(),
    streams: {},
    ...(retentionInDays ? { retentionInDays } : {}),
  };
  groups[id] = group;
  sandbox.changed();
  return group;
}

export function deleteLogGroup(sandbox: Sandbox, accountId: string, region: string, name: string): boolean {
  const groups = logsState(sandbox).groups;
  const id = key(accountId, region, name);
  if (!groups[id]) return false;
  delete groups[id];
  sandbox.changed();
  return true;
}

/**
 * Appends lines to a stream, creating the group (as CodeBuild's role may) and the stream on first
 * use. Each line gets the current simulated time.
 */
export function appendLogEvents(
  sandbox: Sandbox,
  accountId: string,
  region: string,
  groupName: string,
  streamName: string,
  lines: readonly string[],
): void {
  const group =
    findLogGroup(sandbox, accountId, region, groupName) ?? createLogGroup(sandbox, accountId, region, groupName);
  const now = sandbox.clock.now().getTime();
  const stream = (group.streams[streamName] ??= {
    logStreamName: streamName,
    creationTime: now,
    storedBytes: 0,
    events: [],
  });
  for (const line of lines) {
    const message = line.endsWith('\n') ? line : `${line}\n`;
    stream.events.push({ timestamp: now, message, ingestionTime: now });
    stream.firstEventTimestamp ??= now;
    stream.lastEventTimestamp = now;
    stream.lastIngestionTime = now;
  }
  sandbox.changed();
}
