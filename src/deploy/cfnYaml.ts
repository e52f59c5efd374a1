// Parses a CloudFormation template body (YAML with short-form intrinsic tags, or JSON) into the
// long form every consumer works with: `!Ref X` -> `{ Ref: 'X' }`, `!GetAtt A.B` -> `{ 'Fn::GetAtt': ['A', 'B'] }`.
// Pure (no `vscode`): the deploy command, the sandbox's CloudFormation engine and the tests share it.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  visit,
  type CollectionTag,
  type Node,
  type ScalarTag,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { allowedPattern } from './allowedPattern';

// Re-exported for the parameter checks, so re2js stays in this lazy chunk.
export { allowedPattern };

export type CfnValue = string | number | boolean | null | CfnValue[] | { [key: string]: CfnValue };

export interface CfnParameter {
  Type: string;
  Default?: CfnValue;
  Description?: string;
  AllowedPattern?: string;
  AllowedValues?: CfnValue[];
  ConstraintDescription?: string;
  MinLength?: number;
  MaxLength?: number;
  MinValue?: number;
  MaxValue?: number;
  NoEcho?: boolean | string;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, CfnValue>;
  Condition?: string;
  DependsOn?: string | string[];
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, CfnValue>;
}

export interface CfnOutput {
  Value: CfnValue;
  Description?: string;
  Condition?: string;
  Export?: { Name: CfnValue };
}

export interface CfnTemplate {
  AWSTemplateFormatVersion?: string;
  Description?: string;
  Transform?: CfnValue;
  Metadata?: Record<string, CfnValue>;
  Parameters?: Record<string, CfnParameter>;
  Mappings?: Record<string, Record<string, Record<string, CfnValue>>>;
  Conditions?: Record<string, CfnValue>;
  Rules?: Record<string, CfnValue>;
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, CfnOutput>;
}

/** A template the user can fix: `line` and `column` are 1-based, `message` already names them. */
export class TemplateSyntaxError extends Error {
  override readonly name = 'TemplateSyntaxError';
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`Line ${line}, column ${column}: ${reason}`);
  }
}

type Shape = 'scalar' | 'seq' | 'map';

// Which YAML node kinds CloudFormation accepts after each short-form tag. A map is allowed where a
// nested long-form function may stand in for the string (`!Base64 { 'Fn::Sub': … }`).
const SHORT_FORMS: Record<string, { fn: string; shapes: readonly Shape[] }> = {
  '!Ref': { fn: 'Ref', shapes: ['scalar'] },
  '!Condition': { fn: 'Condition', shapes: ['scalar'] },
  '!GetAtt': { fn: 'Fn::GetAtt', shapes: ['scalar', 'seq'] },
  '!Sub': { fn: 'Fn::Sub', shapes: ['scalar', 'seq'] },
  '!Join': { fn: 'Fn::Join', shapes: ['seq'] },
  '!Select': { fn: 'Fn::Select', shapes: ['seq'] },
  '!Split': { fn: 'Fn::Split', shapes: ['seq'] },
  '!If': { fn: 'Fn::If', shapes: ['seq'] },
  '!Equals': { fn: 'Fn::Equals', shapes: ['seq'] },
  '!And': { fn: 'Fn::And', shapes: ['seq'] },
  '!Or': { fn: 'Fn::Or', shapes: ['seq'] },
  '!Not': { fn: 'Fn::Not', shapes: ['seq'] },
  '!FindInMap': { fn: 'Fn::FindInMap', shapes: ['seq'] },
  '!Cidr': { fn: 'Fn::Cidr', shapes: ['seq'] },
  '!ImportValue': { fn: 'Fn::ImportValue', shapes: ['scalar', 'map'] },
  '!GetAZs': { fn: 'Fn::GetAZs', shapes: ['scalar', 'map'] },
  '!Base64': { fn: 'Fn::Base64', shapes: ['scalar', 'map'] },
  '!Transform': { fn: 'Fn::Transform', shapes: ['map'] },
};

