// What a screen reader says for a tree node: its name and kind, then its description in words, e.g.
// "Build stage, Failed, 56 seconds". The description already carries every state in words (icons are
// never the only carrier); this spells out the short units ("3m 05s", "2h ago") and drops codicons.

/** Node kinds (the first contextValue flag) worth saying after the name. */
const KIND_NOUNS: Readonly<Record<string, string>> = {
  stage: 'stage',
  action: 'action',
  actionExecution: 'action run',
  execution: 'execution',
  service: 'ECS service',
  deployment: 'deployment',
  targetGroup: 'target group',
};

const UNITS: Readonly<Record<string, string>> = { s: 'second', m: 'minute', h: 'hour', d: 'day' };

export function accessibleLabel(node: { label: string; description: string; contextValue: string }): string {
  const noun = KIND_NOUNS[node.contextValue.split(' ')[0]];
  const head = noun ? `${node.label} ${noun}` : node.label;
  const parts = node.description.split(' · ').map(speakable).filter(Boolean);
  return [head, ...parts].join(', ');
}

/** "3m 05s" → "3 minutes 5 seconds", "2h ago" → "2 hours ago"; codicons like `$(pass)` removed. */
export function speakable(text: string): string {
  return text
    .replace(/\$\([\w~-]+\)/g, '')
    .replace(/\b(\d+)([smhd])\b/g, (_, n: string, unit: string) => {
      const count = Number(n);
      return `${count} ${UNITS[unit]}${count === 1 ? '' : 's'}`;
    })
    .replace(/\s+/g, ' ')
    .trim();
}
