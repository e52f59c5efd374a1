// Judges a value against a shape of an AWS service model: required members, types, enums, lengths,
// ranges and patterns, the checks AWS's request validation (Coral) makes before an operation runs.
// The same walk checks what the sandbox answers (strict mode), with the checks that fit a response.
import { modelPattern } from './patterns';
import { shapeOf, type ServiceModel, type Shape, type ShapeRef } from './shapes';

/**
 * How values arrive. `json`: parsed JSON (awsJson1_1 bodies, both directions). `query`: awsQuery form
 * input, every scalar a string and an empty list sent as ''. `xml`: a query response before it is
 * written as XML: scalars may be strings, numbers, booleans or Dates, all of which serialize alike.
 * `rest-xml`: an S3 response read back from its XML and headers (restXml.ts): every scalar is text.
 */
export type Wire = 'json' | 'query' | 'xml' | 'rest-xml';

export type ProblemKind = 'required' | 'type' | 'constraint' | 'unknownMember' | 'serialization';

/** One broken rule at one place in the value. */
export interface Problem {
  readonly kind: ProblemKind;
  /** Member names and 1-based list positions from the top of the value. */
  readonly path: readonly (string | number)[];
  readonly value: unknown;
  /** Coral's wording for constraint and required problems; a description for the others. */
  readonly message: string;
  /** The member's shape is sensitive: its value is not repeated in messages. */
  readonly sensitive: boolean;
}

export interface Direction {
  readonly wire: Wire;
  /** Responses: members the model does not have are problems (requests ignore them, as AWS does). */
  readonly response: boolean;
  /** Values AWS is known to send beyond a shape's modelled enum, by shape name (see catalog.ts). */
  readonly extraEnumValues?: Readonly<Record<string, readonly string[]>>;
}

/** Every problem of `value` against the shape `ref` names (a structure: the operation's input or output). */
export function checkShape(model: ServiceModel, ref: ShapeRef, value: unknown, direction: Direction): Problem[] {
  const problems: Problem[] = [];
  walk(model, ref, value, [], direction, problems);
  return problems;
}

