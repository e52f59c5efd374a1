import type { ResourceChange, StackEvent } from '../aws/cloudformation';

/** One output-channel line per stack event, aligned like `aws cloudformation describe-stack-events`. */
export function formatStackEvent(event: StackEvent): string {
  const time = event.timestamp.toISOString().slice(11, 19);
  const reason = event.reason ? `  ${event.reason}` : '';
  return `${time}  ${event.status.padEnd(28)} ${event.logicalId.padEnd(28)} ${event.resourceType}${reason}`;
}

const ACTION_ORDER: Record<string, number> = { Remove: 0, Modify: 1, Add: 2 };

/** The change set as the user reads it before confirming: replacements first, then removals. */
export function describeChanges(changes: readonly ResourceChange[]): string[] {
  return [...changes]
    .sort(
      (a, b) =>
        Number(b.replacement === 'True') - Number(a.replacement === 'True') ||
        (ACTION_ORDER[a.action] ?? 3) - (ACTION_ORDER[b.action] ?? 3) ||
        a.logicalId.localeCompare(b.logicalId),
    )
    .map((c) => {
      const replacement =
        c.action === 'Modify' && c.replacement && c.replacement !== 'False'
          ? ` — replacement ${c.replacement === 'True' ? 'required' : 'conditional'}`
          : '';
      return `${c.action.padEnd(6)} ${c.logicalId} (${c.resourceType})${replacement}`;
    });
}

export function summarizeChanges(changes: readonly ResourceChange[]): string {
  const count = (action: string) => changes.filter((c) => c.action === action).length;
  const parts = [`${count('Add')} to add`, `${count('Modify')} to change`, `${count('Remove')} to remove`];
  const replaced = changes.filter((c) => c.replacement === 'True').length;
  return replaced > 0 ? `${parts.join(', ')} (${replaced} replaced)` : parts.join(', ');
}
