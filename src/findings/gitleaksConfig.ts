// The parts of a repository's `.gitleaks.toml` and `.gitleaksignore` that decide whether a finding is
// a reviewed false positive, with gitleaks' semantics (detect/detect.go, config/allowlist.go):
//   [allowlist] and [[allowlists]]  paths (regexes on the file path), regexes (on the secret, or the
//                                   match or the line with regexTarget), stopwords (in the secret,
//                                   case-insensitive), commits (SHAs); any one suffices, or all given
//                                   ones with condition = "AND"
//   [[rules]] id = … [[rules.allowlists]]  the same, for one rule only
//   .gitleaksignore                 fingerprints `file:rule:line` (or `commit:file:rule:line`)
//   a line containing `gitleaks:allow`
// The TOML parser is passed in, so this module stays free of the lazily loaded chunk's libraries.

export interface Allowlist {
  readonly condition: 'OR' | 'AND';
  readonly paths: readonly RegExp[];
  readonly regexes: readonly RegExp[];
  readonly regexTarget: 'secret' | 'match' | 'line';
  readonly stopwords: readonly string[];
  readonly commits: readonly string[];
}

export interface GitleaksConfig {
  readonly allowlists: readonly Allowlist[];
  /** Allowlists of single rules, by rule id. */
  readonly ruleAllowlists: ReadonlyMap<string, readonly Allowlist[]>;
  readonly ignoredFingerprints: ReadonlySet<string>;
}

/** What allowlists judge: a candidate finding, without its secret ever leaving this check. */
export interface Candidate {
  readonly ruleId: string;
  readonly path: string;
  readonly line: number;
  readonly commit?: string;
  readonly secret: string;
  readonly match: string;
  readonly lineText: string;
}

export const EMPTY_CONFIG: GitleaksConfig = {
  allowlists: [],
  ruleAllowlists: new Map(),
  ignoredFingerprints: new Set(),
};

/** Go RE2 syntax as JavaScript: a leading `(?i)`/`(?s)` becomes a flag; the rest reads the same. */
export function goRegex(source: string): RegExp {
  let flags = 'u';
  let body = source;
  const inline = /^\(\?([imsU]+)\)/.exec(body);
  if (inline) {
    if (inline[1].includes('i')) flags += 'i';
    if (inline[1].includes('s')) flags += 's';
    if (inline[1].includes('m')) flags += 'm';
    body = body.slice(inline[0].length);
  }
  try {
    return new RegExp(body, flags);
  } catch {
    return new RegExp(body, flags.replace('u', ''));
  }
}

type Table = Record<string, unknown>;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function allowlistOf(t: Table): Allowlist {
  const target = t.regexTarget;
  return {
    condition: typeof t.condition === 'string' && t.condition.toUpperCase() === 'AND' ? 'AND' : 'OR',
    paths: strings(t.paths).map(goRegex),
    regexes: strings(t.regexes).map(goRegex),
    regexTarget: target === 'match' || target === 'line' ? target : 'secret',
    stopwords: strings(t.stopwords),
    commits: strings(t.commits),
  };
}

function allowlistsOf(node: Table): Allowlist[] {
  const single = node.allowlist;
  const many = node.allowlists;
  return [
    ...(single && typeof single === 'object' && !Array.isArray(single) ? [allowlistOf(single as Table)] : []),
    ...(Array.isArray(many) ? (many as Table[]).map(allowlistOf) : []),
  ];
}

export function parseGitleaksConfig(
  toml: string | undefined,
  ignore: string | undefined,
  parseToml: (text: string) => Table,
): GitleaksConfig {
  const doc = toml ? parseToml(toml) : {};
  const ruleAllowlists = new Map<string, Allowlist[]>();
  for (const rule of Array.isArray(doc.rules) ? (doc.rules as Table[]) : []) {
    const lists = allowlistsOf(rule);
    if (typeof rule.id === 'string' && lists.length > 0) {
      ruleAllowlists.set(rule.id, [...(ruleAllowlists.get(rule.id) ?? []), ...lists]);
    }
  }
  const ignoredFingerprints = new Set(
    (ignore ?? '')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#')),
  );
  return { allowlists: allowlistsOf(doc), ruleAllowlists, ignoredFingerprints };
}

const test = (r: RegExp, s: string): boolean => new RegExp(r.source, r.flags.replace('g', '')).test(s);

export function allowedBy(list: Allowlist, c: Candidate): boolean {
  const target = list.regexTarget === 'match' ? c.match : list.regexTarget === 'line' ? c.lineText : c.secret;
  const checks: [boolean, () => boolean][] = [
    [list.commits.length > 0, () => c.commit !== undefined && list.commits.includes(c.commit)],
    [list.paths.length > 0, () => list.paths.some((p) => test(p, c.path))],
    [list.regexes.length > 0, () => list.regexes.some((r) => test(r, target))],
    [list.stopwords.length > 0, () => list.stopwords.some((w) => c.secret.toLowerCase().includes(w.toLowerCase()))],
  ];
  const given = checks.filter(([present]) => present);
  if (given.length === 0) {
    return false;
  }
  return list.condition === 'AND' ? given.every(([, check]) => check()) : given.some(([, check]) => check());
}

/** Whether the repository's configuration accepts this finding (so neither gitleaks nor we report it). */
export function isAllowed(config: GitleaksConfig, c: Candidate): boolean {
  if (c.lineText.includes('gitleaks:allow')) {
    return true;
  }
  const fingerprint = `${c.path}:${c.ruleId}:${c.line}`;
  if (
    config.ignoredFingerprints.has(fingerprint) ||
    (c.commit !== undefined && config.ignoredFingerprints.has(`${c.commit}:${fingerprint}`))
  ) {
    return true;
  }
  const lists = [...config.allowlists, ...(config.ruleAllowlists.get(c.ruleId) ?? [])];
  return lists.some((list) => allowedBy(list, c));
}
