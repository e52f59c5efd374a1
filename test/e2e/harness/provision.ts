// Provisions the real editor for the demo and the end-to-end suites, once, into a cache outside the
// clone (the way @vscode/test-electron caches VS Code): Node 24 for this platform from npm, then
// code-server from npm built against it. Everything is installed into a temporary directory that is
// renamed into place when it works, so a failed or interrupted install leaves nothing behind; npm's
// output goes to a log file, and a failure is one line that names it.
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  CODE_SERVER_VERSION,
  COMPLETE_MARKER,
  NODE_VERSION,
  SUPPORTED_EDITOR_PLATFORMS,
  cacheDir,
  editorRoot,
  nodePackageFor,
} from '../../../scripts/cache.cjs';

export { CODE_SERVER_VERSION, NODE_VERSION, cacheDir };

export interface Editor {
  /** Node 24 binary code-server runs on. */
  node: string;
  /** code-server's entry script. */
  entry: string;
}

/** A provisioning failure, said in one line (the details are in the log file it names). */
export class ProvisionError extends Error {
  override readonly name = 'ProvisionError';
}

/** Where the parts live inside an editor directory (the temporary one, then the final one). */
function layout(root: string, nodePackage: string): Editor & { nodeHome: string } {
  const nodeHome = join(root, 'node', 'node_modules', nodePackage);
  return {
    nodeHome,
    node: join(nodeHome, 'bin', 'node'),
    entry: join(root, 'code-server', 'node_modules', 'code-server', 'out', 'node', 'entry.js'),
  };
}

/** Known causes in npm's log, said the way a user can act on them. */
const CAUSES: [RegExp, string][] = [
  [/gssapi\/gssapi\.h: No such file/, 'the Kerberos headers are missing (sudo apt-get install -y libkrb5-dev)'],
  [/gyp ERR! find Python|Could not find any Python/, 'node-gyp found no Python 3 (sudo apt-get install -y python3)'],
  [
    /make: not found|not found: make|spawn make ENOENT|(g\+\+|c\+\+|cc): (not found|No such file)/,
    'there is no C/C++ toolchain (sudo apt-get install -y build-essential)',
  ],
  [/ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT|ECONNRESET/, 'the npm registry could not be reached'],
  [/ENOSPC/, 'the disk is full'],
  [/EACCES/, 'permission denied while writing the cache'],
];

/** The most telling line of a failed install's log: a known cause, else npm's first error line. */
export function failureCause(log: string): string | undefined {
  for (const [pattern, cause] of CAUSES) {
    if (pattern.test(log)) return cause;
  }
  const line = log
    .split('\n')
    .map((l) => l.trim())
    .find((l) => /^(npm (error|ERR!)|gyp ERR!|Error:|error:)/.test(l) && !/complete log of this run/.test(l));
  return line?.slice(0, 200);
}

