// CloudWatch Logs (awsJson1_1, Logs_20140328): the read API the extension uses to show build logs,
// plus CreateLogGroup/DeleteLogGroup. Data lives in store.ts.
import { paginate, pageLimit } from '../core/paging';
import { AwsError, type RequestContext, type ServiceDefinition } from '../core/types';
import { logsResourceProviders } from './provider';
import {
  createLogGroup,
  deleteLogGroup,
  listLogGroups,
  logGroupArn,
  requireLogGroup,
  type LogGroup,
  type LogStream,
} from './store';
import { registerResourceProvider } from '../cloudformation/providers/registry';
import { str } from '../core/values';

for (const [type, provider] of Object.entries(logsResourceProviders)) registerResourceProvider(type, provider);

const invalidToken = (): AwsError => new AwsError('InvalidParameterException', 'The specified nextToken is invalid.');
/** GetLogEvents tokens look like the real ones: `f/<56 digits>/s` and `b/<56 digits>/s`. */
const eventToken = (direction: 'f' | 'b', index: number): string => `${direction}/${String(index).padStart(56, '0')}/s`;

export const logsService: ServiceDefinition = {
  signingName: 'logs',
  protocol: 'awsJson1_1',
  targetPrefix: 'Logs_20140328',
  unknownKeyErrorCode: 'UnrecognizedClientException',
  operations: {
    CreateLogGroup: (input, ctx) => {
      const name = requireGroupName(input.logGroupName);
      createLogGroup(ctx.sandbox, ctx.accountId, ctx.region, name);
      return {};
    },

    DeleteLogGroup: (input, ctx) => {
      const name = requireGroupName(input.logGroupName);
      if (!deleteLogGroup(ctx.sandbox, ctx.accountId, ctx.region, name))
        throw new AwsError('ResourceNotFoundException', 'The specified log group does not exist.');
      return {};
    },

    DescribeLogGroups: (input, ctx) => {
      const prefix = typeof input.logGroupNamePrefix === 'string' ? input.logGroupNamePrefix : '';
      const groups = listLogGroups(ctx.sandbox, ctx.accountId, ctx.region).filter((g) =>
        g.logGroupName.startsWith(prefix),
      );
      const page = paginate(groups, input.nextToken, pageLimit(input.limit, 50, 50, 'limit'), invalidToken);
      return { logGroups: page.items.map(describeGroup), nextToken: page.nextToken };
    },

    DescribeLogStreams: (input, ctx) => {
      const group = requireGroup(input, ctx);
      const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : '';
      const orderBy = input.orderBy ?? 'LogStreamName';
      if (orderBy !== 'LogStreamName' && orderBy !== 'LastEventTime') {
        throw new AwsError(
          'ValidationException',
          `1 validation error detected: Value '${str(orderBy)}' at 'orderBy' failed to satisfy constraint: Member must satisfy enum value set: [LogStreamName, LastEventTime]`,
        );
      }
      if (orderBy === 'LastEventTime' && prefix !== '')
        throw new AwsError('InvalidParameterException', 'Cannot order by LastEventTime with a logStreamNamePrefix.');
      const streams = Object.values(group.streams)
        .filter((s) => s.logStreamName.startsWith(prefix))
        .sort((a, b) =>
          orderBy === 'LogStreamName'
            ? a.logStreamName.localeCompare(b.logStreamName)
            : (a.lastEventTimestamp ?? a.creationTime) - (b.lastEventTimestamp ?? b.creationTime),
        );
      if (input.descending === true) streams.reverse();
      const page = paginate(streams, input.nextToken, pageLimit(input.limit, 50, 50, 'limit'), invalidToken);
      return { logStreams: page.items.map((s) => describeStream(group, s)), nextToken: page.nextToken };
    },

    GetLogEvents: (input, ctx) => {
      const group = requireGroup(input, ctx);
      const stream = typeof input.logStreamName === 'string' ? group.streams[input.logStreamName] : undefined;
      if (!stream) throw new AwsError('ResourceNotFoundException', 'The specified log stream does not exist.');
      const events = stream.events.filter((e) => inRange(e.timestamp, input.startTime, input.endTime));
      const limit = pageLimit(input.limit, 10_000, 10_000, 'limit');
      let start: number;
      let end: number;
      if (input.nextToken !== undefined && input.nextToken !== null) {
        const match = /^([fb])\/(\d{56})\/s$/.exec(str(input.nextToken));
        if (!match) throw invalidToken();
        const index = Math.min(Number(match[2]), events.length);
        [start, end] =
          match[1] === 'f' ? [index, Math.min(events.length, index + limit)] : [Math.max(0, index - limit), index];
      } else if (input.startFromHead === true) {
        [start, end] = [0, Math.min(events.length, limit)];
      } else {
        [start, end] = [Math.max(0, events.length - limit), events.length];
      }
      return {
        events: events
          .slice(start, end)
          .map((e) => ({ timestamp: e.timestamp, message: e.message, ingestionTime: e.ingestionTime })),
        // At the end of the stream the forward token stays the same: callers poll until it changes.
        nextForwardToken: eventToken('f', end),
        nextBackwardToken: eventToken('b', start),
      };
    },

    FilterLogEvents: (input, ctx) => {
      const group = requireGroup(input, ctx);
      const names = Array.isArray(input.logStreamNames) ? input.logStreamNames.map(String) : undefined;
      const prefix = typeof input.logStreamNamePrefix === 'string' ? input.logStreamNamePrefix : undefined;
      if (names && prefix !== undefined)
        throw new AwsError(
          'InvalidParameterException',
          'You cannot specify both logStreamNames and logStreamNamePrefix.',
        );
      const matches = patternMatcher(input.filterPattern);
      const events = Object.values(group.streams)
        .filter((s) =>
          names ? names.includes(s.logStreamName) : prefix === undefined || s.logStreamName.startsWith(prefix),
        )
        .flatMap((s) => s.events.map((e, i) => ({ stream: s, event: e, index: i })))
        .filter(({ event }) => inRange(event.timestamp, input.startTime, input.endTime) && matches(event.message))
        .sort(
          (a, b) =>
            a.event.timestamp - b.event.timestamp ||
            a.stream.logStreamName.localeCompare(b.stream.logStreamName) ||
            a.index - b.index,
        );
      const page = paginate(events, input.nextToken, pageLimit(input.limit, 10_000, 10_000, 'limit'), invalidToken);
      return {
        events: page.items.map(({ stream, event, index }) => ({
          logStreamName: stream.logStreamName,
          timestamp: event.timestamp,
          message: event.message,
          ingestionTime: event.ingestionTime,
          eventId: eventId(stream, event, index),
        })),
        searchedLogStreams: [],
        nextToken: page.nextToken,
      };
    },
  },
};

