// CloudWatch Logs through the session's cached client: a stream read forward page by page, so a
// live build log can be tailed with GetLogEvents' forward tokens.
import type { AwsSession } from './awsSession';
import { errorCode } from './errors';

export interface LogPage {
  readonly lines: readonly { readonly timestamp?: number; readonly message: string }[];
  /** Pass back to read on; CloudWatch returns the same token when there is nothing new yet. */
  readonly nextForwardToken?: string;
}

export interface LogsApi {
  /** From the head of the stream when `token` is undefined, else after the page that gave it. */
  getLogEvents(group: string, stream: string, token?: string): Promise<LogPage>;
}

export function logsApi(session: AwsSession): LogsApi {
  const sdk = session.sdkModule;
  const client = () => session.client('logs', (s, config) => new s.CloudWatchLogsClient(config));
  return {
    async getLogEvents(group, stream, token) {
      const out = await client().send(
        new sdk.GetLogEventsCommand({
          logGroupName: group,
          logStreamName: stream,
          ...(token ? { nextToken: token } : { startFromHead: true }),
        }),
      );
      return {
        lines: (out.events ?? []).map((e) => ({ timestamp: e.timestamp, message: e.message ?? '' })),
        nextForwardToken: out.nextForwardToken,
      };
    },
  };
}

/**
 * Reads a stream forward from where the last read stopped. `read()` returns only new lines; it
 * drains every page available now (a page repeats its token when it is the last one).
 */
export class LogTail {
  private token: string | undefined;

  constructor(
    private readonly api: LogsApi,
    readonly group: string,
    readonly stream: string,
    private readonly maxPages = 50,
  ) {}

  async read(): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < this.maxPages; i++) {
      let page: LogPage;
      try {
        page = await this.api.getLogEvents(this.group, this.stream, this.token);
      } catch (error) {
        // CodeBuild names the stream before its first line creates it: nothing to read yet.
        if (errorCode(error) === 'ResourceNotFoundException' && this.token === undefined) {
          break;
        }
        throw error;
      }
      out.push(...page.lines.map((l) => l.message));
      const same = page.nextForwardToken === undefined || page.nextForwardToken === this.token;
      if (page.nextForwardToken !== undefined) {
        this.token = page.nextForwardToken;
      }
      if (same || page.lines.length === 0) {
        break;
      }
    }
    return out;
  }
}
