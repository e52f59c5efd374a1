// CloudFormation's template quotas ("Understand CloudFormation quotas", AWS CloudFormation User Guide),
// checked with the messages CloudFormation returns.
import { TemplateError } from './types.js';

export const LIMITS = {
  resources: 500,
  parameters: 200,
  outputs: 200,
  mappings: 200,
  mappingAttributes: 200,
  nameLength: 255,
  descriptionBytes: 1024,
  parameterValueBytes: 4096,
  templateBodyBytes: 51_200,
  templateUrlBytes: 1_048_576,
} as const;

const count = (section: unknown): number =>
  typeof section === 'object' && section !== null ? Object.keys(section).length : 0;

/** Counts and sizes of a template's sections; throws the first quota it exceeds. */
export function checkTemplateLimits(raw: Record<string, unknown>): void {
  if (typeof raw.Description === 'string' && Buffer.byteLength(raw.Description) > LIMITS.descriptionBytes)
    throw new TemplateError(`Template format error: 'Description' length is greater than ${LIMITS.descriptionBytes}.`);
  const resources = count(raw.Resources);
  if (resources > LIMITS.resources)
    throw new TemplateError(
      `Template format error: Number of resources, ${resources}, is greater than maximum allowed, ${LIMITS.resources}`,
    );
  const parameters = count(raw.Parameters);
  if (parameters > LIMITS.parameters)
    throw new TemplateError(
      `Template format error: Parameter count ${parameters} is greater than max allowed ${LIMITS.parameters}`,
    );
  const outputs = count(raw.Outputs);
  if (outputs > LIMITS.outputs)
    throw new TemplateError(
      `Template format error: Outputs count ${outputs} is greater than max allowed ${LIMITS.outputs}`,
    );
  const mappings = count(raw.Mappings);
  if (mappings > LIMITS.mappings)
    throw new TemplateError(
      `Template format error: Mappings count ${mappings} is greater than max allowed ${LIMITS.mappings}`,
    );
  for (const [name, mapping] of Object.entries((raw.Mappings ?? {}) as Record<string, unknown>)) {
    const attributes = count(mapping);
    if (attributes > LIMITS.mappingAttributes)
      throw new TemplateError(
        `Template format error: Mapping attributes count ${attributes} in mapping ${name} is greater than max allowed ${LIMITS.mappingAttributes}`,
      );
  }
  for (const section of ['Parameters', 'Resources', 'Outputs', 'Mappings'] as const) {
    const long = Object.keys((raw[section] ?? {}) as Record<string, unknown>).find((n) => n.length > LIMITS.nameLength);
    if (long !== undefined)
      throw new TemplateError(
        `Template format error: ${section} name ${long.slice(0, 40)}... is longer than the maximum allowed ${LIMITS.nameLength} characters`,
      );
  }
}

/** A supplied parameter value over 4,096 bytes (`index` is its 1-based position in the request). */
export function checkParameterValueSize(value: string, index: number): void {
  if (Buffer.byteLength(value) > LIMITS.parameterValueBytes)
    throw new TemplateError(
      `1 validation error detected: Value at 'parameters.${index}.member.parameterValue' failed to satisfy constraint: Member must have length less than or equal to ${LIMITS.parameterValueBytes}`,
    );
}
