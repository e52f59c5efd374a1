// Turns a template body (JSON or YAML with short-form tags) into the long-form object, and checks
// the template's structure the way CloudFormation's "Template format error" checks do.
import { isRecord, TemplateError, type Template } from './types.js';
import { parseTemplate, TemplateSyntaxError } from '../../../../src/deploy/cfnYaml';
import { parseYamlTemplate } from './yaml.js';
import { checkTemplateLimits } from './limits.js';
import { checkRecognizedTypes } from './resourceTypes.js';
import { checkRulesShape } from './rules.js';

const TOP_LEVEL = new Set([
  'AWSTemplateFormatVersion',
  'Description',
  'Metadata',
  'Parameters',
  'Rules',
  'Mappings',
  'Conditions',
  'Transform',
  'Resources',
  'Outputs',
  'Hooks',
]);

const PARAMETER_TYPES = new Set([
  'String',
  'Number',
  'List<Number>',
  'CommaDelimitedList',
  'AWS::EC2::AvailabilityZone::Name',
  'AWS::EC2::Image::Id',
  'AWS::EC2::Instance::Id',
  'AWS::EC2::KeyPair::KeyName',
  'AWS::EC2::SecurityGroup::GroupName',
  'AWS::EC2::SecurityGroup::Id',
  'AWS::EC2::Subnet::Id',
  'AWS::EC2::Volume::Id',
  'AWS::EC2::VPC::Id',
  'AWS::Route53::HostedZone::Id',
  'AWS::SSM::Parameter::Name',
]);

export function isKnownParameterType(type: string): boolean {
  if (PARAMETER_TYPES.has(type)) return true;
  const list = /^List<(.+)>$/.exec(type);
  if (list && list[1] !== 'Number' && PARAMETER_TYPES.has(list[1]) && list[1].startsWith('AWS::')) return true;
  // SSM parameter values: String, a list of strings, or an AWS-specific type (or a list of one).
  const inner = /^AWS::SSM::Parameter::Value<(.+)>$/.exec(type)?.[1];
  if (inner === undefined) return false;
  if (inner === 'String' || inner === 'List<String>' || inner === 'CommaDelimitedList') return true;
  const element = /^List<(.+)>$/.exec(inner)?.[1] ?? inner;
  return element.startsWith('AWS::') && element !== 'AWS::SSM::Parameter::Name' && PARAMETER_TYPES.has(element);
}

/** Parses a body into the long form; malformed bodies get CloudFormation's messages. */
export function parseTemplateBody(body: string): Template {
  const trimmed = body.trimStart();
  let parsed: unknown;
  if (trimmed.startsWith('{')) {
    try {
      parsed = JSON.parse(body);
    } catch (err) {
      throw new TemplateError(`Template format error: JSON not well-formed. (${(err as Error).message})`);
    }
  } else {
    parsed = parseYaml(body);
  }
  if (!isRecord(parsed)) throw new TemplateError('Template format error: YAML not well-formed. (line 1, column 1)');
  return checkStructure(parsed);
}

/** YAML through the extension's own parser (src/deploy/cfnYaml.ts), with CloudFormation's messages. */
function parseYaml(body: string): unknown {
  try {
    return parseTemplate(body);
  } catch (err) {
    if (!(err instanceof TemplateSyntaxError)) throw err;
    // Well-formed YAML that fails the parser's shape checks gets CloudFormation's structural message.
    let loose: unknown;
    try {
      loose = parseYamlTemplate(body);
    } catch {
      throw new TemplateError(`Template format error: YAML not well-formed. (line ${err.line}, column ${err.column})`);
    }
    if (isRecord(loose)) checkStructure(loose);
    throw new TemplateError(`Template format error: YAML not well-formed. (line ${err.line}, column ${err.column})`);
  }
}

/** Structural checks that do not depend on parameter values. */
export function checkStructure(raw: Record<string, unknown>): Template {
  const unknown = Object.keys(raw).filter((k) => !TOP_LEVEL.has(k));
  if (unknown.length)
    throw new TemplateError(`Template format error: Invalid template property or properties [${unknown.join(', ')}]`);
  const version = raw.AWSTemplateFormatVersion;
  if (version !== undefined && version !== '2010-09-09') {
    throw new TemplateError(`Template format error: Unsupported template version: ${JSON.stringify(version)}`);
  }
  if (raw.Description !== undefined && typeof raw.Description !== 'string') {
    throw new TemplateError('Template format error: Every Description member must be a string.');
  }
  const resources = raw.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    throw new TemplateError('Template format error: At least one Resources member must be defined.');
  }
  for (const [id, decl] of Object.entries(resources)) {
    if (!/^[A-Za-z0-9]+$/.test(id))
      throw new TemplateError(`Template format error: Resource name ${id} is non alphanumeric.`);
    if (!isRecord(decl))
      throw new TemplateError(`Template format error: [/Resources/${id}] resource definition is malformed`);
    if (typeof decl.Type !== 'string')
      throw new TemplateError(
        `Template format error: [/Resources/${id}] Every Resources object must contain a Type member.`,
      );
    if (decl.Properties !== undefined && !isRecord(decl.Properties)) {
      throw new TemplateError(
        `Template format error: [/Resources/${id}/Properties] Every Properties member must be an object`,
      );
    }
  }
  if (raw.Parameters !== undefined) {
    if (!isRecord(raw.Parameters)) throw new TemplateError('Template format error: Parameters must be an object');
    for (const [name, decl] of Object.entries(raw.Parameters)) {
      if (!isRecord(decl) || typeof decl.Type !== 'string')
        throw new TemplateError('Template format error: Every Parameters object must contain a Type member.');
      if (!isKnownParameterType(decl.Type))
        throw new TemplateError(`Template format error: Unrecognized parameter type: ${decl.Type}`);
      if (decl.AllowedValues !== undefined && !Array.isArray(decl.AllowedValues)) {
        throw new TemplateError(
          `Template format error: Every AllowedValues member in parameter ${name} must be a list`,
        );
      }
    }
  }
  if (raw.Outputs !== undefined) {
    if (!isRecord(raw.Outputs)) throw new TemplateError('Template format error: Outputs must be an object');
    for (const decl of Object.values(raw.Outputs)) {
      if (!isRecord(decl) || decl.Value === undefined)
        throw new TemplateError('Template format error: Every Outputs member must contain a Value object');
    }
  }
  if (raw.Mappings !== undefined && !isRecord(raw.Mappings))
    throw new TemplateError('Template format error: Mappings must be an object');
  if (raw.Conditions !== undefined && !isRecord(raw.Conditions))
    throw new TemplateError('Template format error: Conditions must be an object');
  checkTemplateLimits(raw);
  const template = raw as unknown as Template;
  checkRulesShape(template);
  checkRecognizedTypes(template);
  return template;
}
