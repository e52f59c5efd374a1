// @ts-check
'use strict';
// Gathers the facts plan.cjs decides on, by asking the machine: each probe runs the real tool (an
// argument array, a timeout, output kept out of the terminal) and answers false when it cannot.
// Probes run at once, and only those the purpose needs: the step runs before every `npm test`.
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { delimiter, join } = require('node:path');
const { editorProvisioned, toolsBinDir } = require('../cache.cjs');

/**
 * Runs a command; resolves with its output, or undefined when it is missing or fails.
 * @param {string} command
 * @param {string[]} args
 * @param {string} [input]
 * @returns {Promise<string | undefined>}
 */
function output(command, args, input = '') {
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], timeout: 60_000 });
    let text = '';
    child.stdout.on('data', (chunk) => (text += String(chunk)));
    child.stderr.on('data', (chunk) => (text += String(chunk)));
    child.on('error', () => resolve(undefined));
    child.on('close', (code) => resolve(code === 0 ? text : undefined));
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

/** @param {string} command @param {string[]} args */
const succeeds = async (command, args, input = '') => (await output(command, args, input)) !== undefined;

/** @param {string} name @param {NodeJS.ProcessEnv} env */
function onPath(name, env = process.env) {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && existsSync(join(dir, name)));
}

/** The first version number after `prefix` ("git version 2.39.5" → "2.39.5"). @param {string | undefined} text @param {string} prefix */
function versionIn(text, prefix) {
  return new RegExp(`${prefix}(\\d+(?:\\.\\d+)+)`).exec(text ?? '')?.[1];
}

/**
 * Whether the C compiler finds gssapi/gssapi.h: exactly what building code-server's kerberos module needs.
 * @param {string[]} cc the compiler and its flags ($CC="ccache gcc")
 */
async function kerberosHeaders(cc) {
  const [command, ...flags] = cc;
  return (
    (await succeeds(command, [...flags, '-E', '-x', 'c', '-'], '#include <gssapi/gssapi.h>\n')) ||
    existsSync('/usr/include/gssapi/gssapi.h')
  );
}

/**
 * The version of the AWS CLI at /usr/bin/aws: from dpkg when Debian's awscli package owns it (running
 * the CLI takes seconds), else from `aws --version`.
 */
async function awsCliVersion() {
  if (!existsSync('/usr/bin/aws')) return undefined;
  const owner = await output('dpkg-query', ['--search', '/usr/bin/aws']);
  if (owner?.startsWith('awscli:')) {
    const version = await output('dpkg-query', ['--show', '--showformat=${Version}', 'awscli']);
    if (version) return versionIn(version, '(?:\\d+:)?');
  }
  return versionIn(await output('/usr/bin/aws', ['--version']), 'aws-cli/');
}

/**
 * @param {import('./plan.cjs').Purpose} purpose test-only facts are not probed for the demo (left false)
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<import('./plan.cjs').Facts>}
 */
async function probeFacts(purpose, env = process.env) {
  const test = purpose === 'test';
  const provisioned = editorProvisioned(env);
  const build = !provisioned; // the toolchain matters only while code-server is still to be built
  const cc = (env.CC ?? 'cc').trim().split(/\s+/);
  const cxx = (env.CXX ?? 'c++').trim().split(/\s+/);
  const chromiumPath = env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  // cfn-lint is looked up, not run: starting it takes seconds, and the template tests report a broken one.
  const cfnLint = onPath('cfn-lint', env) || existsSync(join(toolsBinDir(env), 'cfn-lint'));
  const no = Promise.resolve(false);
  const [git, hasCc, cxxOk, make, python3, awsCli, jq, curl, pythonVenv] = await Promise.all([
    output('git', ['--version']),
    build ? succeeds(cc[0], ['--version']) : no,
    build ? succeeds(cxx[0], ['--version']) : no,
    build ? succeeds('make', ['--version']) : no,
    build || (test && !cfnLint) ? succeeds('python3', ['--version']) : no,
    test ? awsCliVersion() : Promise.resolve(undefined),
    succeeds('jq', ['--version']),
    succeeds('curl', ['--version']),
    test && !cfnLint ? succeeds('python3', ['-c', 'import ensurepip, venv']) : no,
  ]);
  return {
    platform: process.platform,
    arch: process.arch,
    node: process.versions.node,
    root: typeof process.getuid === 'function' && process.getuid() === 0,
    apt: onPath('apt-get', env),
    git: versionIn(git, 'git version '),
    editorProvisioned: provisioned,
    cc: hasCc,
    cxx: cxxOk,
    make,
    python3,
    kerberosHeaders: build && (hasCc ? await kerberosHeaders(cc) : existsSync('/usr/include/gssapi/gssapi.h')),
    chromiumPath,
    chromium: test && existsSync(chromiumPath),
    awsCli,
    jq,
    curl,
    cfnLint,
    pythonVenv,
  };
}

module.exports = { onPath, versionIn, probeFacts };
