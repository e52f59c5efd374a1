// The extension activates lazily, from its view, and then owns the commands it contributes.
import assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import * as vscode from 'vscode';
import { extension, waitFor } from './helpers';

describe('activation', () => {
  it('is installed and not active before its view opens', () => {
    const ext = extension();
    assert.equal((ext.packageJSON as { displayName?: string }).displayName, 'Workshop Pipeline');
    assert.equal(ext.isActive, false, 'nothing but its view or commands should activate it');
  });

  it('activates when its view container opens', async () => {
    await vscode.commands.executeCommand('workbench.view.extension.workshopPipeline');
    const ext = extension();
    await waitFor(
      () => (ext.isActive ? true : undefined),
      30_000,
      () => 'the extension did not activate from its view',
    );
  });
});
