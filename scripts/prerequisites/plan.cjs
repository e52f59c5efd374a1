// @ts-check
'use strict';
// What the demo (`npm start`) and the test suites (`npm test`, `.ci/run`) need from the machine, and
// what to do about each missing piece: install it with apt (root with apt-get, no questions asked),
// build cfn-lint's virtual environment (no root needed), or name the exact command. Pure: the facts
// about the machine come in (probe.cjs gathers them), so every combination is unit-tested.
const { SUPPORTED_EDITOR_PLATFORMS } = require('../cache.cjs');

/** @typedef {'demo' | 'test'} Purpose */

/**
 * @typedef {object} Facts
 * @property {string} platform process.platform
 * @property {string} arch process.arch
 * @property {string} node the running Node's version, e.g. "20.20.2"
 * @property {boolean} root running as uid 0
 * @property {boolean} apt apt-get is on PATH
 * @property {string | undefined} git `git --version`'s number, undefined when there is no git
 * @property {boolean} editorProvisioned code-server is already built in the cache (no toolchain needed)
 * @property {boolean} cc a C compiler (`cc` or $CC)
 * @property {boolean} cxx a C++ compiler (`c++` or $CXX)
 * @property {boolean} make
 * @property {boolean} python3
 * @property {boolean} kerberosHeaders the C compiler finds gssapi/gssapi.h
 * @property {string} chromiumPath where the end-to-end suite looks for Chromium ($CHROMIUM_PATH or /usr/bin/chromium)
 * @property {boolean} chromium
 * @property {string | undefined} awsCli `/usr/bin/aws --version`'s CLI version, e.g. "2.9.19"
 * @property {boolean} jq
 * @property {boolean} curl
 * @property {boolean} cfnLint cfn-lint runs (on PATH, or from the cache's virtual environment)
 * @property {boolean} pythonVenv `python3 -m venv` can create an environment with pip (Debian: python3-venv)
 */

/**
 * One missing piece.
 * @typedef {object} Missing
 * @property {string} what the piece, as a user names it
 * @property {string} why what needs it
 * @property {string[]} apt Debian packages that provide it (empty: apt cannot)
 * @property {string} [manual] what to do when apt cannot, or where there is no apt
 * @property {boolean} [venv] cfn-lint: installed into the cache's virtual environment once `apt` is present
 */

/**
 * A missing piece this step does not supply: one line for the user, with the command to run.
 * @typedef {object} Blocked
 * @property {string} id
 * @property {string} line
 * @property {string[]} apt the Debian packages the command installs (for one combined command)
 */

/**
 * @typedef {object} Plan
 * @property {Purpose} purpose
 * @property {{ package: string, reason: string }[]} install apt packages to install now
 * @property {boolean} venv create cfn-lint's virtual environment (after `install`)
 * @property {Blocked[]} blocked
 * @property {string[]} present ids of what was checked and found
 */

/**
 * What this step may do by itself.
 * @typedef {object} Allowed
 * @property {boolean} apt install system packages (root, apt-get on PATH)
 * @property {boolean} venv create a virtual environment in the user's cache
 */

const MIN_GIT = [2, 31];
const MIN_NODE_MAJOR = 20;

/** @param {string | undefined} version @param {number[]} min */
function atLeast(version, min) {
  if (!version) return false;
  const parts = version.split('.').map((p) => Number.parseInt(p, 10));
  for (let i = 0; i < min.length; i++) {
    const part = Number.isNaN(parts[i]) || parts[i] === undefined ? 0 : parts[i];
    if (part !== min[i]) return part > min[i];
  }
  return true;
}

/**
 * @typedef {object} Requirement
 * @property {string} id
 * @property {Purpose[]} purposes
 * @property {(f: Facts) => boolean} [applies] only checked when this holds
 * @property {(f: Facts) => boolean} ok
 * @property {(f: Facts) => Missing} missing
 */

const EDITOR_BUILD = "code-server's native modules are compiled when it is provisioned";

