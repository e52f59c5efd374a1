// A lenient reading of YAML templates with CloudFormation's short-form tags (!Ref, !GetAtt, !Sub, …)
// into the long form. Templates are parsed by the extension's own parser (src/deploy/cfnYaml.ts);
// template.ts falls back to this one only when that parser refuses a body, to tell a structural
// error (which gets CloudFormation's own message) from YAML that is not well-formed.
import { isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from 'yaml';
import { TemplateError } from './types.js';

function toLongForm(tag: string, value: unknown): unknown {
  const name = tag.slice(1);
  if (name === 'Ref') return { Ref: value };
  if (name === 'Condition') return { Condition: value };
  if (name === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${name}`]: value };
}

function convert(node: unknown, doc: Document): unknown {
  if (isAlias(node)) return convert(node.resolve(doc), doc);
  let value: unknown;
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(convert(pair.key, doc));
      out[key] = convert(pair.value, doc);
    }
    value = out;
  } else if (isSeq(node)) {
    value = node.items.map((item) => convert(item, doc));
  } else if (isScalar(node)) {
    value = node.value;
  } else {
    value = null;
  }
  const tag = (node as Node | null)?.tag;
  if (tag && tag.startsWith('!') && !tag.startsWith('!!')) return toLongForm(tag, value);
  return value;
}

export function parseYamlTemplate(body: string): unknown {
  const doc = parseDocument(body, { prettyErrors: false, uniqueKeys: true, logLevel: 'silent' });
  const error = doc.errors[0];
  if (error) {
    const pos = error.linePos?.[0];
    const where = pos ? ` (line ${pos.line}, column ${pos.col})` : '';
    throw new TemplateError(`Template format error: YAML not well-formed.${where}`);
  }
  return convert(doc.contents, doc);
}