function requireGroupName(value: unknown): string {
  if (typeof value !== 'string' || !/^[.\-_/#A-Za-z0-9]{1,512}$/.test(value)) {
    throw new AwsError(
      'InvalidParameterException',
      "1 validation error detected: Value at 'logGroupName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_/#A-Za-z0-9]+",
    );
  }
  return value;
}

/** logGroupIdentifier (name or ARN) is accepted where the real API accepts it. */
function requireGroup(input: Record<string, unknown>, ctx: RequestContext): LogGroup {
  let name = input.logGroupName ?? input.logGroupIdentifier;
  if (typeof name === 'string' && name.startsWith('arn:'))
    name = name.slice(name.indexOf(':log-group:') + 11).replace(/:\*$/, '');
  return requireLogGroup(ctx.sandbox, ctx.accountId, ctx.region, name);
}

function inRange(timestamp: number, startTime: unknown, endTime: unknown): boolean {
  return (
    (typeof startTime !== 'number' || timestamp >= startTime) && (typeof endTime !== 'number' || timestamp < endTime)
  );
}

/**
 * The unstructured subset of the filter pattern syntax: space-separated terms must all appear,
 * a quoted phrase matches as a whole, `?term` alternatives match if any appears. Case-sensitive as in CloudWatch.
 */
function patternMatcher(pattern: unknown): (message: string) => boolean {
  if (typeof pattern !== 'string' || pattern.trim() === '') return () => true;
  const terms = [...pattern.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const optional = terms.filter((t) => t.startsWith('?')).map((t) => t.slice(1));
  const required = terms.filter((t) => !t.startsWith('?') && !t.startsWith('-'));
  const excluded = terms.filter((t) => t.startsWith('-')).map((t) => t.slice(1));
  return (message) =>
    required.every((t) => message.includes(t)) &&
    !excluded.some((t) => message.includes(t)) &&
    (optional.length === 0 || optional.some((t) => message.includes(t)));
}

function eventId(stream: LogStream, event: { timestamp: number }, index: number): string {
  const streamHash = [...stream.logStreamName].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000_007, 7);
  return `${String(event.timestamp).padStart(20, '0')}${String(streamHash).padStart(18, '0')}${String(index).padStart(18, '0')}`;
}

function describeGroup(group: LogGroup): Record<string, unknown> {
  return {
    logGroupName: group.logGroupName,
    creationTime: group.creationTime,
    retentionInDays: group.retentionInDays,
    metricFilterCount: 0,
    arn: `${logGroupArn(group)}:*`,
    logGroupArn: logGroupArn(group),
    storedBytes: 0,
    logGroupClass: 'STANDARD',
  };
}

function describeStream(group: LogGroup, stream: LogStream): Record<string, unknown> {
  return {
    logStreamName: stream.logStreamName,
    creationTime: stream.creationTime,
    firstEventTimestamp: stream.firstEventTimestamp,
    lastEventTimestamp: stream.lastEventTimestamp,
    lastIngestionTime: stream.lastIngestionTime,
    arn: `${logGroupArn(group)}:log-stream:${stream.logStreamName}`,
    storedBytes: 0,
  };
}