function scalarArgument(tag: string, fn: string, value: string, onError: (message: string) => void): CfnValue {
  if (tag === '!GetAtt') {
    // Only the first dot separates the resource; attributes such as `Endpoint.Address` keep theirs.
    const dot = value.indexOf('.');
    if (dot <= 0 || dot === value.length - 1) {
      onError(`!GetAtt needs "Resource.Attribute", got "${value}"`);
      return { [fn]: [value] };
    }
    return { [fn]: [value.slice(0, dot), value.slice(dot + 1)] };
  }
  if ((tag === '!Ref' || tag === '!Condition') && value === '') {
    onError(`${tag} needs a name`);
  }
  return { [fn]: value };
}

function buildTags(): (ScalarTag | CollectionTag)[] {
  const tags: (ScalarTag | CollectionTag)[] = [];
  for (const [tag, { fn, shapes }] of Object.entries(SHORT_FORMS)) {
    const expected = shapes
      .map((s) => (s === 'scalar' ? 'a scalar' : s === 'seq' ? 'a list' : 'a mapping'))
      .join(' or ');
    const wrongShape = (got: string) => (onError: (message: string) => void) => {
      onError(`${tag} takes ${expected}, not ${got}`);
      return null;
    };
    tags.push({
      tag,
      resolve: shapes.includes('scalar')
        ? (value, onError) => scalarArgument(tag, fn, value, onError)
        : (_value, onError) => wrongShape('a scalar')(onError),
    });
    for (const collection of ['seq', 'map'] as const) {
      tags.push({
        tag,
        collection,
        resolve: shapes.includes(collection)
          ? (node: YAMLMap.Parsed | YAMLSeq.Parsed) => ({ [fn]: node.toJSON() as CfnValue })
          : (_node, onError) => wrongShape(collection === 'seq' ? 'a list' : 'a mapping')(onError),
      });
    }
  }
  return tags;
}

const CUSTOM_TAGS = buildTags();

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value) && Object.keys(value).length === 0) return 'an empty mapping';
  return typeof value === 'object' ? 'a mapping' : `the ${typeof value} ${JSON.stringify(value)}`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Parses `body` and checks the shape CloudFormation itself rejects first (a mapping with a non-empty
 * `Resources` mapping, every resource with a `Type`), so users see their mistake with a position
 * before any API call. Throws TemplateSyntaxError.
 */
