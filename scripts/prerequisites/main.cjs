// @ts-check
'use strict';
// The one prerequisites step: first in `npm start` (purpose "demo"), `npm test` and `.ci/run`
// (purpose "test"), before anything slow starts. Checks the machine, installs what it may without
// asking (system packages as root with apt-get; cfn-lint into a virtual environment in the cache),
// and otherwise stops with one line per missing piece and the exact command to run.
//
//   node scripts/prerequisites/main.cjs [demo|test] [--check]     (npm run prerequisites -- …)
//
// --check only reports: it installs nothing. Plain JavaScript (CommonJS, type-checked from its JSDoc):
// `.ci/run` runs it before `npm ci`, on nothing but Node.
const { spawnSync } = require('node:child_process');
const { closeSync, mkdirSync, openSync, rmSync, symlinkSync } = require('node:fs');
const { join } = require('node:path');
const { cacheDir, cfnLintVenvDir, toolsBinDir } = require('../cache.cjs');
const { combinedAptCommand, planPrerequisites } = require('./plan.cjs');
const { probeFacts } = require('./probe.cjs');

/** cfn-lint as on the machines the template tests were written on: a newer one may add findings. */
const CFN_LINT_REQUIREMENT = 'cfn-lint==1.51.0';

const USAGE = 'usage: node scripts/prerequisites/main.cjs [demo|test] [--check]';

/**
 * @typedef {object} Deps
 * @property {(purpose: import('./plan.cjs').Purpose) => Promise<import('./plan.cjs').Facts>} probe
 * @property {(command: string, args: string[], logFile: string, env?: NodeJS.ProcessEnv) => number} run
 *   runs a command with its output appended to logFile; its exit status
 * @property {(line: string) => void} log
 * @property {(line: string) => void} error
 * @property {NodeJS.ProcessEnv} env
 */

/** @type {Deps['run']} */
function runLogged(command, args, logFile, env = process.env) {
  const fd = openSync(logFile, 'a');
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', fd, fd], env });
    return result.status ?? 1;
  } finally {
    closeSync(fd);
  }
}

/** @type {Deps} */
const realDeps = {
  probe: (purpose) => probeFacts(purpose, process.env),
  run: runLogged,
  log: (line) => console.log(line),
  error: (line) => console.error(line),
  env: process.env,
};

/**
 * Checks, installs what it may, and reports. Resolves with the exit status (0: everything is there).
 * @param {import('./plan.cjs').Purpose} purpose
 * @param {{ check?: boolean }} options
 * @param {Deps} deps
 */
async function ensurePrerequisites(purpose, options = {}, deps = realDeps) {
  const installNothing = { apt: false, venv: false };
  let facts = await deps.probe(purpose);
  const plan = planPrerequisites(purpose, facts, options.check ? installNothing : undefined);
  if (plan.install.length > 0) {
    installWithApt(plan, deps);
    facts = await deps.probe(purpose);
  }
  let report = planPrerequisites(purpose, facts, installNothing);
  // cfn-lint's environment (a download of minutes) only once nothing else is missing: what cannot be
  // installed here is named first, and the next run builds it.
  if (plan.venv && facts.pythonVenv && report.blocked.every((b) => b.id === 'cfn-lint')) {
    installCfnLint(deps);
    facts = await deps.probe(purpose);
    report = planPrerequisites(purpose, facts, installNothing);
  }
  const what = purpose === 'demo' ? 'demo' : 'test suites';
  if (report.blocked.length > 0) {
    for (const blocked of report.blocked) deps.error(blocked.line);
    const combined = combinedAptCommand(report, facts);
    if (combined) deps.error(`all at once: ${combined}`);
    deps.error(
      `The ${what} cannot run without ${report.blocked.length === 1 ? 'it' : 'them'}; run ${purpose === 'demo' ? 'npm start' : 'the tests'} again afterwards.`,
    );
    return 1;
  }
  deps.log(`Prerequisites for the ${what}: all present (${report.present.join(', ')}).`);
  return 0;
}