function walk(
  model: ServiceModel,
  ref: ShapeRef,
  value: unknown,
  path: (string | number)[],
  direction: Direction,
  problems: Problem[],
): void {
  const shape = shapeOf(model, ref);
  const report = (kind: ProblemKind, message: string, at = path, at_value: unknown = value): void => {
    problems.push({ kind, path: at, value: at_value, message, sensitive: shape.sensitive === true });
  };
  switch (shape.type) {
    case 'structure': {
      if (direction.wire === 'query' && value === '') return; // an empty structure on the form
      if (!isRecord(value)) return report('type', typeMismatch(shape, value, direction.wire));
      const members = shape.members ?? {};
      for (const name of shape.required ?? []) {
        const member = members[name];
        const present = member ? value[wireName(name, member, direction.wire)] : undefined;
        if (present === undefined || present === null) {
          problems.push({
            kind: 'required',
            path: [...path, name],
            value: null,
            message: 'Member must not be null',
            sensitive: false,
          });
        }
      }
      const known = new Set<string>();
      for (const [name, member] of Object.entries(members)) {
        // Headers and URI labels are not in a JSON or query body; an S3 response read back carries its headers.
        if (member.location !== undefined && direction.wire !== 'rest-xml') continue;
        const key = wireName(name, member, direction.wire);
        known.add(key);
        const item = value[key];
        if (item !== undefined && item !== null) walk(model, member, item, [...path, name], direction, problems);
      }
      if (direction.response) {
        for (const key of Object.keys(value)) {
          if (!known.has(key) && value[key] !== undefined)
            report('unknownMember', `'${key}' is not a member of ${ref.shape}`, [...path, key], value[key]);
        }
      }
      if (shape.union === true) {
        const set = Object.values(value).filter((item) => item !== undefined && item !== null).length;
        if (set !== 1) report('constraint', `Exactly one member of union ${ref.shape} must be set, found ${set}`);
      }
      return;
    }
    case 'list': {
      if (direction.wire === 'query' && value === '') return lengthChecks(shape, 0, report, direction);
      if (!Array.isArray(value)) return report('type', typeMismatch(shape, value, direction.wire));
      if (direction.wire === 'xml') xmlListForm(shape, ref, report);
      lengthChecks(shape, value.length, report, direction);
      value.forEach((item, index) => {
        if (item === undefined || item === null) {
          if (direction.response) report('type', 'a list item is null', [...path, index + 1], item);
        } else {
          walk(model, shape.member!, item, [...path, index + 1], direction, problems);
        }
      });
      return;
    }
    case 'map': {
      if (direction.wire === 'query' && value === '') return lengthChecks(shape, 0, report, direction);
      if (!isRecord(value)) return report('type', typeMismatch(shape, value, direction.wire));
      lengthChecks(shape, Object.keys(value).length, report, direction);
      const keyProblems: Problem[] = [];
      const valueProblems: Problem[] = [];
      for (const [key, item] of Object.entries(value)) {
        walk(model, shape.key!, key, path, direction, keyProblems);
        if (item !== undefined && item !== null)
          walk(model, shape.value!, item, [...path, key], direction, valueProblems);
      }
      // Coral folds a map's key and scalar value problems into one line at the map.
      const folded = (label: string, found: Problem[]): void => {
        const constraints = [...new Set(found.filter((p) => p.kind === 'constraint').map((p) => p.message))];
        if (constraints.length > 0)
          report('constraint', `${label} must satisfy constraint: [${constraints.join(', ')}]`);
        problems.push(...found.filter((p) => p.kind !== 'constraint'));
      };
      folded('Map keys', keyProblems);
      const scalarValues = isScalar(shapeOf(model, shape.value!));
      if (scalarValues) folded('Map value', valueProblems);
      else problems.push(...valueProblems);
      return;
    }
    case 'string': {
      const text = scalarText(value, direction.wire);
      if (text === undefined)
        return report(
          direction.wire === 'json' && !direction.response ? 'serialization' : 'type',
          typeMismatch(shape, value, direction.wire),
        );
      if (shape.enum && !shape.enum.includes(text) && !direction.extraEnumValues?.[ref.shape]?.includes(text)) {
        report('constraint', `Member must satisfy enum value set: [${shape.enum.join(', ')}]`);
      }
      if (direction.response) return; // AWS's own outputs stray from lengths and patterns; enums hold
      lengthChecks(shape, text.length, report, direction);
      if (shape.pattern !== undefined) {
        const regex = modelPattern(shape.pattern);
        if (regex && !regex.test(text))
          report('constraint', `Member must satisfy regular expression pattern: ${shape.pattern}`);
      }
      return;
    }
    case 'integer':
    case 'long':
    case 'float':
    case 'double': {
      const number = numberOf(value, shape, direction.wire);
      if (number === undefined)
        return report(
          direction.wire === 'json' && !direction.response ? 'serialization' : 'type',
          typeMismatch(shape, value, direction.wire),
        );
      if (shape.min !== undefined && number < shape.min)
        report('constraint', `Member must have value greater than or equal to ${shape.min}`);
      if (shape.max !== undefined && number > shape.max)
        report('constraint', `Member must have value less than or equal to ${shape.max}`);
      return;
    }
    case 'boolean': {
      const ok = typeof value === 'boolean' || (direction.wire !== 'json' && (value === 'true' || value === 'false'));
      if (!ok)
        report(
          direction.wire === 'json' && !direction.response ? 'serialization' : 'type',
          typeMismatch(shape, value, direction.wire),
        );
      return;
    }
    case 'timestamp': {
      if (!isTimestamp(value, direction.wire))
        report(
          direction.wire === 'json' && !direction.response ? 'serialization' : 'type',
          typeMismatch(shape, value, direction.wire),
        );
      return;
    }
    case 'blob': {
      if (typeof value !== 'string' && !Buffer.isBuffer(value))
        return report(
          direction.wire === 'json' && !direction.response ? 'serialization' : 'type',
          typeMismatch(shape, value, direction.wire),
        );
      if (direction.response) return;
      const bytes = typeof value === 'string' ? Buffer.from(value, 'base64').length : value.length;
      lengthChecks(shape, bytes, report, direction);
      return;
    }
    default:
      return; // documents and other open shapes carry no constraints to check
  }
}

