// Which resource types CloudFormation recognizes (a pinned list, see refreshResourceTypes.ts) and the
// check CloudFormation makes before anything is created: "Unrecognized resource types: [...]".
import known from './awsResourceTypes.json';
import { TemplateError, type Template } from './types.js';

const AWS_TYPES: ReadonlySet<string> = new Set(known.types);

/** A type CloudFormation accepts: a registry type, a custom resource, or a module (`…::MODULE`). */
export function isRecognizedResourceType(type: string): boolean {
  if (AWS_TYPES.has(type)) return true;
  if (/^Custom::[A-Za-z0-9_@-]{1,60}$/.test(type)) return true;
  return false;
}

/** Distinct types of the template's resources, in template order. */
export function resourceTypesOf(template: Pick<Template, 'Resources'>): string[] {
  return [...new Set(Object.values(template.Resources).map((r) => r.Type))];
}

/**
 * Rejects types CloudFormation does not know, with its own message. A template with a Transform is
 * checked after the transform runs on AWS (AWS::Serverless::* only exists before it), so it is skipped here.
 */
export function checkRecognizedTypes(template: Template): void {
  if (template.Transform !== undefined) return;
  const unknown = resourceTypesOf(template).filter((t) => !isRecognizedResourceType(t));
  if (unknown.length)
    throw new TemplateError(`Template format error: Unrecognized resource types: [${unknown.join(', ')}]`);
}

/**
 * Rejects types AWS has but the sandbox cannot create, before any work starts: one clear error
 * instead of a stack that fails half-way. (A sandbox limitation, not an AWS behaviour.)
 */
export function checkSandboxSupportsTypes(template: Template, isImplemented: (type: string) => boolean): void {
  const missing = resourceTypesOf(template).filter((t) => !isImplemented(t));
  if (missing.length) {
    const ids = Object.entries(template.Resources)
      .filter(([, r]) => missing.includes(r.Type))
      .map(([id]) => id);
    throw new TemplateError(
      `Sandbox limitation: the Workshop Pipeline sandbox does not implement resource type${missing.length > 1 ? 's' : ''} [${missing.join(', ')}] (used by [${ids.join(', ')}]). AWS CloudFormation supports ${missing.length > 1 ? 'them' : 'it'}; the sandbox cannot create ${missing.length > 1 ? 'them' : 'it'}.`,
    );
  }
}
