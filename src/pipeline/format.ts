// Small text helpers shared by the pipeline and health views: ages, durations, commit ids and
// Markdown-safe text. Everything takes `now` explicitly so output is deterministic in tests.
import * as l10n from '@vscode/l10n';

/** "just now", "42s ago", "3m ago", "2h ago", "5d ago". Minute granularity past a minute, so a view re-renders at most once a minute for it. */
export function formatAge(at: Date | undefined, now: number): string {
  if (!at) {
    return '';
  }
  const seconds = Math.max(0, Math.floor((now - at.getTime()) / 1000));
  if (seconds < 10) {
    return l10n.t('just now');
  }
  if (seconds < 60) {
    return l10n.t('{0}s ago', seconds);
  }
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return l10n.t('{0}m ago', minutes);
  }
  const hours = Math.floor(minutes / 60);
  if (hours < 48) {
    return l10n.t('{0}h ago', hours);
  }
  return l10n.t('{0}d ago', Math.floor(hours / 24));
}

/** "8s", "3m 05s", "1h 02m". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    return '';
  }
  const total = Math.round(ms / 1000);
  if (total < 60) {
    return `${total}s`;
  }
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  if (minutes < 60) {
    return `${minutes}m ${String(seconds).padStart(2, '0')}s`;
  }
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}

export function durationBetween(start: Date | undefined, end: Date | number | undefined): number | undefined {
  if (!start || end === undefined) {
    return undefined;
  }
  const endMs = typeof end === 'number' ? end : end.getTime();
  return Math.max(0, endMs - start.getTime());
}

/** The first 7 characters of a git commit id; other revision ids (S3 versions, image digests) are kept whole when short. */
export function shortRevision(revisionId: string | undefined): string {
  if (!revisionId) {
    return '';
  }
  return /^[0-9a-f]{8,64}$/i.test(revisionId)
    ? revisionId.slice(0, 7)
    : revisionId.length > 20
      ? `${revisionId.slice(0, 19)}…`
      : revisionId;
}

/**
 * The commit message line of a revision summary. CodeCommit and CodeStar sources put the plain
 * message there; GitHub (via CodeStar connections) puts JSON `{"ProviderType":…,"CommitMessage":…}`.
 */
export function revisionMessage(summary: string | undefined): string {
  if (!summary) {
    return '';
  }
  let text = summary;
  if (summary.trimStart().startsWith('{')) {
    try {
      const parsed = JSON.parse(summary) as { CommitMessage?: unknown };
      if (typeof parsed.CommitMessage === 'string') {
        text = parsed.CommitMessage;
      }
    } catch {
      // not JSON after all: show it as it is
    }
  }
  return firstLine(text);
}

export function firstLine(text: string): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  return line.length > 100 ? `${line.slice(0, 99)}…` : line;
}

/** Escapes text for a Markdown tooltip so commit messages cannot inject links or formatting. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~$]/g, (c) => `\\${c}`);
}
