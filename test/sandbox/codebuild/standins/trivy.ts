// Stand-in for trivy 0.57.1 (vulnerability scanner), for the flags the pipeline template uses:
// `trivy fs PATH` and `trivy image IMAGE` with `--scanners vuln`, `--severity LIST`,
// `--ignore-unfixed`, `--exit-code N`, `--no-progress`, `--format table|json|template`,
// `--template @FILE` (trivy's contrib/junit.tpl) and `--output FILE`; `trivy --version`.
// It reads npm lock files (package-lock.json, lockfileVersion 1–3) — in the directory tree for `fs`,
// in the image's recorded files (the docker stand-in's store) for `image` — and checks every locked
// package against the pinned advisory fixture `advisories.json` next to this module instead of
// trivy's online database. `.trivyignore` (one vulnerability id per line) applies as in trivy.
// Differences from trivy: only npm packages (no OS packages, no other ecosystems); `image` reads
// the image's lock files where trivy reads installed node_modules; `--template` accepts trivy's
// junit.tpl only and writes what that template renders.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import advisoryFile from './advisories.json';
import { findImage, imageFilesDir } from './images';

export interface Advisory {
  readonly id: string;
  readonly package: string;
  readonly vulnerable: string;
  readonly fixed: string;
  readonly severity: 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'UNKNOWN';
  readonly title: string;
  readonly description: string;
}

export const ADVISORIES: readonly Advisory[] = (advisoryFile as { advisories: Advisory[] }).advisories;

export interface Vulnerability {
  VulnerabilityID: string;
  PkgName: string;
  InstalledVersion: string;
  FixedVersion: string;
  Severity: string;
  Title: string;
  Description: string;
}

export interface Result {
  Target: string;
  Class: 'lang-pkgs';
  Type: 'npm';
  Vulnerabilities: Vulnerability[];
}

function parts(v: string): number[] {
  return v
    .replace(/^v/, '')
    .split(/[.+-]/)
    .slice(0, 3)
    .map((p) => Number.parseInt(p, 10) || 0);
}

export function compareVersions(a: string, b: string): number {
  const x = parts(a);
  const y = parts(b);
  for (let i = 0; i < 3; i++) if ((x[i] ?? 0) !== (y[i] ?? 0)) return (x[i] ?? 0) - (y[i] ?? 0);
  return 0;
}

/** npm-style ranges as the advisories use them: `<1.2.6`, `>=1.0.0 <1.2.6`, joined with `||`. */
export function satisfies(version: string, range: string): boolean {
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .split(/\s+/)
      .every((comparator) => {
        const m = /^(<=|>=|<|>|=)?(.+)$/.exec(comparator);
        if (!m) return false;
        const c = compareVersions(version, m[2]);
        switch (m[1]) {
          case '<':
            return c < 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          case '>=':
            return c >= 0;
          default:
            return c === 0;
        }
      }),
  );
}

/** Locked packages of a package-lock.json (v1 `dependencies`, v2/v3 `packages`). */
export function lockedPackages(lockText: string): { name: string; version: string }[] {
  const lock = JSON.parse(lockText) as {
    packages?: Record<string, { version?: string; name?: string }>;
    dependencies?: Record<string, { version?: string; dependencies?: unknown }>;
  };
  const out = new Map<string, { name: string; version: string }>();
  if (lock.packages) {
    for (const [path, pkg] of Object.entries(lock.packages)) {
      if (path === '' || !pkg.version) continue;
      const name = pkg.name ?? path.slice(path.lastIndexOf('node_modules/') + 13);
      out.set(`${name}@${pkg.version}`, { name, version: pkg.version });
    }
  } else {
    const walkDeps = (deps: Record<string, { version?: string; dependencies?: unknown }> | undefined): void => {
      for (const [name, dep] of Object.entries(deps ?? {})) {
        if (dep.version) out.set(`${name}@${dep.version}`, { name, version: dep.version });
        walkDeps(dep.dependencies as typeof deps);
      }
    };
    walkDeps(lock.dependencies);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name) || compareVersions(a.version, b.version));
}

