// The secret scan of Commit and Push: before the staged changes are committed (or, with nothing to
// commit, before the commits ahead are pushed) it scans what the push would send and asks about a
// finding: Show, Push Anyway or Cancel. The secret never reaches a message or the log; findings carry
// the file, line and kind only. A scan that cannot run never blocks the push: it says so once.
import * as vscode from 'vscode';
import { loadSecretScan } from '../findings/secretScanLoader';
import type { SecretFinding } from '../findings/secretScan';
import { readPushContent } from '../git/pushContent';
import type { ScanRequest } from '../git/pushFlow';
import { errorText } from '../shared/errorText';

let toldUnavailable = false;

/** "leak.js:2 looks like an AWS access key. The pipeline's Build will reject this commit." */
export function findingQuestion(findings: readonly SecretFinding[]): string {
  const [first] = findings;
  const more = findings.length - 1;
  return (
    `${first.path}:${first.line} looks like ${first.kind}. The pipeline's Build will reject this commit.` +
    (more > 0 ? ` ${more} more finding${more === 1 ? '' : 's'} in what this push would send.` : '')
  );
}

export async function scanBeforePush(
  request: ScanRequest,
  env: NodeJS.ProcessEnv,
  log: vscode.LogOutputChannel,
): Promise<'push' | 'stop'> {
  const loaded = loadSecretScan();
  if (!loaded.ok) {
    unavailable(`the secret scanner could not be loaded (${loaded.reason})`, log);
    return 'push';
  }
  let findings: readonly SecretFinding[];
  try {
    const started = Date.now();
    const content = await readPushContent({ ...request, env });
    const result = await loaded.module.scanForSecrets(content);
    if (result.configProblem) {
      log.warn(`Secret scan: ${result.configProblem}; scanned without its allowlists.`);
    }
    log.info(
      `Secret scan: ${result.files} file change(s) in ${content.commits} commit(s)${request.staged ? ' and the staged changes' : ''}, ${result.findings.length} finding(s), ${Date.now() - started} ms.`,
    );
    findings = result.findings;
  } catch (error) {
    unavailable(`the secret scan failed (${errorText(error)})`, log);
    return 'push';
  }
  if (findings.length === 0) {
    return 'push';
  }
  for (const f of findings) {
    log.warn(
      `Secret scan: ${f.path}:${f.line} looks like ${f.kind} (${f.ruleId})${f.commit ? ` in commit ${f.commit.slice(0, 7)}` : ''}.`,
    );
  }
  const choice = await vscode.window.showWarningMessage(
    findingQuestion(findings),
    {
      modal: true,
      detail: vscode.l10n.t('The value is not shown. Remove it (and revoke it), or allow it in .gitleaks.toml.'),
    },
    vscode.l10n.t('Show'),
    vscode.l10n.t('Push Anyway'),
  );
  if (choice === vscode.l10n.t('Push Anyway')) {
    log.warn('Secret scan: pushing anyway, as asked.');
    return 'push';
  }
  if (choice === vscode.l10n.t('Show')) {
    await showFinding(request.cwd, findings[0]);
  }
  return 'stop';
}

async function showFinding(root: string, f: SecretFinding): Promise<void> {
  const uri = vscode.Uri.joinPath(vscode.Uri.file(root), ...f.path.split('/'));
  const position = new vscode.Position(f.line - 1, 0);
  try {
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position) });
  } catch {
    // Deleted from the working tree since the commit that adds it: nothing to open.
    void vscode.window.showInformationMessage(
      vscode.l10n.t('{0} is no longer in the working tree; the finding is in a commit ahead of the remote.', f.path),
    );
  }
}

function unavailable(reason: string, log: vscode.LogOutputChannel): void {
  log.warn(`Secret scan skipped: ${reason}. Pushing without it.`);
  if (!toldUnavailable) {
    toldUnavailable = true;
    void vscode.window.showWarningMessage(
      vscode.l10n.t('Commit and Push: {0}, so this push was not checked for secrets.', reason),
    );
  }
}
