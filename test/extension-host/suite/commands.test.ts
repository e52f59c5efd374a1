// The public contract's commands are registered once the extension is active; every contributed
// command works (is registered), and Select Region and Refresh behave.
import assert from 'node:assert/strict';
import { before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import { extension, settledWithin, waitFor } from './helpers';

const CONTRACT_COMMANDS = [
  'deploy',
  'commitAndPush',
  'refresh',
  'startExecution',
  'retryStage',
  'stopExecution',
  'showBuildLogs',
  'openInConsole',
  'selectProfile',
  'selectRegion',
  'deleteStack',
].map((name) => `workshopPipeline.${name}`);

interface ContributedCommand {
  command: string;
  title: string;
  category?: string;
}

function region(): string | undefined {
  return vscode.workspace.getConfiguration('workshopPipeline').get<string>('region');
}

/** Runs a command that shows a quick pick, then applies `action` to the quick pick until the command settles. */
async function answerQuickPick(command: string, action: string): Promise<void> {
  const running = Promise.resolve(vscode.commands.executeCommand(command));
  // The quick pick opens asynchronously; the action does nothing until it is open.
  await waitFor(
    async () => {
      await vscode.commands.executeCommand(action);
      return (await settledWithin(running, 200)) ? true : undefined;
    },
    30_000,
    () => `${command} did not finish after ${action}`,
  );
  await running;
}

describe('commands', () => {
  before(async () => {
    await extension().activate();
  });

  it('registers every command of the public contract', async () => {
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = CONTRACT_COMMANDS.filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });

  it('contributes only commands that are registered, in the AWS or Workshop Pipeline category', async () => {
    const contributed = (extension().packageJSON as { contributes: { commands: ContributedCommand[] } }).contributes
      .commands;
    const registered = new Set(await vscode.commands.getCommands(true));
    assert.deepEqual(
      contributed.filter((c) => !registered.has(c.command)).map((c) => c.command),
      [],
    );
    assert.deepEqual(
      contributed.filter((c) => c.category !== 'AWS' && c.category !== 'Workshop Pipeline').map((c) => c.command),
      [],
    );
    const titles = Object.fromEntries(contributed.map((c) => [c.command, c.title]));
    assert.equal(titles['workshopPipeline.deploy'], 'Deploy Workshop Pipeline');
    assert.equal(titles['workshopPipeline.commitAndPush'], 'Commit and Push to CodeCommit');
    assert.equal(titles['workshopPipeline.startExecution'], 'Release Change');
    assert.equal(titles['workshopPipeline.deleteStack'], 'Delete Workshop Pipeline');
  });

  it('Select Region: dismissing the pick keeps the region', async () => {
    const before = region();
    await answerQuickPick('workshopPipeline.selectRegion', 'workbench.action.closeQuickOpen');
    assert.equal(region(), before);
  });

  it('Select Region: "From the profile" clears the region setting', async () => {
    const config = vscode.workspace.getConfiguration('workshopPipeline');
    await config.update('region', 'us-west-2', vscode.ConfigurationTarget.Global);
    await waitFor(
      () => (region() === 'us-west-2' ? true : undefined),
      10_000,
      () => `region is ${region()}`,
    );
    try {
      // The first item is "From the profile". An accept that reaches the quick pick before its items
      // are shown picks nothing (the region stays), so the pick is repeated until it took effect.
      await waitFor(
        async () => {
          await answerQuickPick('workshopPipeline.selectRegion', 'workbench.action.acceptSelectedQuickOpenItem');
          return (
            (await waitFor(
              () => (region() === '' ? true : undefined),
              2_000,
              () => '',
            ).catch(() => false)) || undefined
          );
        },
        30_000,
        () => `region is ${JSON.stringify(region())}, expected the default ""`,
      );
    } finally {
      await vscode.workspace
        .getConfiguration('workshopPipeline')
        .update('region', 'us-east-1', vscode.ConfigurationTarget.Global);
    }
  });

  it('Refresh completes without an error', async () => {
    await vscode.commands.executeCommand('workshopPipeline.refresh');
  });
});