/** Removes temporary install directories (`.provision-<pid>-…`) whose process is gone: installs killed half-way. */
function removeAbandoned(cache: string): void {
  for (const name of readdirSync(cache)) {
    const pid = Number(/^\.provision-(\d+)-/.exec(name)?.[1]);
    if (name.startsWith('.provision-') && !(pid > 0 && alive(pid))) {
      rmSync(join(cache, name), { recursive: true, force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function provisionEditor(
  log: (line: string) => void = (line) => console.log(line),
  platform: string = process.platform,
  arch: string = process.arch,
): Editor {
  const nodePackage = nodePackageFor(platform, arch);
  const root = editorRoot(process.env, platform, arch);
  if (!nodePackage) {
    throw new ProvisionError(
      `code-server cannot be provisioned on ${platform}-${arch}: it is built here on Node ${NODE_VERSION} from npm, which is published for ${SUPPORTED_EDITOR_PLATFORMS.join(' and ')} only. Run the demo and the end-to-end suites on Linux (a VM or a container).`,
    );
  }
  const final = layout(root, nodePackage);
  if (existsSync(join(root, COMPLETE_MARKER))) {
    return { node: final.node, entry: final.entry };
  }

  const cache = cacheDir();
  mkdirSync(cache, { recursive: true });
  removeAbandoned(cache);
  // Finished installs are renamed into place with their marker: a directory without one is debris.
  rmSync(root, { recursive: true, force: true });
  const temp = mkdtempSync(join(cache, `.provision-${process.pid}-`));
  const logFile = join(cache, `provision-code-server-${CODE_SERVER_VERSION}.log`);
  const parts = layout(temp, nodePackage);
  log(
    `Provisioning code-server ${CODE_SERVER_VERSION} on Node ${NODE_VERSION} (${nodePackage}) into ${root}: it builds native modules, several minutes on a fresh machine; npm's output goes to ${logFile}`,
  );
  writeFileSync(logFile, `${new Date().toISOString()} provisioning into ${temp}, then ${root}\n`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const quiet = ['--no-audit', '--no-fund', '--loglevel=warn'];
  // npm and code-server's install scripts must run on Node 24, and native modules must build against
  // its headers (shipped in the node package). Variables that an outer `npm run`/`npx` set would
  // point npm back at the machine's Node, so they are dropped.
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE'),
  );
  const steps: { what: string; cwd: string; args: string[]; env?: NodeJS.ProcessEnv }[] = [
    {
      what: `npm install ${nodePackage}@${NODE_VERSION}`,
      cwd: temp,
      args: ['install', ...quiet, '--prefix', join(temp, 'node'), `${nodePackage}@${NODE_VERSION}`],
    },
    {
      what: `npm install code-server@${CODE_SERVER_VERSION}`,
      cwd: join(temp, 'code-server'),
      args: ['install', ...quiet, `code-server@${CODE_SERVER_VERSION}`],
      env: {
        ...inherited,
        PATH: `${join(parts.nodeHome, 'bin')}:${process.env.PATH ?? ''}`,
        npm_config_nodedir: parts.nodeHome,
      },
    },
  ];
  try {
    mkdirSync(join(temp, 'node'));
    mkdirSync(join(temp, 'code-server'));
    writeFileSync(
      join(temp, 'code-server', 'package.json'),
      JSON.stringify({ name: 'workshop-pipeline-editor', private: true }),
    );
    for (const step of steps) {
      const fd = openSync(logFile, 'a');
      try {
        writeFileSync(fd, `\n$ ${step.what}\n`);
        execFileSync(npm, step.args, { cwd: step.cwd, stdio: ['ignore', fd, fd], env: step.env ?? process.env });
      } catch (error) {
        const status = (error as { status?: number | null }).status;
        const cause = failureCause(readFileSync(logFile, 'utf8'));
        throw new ProvisionError(
          `Provisioning code-server failed: ${step.what} ${status === undefined || status === null ? 'did not finish' : `exited ${status}`}${cause ? `: ${cause}` : ''}. Nothing was installed; npm's log: ${logFile}`,
        );
      } finally {
        closeSync(fd);
      }
    }
    for (const [what, file] of [
      [`Node ${NODE_VERSION}`, parts.node],
      ['code-server', parts.entry],
    ]) {
      if (!existsSync(file)) {
        throw new ProvisionError(
          `Provisioning code-server failed: npm finished without ${what} (${file}). Nothing was installed; npm's log: ${logFile}`,
        );
      }
    }
    writeFileSync(join(temp, COMPLETE_MARKER), new Date().toISOString());
    chmodSync(temp, 0o755); // mkdtemp made it private; the install is an ordinary cache directory
    try {
      renameSync(temp, root);
    } catch (error) {
      // Another process finished the same install first: use that one.
      if (!existsSync(join(root, COMPLETE_MARKER))) throw error;
    }
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  log(`code-server ${CODE_SERVER_VERSION} is ready in ${root}`);
  return { node: final.node, entry: final.entry };
}
