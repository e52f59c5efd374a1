// Stand-in for hadolint 2.12.0 (the Dockerfile linter), for the flags the pipeline template uses:
// `hadolint [--no-color] [--failure-threshold LEVEL] [--format json|tty] [-c CONFIG] DOCKERFILE…`
// and `--version`. It implements a documented subset of hadolint's rules with hadolint's codes,
// default levels and messages (checked against hadolint's README rule table and its rule sources):
//   DL3000 error   Use absolute WORKDIR
//   DL3002 warning Last USER should not be root
//   DL3004 error   Do not use sudo …
//   DL3006 warning Always tag the version of an image explicitly
//   DL3007 warning Using latest is prone to errors …
//   DL3008 warning Pin versions in apt get install …
//   DL3020 error   Use COPY instead of ADD for files and folders
//   DL3025 warning Use arguments JSON notation for CMD and ENTRYPOINT arguments
//   DL4000 error   MAINTAINER is deprecated
//   DL1000 error   (parse errors)
// Configuration as hadolint reads it: `.hadolint.yaml` in the working directory (or -c FILE) with
// `ignored`, `failure-threshold` and `override`; `# hadolint ignore=DLxxxx` above an instruction.
// Output: hadolint's JSON formatter (an array of {code, column, file, level, line, message}) or
// its tty lines `Dockerfile:3 DL3007 warning: …`. Exit status 1 when a finding is at or above the
// failure threshold (default: info), as hadolint does. Not implemented: ShellCheck (SC….) rules and
// the other DL rules.
import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { execForm, parseDockerfile, parseReference, words, DockerfileParseError, type Instruction } from './dockerfile';

export type Level = 'error' | 'warning' | 'info' | 'style';
const RANK: Record<string, number> = { style: 1, info: 2, warning: 3, error: 4, ignore: 5, none: 6 };

export interface LintFinding {
  code: string;
  column: number;
  file: string;
  level: Level;
  line: number;
  message: string;
}

export interface LintConfig {
  readonly ignored: readonly string[];
  readonly override: Partial<Record<Level, readonly string[]>>;
  readonly failureThreshold?: string;
}

const MESSAGES: Record<string, [Level, string]> = {
  DL3000: ['error', 'Use absolute WORKDIR'],
  DL3002: ['warning', 'Last USER should not be root'],
  DL3004: ['error', 'Do not use sudo as it leads to unpredictable behavior. Use a tool like gosu to enforce root'],
  DL3006: ['warning', 'Always tag the version of an image explicitly'],
  DL3007: [
    'warning',
    'Using latest is prone to errors if the image will ever update. Pin the version explicitly to a release tag',
  ],
  DL3008: [
    'warning',
    'Pin versions in apt get install. Instead of `apt-get install <package>` use `apt-get install <package>=<version>`',
  ],
  DL3020: ['error', 'Use COPY instead of ADD for files and folders'],
  DL3025: ['warning', 'Use arguments JSON notation for CMD and ENTRYPOINT arguments'],
  DL4000: ['error', 'MAINTAINER is deprecated'],
};

