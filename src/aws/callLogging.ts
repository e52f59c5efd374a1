// Logs every AWS call at debug level: service, operation, duration, attempts and request id.
// It sees only the command name and response metadata, never inputs or headers, so credentials,
// signatures, session tokens and NoEcho parameter values cannot reach the log.
import type { Logger } from '../shared/logger';

interface MiddlewareContext {
  clientName?: string;
  commandName?: string;
}

interface Metadata {
  requestId?: string;
  attempts?: number;
  httpStatusCode?: number;
}

type Next = (args: unknown) => Promise<{ output?: { $metadata?: Metadata } }>;

export interface MiddlewareStackLike {
  add(
    middleware: (next: Next, context: MiddlewareContext) => Next,
    options: { step: 'initialize'; name: string; override?: boolean },
  ): void;
}

export function addCallLogging(
  stack: MiddlewareStackLike,
  service: string,
  log: Logger,
  now: () => number = Date.now,
): void {
  stack.add(
    (next, context) => async (args) => {
      const operation = (context.commandName ?? 'UnknownCommand').replace(/Command$/, '');
      const started = now();
      try {
        const result = await next(args);
        const meta = result.output?.$metadata;
        log.debug(`${service}.${operation} ${now() - started} ms${attempts(meta)} request ${meta?.requestId ?? '-'}`);
        return result;
      } catch (error) {
        const meta = (error as { $metadata?: Metadata }).$metadata;
        const code = (error as { name?: string }).name ?? 'Error';
        log.debug(
          `${service}.${operation} failed after ${now() - started} ms${attempts(meta)}: ${code} (HTTP ${meta?.httpStatusCode ?? '-'}) request ${meta?.requestId ?? '-'}`,
        );
        throw error;
      }
    },
    { step: 'initialize', name: 'workshopPipelineCallLogging', override: true },
  );
}

function attempts(meta: Metadata | undefined): string {
  return meta?.attempts && meta.attempts > 1 ? ` (${meta.attempts} attempts)` : '';
}
