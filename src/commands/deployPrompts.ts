// The deploy command's conversations: the deploy plan's questions (the missing service, where it
// goes, the parameter walk) and the engine's (the change-set preview,
// recovery). Only this file and deploy.ts talk to the user.
import * as vscode from 'vscode';
import type { Where } from '../aws/awsContext';
import type { ResourceChange, StackDescription } from '../aws/cloudformation';
import type { Recovery } from '../deploy/deployEngine';
import type { DeployPrompts } from '../workshop/deployPlan';
import { describeChanges, summarizeChanges } from '../deploy/eventFormat';
import { parameterValueProblem, type ParameterValue } from '../deploy/parameterValues';
import type { ParameterSpec } from '../deploy/templateModel';
import { stackNameProblem } from '../shared/settings';

const MAX_LISTED = 25;

function sourceLabel(value: ParameterValue): string {
  switch (value.source) {
    case 'setting':
      return 'from settings';
    case 'stack':
      return 'current stack value';
    case 'detected':
      return value.value === 'true'
        ? 'not found in this account, so the stack creates it'
        : 'already in this account, so the stack uses it';
    case 'user':
      return 'entered';
    default:
      return 'template default';
  }
}

export const deployPrompts: DeployPrompts = {
  serviceMissing,
  fixParameters,
  confirmTarget,
  askParameters,
};

async function serviceMissing(
  where: Where,
  cluster: string,
  service: string,
  serviceStack: string,
): Promise<'first' | 'skip' | undefined> {
  const choice = await vscode.window.showWarningMessage(
    vscode.l10n.t(
      'The ECS service {0} in cluster {1} does not exist in {2} ({3}).',
      service,
      cluster,
      where.account,
      where.region,
    ),
    {
      modal: true,
      detail: vscode.l10n.t(
        "The pipeline's Deploy stage updates that service. Deploy the bundled service stack first, as stack {0}: a VPC, an internet-facing load balancer that checks the health path, the cluster and the service. The pipeline then targets what it creates.",
        serviceStack,
      ),
    },
    vscode.l10n.t('Deploy Service Stack First'),
    vscode.l10n.t('Deploy Pipeline Only'),
  );
  return choice === vscode.l10n.t('Deploy Service Stack First')
    ? 'first'
    : choice === vscode.l10n.t('Deploy Pipeline Only')
      ? 'skip'
      : undefined;
}

async function fixParameters(problems: string[]): Promise<'options' | undefined> {
  const choice = await vscode.window.showErrorMessage(
    vscode.l10n.t('Some parameter values would be refused by CloudFormation.'),
    {
      modal: true,
      detail: vscode.l10n.t('{0}\n\nFix them in workshopPipeline.parameters, or enter them now.', problems.join('\n')),
    },
    vscode.l10n.t('Deploy with options…'),
  );
  return choice ? 'options' : undefined;
}

/** Says where the deploy goes before anything changes; one click deploys with the shown values. */
async function confirmTarget(
  where: Where,
  stackName: string,
  exists: boolean,
  values: ParameterValue[],
  specs: ParameterSpec[],
): Promise<'deploy' | 'options' | undefined> {
  const changed = values.filter(
    (v) =>
      v.source !== 'default' && !(v.source === 'detected' && v.value === specs.find((s) => s.name === v.name)?.default),
  );
  const lines = [
    `Account ${where.account}, region ${where.region}, profile ${where.profile}.`,
    exists
      ? `Stack ${stackName} exists and will be updated through a change set you can review.`
      : `Stack ${stackName} will be created.`,
    ...(changed.length > 0
      ? [
          '',
          'Parameters that differ from the template defaults:',
          ...changed.map((v) => `  ${labelOf(v.name, specs)}: ${shown(v, specs)} (${sourceLabel(v)})`),
        ]
      : ['', 'All parameters use the template defaults.']),
  ];
  const choice = await vscode.window.showInformationMessage(
    vscode.l10n.t('Deploy Workshop Pipeline to {0} ({1})?', where.account, where.region),
    { modal: true, detail: lines.join('\n') },
    vscode.l10n.t('Deploy'),
    vscode.l10n.t('Deploy with options…'),
  );
  return choice === vscode.l10n.t('Deploy')
    ? 'deploy'
    : choice === vscode.l10n.t('Deploy with options…')
      ? 'options'
      : undefined;
}

