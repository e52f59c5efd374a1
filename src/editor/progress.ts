// Long AWS operations (a stack deploy, a delete) run under a cancellable progress notification;
// Cancel aborts the operation's signal, and the operation decides what stopping means.
import * as vscode from 'vscode';

export function withCancellableProgress<T>(
  title: string,
  task: (report: (message: string) => void, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  return Promise.resolve(
    vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title, cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        const cancellation = token.onCancellationRequested(() => controller.abort());
        try {
          return await task((message) => progress.report({ message }), controller.signal);
        } finally {
          cancellation.dispose();
        }
      },
    ),
  );
}
