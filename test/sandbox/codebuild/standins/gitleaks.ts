// Stand-in for gitleaks 8.21.2 (secret scanner), for the flags the pipeline template uses:
// `gitleaks dir [PATH]` and `gitleaks detect --no-git --source PATH`, with `--redact`, `--verbose`,
// `--no-banner`, `--exit-code N`, `--report-format json|junit`, `--report-path FILE`, `--config FILE`,
// and `gitleaks version`.
// Rules (ids, descriptions, regexes and entropy thresholds as in gitleaks' default config):
//   aws-access-token  \b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b, entropy ≥ 3, with the
//                     rule's allowlist `.+EXAMPLE$` (so AWS's documentation key is not a finding).
//                     A key id alone is a finding, as in gitleaks.
//   private-key       -----BEGIN … PRIVATE KEY----- blocks (multi-line).
//   generic-api-key   a subset of gitleaks' generic rule: a 40-character secret (the shape of an AWS
//                     secret access key) assigned to a name with access/key/secret/token/password,
//                     entropy ≥ 3.5.
// `.gitleaks.toml` in the scanned directory (or --config / GITLEAKS_CONFIG): `[extend] useDefault`,
// `[[rules]]` (id, description, regex, secretGroup, entropy, keywords, path), `[allowlist]` and
// `[[allowlists]]` (paths, regexes, stopwords, regexTarget = secret|match|line); `.gitleaksignore`
// fingerprints (`file:rule-id:line`). Output as gitleaks prints it: findings with --verbose (redacted
// with --redact), log lines on stderr ("INF no leaks found" / "WRN leaks found: N"), and the JSON and
// JUnit report formats gitleaks writes.
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { str } from '../../core/values';

export interface Rule {
  readonly id: string;
  readonly description: string;
  readonly regex: RegExp;
  readonly secretGroup?: number;
  readonly entropy?: number;
  readonly keywords: readonly string[];
  readonly path?: RegExp;
  readonly allowlists: readonly Allowlist[];
}

export interface Allowlist {
  readonly paths: readonly RegExp[];
  readonly regexes: readonly RegExp[];
  readonly stopwords: readonly string[];
  readonly regexTarget: 'secret' | 'match' | 'line';
}

export interface Finding {
  RuleID: string;
  Description: string;
  StartLine: number;
  EndLine: number;
  StartColumn: number;
  EndColumn: number;
  Match: string;
  Secret: string;
  File: string;
  SymlinkFile: string;
  Commit: string;
  Entropy: number;
  Author: string;
  Email: string;
  Date: string;
  Message: string;
  Tags: string[];
  Fingerprint: string;
  /** The whole line (gitleaks keeps it out of reports: `json:"-"`). */
  readonly line: string;
}

const allowlist = (a: Partial<Allowlist>): Allowlist => ({
  paths: a.paths ?? [],
  regexes: a.regexes ?? [],
  stopwords: a.stopwords ?? [],
  regexTarget: a.regexTarget ?? 'secret',
});

export const DEFAULT_RULES: readonly Rule[] = [
  {
    id: 'aws-access-token',
    description:
      'Identified a pattern that may indicate AWS credentials, risking unauthorized cloud resource access and data breaches on AWS platforms.',
    regex: /\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g,
    entropy: 3,
    keywords: ['a3t', 'akia', 'asia', 'abia', 'acca'],
    allowlists: [allowlist({ regexes: [/.+EXAMPLE$/] })],
  },
  {
    id: 'generic-api-key',
    description:
      'Detected a Generic API Key, potentially exposing access to various services and sensitive operations.',
    regex:
      /[\w.-]{0,50}?(?:access|auth|api|credential|creds|key|passw(?:or)?d|secret|token)(?:[ \t\w.-]{0,20})[\s'"]{0,3}(?:=|>|:{1,3}=|\|\||:|=>|\?=|,)[`'"\s=]{0,5}([A-Za-z0-9/+]{40})(?:[`'"\s;]|\\[nr]|$)/gi,
    entropy: 3.5,
    keywords: ['access', 'api', 'auth', 'key', 'credential', 'creds', 'passwd', 'password', 'secret', 'token'],
    allowlists: [],
  },
  {
    id: 'private-key',
    description: 'Identified a Private Key, which may compromise cryptographic security and sensitive data encryption.',
    regex: /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----[\s\S-]{64,}?KEY(?: BLOCK)?-----/gi,
    keywords: ['-----begin'],
    allowlists: [],
  },
];

