// `npm start`: builds and packages the extension, then says how to install it.
// (The sandbox-backed browser demo replaces this once the sandbox and editor harness land.)
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const result = spawnSync(npm, ['run', 'package'], { stdio: 'inherit' });
if (result.status !== 0) {
  process.exit(result.status ?? 1);
}
const vsix = 'dist-vsix/workshop-pipeline.vsix';
console.log(`
Built ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB).
Install it into VS Code or code-server:
  code --install-extension ${vsix}
  code-server --install-extension ${vsix}
then open the Workshop Pipeline view in the activity bar.`);
