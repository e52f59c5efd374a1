// How an error reads in a log line or a message: its own message, never its stack.

/** The error's message (or the thrown value as text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The message with the error's name in front when it has a telling one (`ThrottlingException: …`). */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
  }
  return String(error);
}
