// The Problems panel's content for an execution's findings, as plain data the editor layer turns into
// diagnostics: each placed finding on its file and line (placement.ts), with the finding's severity,
// source "Workshop Pipeline", the rule id as code (linked to its documentation) and a message that
// never holds the secret. A FindingsBoard keeps what is shown: a newer run's findings replace the
// previous ones (an older read that ends later is dropped), and a run without findings clears them.
import type { ExecutionFindings } from './findingsFollower';
import { placeFinding, type PlacedFinding, type PlacementOptions, type RepoFiles } from '../findings/placement';
import type { FindingSeverity } from '../findings/reportFindings';

export const FINDINGS_SOURCE = 'Workshop Pipeline';

export interface FindingDiagnostic {
  /** 1-based line in the workspace file now. */
  readonly line: number;
  /** 0-based columns: from the line's first non-blank character to its end (at least one). */
  readonly startColumn: number;
  readonly endColumn: number;
  readonly message: string;
  readonly severity: FindingSeverity;
  readonly source: typeof FINDINGS_SOURCE;
  /** The rule id, with the link to its documentation when there is one. */
  readonly code: { readonly value: string; readonly target?: string };
}

export interface FindingsLayout {
  /** Repository-relative path → its diagnostics, in report order. */
  readonly files: ReadonlyMap<string, readonly FindingDiagnostic[]>;
  /** `<buildId>/<index>` → where that finding is now (the Pipeline view's finding nodes open it). */
  readonly placed: ReadonlyMap<string, { readonly path: string; readonly line: number }>;
  /** Findings the execution's builds reported, placed or not. */
  readonly reported: number;
}

export const EMPTY_LAYOUT: FindingsLayout = { files: new Map(), placed: new Map(), reported: 0 };

export function findingDiagnostic(p: PlacedFinding): FindingDiagnostic {
  const startColumn = p.text.length - p.text.trimStart().length;
  return {
    line: p.line,
    startColumn,
    endColumn: Math.max(startColumn + 1, p.text.trimEnd().length),
    message: p.finding.message,
    severity: p.finding.severity,
    source: FINDINGS_SOURCE,
    code: p.finding.docsUrl ? { value: p.finding.ruleId, target: p.finding.docsUrl } : { value: p.finding.ruleId },
  };
}

/** Places every finding of the execution; one that has no place in the workspace now is left out. */
export async function layoutFindings(
  findings: ExecutionFindings | undefined,
  files: RepoFiles,
  options: PlacementOptions,
): Promise<FindingsLayout> {
  const all = (findings?.actions ?? []).flatMap((a) =>
    a.result.findings.map((finding, index) => ({ finding, key: `${a.buildId}/${index}` })),
  );
  const byFile = new Map<string, FindingDiagnostic[]>();
  const placed = new Map<string, { path: string; line: number }>();
  for (const { finding, key } of all) {
    const p = await placeFinding(finding, files, options);
    if (!p) continue;
    const list = byFile.get(p.path) ?? [];
    list.push(findingDiagnostic(p));
    byFile.set(p.path, list);
    placed.set(key, { path: p.path, line: p.line });
  }
  return { files: byFile, placed, reported: all.length };
}

/** What to change in the Problems panel: files to clear, then files to set. */
export interface BoardUpdate {
  readonly clear: readonly string[];
  readonly set: ReadonlyMap<string, readonly FindingDiagnostic[]>;
}

/** The findings shown in the Problems panel: the latest presentation wins, whole. */
export class FindingsBoard {
  private generation = 0;
  private shown: FindingsLayout = EMPTY_LAYOUT;

  /** Starts presenting a run; the token says whether it is still the latest when its layout is ready. */
  begin(): number {
    return ++this.generation;
  }

  /** The change to make for the run `token` laid out; undefined when a newer run began meanwhile. */
  apply(token: number, layout: FindingsLayout): BoardUpdate | undefined {
    if (token !== this.generation) return undefined;
    const clear = [...this.shown.files.keys()].filter((path) => !layout.files.has(path));
    this.shown = layout;
    return { clear, set: layout.files };
  }

  /** Where finding `index` of build `buildId` is now, if it is shown. */
  locationOf(buildId: string, index: number): { readonly path: string; readonly line: number } | undefined {
    return this.shown.placed.get(`${buildId}/${index}`);
  }

  /** Drops every pending presentation (disposal). */
  cancel(): void {
    this.generation++;
  }
}
