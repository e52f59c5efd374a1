// The pre-push secret scan, bundled as its own chunk (dist/secretScan.js) and required only when
// Commit and Push runs (secretScanLoader.ts), so activation never parses secretlint.
//
// secretlint (@secretlint/core with @secretlint/secretlint-rule-preset-recommend) finds private keys,
// AWS secret access keys and the tokens of GitHub, npm, Slack, GCP and ~25 other services. The
// pipeline's gitleaks decides whether the Build fails, so where the two differ the pre-push scan
// follows gitleaks: a key id alone is a finding (gitleaks' aws-access-token rule, added here as a
// secretlint rule with gitleaks' regex, entropy threshold and EXAMPLE allowlist, instead of
// secretlint's broader ID scan that also reports user and role ids), and the repository's
// `.gitleaks.toml`/`.gitleaksignore` allowlists apply (gitleaksConfig.ts). The secret itself never
// leaves this module: findings carry the file, line and kind.
import { isAllowed, parseGitleaksConfig, type GitleaksConfig } from './gitleaksConfig';

// The parts of the libraries this module uses. They are ES modules, imported dynamically (esbuild
// still bundles them into this chunk); written out here because a CommonJS file cannot name their
// types without import attributes, which the type-aware lint does not resolve.
interface LintMessage {
  readonly type: string;
  readonly ruleId: string;
  readonly messageId?: string;
  readonly docsUrl?: string;
  readonly range: readonly [number, number];
  readonly loc: { readonly start: { readonly line: number } };
}
interface SecretlintCore {
  lintSource(options: {
    source: { filePath: string; content: string; contentType: 'text' };
    options: { config: { rules: RuleEntry[] }; maskSecrets: boolean; noPhysicFilePath: boolean };
  }): Promise<{ messages: LintMessage[] }>;
}
interface RuleEntry {
  readonly id: string;
  readonly rule: unknown;
  readonly rules?: readonly { readonly id: string; readonly options: Record<string, unknown> }[];
}
interface Preset {
  readonly creator: { readonly meta: { readonly id: string } };
}
interface Toml {
  parse(text: string): Record<string, unknown>;
}

let libraries: Promise<{ core: SecretlintCore; preset: Preset; toml: Toml }> | undefined;

function loadLibraries(): Promise<{ core: SecretlintCore; preset: Preset; toml: Toml }> {
  libraries ??= Promise.all([
    import('@secretlint/core') as Promise<unknown> as Promise<SecretlintCore>,
    import('@secretlint/secretlint-rule-preset-recommend') as Promise<unknown> as Promise<Preset>,
    import('smol-toml') as Promise<unknown> as Promise<Toml>,
  ]).then(([core, preset, toml]) => ({ core, preset, toml }));
  return libraries;
}

export interface ScanInput {
  readonly added: readonly {
    readonly commit?: string;
    readonly path: string;
    readonly content: string;
    readonly lines: readonly number[];
  }[];
  readonly gitleaksConfig?: string;
  readonly gitleaksIgnore?: string;
}

export interface SecretFinding {
  readonly path: string;
  /** 1-based line in the file (of the commit that adds it, or of the staged file). */
  readonly line: number;
  /** The commit ahead of the remote that adds it; undefined for the staged changes. */
  readonly commit?: string;
  /** gitleaks' id for the same kind of secret (what the pipeline's report would name). */
  readonly ruleId: string;
  /** "an AWS access key". */
  readonly kind: string;
  readonly docsUrl?: string;
}

export interface ScanResult {
  readonly findings: readonly SecretFinding[];
  /** Files (per commit) scanned. */
  readonly files: number;
  /** A `.gitleaks.toml` that could not be read; the scan went on without its allowlists. */
  readonly configProblem?: string;
}

const AWS_ACCESS_TOKEN_DOCS = 'https://github.com/gitleaks/gitleaks/blob/v8.21.2/config/gitleaks.toml';

/** gitleaks' aws-access-token: `\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b`, entropy > 3, not `.+EXAMPLE$`. */
const gitleaksAwsAccessToken = {
  messages: { AWS_ACCESS_TOKEN: { en: () => 'found an AWS access key id' } },
  meta: {
    id: 'gitleaks/aws-access-token',
    recommended: true,
    type: 'scanner',
    supportedContentTypes: ['text'],
    docs: { url: AWS_ACCESS_TOKEN_DOCS },
  },
  create(context: {
    createTranslator: (m: unknown) => (id: 'AWS_ACCESS_TOKEN') => unknown;
    report: (d: { message: unknown; range: readonly [number, number] }) => void;
  }) {
    const t = context.createTranslator(gitleaksAwsAccessToken.messages);
    return {
      file(source: { content: string }) {
        for (const m of source.content.matchAll(/\b((?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16})\b/g)) {
          const secret = m[1];
          if (shannonEntropy(secret) <= 3 || /.+EXAMPLE$/.test(secret)) {
            continue;
          }
          context.report({ message: t('AWS_ACCESS_TOKEN'), range: [m.index, m.index + secret.length] });
        }
      },
    };
  },
};

