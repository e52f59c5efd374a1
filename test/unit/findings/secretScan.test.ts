// The pre-push secret scan: secretlint's recommended rules plus gitleaks' aws-access-token rule, so a
// key id alone is a finding as it is in the pipeline; the repository's .gitleaks.toml allowlists and
// .gitleaksignore honoured with gitleaks' semantics; the secret itself never in the result.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllowed, parseGitleaksConfig } from '../../../src/findings/gitleaksConfig';
import { scanForSecrets, shannonEntropy } from '../../../src/findings/secretScan';
import { loadSecretScan } from '../../../src/findings/secretScanLoader';

// Split so that no scanner of this repository takes the test itself for a leak.
const KEY_ID = 'AKIA' + 'Q3EGRIGHTSIDEUPQ';
const SECRET_KEY = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY' + 'REALKEYzzz';
const PRIVATE_KEY = [
  '-----BEGIN RSA ' + 'PRIVATE KEY-----',
  'MIIEowIBAAKCAQEA0Z3VS5JJcds3xfn/ygWyF8PbnGy0AHB7MhgHcTz6sE2I2yPB',
  'aFDrBz9vFqU4yB3P5wq8W2EYJb9SjXJx3Ez8sGJYjPbQ6pHjvKjbGkxYw6vZXLrv',
  '-----END RSA ' + 'PRIVATE KEY-----',
].join('\n');

const staged = (path: string, content: string, lines?: number[]) => ({
  path,
  content,
  lines: lines ?? content.split('\n').map((_, i) => i + 1),
});

describe('pre-push secret scan', () => {
  it('finds an AWS key id alone, as gitleaks aws-access-token does, and never returns the secret', async () => {
    const result = await scanForSecrets({ added: [staged('leak.js', `// config\nconst id = "${KEY_ID}";\n`)] });
    assert.deepEqual(
      result.findings.map((f) => ({ path: f.path, line: f.line, ruleId: f.ruleId, kind: f.kind })),
      [{ path: 'leak.js', line: 2, ruleId: 'aws-access-token', kind: 'an AWS access key' }],
    );
    assert.doesNotMatch(JSON.stringify(result), new RegExp(KEY_ID));
  });

  it('reports the file line of an added line, not its place among the added lines', async () => {
    const result = await scanForSecrets({ added: [staged('src/app.js', `const id = "${KEY_ID}";`, [41])] });
    assert.equal(result.findings[0]?.line, 41);
  });

  it('does not flag AWS’s documentation key (gitleaks’ EXAMPLE allowlist) or a low-entropy id', async () => {
    const result = await scanForSecrets({
      added: [staged('README.md', 'AKIAIOSFODNN7EXAMPLE\nAKIAAAAAAAAAAAAAAAAA\n')],
    });
    assert.deepEqual(result.findings, []);
    assert.ok(shannonEntropy('AKIAAAAAAAAAAAAAAAAA') <= 3);
  });

  it('finds a private key and an AWS secret access key with secretlint’s recommended rules', async () => {
    const result = await scanForSecrets({
      added: [staged('id_rsa', PRIVATE_KEY), staged('.env', `AWS_SECRET_ACCESS_KEY=${SECRET_KEY}\n`)],
    });
    const found = result.findings.map((f) => `${f.path}:${f.line} ${f.kind}`).sort();
    assert.deepEqual(found, ['.env:1 an AWS secret access key', 'id_rsa:1 a private key']);
    assert.doesNotMatch(JSON.stringify(result), /wJalrXUtnFEMI|MIIEowIBAAKCAQEA/);
  });

  it('honours .gitleaks.toml allowlists: paths, regexes, stopwords, commits, a rule’s own allowlist', async () => {
    const line = `const id = "${KEY_ID}";`;
    const scan = (gitleaksConfig: string, commit?: string) =>
      scanForSecrets({
        added: [{ ...staged('test/fixtures/leak.js', line), ...(commit ? { commit } : {}) }],
        gitleaksConfig,
      });
    assert.equal((await scan("[allowlist]\npaths = ['''^test/fixtures/''']\n")).findings.length, 0);
    assert.equal((await scan("[[allowlists]]\nregexes = ['''RIGHTSIDE''']\n")).findings.length, 0);
    assert.equal((await scan('[[allowlists]]\nstopwords = ["rightsideup"]\n')).findings.length, 0);
    assert.equal((await scan('[[allowlists]]\ncommits = ["abc123"]\n', 'abc123')).findings.length, 0);
    assert.equal((await scan('[[allowlists]]\ncommits = ["abc123"]\n', 'def456')).findings.length, 1);
    assert.equal(
      (await scan("[[rules]]\nid = \"aws-access-token\"\n[[rules.allowlists]]\npaths = ['''fixtures''']\n")).findings
        .length,
      0,
    );
    // condition = "AND": every given check must match.
    const both = "[[allowlists]]\ncondition = \"AND\"\npaths = ['''^src/''']\nstopwords = [\"rightsideup\"]\n";
    assert.equal((await scan(both)).findings.length, 1);
    // A path allowlisted for another rule only.
    assert.equal(
      (await scan("[[rules]]\nid = \"private-key\"\n[[rules.allowlists]]\npaths = ['''.*''']\n")).findings.length,
      1,
    );
  });

  it('honours .gitleaksignore fingerprints and gitleaks:allow comments', async () => {
    const added = [staged('leak.js', `x\nconst id = "${KEY_ID}";\n`)];
    assert.equal(
      (await scanForSecrets({ added, gitleaksIgnore: '# reviewed\nleak.js:aws-access-token:2\n' })).findings.length,
      0,
    );
    assert.equal((await scanForSecrets({ added, gitleaksIgnore: 'leak.js:aws-access-token:3\n' })).findings.length, 1);
    const allowed = [staged('leak.js', `const id = "${KEY_ID}"; // gitleaks:allow\n`)];
    assert.equal((await scanForSecrets({ added: allowed })).findings.length, 0);
  });

  it('scans without the allowlists when .gitleaks.toml cannot be parsed, and says so', async () => {
    const result = await scanForSecrets({ added: [staged('leak.js', KEY_ID)], gitleaksConfig: '[allowlist\npaths=' });
    assert.equal(result.findings.length, 1);
    assert.match(result.configProblem ?? '', /^\.gitleaks\.toml: /);
  });

  it('matches regexes with Go’s inline flags on the chosen target', async () => {
    const { parse } = await import('smol-toml');
    const config = parseGitleaksConfig(
      "[[allowlists]]\nregexTarget = 'line'\nregexes = ['''(?i)TEST_ONLY''']\n",
      undefined,
      parse,
    );
    const candidate = { ruleId: 'aws-access-token', path: 'a.js', line: 1, secret: KEY_ID, match: KEY_ID };
    assert.equal(isAllowed(config, { ...candidate, lineText: `k = "${KEY_ID}" # test_only` }), true);
    assert.equal(isAllowed(config, { ...candidate, lineText: `k = "${KEY_ID}"` }), false);
  });

  it('reports a scanner that cannot be loaded instead of throwing', () => {
    const failed = loadSecretScan(() => {
      throw new Error("Cannot find module './secretScan'\nRequire stack: …");
    });
    assert.deepEqual(failed, { ok: false, reason: "Cannot find module './secretScan'" });
    assert.deepEqual(
      loadSecretScan(() => ({})),
      { ok: false, reason: 'the secret scan module has no scanForSecrets' },
    );
  });
});
