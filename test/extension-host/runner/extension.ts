// The extension-host test runner for code-server: a tiny extension installed beside Workshop
// Pipeline. Once the editor has started it loads the bundled suite named by WP_EXTHOST_SUITE, runs
// it in this extension host, streams its report to `<WP_EXTHOST_RESULT>.log` and writes the result
// to WP_EXTHOST_RESULT, which runInCodeServer.ts waits for. Without those variables it does nothing.
import { appendFileSync, writeFileSync } from 'node:fs';
import type { SuiteResult } from '../suite/index';

export function activate(): void {
  const suite = process.env.WP_EXTHOST_SUITE;
  const resultFile = process.env.WP_EXTHOST_RESULT;
  if (!suite || !resultFile) return;
  const log = (line: string): void => appendFileSync(`${resultFile}.log`, `${line}\n`);
  void (async () => {
    let result: SuiteResult;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runSuite } = require(suite) as { runSuite: (log: (line: string) => void) => Promise<SuiteResult> };
      result = await runSuite(log);
    } catch (error) {
      const text = error instanceof Error ? (error.stack ?? error.message) : String(error);
      log(`The suite could not run: ${text}`);
      result = { passed: 0, failed: 1, failures: [{ title: 'loading the suite', error: text }] };
    }
    writeFileSync(resultFile, JSON.stringify(result));
  })();
}

export function deactivate(): void {}
