// The prerequisites step of `npm start`, `npm test` and `.ci/run`: what it installs, and what it
// tells a user to run, for each missing piece on root and non-root machines with and without apt.
// The machine is described, not probed, so nothing has to be uninstalled to test it.
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdtempSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { combinedAptCommand, planPrerequisites, type Facts } from '../../../scripts/prerequisites/plan.cjs';
import { CFN_LINT_REQUIREMENT, ensurePrerequisites, parseArguments } from '../../../scripts/prerequisites/main.cjs';

/** A Debian machine with everything, as root. */
function machine(overrides: Partial<Facts> = {}): Facts {
  return {
    platform: 'linux',
    arch: 'x64',
    node: '20.20.2',
    root: true,
    apt: true,
    git: '2.39.5',
    editorProvisioned: false,
    cc: true,
    cxx: true,
    make: true,
    python3: true,
    kerberosHeaders: true,
    chromiumPath: '/usr/bin/chromium',
    chromium: true,
    awsCli: '2.9.19',
    jq: true,
    curl: true,
    cfnLint: true,
    pythonVenv: true,
    ...overrides,
  };
}

const user = { root: false };
const noApt = { apt: false };
const lines = (facts: Facts, purpose: 'demo' | 'test' = 'test') =>
  planPrerequisites(purpose, facts).blocked.map((b) => b.line);

/** Each piece a fresh Debian machine may lack: the facts that say so, and its Debian package. */
const PIECES: { name: string; facts: Partial<Facts>; apt: string; demo: boolean }[] = [
  { name: 'git', facts: { git: undefined }, apt: 'git', demo: true },
  { name: 'a C/C++ toolchain', facts: { cxx: false, make: false }, apt: 'build-essential', demo: true },
  { name: 'Python 3', facts: { python3: false }, apt: 'python3', demo: true },
  { name: 'Kerberos headers', facts: { kerberosHeaders: false }, apt: 'libkrb5-dev', demo: true },
  { name: 'Chromium', facts: { chromium: false }, apt: 'chromium', demo: false },
  { name: 'AWS CLI v2', facts: { awsCli: undefined }, apt: 'awscli', demo: false },
  { name: 'jq', facts: { jq: false }, apt: 'jq', demo: true },
  { name: 'curl', facts: { curl: false }, apt: 'curl', demo: true },
];