export function shannonEntropy(data: string): number {
  const counts = new Map<string, number>();
  for (const ch of data) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / data.length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function rules(preset: Preset): RuleEntry[] {
  return [
    { id: gitleaksAwsAccessToken.meta.id, rule: gitleaksAwsAccessToken },
    {
      id: preset.creator.meta.id,
      rule: preset.creator,
      // secretlint's own ID scan stays off (its default): the gitleaks rule above covers key ids.
      rules: [{ id: '@secretlint/secretlint-rule-aws', options: { enableIDScanRule: false } }],
    },
  ];
}

/** What a secretlint message found, in words, and gitleaks' id for the same kind of secret. */
const KINDS: Record<string, { kind: string; ruleId: string }> = {
  AWS_ACCESS_TOKEN: { kind: 'an AWS access key', ruleId: 'aws-access-token' },
  AWSSecretAccessKey: { kind: 'an AWS secret access key', ruleId: 'generic-api-key' },
  PrivateKey: { kind: 'a private key', ruleId: 'private-key' },
  PrivateKeyJSON: { kind: 'a private key', ruleId: 'private-key' },
  PrivateKeyP12: { kind: 'a private key', ruleId: 'private-key' },
  GITHUB_TOKEN: { kind: 'a GitHub token', ruleId: 'github-pat' },
  GITLAB_PERSONAL_ACCESS_TOKEN: { kind: 'a GitLab token', ruleId: 'gitlab-pat' },
  NPM_ACCESS_TOKEN: { kind: 'an npm token', ruleId: 'npm-access-token' },
  Npmrc_authToken: { kind: 'an npm token', ruleId: 'npm-access-token' },
  SLACK_TOKEN: { kind: 'a Slack token', ruleId: 'slack-bot-token' },
  IncomingWebhook: { kind: 'a Slack webhook URL', ruleId: 'slack-webhook-url' },
  BasicAuth: { kind: 'a password in a URL', ruleId: 'basic-auth' },
  OPENAI_TOKEN: { kind: 'an OpenAI API key', ruleId: 'openai-api-key' },
  ANTHROPIC_API_KEY: { kind: 'an Anthropic API key', ruleId: 'anthropic-api-key' },
  SENDGRID_KEY: { kind: 'a SendGrid API key', ruleId: 'sendgrid-api-token' },
};

function kindOf(messageId: string | undefined, ruleId: string): { kind: string; ruleId: string } {
  const known = messageId ? KINDS[messageId] : undefined;
  if (known) {
    return known;
  }
  const short = ruleId.replace(/^@secretlint\/secretlint-rule-/, '');
  return { kind: `a secret (${short})`, ruleId: short };
}

export async function scanForSecrets(input: ScanInput): Promise<ScanResult> {
  const { core, preset, toml } = await loadLibraries();
  const parseToml = (text: string) => toml.parse(text);
  const RULES = rules(preset);
  let config: GitleaksConfig;
  let configProblem: string | undefined;
  try {
    config = parseGitleaksConfig(input.gitleaksConfig, input.gitleaksIgnore, parseToml);
  } catch (error) {
    configProblem = `.gitleaks.toml: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    config = parseGitleaksConfig(undefined, input.gitleaksIgnore, parseToml);
  }
  const findings: SecretFinding[] = [];
  const seen = new Set<string>();
  for (const piece of input.added) {
    const result = await core.lintSource({
      source: { filePath: piece.path, content: piece.content, contentType: 'text' },
      options: { config: { rules: RULES }, maskSecrets: true, noPhysicFilePath: true },
    });
    const rows = piece.content.split('\n');
    for (const message of result.messages) {
      if (message.type !== 'message') {
        continue;
      }
      const row = message.loc.start.line;
      const { kind, ruleId } = kindOf(message.messageId, message.ruleId);
      const secret = piece.content.slice(message.range[0], message.range[1]);
      const line = piece.lines[row - 1] ?? row;
      const candidate = {
        ruleId,
        path: piece.path,
        line,
        commit: piece.commit,
        secret,
        match: secret,
        lineText: rows[row - 1] ?? '',
      };
      const key = `${piece.commit ?? ''}:${piece.path}:${line}:${ruleId}`;
      if (seen.has(key) || isAllowed(config, candidate)) {
        continue;
      }
      seen.add(key);
      findings.push({
        path: piece.path,
        line,
        ...(piece.commit ? { commit: piece.commit } : {}),
        ruleId,
        kind,
        ...(message.docsUrl ? { docsUrl: message.docsUrl } : {}),
      });
    }
  }
  return { findings, files: input.added.length, ...(configProblem ? { configProblem } : {}) };
}
