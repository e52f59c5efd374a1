// The extension's settings as the core sees them: plain values, validated once, with every
// problem phrased for the user (setting name, what was given, what is expected).
import * as l10n from '@vscode/l10n';
import { nonEmpty } from './text';

export type NotificationLevel = 'all' | 'mine' | 'none';

export interface Settings {
  profile: string | undefined;
  region: string | undefined;
  endpointUrl: string | undefined;
  stackName: string;
  pipelineName: string | undefined;
  parameters: Record<string, string>;
  templatePath: string | undefined;
  notifications: NotificationLevel;
  /** Show the change-set preview before creating the stack for the first time. */
  confirmFirstDeploy: boolean;
}

export interface SettingProblem {
  setting: string;
  message: string;
}

export const DEFAULT_STACK_NAME = 'WorkshopPipeline';

// CloudFormation's own rule for stack names.
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;
const PROFILE_NAME = /^[\w.@+=,/-]+$/;

/** Reads raw configuration values (anything a user may have typed into settings.json). */
export type RawSettings = (key: string) => unknown;

export function readSettings(get: RawSettings): { settings: Settings; problems: SettingProblem[] } {
  const problems: SettingProblem[] = [];
  const text = (key: string): string | undefined => {
    const value = get(key);
    if (value === undefined || value === null) {
      return undefined;
    }
    if (typeof value !== 'string') {
      problems.push({ setting: key, message: l10n.t('expected a string, got {0}', describe(value)) });
      return undefined;
    }
    return nonEmpty(value);
  };

  const profile = text('profile');
  if (profile !== undefined && !PROFILE_NAME.test(profile)) {
    problems.push({ setting: 'profile', message: l10n.t('"{0}" is not a valid profile name', profile) });
  }

  const region = text('region');
  if (region !== undefined) {
    const problem = regionProblem(region);
    if (problem) {
      problems.push({ setting: 'region', message: problem });
    }
  }

  let endpointUrl = text('endpointUrl');
  if (endpointUrl !== undefined) {
    const problem = endpointProblem(endpointUrl);
    if (problem) {
      problems.push({ setting: 'endpointUrl', message: problem });
      endpointUrl = undefined;
    }
  }

  let stackName = text('stackName') ?? DEFAULT_STACK_NAME;
  const stackProblem = stackNameProblem(stackName);
  if (stackProblem) {
    problems.push({ setting: 'stackName', message: stackProblem });
    stackName = DEFAULT_STACK_NAME;
  }

  const parameters: Record<string, string> = {};
  const rawParameters = get('parameters');
  if (rawParameters !== undefined && rawParameters !== null) {
    if (typeof rawParameters !== 'object' || Array.isArray(rawParameters)) {
      problems.push({
        setting: 'parameters',
        message: l10n.t('expected an object of parameter names to values, got {0}', describe(rawParameters)),
      });
    } else {
      for (const [key, value] of Object.entries(rawParameters as Record<string, unknown>)) {
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
          parameters[key] = String(value);
        } else {
          problems.push({
            setting: 'parameters',
            message: l10n.t('the value of "{0}" must be a string, got {1}', key, describe(value)),
          });
        }
      }
    }
  }

  let notifications: NotificationLevel = 'mine';
  const rawNotifications = get('notifications');
  if (rawNotifications === 'all' || rawNotifications === 'mine' || rawNotifications === 'none') {
    notifications = rawNotifications;
  } else if (rawNotifications !== undefined && rawNotifications !== null) {
    problems.push({
      setting: 'notifications',
      message: l10n.t('expected "all", "mine" or "none", got {0}', describe(rawNotifications)),
    });
  }

  const rawConfirm = get('confirmFirstDeploy');
  if (rawConfirm !== undefined && rawConfirm !== null && typeof rawConfirm !== 'boolean') {
    problems.push({
      setting: 'confirmFirstDeploy',
      message: l10n.t('expected true or false, got {0}', describe(rawConfirm)),
    });
  }

  return {
    settings: {
      profile: profile !== undefined && PROFILE_NAME.test(profile) ? profile : undefined,
      region: region !== undefined && regionProblem(region) === undefined ? region : undefined,
      endpointUrl,
      stackName,
      pipelineName: text('pipelineName'),
      parameters,
      templatePath: text('templatePath'),
      notifications,
      confirmFirstDeploy: typeof rawConfirm === 'boolean' ? rawConfirm : true,
    },
    problems,
  };
}

// Region codes look like `us-east-1`, `cn-north-1`, `us-gov-west-1`, `eu-isoe-west-1`.
const REGION_SHAPE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/** Says why `region` is unusable, or undefined when it is fine. `isKnown` is the SDK's region table. */
export function regionProblem(region: string, isKnown?: (region: string) => boolean): string | undefined {
  if (!REGION_SHAPE.test(region)) {
    return l10n.t('"{0}" is not a region code; expected one like us-east-1 or eu-west-2', region);
  }
  if (isKnown && !isKnown(region)) {
    return l10n.t('"{0}" is not an AWS region this extension knows; expected one like us-east-1 or eu-west-2', region);
  }
  return undefined;
}

export function endpointProblem(endpoint: string): string | undefined {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return l10n.t(
      '"{0}" is not a URL; expected one like http://127.0.0.1:4566 or https://vpce-123.example.amazonaws.com',
      endpoint,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return l10n.t('"{0}" must use http or https', endpoint);
  }
  if (url.username || url.password) {
    return l10n.t('must not contain a user name or password');
  }
  return undefined;
}

export function stackNameProblem(name: string): string | undefined {
  if (!STACK_NAME.test(name)) {
    return l10n.t(
      '"{0}" is not a valid stack name: it must start with a letter and contain only letters, digits and hyphens (at most 128 characters)',
      name,
    );
  }
  return undefined;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) {
    return l10n.t('a list');
  }
  if (value === null) {
    return 'null';
  }
  return typeof value === 'object' ? l10n.t('an object') : `${typeof value} ${JSON.stringify(value)}`;
}
