// Follows a stack's event stream: each poll returns only events not seen before, oldest first,
// reading as many pages as it takes to reach the last seen event.
import type { CloudFormationApi, StackEvent } from '../aws/cloudformation';
import { isFailureStatus } from './stackStatus';

const MAX_PAGES = 20;

export class StackEventTail {
  private readonly seen = new Set<string>();
  private readonly operationEvents: StackEvent[] = [];

  constructor(
    private readonly api: Pick<CloudFormationApi, 'describeStackEvents'>,
    readonly stackId: string,
  ) {}

  /** Marks everything already in the stream as seen, so only the coming operation's events are reported. */
  async prime(signal?: AbortSignal): Promise<void> {
    const { events } = await this.api.describeStackEvents(this.stackId, undefined, signal);
    for (const event of events) {
      this.seen.add(event.id);
    }
  }

  async poll(signal?: AbortSignal): Promise<StackEvent[]> {
    const fresh: StackEvent[] = [];
    let token: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const { events, nextToken } = await this.api.describeStackEvents(this.stackId, token, signal);
      let reachedSeen = false;
      for (const event of events) {
        if (this.seen.has(event.id)) {
          reachedSeen = true;
          break;
        }
        fresh.push(event);
      }
      if (reachedSeen || !nextToken || this.seen.size === 0) {
        // With nothing seen yet (a stack that did not exist), the first page is the whole story so far.
        break;
      }
      token = nextToken;
    }
    fresh.reverse();
    for (const event of fresh) {
      this.seen.add(event.id);
      this.operationEvents.push(event);
    }
    return fresh;
  }

  /** Everything this tail has reported, oldest first. */
  get events(): readonly StackEvent[] {
    return this.operationEvents;
  }
}

export interface RootCause {
  logicalId: string;
  resourceType: string;
  status: string;
  reason: string;
}

// Failures that only follow from another resource's failure.
const CASCADE = /^(Resource (creation|update|deletion) cancelled|The following resource\(s\) failed)/i;

/** The first resource that failed in an operation, which is what the user has to fix. */
export function findRootCause(events: readonly StackEvent[], stackName: string): RootCause | undefined {
  const failures = events.filter((e) => isFailureStatus(e.status));
  const resource =
    failures.find((e) => e.resourceType !== 'AWS::CloudFormation::Stack' && !CASCADE.test(e.reason ?? '')) ??
    failures.find((e) => e.resourceType !== 'AWS::CloudFormation::Stack') ??
    failures.find((e) => e.logicalId === stackName);
  return resource
    ? {
        logicalId: resource.logicalId,
        resourceType: resource.resourceType,
        status: resource.status,
        reason: resource.reason ?? 'no reason given',
      }
    : undefined;
}
