// Dockerfile parsing shared by the docker and hadolint stand-ins: instructions with their line
// numbers, line continuations, comments and `# hadolint ignore=` pragmas, JSON and shell forms.
// Heredocs and parser directives other than `escape` are not supported (the parse fails on them).

export interface Instruction {
  /** Upper-case keyword: FROM, RUN, COPY… */
  readonly keyword: string;
  /** The arguments as written (continuations joined with a space). */
  readonly args: string;
  /** 1-based line of the keyword. */
  readonly line: number;
  /** Rule codes a `# hadolint ignore=` comment right above disables. */
  readonly ignored: readonly string[];
}

export const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

export class DockerfileParseError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseDockerfile(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  const escape = /^#\s*escape\s*=\s*`/i.test(lines[0] ?? '') ? '`' : '\\';
  const out: Instruction[] = [];
  let pendingIgnores: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const trimmed = raw.trim();
    if (trimmed === '') continue;
    if (trimmed.startsWith('#')) {
      const pragma = /^#\s*hadolint\s+ignore\s*=\s*([A-Z0-9,\s]+)$/i.exec(trimmed);
      if (pragma) pendingIgnores = pragma[1].split(',').map((s) => s.trim().toUpperCase());
      continue;
    }
    const startLine = i + 1;
    let body = trimmed;
    while (body.endsWith(escape) && i + 1 < lines.length) {
      body = body.slice(0, -1);
      i++;
      const next = lines[i].trim();
      if (next.startsWith('#')) continue; // comments inside continuations are dropped, as docker does
      body += ` ${next}`;
    }
    const match = /^(\S+)\s*(.*)$/.exec(body);
    const keyword = (match?.[1] ?? '').toUpperCase();
    if (!KEYWORDS.has(keyword))
      throw new DockerfileParseError(startLine, 1, `unknown instruction: ${match?.[1] ?? body}`);
    if (/<<-?["']?[A-Za-z]/.test(match?.[2] ?? ''))
      throw new DockerfileParseError(startLine, 1, 'heredocs are not supported by the sandbox Dockerfile parser');
    out.push({ keyword, args: (match?.[2] ?? '').trim(), line: startLine, ignored: pendingIgnores });
    pendingIgnores = [];
  }
  if (!out.some((i) => i.keyword === 'FROM')) throw new DockerfileParseError(1, 1, 'no build stage in current context');
  const first = out.find((i) => i.keyword !== 'ARG');
  if (first && first.keyword !== 'FROM')
    throw new DockerfileParseError(first.line, 1, `${first.keyword} requires a build stage: no FROM before it`);
  return out;
}

/** The JSON (exec) form `["a","b"]`, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    return Array.isArray(parsed) && parsed.every((a) => typeof a === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}

/** Splits shell-form words, honouring simple quotes (enough for FROM/COPY/EXPOSE/ENV arguments). */
export function words(args: string): string[] {
  const out: string[] = [];
  for (const m of args.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) out.push(m[1] ?? m[2] ?? m[3]);
  return out;
}

/** `ENV A=1 B="x y"` or the legacy `ENV A value`. */
export function envPairs(args: string): [string, string][] {
  const parts = words(args);
  if (parts.length > 0 && !parts[0].includes('=')) return [[parts[0], parts.slice(1).join(' ')]];
  return parts.map((p) => {
    const eq = p.indexOf('=');
    return [p.slice(0, eq), p.slice(eq + 1)];
  });
}

/** An image reference split like docker does: `registry/name:tag@digest`. */
export function parseReference(ref: string): { name: string; tag?: string; digest?: string } {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  const rest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > slash) return { name: rest.slice(0, colon), tag: rest.slice(colon + 1), ...(digest ? { digest } : {}) };
  return { name: rest, ...(digest ? { digest } : {}) };
}