export function shannonEntropy(data: string): number {
  if (data === '') return 0;
  const counts = new Map<string, number>();
  for (const ch of data) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const freq = count / data.length;
    entropy -= freq * Math.log2(freq);
  }
  return entropy;
}

/** Go regexp syntax → JavaScript: inline flags `(?i)` at the start become the `i` flag. */
function goRegex(source: string): RegExp {
  let flags = 'g';
  let body = source;
  const inline = /^\(\?([a-z]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    body = body.slice(inline[0].length);
  }
  return new RegExp(body, flags);
}

export interface Config {
  readonly rules: readonly Rule[];
  readonly allowlists: readonly Allowlist[];
}

export type TomlParse = (text: string) => Record<string, unknown>;

/** The rules and allowlists of a `.gitleaks.toml` (smol-toml's `parse` is passed in: it is an ES module). */
export function loadConfig(text: string | undefined, parseToml?: TomlParse): Config {
  if (text === undefined || !parseToml) return { rules: DEFAULT_RULES, allowlists: [] };
  const doc = parseToml(text);
  const toAllowlist = (a: Record<string, unknown>): Allowlist =>
    allowlist({
      paths: ((a.paths as string[] | undefined) ?? []).map((p) => goRegex(p)),
      regexes: ((a.regexes as string[] | undefined) ?? []).map((p) => goRegex(p)),
      stopwords: (a.stopwords as string[] | undefined) ?? [],
      regexTarget: (a.regexTarget as Allowlist['regexTarget'] | undefined) ?? 'secret',
    });
  const allowlistsOf = (node: Record<string, unknown>): Allowlist[] => [
    ...(node.allowlist ? [toAllowlist(node.allowlist as Record<string, unknown>)] : []),
    ...((node.allowlists as Record<string, unknown>[] | undefined) ?? []).map(toAllowlist),
  ];
  const custom = ((doc.rules as Record<string, unknown>[] | undefined) ?? []).map((r): Rule => ({
    id: String(r.id),
    description: str(r.description ?? ''),
    regex: goRegex(str(r.regex ?? '(?!)')),
    ...(typeof r.secretGroup === 'number' ? { secretGroup: r.secretGroup } : {}),
    ...(typeof r.entropy === 'number' ? { entropy: r.entropy } : {}),
    keywords: ((r.keywords as string[] | undefined) ?? []).map((k) => k.toLowerCase()),
    ...(typeof r.path === 'string' ? { path: goRegex(r.path) } : {}),
    allowlists: allowlistsOf(r),
  }));
  const useDefault = (doc.extend as { useDefault?: boolean } | undefined)?.useDefault === true;
  const rules = useDefault || custom.length === 0 ? [...DEFAULT_RULES, ...custom] : custom;
  return { rules, allowlists: allowlistsOf(doc) };
}

function allowed(list: Allowlist, file: string, secret: string, match: string, line: string): boolean {
  if (list.paths.some((p) => new RegExp(p.source, p.flags.replace('g', '')).test(file))) return true;
  const target = list.regexTarget === 'match' ? match : list.regexTarget === 'line' ? line : secret;
  if (list.regexes.some((r) => new RegExp(r.source, r.flags.replace('g', '')).test(target))) return true;
  return list.stopwords.some((w) => secret.toLowerCase().includes(w.toLowerCase()));
}

export function scanText(file: string, text: string, config: Config): Finding[] {
  if (config.allowlists.some((a) => allowed(a, file, '\0', '\0', '\0') && a.paths.length > 0)) return [];
  const lower = text.toLowerCase();
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (index: number): { line: number; column: number } => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid] <= index) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: index - lineStarts[lo] + 1 };
  };
  const findings: Finding[] = [];
  for (const rule of config.rules) {
    if (rule.path && !new RegExp(rule.path.source, rule.path.flags.replace('g', '')).test(file)) continue;
    if (rule.keywords.length > 0 && !rule.keywords.some((k) => lower.includes(k))) continue;
    for (const m of text.matchAll(new RegExp(rule.regex.source, rule.regex.flags))) {
      const match = m[0];
      const secret = m[rule.secretGroup ?? (m.length > 1 ? 1 : 0)] ?? match;
      const entropy = shannonEntropy(secret);
      if (rule.entropy !== undefined && entropy <= rule.entropy) continue;
      const start = position(m.index + match.indexOf(secret));
      const end = position(m.index + match.length - 1);
      const lineText = text.slice(
        lineStarts[start.line - 1],
        lineStarts[start.line] === undefined ? undefined : lineStarts[start.line] - 1,
      );
      if ([...rule.allowlists, ...config.allowlists].some((a) => allowed(a, file, secret, match, lineText))) continue;
      findings.push({
        RuleID: rule.id,
        Description: rule.description,
        StartLine: start.line,
        EndLine: end.line,
        StartColumn: start.column,
        EndColumn: end.column,
        Match: match.trim(),
        Secret: secret,
        File: file,
        SymlinkFile: '',
        Commit: '',
        Entropy: Math.round(entropy * 1e6) / 1e6,
        Author: '',
        Email: '',
        Date: '',
        Message: '',
        Tags: [],
        Fingerprint: `${file}:${rule.id}:${start.line}`,
        line: lineText,
      });
    }
  }
  return findings;
}