export function parseTemplate(body: string): CfnTemplate {
  const lineCounter = new LineCounter();
  // YAML 1.2 core schema: JSON bodies parse too, and `2012-10-17` stays a string as in CloudFormation.
  const doc = parseDocument(body, {
    customTags: CUSTOM_TAGS,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: true,
    version: '1.2',
  });
  const at = (offset: number | undefined) => {
    const { line, col } = lineCounter.linePos(offset ?? 0);
    return { line: Math.max(line, 1), col: Math.max(col, 1) };
  };
  const fail = (reason: string, offset: number | undefined): never => {
    const { line, col } = at(offset);
    throw new TemplateSyntaxError(reason, line, col);
  };

  // YAML accepts JSON that CloudFormation rejects (trailing commas, comments), so JSON bodies get
  // the strict parser first; its error offset is mapped through the same line counter.
  if (body.trimStart().startsWith('{')) {
    try {
      JSON.parse(body);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const position = /at position (\d+)/.exec(message);
      fail(
        message.replace(/ in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, ''),
        position ? Number(position[1]) : body.length,
      );
    }
  }
  const [firstError] = doc.errors;
  if (firstError) fail(firstError.message, firstError.pos[0]);
  // An unknown tag (`!Reff`) is only a warning to the yaml package; CloudFormation rejects it.
  const unknownTag = doc.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED');
  if (unknownTag) fail(unknownTag.message, unknownTag.pos[0]);
  visit(doc, {
    Alias(_key, node) {
      fail('YAML aliases (*name) are not allowed in CloudFormation templates', node.range?.[0]);
    },
  });

  const root = doc.contents;
  if (!isMap(root)) {
    fail(
      `A template must be a mapping of sections (Resources, Parameters, …), not ${
        root === null ? 'an empty document' : isSeq(root) ? 'a list' : 'a single value'
      }`,
      root?.range[0],
    );
  }
  const template = doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>;
  const nodeOf = (path: string[]): Node | undefined => {
    const found: unknown = doc.getIn(path, true);
    return isMap(found) || isSeq(found) || isScalar(found) || isAlias(found) ? found : undefined;
  };
  const offsetOf = (path: string[]) => nodeOf(path)?.range?.[0] ?? root?.range[0];
  // Points at the key itself when the value is missing, which is where the user has to type.
  const keyOffset = (path: string[]) => {
    const parent = path.length > 1 ? nodeOf(path.slice(0, -1)) : root;
    if (!isMap(parent)) return offsetOf(path);
    const pair = parent.items.find((p) => isScalar(p.key) && p.key.value === path[path.length - 1]);
    return (isScalar(pair?.key) ? pair.key.range?.[0] : undefined) ?? parent.range?.[0];
  };

  if (!('Resources' in template))
    fail('The template has no Resources section; CloudFormation needs at least one resource', root?.range[0]);
  const resources = template.Resources;
  if (!isRecord(resources) || Object.keys(resources).length === 0) {
    fail(`Resources must be a mapping of at least one resource, not ${describe(resources)}`, keyOffset(['Resources']));
  }
  for (const [name, resource] of Object.entries(resources as Record<string, unknown>)) {
    if (!isRecord(resource))
      fail(`Resource ${name} must be a mapping, not ${describe(resource)}`, keyOffset(['Resources', name]));
    const type = (resource as Record<string, unknown>).Type;
    if (typeof type !== 'string' || type === '') {
      fail(`Resource ${name} needs a Type such as AWS::S3::Bucket`, keyOffset(['Resources', name]));
    }
  }
  for (const section of ['Parameters', 'Metadata', 'Mappings', 'Conditions', 'Rules', 'Outputs']) {
    if (section in template && !isRecord(template[section])) {
      fail(`${section} must be a mapping, not ${describe(template[section])}`, keyOffset([section]));
    }
  }
  for (const [name, parameter] of Object.entries((template.Parameters ?? {}) as Record<string, unknown>)) {
    if (!isRecord(parameter) || typeof parameter.Type !== 'string') {
      fail(`Parameter ${name} needs a Type such as String`, keyOffset(['Parameters', name]));
    }
    const constraints = parameter as Record<string, unknown>;
    if ('AllowedValues' in constraints && !Array.isArray(constraints.AllowedValues)) {
      fail(
        `Parameter ${name}: AllowedValues must be a list of values, not ${describe(constraints.AllowedValues)}`,
        offsetOf(['Parameters', name, 'AllowedValues']),
      );
    }
    if ('AllowedPattern' in constraints) {
      const pattern = constraints.AllowedPattern;
      const at = offsetOf(['Parameters', name, 'AllowedPattern']);
      if (typeof pattern !== 'string') {
        fail(`Parameter ${name}: AllowedPattern must be a string, not ${describe(pattern)}`, at);
      }
      const check = allowedPattern(pattern as string);
      if (check.kind === 'invalid') {
        fail(
          `Parameter ${name}: AllowedPattern ${JSON.stringify(pattern)} is not a valid regular expression (${check.reason})`,
          at,
        );
      }
    }
  }
  for (const [name, output] of Object.entries((template.Outputs ?? {}) as Record<string, unknown>)) {
    if (!isRecord(output) || !('Value' in output)) fail(`Output ${name} needs a Value`, keyOffset(['Outputs', name]));
  }
  return template as unknown as CfnTemplate;
}
