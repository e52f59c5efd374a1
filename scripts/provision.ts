// `npm run provision`: builds code-server for the demo and the end-to-end suites into the cache
// (~/.cache/workshop-pipeline), if it is not there yet. `.ci/run` calls it after `npm ci`; the demo
// and the suites would otherwise do it on first use.
import { ProvisionError, provisionEditor } from '../test/e2e/harness/provision';

try {
  const editor = provisionEditor();
  console.log(`code-server: ${editor.entry}`);
} catch (error) {
  console.error(error instanceof ProvisionError ? error.message : error);
  process.exit(1);
}
