// The pure core formats its messages with @vscode/l10n, which cannot import vscode: hand it the
// bundle VS Code loaded for the display language (undefined for English, which needs none).
import * as l10n from '@vscode/l10n';
import * as vscode from 'vscode';

export function configureCoreL10n(): void {
  const bundle = vscode.l10n.bundle;
  if (bundle) {
    l10n.config({ contents: bundle });
  }
}