/** Walks the stack name and every parameter, validating each value as it is typed. Undefined if cancelled. */
async function askParameters(
  stackName: string,
  specs: ParameterSpec[],
  values: ParameterValue[],
): Promise<{ stackName: string; values: ParameterValue[] } | undefined> {
  const total = specs.length + 1;
  const name = await vscode.window.showInputBox({
    title: vscode.l10n.t('Workshop Pipeline (1/{0}): stack name', total),
    value: stackName,
    prompt: vscode.l10n.t('The CloudFormation stack that holds the pipeline'),
    ignoreFocusOut: true,
    validateInput: (value) => stackNameProblem(value.trim()),
  });
  if (name === undefined) {
    return undefined;
  }
  const result: ParameterValue[] = [];
  for (const [index, spec] of specs.entries()) {
    const current = values.find((v) => v.name === spec.name);
    const title = `Workshop Pipeline (${index + 2}/${total}): ${spec.group ? `${spec.group} — ` : ''}${spec.label}`;
    let value: string | undefined;
    if (spec.allowedValues && spec.allowedValues.length > 0) {
      const picked = await vscode.window.showQuickPick(
        spec.allowedValues.map((v) => ({
          label: v,
          description: v === (current?.value ?? spec.default) ? 'current' : undefined,
        })),
        { title, placeHolder: spec.description, ignoreFocusOut: true },
      );
      value = picked?.label;
    } else {
      value = await vscode.window.showInputBox({
        title,
        prompt: spec.description,
        value: current?.usePrevious ? '' : (current?.value ?? ''),
        placeHolder: current?.usePrevious ? vscode.l10n.t('Leave empty to keep the current value') : undefined,
        password: spec.noEcho,
        ignoreFocusOut: true,
        validateInput: (text) => (current?.usePrevious && text === '' ? undefined : parameterValueProblem(spec, text)),
      });
    }
    if (value === undefined) {
      return undefined;
    }
    result.push(
      current?.usePrevious && value === ''
        ? current
        : {
            name: spec.name,
            value,
            usePrevious: false,
            source: value === current?.value ? (current?.source ?? 'user') : 'user',
          },
    );
  }
  return { stackName: name.trim(), values: result };
}

/** The change set, readable: what is added, changed (and replaced) and removed. */
export async function confirmChanges(
  stackName: string,
  changes: ResourceChange[],
  type: 'CREATE' | 'UPDATE',
): Promise<boolean> {
  const lines = describeChanges(changes);
  const listed =
    lines.length > MAX_LISTED
      ? [
          ...lines.slice(0, MAX_LISTED),
          vscode.l10n.t('… and {0} more (see the Workshop Pipeline output)', lines.length - MAX_LISTED),
        ]
      : lines;
  const choice = await vscode.window.showInformationMessage(
    type === 'CREATE'
      ? vscode.l10n.t('Create stack {0}: {1}.', stackName, summarizeChanges(changes))
      : vscode.l10n.t('Update stack {0}: {1}.', stackName, summarizeChanges(changes)),
    { modal: true, detail: listed.join('\n') },
    type === 'CREATE' ? vscode.l10n.t('Create Stack') : vscode.l10n.t('Execute Change Set'),
  );
  return choice !== undefined;
}

export async function chooseRecovery(stack: StackDescription, offered: Recovery): Promise<Recovery> {
  if (offered === 'deleteAndRecreate') {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t(
        'Stack {0} is in ROLLBACK_COMPLETE: its first create failed, and CloudFormation cannot update it.',
        stack.name,
      ),
      {
        modal: true,
        detail:
          `${stack.statusReason ?? ''}\n\nDelete the stack and create it again? Resources it kept (the artifact bucket, repositories) stay.`.trim(),
      },
      vscode.l10n.t('Delete and Recreate'),
    );
    return choice ? 'deleteAndRecreate' : 'none';
  }
  if (offered === 'continueRollback') {
    const choice = await vscode.window.showWarningMessage(
      vscode.l10n.t('Stack {0} is in UPDATE_ROLLBACK_FAILED: a failed update could not be rolled back.', stack.name),
      { modal: true, detail: `${stack.statusReason ?? ''}\n\nContinue the rollback, then deploy?`.trim() },
      vscode.l10n.t('Continue Rollback'),
    );
    return choice ? 'continueRollback' : 'none';
  }
  return 'none';
}

function labelOf(name: string, specs: ParameterSpec[]): string {
  return specs.find((s) => s.name === name)?.label ?? name;
}

function shown(value: ParameterValue, specs: ParameterSpec[]): string {
  if (value.usePrevious || specs.find((s) => s.name === value.name)?.noEcho) {
    return '****';
  }
  return value.value ?? '';
}