/** @type {Requirement[]} */
const REQUIREMENTS = [
  {
    id: 'node',
    purposes: ['demo', 'test'],
    ok: (f) => atLeast(f.node, [MIN_NODE_MAJOR]),
    missing: (f) => ({
      what: `Node.js ${MIN_NODE_MAJOR} or later (this is ${f.node})`,
      why: 'the build, the sandbox and the tests run on it',
      apt: [],
      manual: `install Node.js ${MIN_NODE_MAJOR} or later (https://nodejs.org/en/download)`,
    }),
  },
  {
    id: 'git',
    purposes: ['demo', 'test'],
    ok: (f) => atLeast(f.git, MIN_GIT),
    missing: (f) => ({
      what: f.git ? `git ${MIN_GIT.join('.')} or later (this is ${f.git})` : 'git',
      why: 'the sandbox serves CodeCommit with git, and pushes pass the credential helper in GIT_CONFIG_COUNT (git 2.31+)',
      // An older git came from this machine's apt already: installing it again would not help.
      apt: f.git ? [] : ['git'],
      manual: f.git ? `upgrade git to ${MIN_GIT.join('.')} or later (Debian 12 has 2.39)` : 'install git',
    }),
  },
  {
    id: 'editor-platform',
    purposes: ['demo', 'test'],
    applies: (f) => !f.editorProvisioned,
    ok: (f) => SUPPORTED_EDITOR_PLATFORMS.includes(`${f.platform}-${f.arch}`),
    missing: (f) => ({
      what: `a platform code-server can be provisioned on (this is ${f.platform}-${f.arch})`,
      why: 'the demo and the end-to-end suites run the extension in code-server on Node 24 from npm',
      apt: [],
      manual: `use Linux on ${SUPPORTED_EDITOR_PLATFORMS.join(' or ')} (a VM or a container); elsewhere install the .vsix into your own VS Code`,
    }),
  },
  {
    id: 'toolchain',
    purposes: ['demo', 'test'],
    applies: (f) => !f.editorProvisioned,
    ok: (f) => f.cc && f.cxx && f.make,
    missing: (f) => ({
      what: `a C/C++ toolchain (missing: ${[!f.cc && 'cc', !f.cxx && 'c++', !f.make && 'make'].filter(Boolean).join(', ')})`,
      why: EDITOR_BUILD,
      apt: ['build-essential'],
      manual: 'install a C/C++ compiler and make (macOS: xcode-select --install)',
    }),
  },
  {
    id: 'python3',
    purposes: ['demo', 'test'],
    applies: (f) => !f.editorProvisioned,
    ok: (f) => f.python3,
    missing: () => ({
      what: 'Python 3',
      why: `node-gyp needs it: ${EDITOR_BUILD}`,
      apt: ['python3'],
      manual: 'install Python 3',
    }),
  },
  {
    id: 'kerberos',
    purposes: ['demo', 'test'],
    applies: (f) => !f.editorProvisioned,
    ok: (f) => f.kerberosHeaders,
    missing: () => ({
      what: 'Kerberos headers (gssapi/gssapi.h)',
      why: `code-server's kerberos module compiles against them; ${EDITOR_BUILD}`,
      apt: ['libkrb5-dev'],
      manual: 'install the Kerberos development package (libkrb5-dev, krb5-devel)',
    }),
  },
  {
    id: 'chromium',
    purposes: ['test'],
    ok: (f) => f.chromium,
    missing: (f) => ({
      what: `Chromium at ${f.chromiumPath}`,
      why: 'the end-to-end suite drives the editor in it',
      apt: f.chromiumPath === '/usr/bin/chromium' ? ['chromium'] : [],
      manual: `install Chromium, or set CHROMIUM_PATH to its executable (now ${f.chromiumPath})`,
    }),
  },
  {
    id: 'awscli',
    purposes: ['test'],
    ok: (f) => atLeast(f.awsCli, [2]),
    missing: (f) => ({
      what: f.awsCli ? `AWS CLI v2 at /usr/bin/aws (it is ${f.awsCli})` : 'the AWS CLI v2 at /usr/bin/aws',
      why: "the sandbox's fidelity tests and the benchmarks run the official CLI against it",
      apt: f.awsCli ? [] : ['awscli'],
      manual:
        "install the AWS CLI v2 as /usr/bin/aws (AWS's installer: sudo ./aws/install --bin-dir /usr/bin --update)",
    }),
  },
  {
    id: 'jq',
    purposes: ['demo', 'test'],
    ok: (f) => f.jq,
    missing: () => ({
      what: 'jq',
      why: "the pipeline's buildspecs use it, and the sandbox's CodeBuild runs them",
      apt: ['jq'],
      manual: 'install jq',
    }),
  },
  {
    id: 'curl',
    purposes: ['demo', 'test'],
    ok: (f) => f.curl,
    missing: () => ({
      what: 'curl',
      why: "the pipeline's smoke test calls the image's health check with it, and the sandbox's CodeBuild runs it",
      apt: ['curl'],
      manual: 'install curl',
    }),
  },
  {
    id: 'cfn-lint',
    purposes: ['test'],
    ok: (f) => f.cfnLint,
    missing: (f) => ({
      what: 'cfn-lint',
      why: 'the template tests lint the bundled templates with it',
      // Debian has no cfn-lint package and its Python refuses `pip install` outside a virtual
      // environment (PEP 668), so cfn-lint goes into one in the cache; that needs venv and pip.
      apt: [...(f.python3 ? [] : ['python3']), ...(f.pythonVenv ? [] : ['python3-venv'])],
      manual: f.pythonVenv ? undefined : 'install Python 3 with its venv module, then run npm run prerequisites',
      venv: true,
    }),
  },
];

