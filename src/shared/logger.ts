/**
 * The logging surface the pure core depends on. VS Code's LogOutputChannel satisfies it, so the
 * core never imports `vscode`; tests pass an array-backed logger.
 */
export interface Logger {
  trace(message: string): void;
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that drops everything, for code paths that have no channel (CLI helpers, tests). */
export const silentLogger: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
