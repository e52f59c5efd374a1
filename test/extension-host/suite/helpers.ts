import * as vscode from 'vscode';

export const EXTENSION_ID = 'workshop-pipeline.workshop-pipeline';

export function extension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) throw new Error(`${EXTENSION_ID} is not installed in this extension host`);
  return ext;
}

export { waitFor } from '../../support/waitFor';

/** Whether a promise settles within `ms` without waiting longer than that. */
export function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms)),
  ]);
}