function lockFiles(root: string, dir = root): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules' && entry.name !== '.git')
      found.push(...lockFiles(root, path));
    else if (entry.isFile() && entry.name === 'package-lock.json') found.push(path);
  }
  return found.sort();
}

export interface ScanOptions {
  readonly severities: readonly string[];
  readonly ignoreUnfixed: boolean;
  readonly ignored: ReadonlySet<string>;
}

export function scanLockFiles(root: string, options: ScanOptions): Result[] {
  return lockFiles(root).map((file) => {
    const vulnerabilities: Vulnerability[] = [];
    for (const pkg of lockedPackages(readFileSync(file, 'utf8'))) {
      for (const a of ADVISORIES) {
        if (a.package !== pkg.name || !satisfies(pkg.version, a.vulnerable)) continue;
        if (!options.severities.includes(a.severity) || options.ignored.has(a.id)) continue;
        if (options.ignoreUnfixed && a.fixed === '') continue;
        vulnerabilities.push({
          VulnerabilityID: a.id,
          PkgName: pkg.name,
          InstalledVersion: pkg.version,
          FixedVersion: a.fixed,
          Severity: a.severity,
          Title: a.title,
          Description: a.description,
        });
      }
    }
    return { Target: relative(root, file), Class: 'lang-pkgs', Type: 'npm', Vulnerabilities: vulnerabilities };
  });
}

function escapeXml(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&#34;')
    .replace(/'/g, '&#39;');
}

/** What trivy's contrib/junit.tpl renders for vulnerability results. */
export function renderJunit(results: readonly Result[]): string {
  let out = '<?xml version="1.0" ?>\n<testsuites name="trivy">';
  for (const r of results) {
    const n = r.Vulnerabilities.length;
    out += `\n    <testsuite tests="${n}" failures="${n}" name="${escapeXml(r.Target)}" errors="0" skipped="0" time="">`;
    out += `\n        <properties>\n            <property name="type" value="${r.Type}"></property>\n        </properties>`;
    for (const v of r.Vulnerabilities) {
      out += `\n        <testcase classname="${escapeXml(`${v.PkgName}-${v.InstalledVersion}`)}" name="[${v.Severity}] ${v.VulnerabilityID}" time="">`;
      out += `\n            <failure message="${escapeXml(v.Title)}" type="description">${escapeXml(v.Description)}</failure>`;
      out += '\n        </testcase>';
    }
    out += '\n    </testsuite>';
    out += `\n    <testsuite tests="0" failures="0" name="${escapeXml(r.Target)}" errors="0" skipped="0" time="">`;
    out += `\n        <properties>\n            <property name="type" value="${r.Type}"></property>\n        </properties>`;
    out += '\n    </testsuite>';
  }
  return `${out}\n</testsuites>\n`;
}

export function renderTable(results: readonly Result[]): string {
  let out = '';
  for (const r of results) {
    const counts = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'].map(
      (s) => `${s}: ${r.Vulnerabilities.filter((v) => v.Severity === s).length}`,
    );
    out += `\n${r.Target} (npm)\n${'='.repeat(r.Target.length + 6)}\nTotal: ${r.Vulnerabilities.length} (${counts.join(', ')})\n\n`;
    for (const v of r.Vulnerabilities)
      out += `${v.PkgName}  ${v.VulnerabilityID}  ${v.Severity}  ${v.InstalledVersion}  ${v.FixedVersion}  ${v.Title}\n`;
  }
  return out;
}