/**
 * The plan's apt packages, saying what and why; apt-get's output goes to a log file it names.
 * @param {import('./plan.cjs').Plan} plan
 * @param {Deps} deps
 */
function installWithApt(plan, deps) {
  const logFile = join(cacheDir(deps.env), 'prerequisites-apt.log');
  const names = plan.install.map((i) => i.package);
  deps.log(`Installing ${names.join(', ')} with apt-get (running as root, so without asking):`);
  for (const item of plan.install) deps.log(`  ${item.package}: ${item.reason}`);
  try {
    mkdirSync(cacheDir(deps.env), { recursive: true });
  } catch (error) {
    deps.error(`apt-get was not run: its log cannot be written (${String(error)})`);
    return;
  }
  const aptEnv = { ...deps.env, DEBIAN_FRONTEND: 'noninteractive' };
  const status =
    deps.run('apt-get', ['update', '-q'], logFile, aptEnv) ||
    deps.run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...names], logFile, aptEnv);
  if (status !== 0) deps.error(`apt-get failed (exit ${status}); its output is in ${logFile}`);
}

/**
 * cfn-lint into a virtual environment in the cache: Debian has no cfn-lint package, and its Python
 * refuses `pip install` outside a virtual environment (PEP 668, "externally-managed-environment").
 * The link in the cache's bin directory, which the test runner puts on PATH, is made last.
 * @param {Deps} deps
 */
function installCfnLint(deps) {
  const venv = cfnLintVenvDir(deps.env);
  const bin = toolsBinDir(deps.env);
  const logFile = join(cacheDir(deps.env), 'cfn-lint-install.log');
  try {
    mkdirSync(bin, { recursive: true });
    rmSync(venv, { recursive: true, force: true });
    rmSync(join(bin, 'cfn-lint'), { force: true });
  } catch (error) {
    deps.error(`cfn-lint was not installed: the cache ${cacheDir(deps.env)} is not writable (${String(error)})`);
    return;
  }
  deps.log(
    `Installing ${CFN_LINT_REQUIREMENT} into ${venv} for the template tests (Debian has no package of it; pip's log: ${logFile})`,
  );
  const pip = join(venv, 'bin', 'pip');
  const status =
    deps.run('python3', ['-m', 'venv', venv], logFile) ||
    deps.run(pip, ['install', '--disable-pip-version-check', '--quiet', CFN_LINT_REQUIREMENT], logFile);
  if (status !== 0) {
    rmSync(venv, { recursive: true, force: true });
    deps.error(
      `cfn-lint could not be installed (exit ${status}; log: ${logFile}). Install it yourself: python3 -m venv ${venv} && ${pip} install ${CFN_LINT_REQUIREMENT} && ln -s ${join(venv, 'bin', 'cfn-lint')} ${join(bin, 'cfn-lint')}`,
    );
    return;
  }
  symlinkSync(join(venv, 'bin', 'cfn-lint'), join(bin, 'cfn-lint'));
}

/** @param {string[]} argv */
function parseArguments(argv) {
  const check = argv.includes('--check');
  const rest = argv.filter((a) => a !== '--check');
  const purpose = rest[0] ?? 'test';
  if (rest.length > 1 || (purpose !== 'demo' && purpose !== 'test')) return undefined;
  return { purpose: /** @type {import('./plan.cjs').Purpose} */ (purpose), check };
}

if (require.main === module) {
  const parsed = parseArguments(process.argv.slice(2));
  if (!parsed) {
    console.error(USAGE);
    process.exit(2);
  }
  void ensurePrerequisites(parsed.purpose, { check: parsed.check }).then((code) => process.exit(code));
}

module.exports = { CFN_LINT_REQUIREMENT, ensurePrerequisites, parseArguments };