/** The name a member has in the request or response body. */
function wireName(name: string, member: ShapeRef, wire: Wire): string {
  // awsJson bodies use the member's serialized name; the sandbox's query input and XML output use member
  // names, and so does its REST-JSON input for members bound to the URI, query string or headers.
  return wire === 'json' && member.location === undefined ? (member.locationName ?? name) : name;
}

function lengthChecks(
  shape: Shape,
  length: number,
  report: (kind: ProblemKind, message: string) => void,
  direction: Direction,
): void {
  if (direction.response) return;
  if (shape.min !== undefined && length < shape.min)
    report('constraint', `Member must have length greater than or equal to ${shape.min}`);
  if (shape.max !== undefined && length > shape.max)
    report('constraint', `Member must have length less than or equal to ${shape.max}`);
}

/** The sandbox writes every list as `<member>` items: a model that names them otherwise would be misread. */
function xmlListForm(shape: Shape, ref: ShapeRef, report: (kind: ProblemKind, message: string) => void): void {
  const itemName = shape.member?.locationName ?? 'member';
  if (shape.flattened === true || ref.flattened === true || itemName !== 'member')
    report(
      'type',
      `the model serializes this list as ${shape.flattened === true ? 'flattened ' : ''}<${itemName}> items; the sandbox writes <member>`,
    );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    !(value instanceof Date) &&
    !Buffer.isBuffer(value)
  );
}

function isScalar(shape: Shape): boolean {
  return shape.type !== 'structure' && shape.type !== 'list' && shape.type !== 'map';
}

function scalarText(value: unknown, wire: Wire): string | undefined {
  if (typeof value === 'string') return value;
  // In XML a number or boolean is written as the same text a string would be.
  if (wire === 'xml' && (typeof value === 'number' || typeof value === 'boolean')) return String(value);
  return undefined;
}

function numberOf(value: unknown, shape: Shape, wire: Wire): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (wire !== 'json' && typeof value === 'string') {
    const integral = shape.type === 'integer' || shape.type === 'long';
    const ok = integral ? /^-?\d+$/.test(value.trim()) : value.trim() !== '' && Number.isFinite(Number(value));
    return ok ? Number(value) : undefined;
  }
  return undefined;
}

function isTimestamp(value: unknown, wire: Wire): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (value instanceof Date) return wire === 'xml' && !Number.isNaN(value.getTime());
  if (typeof value === 'string') return wire !== 'json' && !Number.isNaN(Date.parse(value));
  return false;
}

/** What Coral's JSON reader says when a token cannot become the member's type, or a plain description. */
function typeMismatch(shape: Shape, value: unknown, wire: Wire): string {
  if (wire !== 'json') return `expected ${describeType(shape)}, found ${describeValue(value)}`;
  if (Array.isArray(value)) return 'Start of list found where not expected';
  if (typeof value === 'object' && value !== null) return 'Start of structure or map found where not expected.';
  const token =
    typeof value === 'string'
      ? 'STRING_VALUE'
      : typeof value === 'number'
        ? 'NUMBER_VALUE'
        : value === true
          ? 'TRUE_VALUE'
          : value === false
            ? 'FALSE_VALUE'
            : 'VALUE';
  if (shape.type === 'structure' || shape.type === 'map') return `Expected a structure or map, found ${token}`;
  if (shape.type === 'list') return `Expected a list, found ${token}`;
  return `${token} cannot be converted to ${JAVA_TYPES[shape.type] ?? shape.type}`;
}

const JAVA_TYPES: Partial<Record<Shape['type'], string>> = {
  string: 'String',
  integer: 'Integer',
  long: 'Long',
  float: 'Float',
  double: 'Double',
  boolean: 'Boolean',
  timestamp: 'Timestamp',
  blob: 'Blob',
};

function describeType(shape: Shape): string {
  return shape.type === 'integer' ? 'an integer' : `a ${shape.type}`;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a Date';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