function logTime(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

export function main(argv: readonly string[], out: (s: string) => void, err: (s: string) => void): number {
  if (argv[0] === '--version' || argv[0] === '-v' || argv[0] === 'version') {
    out('Version: 0.57.1\n');
    return 0;
  }
  const [command, ...rest] = argv;
  if (command !== 'fs' && command !== 'filesystem' && command !== 'image' && command !== 'i') {
    err(`Error: unknown command "${command ?? ''}" for "trivy"\nRun 'trivy --help' for usage.\n`);
    return 1;
  }
  let severities = ['UNKNOWN', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
  let ignoreUnfixed = false;
  let exitCode = 0;
  let format = 'table';
  let template: string | undefined;
  let output: string | undefined;
  let target: string | undefined;
  let ignoreFile = '.trivyignore';
  for (let i = 0; i < rest.length; i++) {
    const [flag, inline] = rest[i].startsWith('--') && rest[i].includes('=') ? rest[i].split(/=(.*)/s, 2) : [rest[i]];
    const value = (): string => inline ?? rest[++i] ?? '';
    if (flag === '--severity' || flag === '-s') severities = value().split(',');
    else if (flag === '--ignore-unfixed') ignoreUnfixed = true;
    else if (flag === '--exit-code') exitCode = Number(value());
    else if (flag === '--format' || flag === '-f') format = value();
    else if (flag === '--template' || flag === '-t') template = value();
    else if (flag === '--output' || flag === '-o') output = value();
    else if (flag === '--ignorefile') ignoreFile = value();
    else if (flag === '--scanners') {
      if (value() !== 'vuln') {
        err(`${logTime()}\tFATAL\tthe sandbox trivy stand-in scans vulnerabilities only (--scanners vuln)\n`);
        return 1;
      }
    } else if (flag === '--no-progress' || flag === '--quiet' || flag === '-q') continue;
    else if (flag.startsWith('-')) {
      err(`Error: unknown flag: ${flag}\n`);
      return 1;
    } else target = flag;
  }
  if (!target) {
    err(`${logTime()}\tFATAL\tFatal error\trequires at least 1 arg(s), only received 0\n`);
    return 1;
  }
  if (format === 'template') {
    const path = template?.startsWith('@') ? template.slice(1) : undefined;
    if (!path || !existsSync(path)) {
      err(
        `${logTime()}\tFATAL\tFatal error\treport error: unable to write results: failed to initialize template writer: error retrieving template from path: open ${path ?? template ?? ''}: no such file or directory\n`,
      );
      return 1;
    }
    if (basename(path) !== 'junit.tpl') {
      err(`${logTime()}\tFATAL\tthe sandbox trivy stand-in renders trivy's contrib/junit.tpl only\n`);
      return 1;
    }
  } else if (format !== 'table' && format !== 'json') {
    err(`${logTime()}\tFATAL\tFatal error\tinvalid argument "${format}" for "--format" flag\n`);
    return 1;
  }
  const ignored = new Set(
    existsSync(ignoreFile)
      ? readFileSync(ignoreFile, 'utf8')
          .split('\n')
          .map((l) => l.replace(/#.*/, '').trim())
          .filter(Boolean)
      : [],
  );
  let root: string;
  if (command === 'image' || command === 'i') {
    const image = findImage(target);
    if (!image) {
      err(
        `${logTime()}\tFATAL\tFatal error\trun error: image scan error: scan error: unable to initialize a scan service: unable to initialize an image scan service: unable to find the specified image "${target}" in ["docker" "containerd" "podman" "remote"]\n`,
      );
      return 1;
    }
    root = imageFilesDir(image.id);
  } else {
    if (!existsSync(target)) {
      err(
        `${logTime()}\tFATAL\tFatal error\trun error: fs scan error: scan error: stat ${target}: no such file or directory\n`,
      );
      return 1;
    }
    root = target;
  }
  err(`${logTime()}\tINFO\t[vuln] Vulnerability scanning is enabled\n`);
  const results = scanLockFiles(root, { severities, ignoreUnfixed, ignored });
  err(`${logTime()}\tINFO\tNumber of language-specific files\tnum=${results.length}\n`);
  if (results.length > 0) err(`${logTime()}\tINFO\t[npm] Detecting vulnerabilities...\n`);
  const rendered =
    format === 'template'
      ? renderJunit(results)
      : format === 'json'
        ? `${JSON.stringify({ SchemaVersion: 2, ArtifactName: target, ArtifactType: command === 'image' || command === 'i' ? 'container_image' : 'filesystem', Results: results }, null, 2)}\n`
        : renderTable(results);
  if (output) {
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, rendered);
  } else out(rendered);
  return results.some((r) => r.Vulnerabilities.length > 0) ? exitCode : 0;
}