describe('prerequisites plan', () => {
  it('asks for nothing on a machine that has everything', () => {
    for (const purpose of ['demo', 'test'] as const) {
      const plan = planPrerequisites(purpose, machine());
      assert.deepEqual([plan.install, plan.venv, plan.blocked], [[], false, []]);
    }
    assert.deepEqual(planPrerequisites('demo', machine()).present, [
      'node',
      'git',
      'editor-platform',
      'toolchain',
      'python3',
      'kerberos',
      'jq',
      'curl',
    ]);
  });

  for (const piece of PIECES) {
    it(`${piece.name}: root with apt installs ${piece.apt}, saying why`, () => {
      const plan = planPrerequisites('test', machine(piece.facts));
      assert.deepEqual(
        plan.install.map((i) => i.package),
        [piece.apt],
      );
      assert.match(plan.install[0].reason, /: .*(code-server|suite|tests|sandbox|buildspecs|credential helper)/);
      assert.deepEqual(plan.blocked, []);
    });

    it(`${piece.name}: without root, one line with the sudo apt-get command`, () => {
      assert.deepEqual(
        lines(machine({ ...piece.facts, ...user })).map((l) => l.replace(/^missing: .*\): /, '')),
        [`sudo apt-get install -y ${piece.apt}`],
      );
    });

    it(`${piece.name}: without apt, one line saying what to install`, () => {
      const found = lines(machine({ ...piece.facts, ...noApt }));
      assert.equal(found.length, 1);
      assert.match(found[0], /^missing: .+ \(.+\): install /);
      assert.doesNotMatch(found[0], /apt-get/);
    });

    it(`${piece.name}: ${piece.demo ? 'needed' : 'not needed'} by the demo`, () => {
      assert.equal(planPrerequisites('demo', machine({ ...piece.facts, ...user })).blocked.length, piece.demo ? 1 : 0);
    });
  }

  it('names every missing piece on its own line, and one command for them all', () => {
    const facts = machine({ ...user, kerberosHeaders: false, chromium: false, jq: false });
    const plan = planPrerequisites('test', facts);
    assert.deepEqual(
      plan.blocked.map((b) => b.line),
      [
        "missing: Kerberos headers (gssapi/gssapi.h) (code-server's kerberos module compiles against them; code-server's native modules are compiled when it is provisioned): sudo apt-get install -y libkrb5-dev",
        'missing: Chromium at /usr/bin/chromium (the end-to-end suite drives the editor in it): sudo apt-get install -y chromium',
        "missing: jq (the pipeline's buildspecs use it, and the sandbox's CodeBuild runs them): sudo apt-get install -y jq",
      ],
    );
    assert.equal(combinedAptCommand(plan, facts), 'sudo apt-get install -y libkrb5-dev chromium jq');
    assert.equal(combinedAptCommand(planPrerequisites('test', machine({ ...user, jq: false })), facts), undefined);
  });

  it('root with apt installs every missing package once', () => {
    const plan = planPrerequisites('test', machine({ git: undefined, cc: false, kerberosHeaders: false, jq: false }));
    assert.deepEqual(
      plan.install.map((i) => i.package),
      ['git', 'build-essential', 'libkrb5-dev', 'jq'],
    );
  });

  it('does not ask for the toolchain once code-server is built in the cache', () => {
    const facts = machine({ ...user, editorProvisioned: true, cc: false, make: false, kerberosHeaders: false });
    assert.deepEqual(lines(facts, 'demo'), []);
    assert.deepEqual(planPrerequisites('demo', facts).present, ['node', 'git', 'jq', 'curl']);
  });

  it('says the platform is unsupported before anything is built', () => {
    for (const facts of [
      machine({ platform: 'darwin', arch: 'arm64', apt: false }),
      machine({ arch: 'ia32' }),
      machine({ platform: 'win32', root: false, apt: false }),
    ]) {
      const found = lines(facts, 'demo');
      assert.equal(found.length, 1);
      assert.match(found[0], new RegExp(`this is ${facts.platform}-${facts.arch}\\b`));
      assert.match(found[0], /use Linux on linux-x64 or linux-arm64/);
    }
    assert.deepEqual(lines(machine({ platform: 'darwin', arch: 'arm64', editorProvisioned: true, apt: false })), []);
  });

  it('does not offer apt for a git that apt already installed too old', () => {
    const plan = planPrerequisites('demo', machine({ git: '2.30.2' }));
    assert.deepEqual(plan.install, []);
    assert.deepEqual(
      plan.blocked.map((b) => b.line),
      [
        'missing: git 2.31 or later (this is 2.30.2) (the sandbox serves CodeCommit with git, and pushes pass the credential helper in GIT_CONFIG_COUNT (git 2.31+)): upgrade git to 2.31 or later (Debian 12 has 2.39)',
      ],
    );
    assert.deepEqual(lines(machine({ git: '2.31.0' }), 'demo'), []);
  });

  it('does not offer apt for an AWS CLI v1 at /usr/bin/aws', () => {
    const plan = planPrerequisites('test', machine({ awsCli: '1.19.1' }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.blocked[0].line, /^missing: AWS CLI v2 at \/usr\/bin\/aws \(it is 1\.19\.1\)/);
  });

  it('asks for Node.js 20 or later', () => {
    assert.match(
      lines(machine({ node: '18.19.0' }), 'demo')[0],
      /^missing: Node\.js 20 or later \(this is 18\.19\.0\)/,
    );
  });

  it('looks for Chromium where CHROMIUM_PATH points, and does not offer apt for it', () => {
    const plan = planPrerequisites('test', machine({ chromium: false, chromiumPath: '/opt/chrome/chrome' }));
    assert.deepEqual(plan.install, []);
    assert.match(plan.blocked[0].line, /Chromium at \/opt\/chrome\/chrome .*set CHROMIUM_PATH/);
  });

  describe('cfn-lint (no Debian package; Debian Python refuses pip outside a virtual environment)', () => {
    it('builds a virtual environment without root when Python has venv', () => {
      const plan = planPrerequisites('test', machine({ ...user, cfnLint: false }));
      assert.deepEqual([plan.install, plan.venv, plan.blocked], [[], true, []]);
    });

    it('root with apt installs python3-venv first', () => {
      const plan = planPrerequisites('test', machine({ cfnLint: false, pythonVenv: false }));
      assert.deepEqual([plan.install.map((i) => i.package), plan.venv], [['python3-venv'], true]);
      const bare = planPrerequisites('test', machine({ cfnLint: false, pythonVenv: false, python3: false }));
      assert.deepEqual(
        bare.install.map((i) => i.package),
        ['python3', 'python3-venv'],
      );
    });

    it('without root, says to install python3-venv and run the step again', () => {
      assert.deepEqual(
        lines(machine({ ...user, cfnLint: false, pythonVenv: false })).map((l) => l.replace(/^missing: .*\): /, '')),
        ['sudo apt-get install -y python3-venv && npm run prerequisites'],
      );
      assert.match(
        lines(machine({ ...noApt, cfnLint: false, pythonVenv: false }))[0],
        /install Python 3 with its venv/,
      );
    });

    it('is not needed by the demo', () => {
      assert.deepEqual(lines(machine({ cfnLint: false, pythonVenv: false }), 'demo'), []);
    });

    it('--check names the command instead of building it', () => {
      const plan = planPrerequisites('test', machine({ cfnLint: false }), { apt: false, venv: false });
      assert.deepEqual(
        [plan.venv, plan.blocked.map((b) => b.line.replace(/^missing: .*\): /, ''))],
        [false, ['npm run prerequisites']],
      );
    });
  });
});