/**
 * @param {Purpose} purpose
 * @param {Facts} facts
 * @param {Allowed} [allowed] default: apt when root with apt-get; the virtual environment always
 * @returns {Plan}
 */
function planPrerequisites(purpose, facts, allowed = { apt: facts.root && facts.apt, venv: true }) {
  /** @type {Plan} */
  const plan = { purpose, install: [], venv: false, blocked: [], present: [] };
  for (const requirement of REQUIREMENTS) {
    if (!requirement.purposes.includes(purpose) || (requirement.applies && !requirement.applies(facts))) continue;
    if (requirement.ok(facts)) {
      plan.present.push(requirement.id);
      continue;
    }
    const missing = requirement.missing(facts);
    const byApt = missing.apt.length > 0 && facts.apt;
    if (byApt && allowed.apt && (!missing.venv || allowed.venv)) {
      for (const name of missing.apt) {
        if (!plan.install.some((i) => i.package === name)) {
          plan.install.push({ package: name, reason: `${missing.what}: ${missing.why}` });
        }
      }
      plan.venv ||= missing.venv === true;
      continue;
    }
    if (missing.venv && missing.apt.length === 0 && allowed.venv) {
      plan.venv = true; // Python with venv is there: a virtual environment needs no root.
      continue;
    }
    /** @type {string} */
    let command;
    if (byApt) {
      command = `${facts.root ? '' : 'sudo '}apt-get install -y ${missing.apt.join(' ')}`;
      if (missing.venv) command += ' && npm run prerequisites';
    } else if (missing.venv && missing.apt.length === 0) {
      command = 'npm run prerequisites';
    } else {
      command = missing.manual ?? 'install it';
    }
    plan.blocked.push({
      id: requirement.id,
      line: `missing: ${missing.what} (${missing.why}): ${command}`,
      apt: byApt ? missing.apt : [],
    });
  }
  return plan;
}

/**
 * One command for every apt package the blocked lines name, when there are several lines with one.
 * @param {Plan} plan
 * @param {Facts} facts
 * @returns {string | undefined}
 */
function combinedAptCommand(plan, facts) {
  const withApt = plan.blocked.filter((b) => b.apt.length > 0);
  if (withApt.length < 2) return undefined;
  const packages = [...new Set(withApt.flatMap((b) => b.apt))];
  return `${facts.root ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}`;
}

module.exports = { MIN_GIT, MIN_NODE_MAJOR, REQUIREMENTS, atLeast, planPrerequisites, combinedAptCommand };
