// S3 (restXml) responses are XML text and headers the service writes itself, so strict mode reads
// them back the way an SDK does — body elements by the output shape's member names (flattened
// lists as repeated elements, wrapped lists by their item name), header members by header name —
// and judges the result like any other response. Elements the model does not know are reported too:
// an SDK would silently drop them.
import { XMLParser } from 'fast-xml-parser';
import type { RestResponse } from '../types';
import { shapeOf, type ServiceModel, type ShapeRef } from './shapes';

const parser = new XMLParser({
  ignoreAttributes: true,
  ignoreDeclaration: true,
  parseTagValue: false,
  trimValues: false,
});

export interface RestXmlOutput {
  /** The output as member names and text values, for checkShape with the 'rest-xml' wire. */
  readonly value: Record<string, unknown>;
  /** What could not be read into the shape at all. */
  readonly problems: string[];
}

export function readRestXmlOutput(model: ServiceModel, output: ShapeRef, response: RestResponse): RestXmlOutput {
  const shape = shapeOf(model, output);
  const problems: string[] = [];
  const value: Record<string, unknown> = {};
  const headers = Object.fromEntries(Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [name, member] of Object.entries(shape.members ?? {})) {
    if (member.location === 'header' && member.locationName !== undefined) {
      const header = headers[member.locationName.toLowerCase()];
      if (header !== undefined) value[name] = header;
    }
  }
  const payloadName = shape.payload;
  const payload = payloadName === undefined ? undefined : shape.members?.[payloadName];
  if (payload && shapeOf(model, payload).type !== 'structure') return { value, problems }; // a streamed body
  const body = response.body === undefined ? '' : response.body.toString();
  if (body.trim() === '') return { value, problems };
  let parsed: Record<string, unknown>;
  try {
    parsed = parser.parse(body, true) as Record<string, unknown>;
  } catch (error) {
    return {
      value,
      problems: [`the body is not well-formed XML: ${error instanceof Error ? error.message : String(error)}`],
    };
  }
  const [rootName, root] = Object.entries(parsed)[0] ?? [];
  if (rootName === undefined) return { value, problems: ['the body has no root element'] };
  if (payload && payloadName !== undefined) {
    value[payloadName] = structure(model, payload, root, rootName, problems);
  } else if (typeof root === 'string' && shape.members?.[rootName]) {
    value[rootName] = root; // e.g. <LocationConstraint>eu-west-1</LocationConstraint>
  } else {
    Object.assign(value, structure(model, output, root, rootName, problems));
  }
  return { value, problems };
}

function structure(
  model: ServiceModel,
  ref: ShapeRef,
  node: unknown,
  path: string,
  problems: string[],
): Record<string, unknown> {
  if (node === '') return {};
  if (typeof node !== 'object' || node === null || Array.isArray(node)) {
    problems.push(`${path}: expected elements of ${ref.shape}, found text`);
    return {};
  }
  const members = Object.entries(shapeOf(model, ref).members ?? {}).filter(([, m]) => m.location === undefined);
  const result: Record<string, unknown> = {};
  for (const [element, child] of Object.entries(node as Record<string, unknown>)) {
    const found = members.find(([name, m]) => (m.locationName ?? name) === element);
    if (!found) {
      problems.push(`${path}: <${element}> is not a member of ${ref.shape}`);
      continue;
    }
    const [name, member] = found;
    result[name] = read(model, member, child, `${path}.${element}`, problems);
  }
  return result;
}

function read(model: ServiceModel, ref: ShapeRef, node: unknown, path: string, problems: string[]): unknown {
  const shape = shapeOf(model, ref);
  if (shape.type === 'structure') return structure(model, ref, node, path, problems);
  if (shape.type === 'list') {
    const itemRef = shape.member!;
    if (ref.flattened === true || shape.flattened === true)
      return asArray(node).map((item) => read(model, itemRef, item, path, problems));
    if (node === '') return [];
    const itemName = itemRef.locationName ?? 'member';
    if (typeof node !== 'object' || node === null) {
      problems.push(`${path}: expected <${itemName}> items, found text`);
      return [];
    }
    const wrapper = node as Record<string, unknown>;
    for (const element of Object.keys(wrapper).filter((key) => key !== itemName))
      problems.push(`${path}: <${element}> where the model expects <${itemName}> items`);
    return asArray(wrapper[itemName]).map((item) => read(model, itemRef, item, `${path}.${itemName}`, problems));
  }
  if (typeof node === 'object' && node !== null) {
    problems.push(`${path}: expected text (${shape.type}), found elements`);
    return undefined;
  }
  return node;
}

function asArray(node: unknown): unknown[] {
  return node === undefined ? [] : Array.isArray(node) ? node : [node];
}
