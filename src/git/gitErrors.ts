// Errors of git operations, as the editor's git extension and our own git processes raise them:
// the extension's carry git's own code (`gitErrorCode`) and output.

export function gitErrorCode(error: unknown): string | undefined {
  const code = (error as { gitErrorCode?: unknown } | undefined)?.gitErrorCode;
  return typeof code === 'string' ? code : undefined;
}

export function gitErrorOutput(error: unknown): string {
  const e = error as { stderr?: unknown; message?: unknown } | undefined;
  return (
    (typeof e?.stderr === 'string' && e.stderr.trim()) || (typeof e?.message === 'string' ? e.message : String(error))
  );
}