/** Text files under root, as gitleaks' directory walk sees them (skips .git and binary files). */
function* walk(root: string, dir = root): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== '.git') yield* walk(root, path);
    } else if (entry.isFile()) yield path;
  }
}

export function scanDirectory(root: string, config: Config): { findings: Finding[]; bytes: number } {
  const ignore = new Set(
    existsSync(join(root, '.gitleaksignore'))
      ? readFileSync(join(root, '.gitleaksignore'), 'utf8')
          .split('\n')
          .map((l) => l.trim())
          .filter((l) => l && !l.startsWith('#'))
      : [],
  );
  let bytes = 0;
  const findings: Finding[] = [];
  for (const path of walk(root)) {
    const content = readFileSync(path);
    if (content.subarray(0, 8000).includes(0)) continue;
    bytes += content.length;
    const file = relative(root, path) || path;
    for (const f of scanText(root === '.' ? file : join(root, file), content.toString('utf8'), config))
      if (!ignore.has(f.Fingerprint)) findings.push(f);
  }
  return { findings, bytes };
}

export function redact(f: Finding): Finding {
  return {
    ...f,
    Match: f.Match.split(f.Secret).join('REDACTED'),
    Secret: 'REDACTED',
    line: f.line.split(f.Secret).join('REDACTED'),
  };
}

/** What `--verbose` prints for a finding (no colour: the build log is not a terminal). */
export function formatVerbose(f: Finding): string {
  const row = (k: string, v: string | number): string => `${k.padEnd(12)} ${v}\n`;
  return (
    row('Finding:', f.Match) +
    row('Secret:', f.Secret) +
    row('RuleID:', f.RuleID) +
    row('Entropy:', f.Entropy.toFixed(6)) +
    row('File:', f.File) +
    row('Line:', f.StartLine) +
    row('Fingerprint:', f.Fingerprint) +
    '\n'
  );
}

const reportFields = (f: Finding): Omit<Finding, 'line'> => {
  const { line: _line, ...rest } = f;
  return rest;
};

export function formatJsonReport(findings: readonly Finding[]): string {
  return `${JSON.stringify(findings.map(reportFields), null, ' ')}\n`;
}

/** Go's encoding/xml escaping (attribute values and character data). */
function xmlEscape(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;')
    .replace(/\t/g, '&#x9;')
    .replace(/\n/g, '&#xA;')
    .replace(/\r/g, '&#xD;');
}

export function junitMessage(f: Finding): string {
  return `${f.RuleID} has detected a secret in file ${f.File}, line ${f.StartLine}.`;
}

/** gitleaks' JUnit report: one testsuite "gitleaks", a failed testcase per finding. */
export function formatJunitReport(findings: readonly Finding[]): string {
  const cases = findings.map((f) => {
    const data = JSON.stringify(reportFields(f), null, '\t');
    return (
      `\t\t<testcase classname="${xmlEscape(f.Description)}" file="${xmlEscape(f.File)}" name="${xmlEscape(junitMessage(f))}" time="">\n` +
      `\t\t\t<failure message="${xmlEscape(junitMessage(f))}" type="${xmlEscape(f.Description)}">${xmlEscape(data)}</failure>\n` +
      `\t\t</testcase>`
    );
  });
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n' +
    `\t<testsuite failures="${findings.length}" name="gitleaks" tests="${findings.length}" time="">` +
    (cases.length > 0 ? `\n${cases.join('\n')}\n\t` : '') +
    '</testsuite>\n</testsuites>'
  );
}