describe('prerequisites step', () => {
  interface Run {
    command: string;
    args: string[];
  }

  /** The step against a described machine: `machines` are what successive probes find. */
  async function step(
    machines: Facts[],
    options: { check?: boolean; status?: (run: Run) => number; cacheUnwritable?: boolean } = {},
  ) {
    const dir = mkdtempSync(join(tmpdir(), 'wp-prereq-'));
    // A cache below a regular file cannot be created, whoever runs the test.
    const cache = options.cacheUnwritable ? join(dir, 'file', 'cache') : dir;
    if (options.cacheUnwritable) writeFileSync(join(dir, 'file'), '');
    const runs: Run[] = [];
    const out: string[] = [];
    const err: string[] = [];
    let probes = 0;
    try {
      const code = await ensurePrerequisites('test', options, {
        probe: () => Promise.resolve(machines[Math.min(probes++, machines.length - 1)]),
        run: (command, args) => {
          runs.push({ command, args });
          return options.status?.({ command, args }) ?? 0;
        },
        log: (line) => out.push(line),
        error: (line) => err.push(line),
        env: { WORKSHOP_PIPELINE_CACHE: cache },
      });
      const link = join(cache, 'bin', 'cfn-lint');
      const linked = existsSync(join(cache, 'bin')) && lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink();
      return { code, runs, out, err, cache, linkTarget: linked ? readlinkSync(link) : undefined };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  it('says in one line that everything is there, and runs nothing', async () => {
    const r = await step([machine()]);
    assert.deepEqual([r.code, r.runs, r.err], [0, [], []]);
    assert.match(r.out.join('\n'), /^Prerequisites for the test suites: all present \(node, git, .*cfn-lint\)\.$/);
  });

  it('as root with apt, installs the missing packages, saying what and why, then checks again', async () => {
    const r = await step([machine({ kerberosHeaders: false, chromium: false }), machine()]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.runs, [
      { command: 'apt-get', args: ['update', '-q'] },
      { command: 'apt-get', args: ['install', '-y', '-q', '--no-install-recommends', 'libkrb5-dev', 'chromium'] },
    ]);
    assert.match(r.out[0], /^Installing libkrb5-dev, chromium with apt-get \(running as root, so without asking\):$/);
    assert.match(
      r.out[1],
      /^ {2}libkrb5-dev: Kerberos headers .*: code-server's kerberos module compiles against them/,
    );
    assert.match(
      r.out[2],
      /^ {2}chromium: Chromium at \/usr\/bin\/chromium: the end-to-end suite drives the editor in it$/,
    );
    assert.deepEqual(r.err, []);
  });

  it('when apt-get fails, names its log and the commands, and fails', async () => {
    const missing = machine({ jq: false });
    const r = await step([missing, missing], { status: (run) => (run.args[0] === 'install' ? 100 : 0) });
    assert.equal(r.code, 1);
    assert.match(r.err[0], new RegExp(`^apt-get failed \\(exit 100\\); its output is in .*prerequisites-apt\\.log$`));
    assert.match(r.err[1], /^missing: jq .*: apt-get install -y jq$/);
  });

  it('without root, runs nothing and prints one line per missing piece and what then', async () => {
    const r = await step([machine({ ...user, kerberosHeaders: false, jq: false })]);
    assert.deepEqual([r.code, r.runs, r.out], [1, [], []]);
    assert.deepEqual(
      r.err.map((l) => l.replace(/^missing: .*\): /, '')),
      [
        'sudo apt-get install -y libkrb5-dev',
        'sudo apt-get install -y jq',
        'all at once: sudo apt-get install -y libkrb5-dev jq',
        'The test suites cannot run without them; run the tests again afterwards.',
      ],
    );
  });

  it('installs cfn-lint into a virtual environment in the cache and links it onto the tests PATH', async () => {
    const r = await step([machine({ ...user, cfnLint: false }), machine({ ...user })]);
    assert.equal(r.code, 0);
    const venv = join(r.cache, 'cfn-lint-venv');
    assert.deepEqual(r.runs, [
      { command: 'python3', args: ['-m', 'venv', venv] },
      {
        command: join(venv, 'bin', 'pip'),
        args: ['install', '--disable-pip-version-check', '--quiet', CFN_LINT_REQUIREMENT],
      },
    ]);
    assert.equal(r.linkTarget, join(venv, 'bin', 'cfn-lint'));
    assert.match(r.out[0], /^Installing cfn-lint==1\.51\.0 into .*cfn-lint-venv for the template tests/);
  });

  it('builds no environment while other pieces are missing: names them, and the step that follows', async () => {
    const r = await step([machine({ ...user, cfnLint: false, jq: false })]);
    assert.deepEqual([r.code, r.runs], [1, []]);
    assert.deepEqual(
      r.err.slice(0, 2).map((l) => l.replace(/^missing: .*\): /, '')),
      ['sudo apt-get install -y jq', 'npm run prerequisites'],
    );
  });

  it('says so in one line when the cache cannot be written', async () => {
    const r = await step([machine({ ...user, cfnLint: false })], { cacheUnwritable: true });
    assert.equal(r.code, 1);
    assert.deepEqual(r.runs, []);
    assert.match(r.err[0], /^cfn-lint was not installed: the cache \S+ is not writable \(/);
  });

  it('when pip fails (PyPI unreachable), removes the environment and gives the exact commands', async () => {
    const missing = machine({ ...user, cfnLint: false });
    const r = await step([missing, missing], { status: (run) => (run.command.endsWith('pip') ? 1 : 0) });
    assert.equal(r.code, 1);
    assert.equal(r.linkTarget, undefined);
    assert.match(
      r.err[0],
      /^cfn-lint could not be installed \(exit 1; log: .*cfn-lint-install\.log\)\. Install it yourself: python3 -m venv \S+ && \S+\/bin\/pip install cfn-lint==1\.51\.0 && ln -s /,
    );
    assert.match(r.err[1], /^missing: cfn-lint .*: npm run prerequisites$/);
  });

  it('--check installs nothing, even as root', async () => {
    const r = await step([machine({ jq: false, cfnLint: false })], { check: true });
    assert.deepEqual([r.code, r.runs], [1, []]);
    assert.deepEqual(
      r.err.slice(0, 2).map((l) => l.replace(/^missing: .*\): /, '')),
      ['apt-get install -y jq', 'npm run prerequisites'],
    );
  });

  it('parses its command line', () => {
    assert.deepEqual(parseArguments([]), { purpose: 'test', check: false });
    assert.deepEqual(parseArguments(['demo', '--check']), { purpose: 'demo', check: true });
    assert.equal(parseArguments(['everything']), undefined);
    assert.equal(parseArguments(['demo', 'test']), undefined);
  });
});