export function lintDockerfile(text: string, file: string, config: LintConfig): LintFinding[] {
  let instructions: Instruction[];
  try {
    instructions = parseDockerfile(text);
  } catch (error) {
    if (!(error instanceof DockerfileParseError)) throw error;
    return [{ code: 'DL1000', column: error.column, file, level: 'error', line: error.line, message: error.message }];
  }
  const raw: { code: string; line: number; ignored: readonly string[] }[] = [];
  const hit = (code: string, at: Instruction): void => void raw.push({ code, line: at.line, ignored: at.ignored });
  const stages = new Set<string>();
  let lastUser: Instruction | undefined;
  for (const ins of instructions) {
    const args = ins.args;
    switch (ins.keyword) {
      case 'FROM': {
        const [image = '', as, alias] = words(args.replace(/--platform=\S+\s*/, ''));
        if (as?.toUpperCase() === 'AS' && alias) stages.add(alias.toLowerCase());
        // DL3002 looks at each stage's last USER, as hadolint does.
        if (lastUser && isRoot(lastUser.args)) hit('DL3002', lastUser);
        lastUser = undefined;
        if (image === 'scratch' || stages.has(image.toLowerCase()) || image.startsWith('$')) break;
        const ref = parseReference(image);
        if (ref.digest) break;
        if (ref.tag === undefined) hit('DL3006', ins);
        else if (ref.tag === 'latest') hit('DL3007', ins);
        break;
      }
      case 'USER':
        lastUser = ins;
        break;
      case 'WORKDIR':
        if (!/^(["']?)(\/|\$|[A-Za-z]:)/.test(args)) hit('DL3000', ins);
        break;
      case 'MAINTAINER':
        hit('DL4000', ins);
        break;
      case 'ADD': {
        const parts = words(args).filter((w) => !w.startsWith('--'));
        const sources = parts.slice(0, -1);
        if (sources.some((s) => !/^https?:\/\//.test(s) && !/\.(tar|tar\.\w+|tgz|tbz2?|txz)$/.test(s)))
          hit('DL3020', ins);
        break;
      }
      case 'CMD':
      case 'ENTRYPOINT':
        if (execForm(args) === undefined) hit('DL3025', ins);
        break;
      case 'RUN': {
        const script = execForm(args)?.join(' ') ?? args;
        if (/(^|[;&|]\s*)sudo\s/.test(script)) hit('DL3004', ins);
        for (const segment of script.split(/&&|\|\||;|\|/)) {
          const m = /\bapt-get\s+(?:-\S+\s+)*install\b(.*)$/.exec(segment);
          if (!m) continue;
          // hadolint drops the argument of -t/--target-release; a package with `=`, a `/release` or
          // a .deb file counts as pinned.
          const argv = words(m[1]);
          const packages = argv.filter(
            (w, i) => !w.startsWith('-') && !['-t', '--target-release'].includes(argv[i - 1] ?? ''),
          );
          if (packages.some((p) => !p.includes('=') && !p.includes('/') && !p.endsWith('.deb'))) hit('DL3008', ins);
        }
        break;
      }
    }
  }
  if (lastUser && isRoot(lastUser.args)) hit('DL3002', lastUser);

  const findings: LintFinding[] = [];
  for (const r of raw) {
    if (config.ignored.includes(r.code) || r.ignored.includes(r.code)) continue;
    const [defaultLevel, message] = MESSAGES[r.code];
    const level =
      (Object.entries(config.override).find(([, codes]) => codes?.includes(r.code))?.[0] as Level | undefined) ??
      defaultLevel;
    findings.push({ code: r.code, column: 1, file, level, line: r.line, message });
  }
  return findings.sort((a, b) => a.line - b.line || a.code.localeCompare(b.code));
}

/** hadolint's test for root: `root`, `0`, or either followed by `:group`. */
function isRoot(user: string): boolean {
  return /^(root|0)(:.*)?$/.test(user.trim());
}

export function failsThreshold(findings: readonly LintFinding[], threshold: string): boolean {
  const bar = RANK[threshold] ?? RANK.info;
  return findings.some((f) => RANK[f.level] >= bar);
}

/** hadolint's JSON formatter: keys in alphabetical order, no spaces. */
export function formatJson(findings: readonly LintFinding[]): string {
  return JSON.stringify(
    findings.map((f) => ({
      code: f.code,
      column: f.column,
      file: f.file,
      level: f.level,
      line: f.line,
      message: f.message,
    })),
  );
}

export function formatTty(findings: readonly LintFinding[]): string {
  return findings.map((f) => `${f.file}:${f.line} ${f.code} ${f.level}: ${f.message}\n`).join('');
}

export function readConfig(path: string | undefined): LintConfig {
  const candidate = path ?? ['.hadolint.yaml', '.hadolint.yml'].find((p) => existsSync(p));
  if (!candidate) return { ignored: [], override: {} };
  const doc = (parseYaml(readFileSync(candidate, 'utf8')) ?? {}) as Record<string, unknown>;
  const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const override = (doc.override ?? {}) as Record<string, unknown>;
  return {
    ignored: list(doc.ignored),
    override: {
      error: list(override.error),
      warning: list(override.warning),
      info: list(override.info),
      style: list(override.style),
    },
    ...(typeof doc['failure-threshold'] === 'string' ? { failureThreshold: doc['failure-threshold'] } : {}),
  };
}

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  let threshold: string | undefined;
  let format = 'tty';
  let configPath: string | undefined;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--version' || a === '-v') {
      out('Haskell Dockerfile Linter 2.12.0\n');
      return 0;
    } else if (a === '--no-color' || a === '--no-fail' || a === '-V' || a === '--verbose') continue;
    else if (a === '--failure-threshold' || a === '-t') threshold = argv[++i];
    else if (a.startsWith('--failure-threshold=')) threshold = a.slice(20);
    else if (a === '--format' || a === '-f') format = argv[++i] ?? 'tty';
    else if (a.startsWith('--format=')) format = a.slice(9);
    else if (a === '--config' || a === '-c') configPath = argv[++i];
    else if (a === '--ignore') continue;
    else if (a.startsWith('-') && a !== '-') {
      err(`Invalid option \`${a}'\n`);
      return 1;
    } else files.push(a);
  }
  if (!['tty', 'json'].includes(format)) {
    err(`option --format: cannot parse value \`${format}'\n`);
    return 1;
  }
  if (threshold !== undefined && !(threshold in RANK)) {
    err(`option --failure-threshold: cannot parse value \`${threshold}'\n`);
    return 1;
  }
  const config = readConfig(configPath);
  const effectiveThreshold = threshold ?? config.failureThreshold ?? 'info';
  const all: LintFinding[] = [];
  for (const file of files.length > 0 ? files : ['Dockerfile']) {
    if (!existsSync(file)) {
      err(`${file}: openFile: does not exist (No such file or directory)\n`);
      return 1;
    }
    all.push(...lintDockerfile(readFileSync(file, 'utf8'), file, config));
  }
  out(format === 'json' ? `${formatJson(all)}\n` : formatTty(all));
  return failsThreshold(all, effectiveThreshold) ? 1 : 0;
}
