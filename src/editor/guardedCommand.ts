// The long commands that change things in AWS or git (deploy, delete, commit and push) are write
// commands (trusted workspaces only, see commandRegistration.ts) with one more rule: one run at a
// time per lane — a second request while one is in flight joins it and says so, instead of racing it.
import * as vscode from 'vscode';
import { registerWriteCommand } from './commandRegistration';
import type { SingleFlight } from '../shared/singleFlight';

export interface GuardedCommandOptions {
  /** What the command does, for the untrusted-workspace message: "deploy", "push", "delete stacks". */
  readonly verb: string;
  /** The lane: deploys and deletes share one (never two operations on the stack), Commit and Push has its own. */
  readonly flight: SingleFlight<void>;
  /** Said when a request joins the run in flight. */
  readonly busyMessage: string;
  /** A button on that message, e.g. to show the output of the run in flight. */
  readonly busyAction?: { readonly title: string; run(): void };
}

export function registerGuardedCommand(
  id: string,
  options: GuardedCommandOptions,
  run: () => Promise<void>,
): vscode.Disposable {
  return registerWriteCommand(id, options.verb, async () => {
    const { result, attached } = options.flight.run(run);
    if (attached) {
      const action = options.busyAction;
      void vscode.window
        .showInformationMessage(options.busyMessage, ...(action ? [action.title] : []))
        .then((choice) => {
          if (action && choice === action.title) {
            action.run();
          }
        });
    }
    await result;
  });
}
