// Entry of the extension-host suite: mocha inside VS Code's extension host, using the `vscode` API.
// One suite, two hosts: code-server here (test/extension-host/runInCodeServer.ts, through a small
// runner extension) and desktop VS Code under @vscode/test-electron (runDesktop.ts), which calls
// `run()` as its extensionTestsPath.
import Mocha from 'mocha';

export interface SuiteResult {
  passed: number;
  failed: number;
  failures: { title: string; error: string }[];
}

/** Runs every test of the suite, reporting one line per test through `log`. */
export async function runSuite(log: (line: string) => void): Promise<SuiteResult> {
  const mocha = new Mocha({
    ui: 'bdd',
    timeout: 60_000,
    color: false,
    reporter: class Quiet {} as unknown as Mocha.ReporterConstructor,
  });
  // The test files are bundled: emitting pre-require gives mocha's `describe`/`it` their context,
  // then requiring them registers their tests with this instance.
  mocha.suite.emit(Mocha.Suite.constants.EVENT_FILE_PRE_REQUIRE, globalThis, 'extension-host-suite', mocha);
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./activation.test');
  require('./commands.test');
  require('./settings.test');
  /* eslint-enable @typescript-eslint/no-require-imports */
  const result: SuiteResult = { passed: 0, failed: 0, failures: [] };
  await new Promise<void>((resolve) => {
    const runner = mocha.run(() => resolve());
    const { EVENT_TEST_PASS, EVENT_TEST_FAIL, EVENT_SUITE_BEGIN } = Mocha.Runner.constants;
    runner.on(EVENT_SUITE_BEGIN, (suite: Mocha.Suite) => {
      if (suite.title) log(suite.fullTitle());
    });
    runner.on(EVENT_TEST_PASS, (test: Mocha.Test) => {
      result.passed += 1;
      log(`  ✔ ${test.title} (${test.duration ?? 0} ms)`);
    });
    runner.on(EVENT_TEST_FAIL, (test: Mocha.Test, error: Error) => {
      result.failed += 1;
      const text = error?.stack ?? String(error);
      result.failures.push({ title: test.fullTitle(), error: text });
      log(`  ✘ ${test.title}\n${text.replace(/^/gm, '      ')}`);
    });
  });
  log(`${result.passed} passing, ${result.failed} failing`);
  return result;
}

/** @vscode/test-electron's entry point: resolves when every test passed. */
export async function run(): Promise<void> {
  const result = await runSuite((line) => console.log(line));
  if (result.failed > 0) {
    throw new Error(`${result.failed} extension-host test(s) failed`);
  }
}
