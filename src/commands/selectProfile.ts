import * as vscode from 'vscode';
import type { AwsContext } from '../aws/awsContext';
import { listProfiles, PROFILE_KIND_LABELS, type ProfileInfo } from '../aws/profiles';
import { loadSdk } from '../aws/sdkLoader';
import { errorMessage } from '../shared/errorText';
import type { Logger } from '../shared/logger';
import { updateSetting } from '../editor/updateSetting';
import { registerReadCommand } from '../editor/commandRegistration';

interface ProfileItem extends vscode.QuickPickItem {
  profile: string | undefined;
}

export function registerSelectProfile(aws: AwsContext, log: Logger): vscode.Disposable {
  return registerReadCommand('workshopPipeline.selectProfile', async () => {
    let profiles: ProfileInfo[];
    try {
      profiles = listProfiles(await loadSdk().loadSharedConfigFiles({ ignoreCache: true }));
    } catch (error) {
      log.warn(`Could not read the AWS config files: ${errorMessage(error)}`);
      profiles = [];
    }
    const current = aws.currentSettings.profile;
    const items: ProfileItem[] = [
      {
        label: vscode.l10n.t('{0}Default credential chain', current === undefined ? '$(check) ' : ''),
        description: process.env.AWS_PROFILE ? `AWS_PROFILE=${process.env.AWS_PROFILE}` : undefined,
        detail: vscode.l10n.t('Environment variables, the default profile, SSO, or the instance role of this machine'),
        profile: undefined,
      },
      ...profiles.map((p) => ({
        label: `${p.name === current ? '$(check) ' : ''}${p.name}`,
        // What kind of credentials it holds, in words (not only an icon), then its region.
        description: [PROFILE_KIND_LABELS[p.kind], p.region].filter(Boolean).join(' · '),
        detail: vscode.l10n.t('Defined in ~/.aws/{0}', p.files.join(' and ~/.aws/')),
        profile: p.name,
      })),
    ];
    const picked = await vscode.window.showQuickPick(items, {
      title: vscode.l10n.t('Workshop Pipeline: AWS profile'),
      placeHolder:
        profiles.length === 0
          ? vscode.l10n.t('No profiles in ~/.aws/config or ~/.aws/credentials; run "aws configure" to add one')
          : vscode.l10n.t('Choose the profile for deploys, pushes and pipeline views'),
      matchOnDescription: true,
    });
    if (picked) {
      await updateSetting('profile', picked.profile);
    }
  });
}
