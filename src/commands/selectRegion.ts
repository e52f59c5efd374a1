import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { knownRegions, regionName } from '../aws/regions';
import { regionProblem } from '../shared/settings';
import { updateSetting } from '../editor/updateSetting';
import { registerReadCommand } from '../editor/commandRegistration';

interface RegionItem extends vscode.QuickPickItem {
  region: string | undefined;
  other?: boolean;
}

export function registerSelectRegion(aws: AwsContext): vscode.Disposable {
  return registerReadCommand('workshopPipeline.selectRegion', async () => {
    const current = aws.currentSettings.region;
    const items: RegionItem[] = [
      {
        label: vscode.l10n.t('{0}From the profile', current === undefined ? '$(check) ' : ''),
        detail: vscode.l10n.t("Use the profile's region, else AWS_REGION"),
        region: undefined,
      },
      ...knownRegions().map((r) => ({
        label: `${r.code === current ? '$(check) ' : ''}${r.code}`,
        description: r.name,
        region: r.code,
      })),
      { label: vscode.l10n.t('Other region…'), region: undefined, other: true },
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Workshop Pipeline: AWS region'),
      placeHolder: vscode.l10n.t('Choose the region of the workshop stack'),
      matchOnDescription: true,
    });
    if (!picked) {
      return;
    }
    let region = picked.region;
    if (picked.other) {
      region = await vscode.window.showInputBox({
        title: vscode.l10n.t('Workshop Pipeline: AWS region'),
        prompt: vscode.l10n.t('Region code, for example eu-west-1'),
        value: current,
        validateInput: (value) => regionProblem(value.trim(), (code) => regionName(code) !== undefined),
      });
      if (region === undefined) {
        return;
      }
      region = region.trim();
    }
    await updateSetting('region', region);
  });
}