function kitchenTime(date: Date): string {
  const h = date.getHours() % 12 || 12;
  return `${h}:${String(date.getMinutes()).padStart(2, '0')}${date.getHours() < 12 ? 'AM' : 'PM'}`;
}

export async function main(
  argv: readonly string[],
  out: (s: string) => void,
  err: (s: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'version' || command === '--version') {
    out('8.21.2\n');
    return 0;
  }
  if (command !== 'dir' && command !== 'detect' && command !== 'directory' && command !== 'files') {
    err(`Error: unknown command "${command ?? ''}" for "gitleaks"\nRun 'gitleaks --help' for usage.\n`);
    return 1;
  }
  let source = '.';
  let redactSecrets = false;
  let verbose = false;
  let exitCode = 1;
  let reportFormat = 'json';
  let reportPath: string | undefined;
  let configPath = env.GITLEAKS_CONFIG;
  let noGit = command !== 'detect';
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].includes('=') ? rest[i].split(/=(.*)/s, 2) : [rest[i], undefined];
    const value = (): string => inline ?? rest[++i] ?? '';
    if (flag === '--redact') redactSecrets = true;
    else if (flag === '-v' || flag === '--verbose') verbose = true;
    else if (flag === '--no-banner' || flag === '--no-color' || flag === '--ignore-gitleaks-allow') continue;
    else if (flag === '--no-git') noGit = true;
    else if (flag === '--exit-code') exitCode = Number(value());
    else if (flag === '-f' || flag === '--report-format') reportFormat = value();
    else if (flag === '-r' || flag === '--report-path') reportPath = value();
    else if (flag === '-c' || flag === '--config') configPath = value();
    else if (flag === '-s' || flag === '--source') source = value();
    else if (flag.startsWith('-')) {
      err(`Error: unknown flag: ${flag}\n`);
      return 1;
    } else source = flag;
  }
  const time = kitchenTime(new Date());
  if (!noGit) {
    err(`${time} ERR [git] fatal: not a git repository (or any of the parent directories): .git\n`);
    err(`${time} ERR failed to scan Git repository error="stderr is not empty"\n`);
    return 1;
  }
  if (!['json', 'junit', 'csv', 'sarif'].includes(reportFormat)) {
    err(`${time} FTL unknown report format ${reportFormat}\n`);
    return 1;
  }
  if (reportFormat === 'csv' || reportFormat === 'sarif') {
    err(`${time} FTL the sandbox gitleaks stand-in writes json and junit reports only\n`);
    return 1;
  }
  if (!existsSync(source)) {
    err(`${time} FTL stat ${source}: no such file or directory\n`);
    return 1;
  }
  const configFile = configPath ?? (statSync(source).isDirectory() ? join(source, '.gitleaks.toml') : undefined);
  const { parse } = await import('smol-toml');
  const config = loadConfig(configFile && existsSync(configFile) ? readFileSync(configFile, 'utf8') : undefined, parse);
  const started = Date.now();
  const scanned = statSync(source).isDirectory()
    ? scanDirectory(source, config)
    : { findings: scanText(source, readFileSync(source, 'utf8'), config), bytes: statSync(source).size };
  const findings = redactSecrets ? scanned.findings.map(redact) : scanned.findings;
  if (verbose) for (const f of findings) out(formatVerbose(f));
  err(`${time} INF scanned ~${scanned.bytes} bytes (${formatBytes(scanned.bytes)}) in ${Date.now() - started}ms\n`);
  if (findings.length > 0) err(`${time} WRN leaks found: ${findings.length}\n`);
  else err(`${time} INF no leaks found\n`);
  if (reportPath) {
    mkdirSync(dirname(reportPath), { recursive: true });
    writeFileSync(reportPath, reportFormat === 'junit' ? formatJunitReport(findings) : formatJsonReport(findings));
  }
  return findings.length > 0 ? exitCode : 0;
}

function formatBytes(n: number): string {
  if (n < 1000) return `${n} bytes`;
  if (n < 1_000_000) return `${(n / 1000).toFixed(2)} KB`;
  return `${(n / 1_000_000).toFixed(2)} MB`;
}
