// Shared by the template tests: loads a bundled template through the extension's own parser and
// walks the parts the tests inspect (IAM statements, inline buildspecs).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseTemplate, type CfnTemplate, type CfnValue } from '../../../src/deploy/cfnYaml';

export const TEMPLATE_DIR = join(__dirname, '..', '..', '..', 'media', 'templates');
export const templatePath = (name: 'pipeline' | 'service') => join(TEMPLATE_DIR, `${name}.yaml`);

export function loadTemplate(name: 'pipeline' | 'service'): { body: string; template: CfnTemplate } {
  const body = readFileSync(templatePath(name), 'utf8');
  return { body, template: parseTemplate(body) };
}

export type Obj = Record<string, CfnValue>;
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
/** The string at `v`, failing the test when the template holds anything else there. */
export function str(v: CfnValue | undefined): string {
  if (typeof v !== 'string') throw new TypeError(`expected a string, got ${JSON.stringify(v)}`);
  return v;
}
export const asList = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function resourcesOfType(template: CfnTemplate, type: string): [string, Obj][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([name, r]) => [name, (r.Properties ?? {}) as Obj]);
}

export interface Statement {
  where: string;
  Effect: string;
  Action: string[];
  Resource: CfnValue[];
  Condition?: CfnValue;
}

/** Every statement of every identity policy and bucket policy in the template. */
export function policyStatements(template: CfnTemplate): Statement[] {
  const documents: [string, CfnValue][] = [];
  for (const [name, resource] of Object.entries(template.Resources)) {
    const props = (resource.Properties ?? {}) as Obj;
    if (resource.Type === 'AWS::IAM::Role') {
      for (const policy of asList(props.Policies as CfnValue[] | undefined)) {
        if (isObj(policy)) documents.push([`${name}/${str(policy.PolicyName)}`, policy.PolicyDocument]);
      }
    }
    if (['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy', 'AWS::S3::BucketPolicy'].includes(resource.Type)) {
      documents.push([name, props.PolicyDocument]);
    }
  }
  return documents.flatMap(([where, doc]) =>
    asList(isObj(doc) ? (doc.Statement as CfnValue[]) : [])
      .filter(isObj)
      .map((s) => ({
        where,
        Effect: str(s.Effect),
        Action: asList(s.Action).map(str),
        Resource: asList(s.Resource),
        Condition: s.Condition,
      })),
  );
}

/** Renders a Fn::Sub string the way CloudFormation would leave shell text: `${!X}` becomes `${X}`. */
function literal(value: CfnValue): string | undefined {
  if (typeof value === 'string') return value;
  if (isObj(value) && typeof value['Fn::Sub'] === 'string') return value['Fn::Sub'].replaceAll('${!', '${');
  return undefined;
}

export interface Buildspec {
  project: string;
  text: string;
  spec: {
    version?: unknown;
    env?: { variables?: Record<string, string> };
    phases: Record<string, { commands?: string[]; 'on-failure'?: string }>;
    reports?: Obj;
    artifacts?: Obj;
  };
}

/** Inline buildspecs of every CodeBuild project (both branches of an Fn::If; file names are skipped). */
export function inlineBuildspecs(template: CfnTemplate): Buildspec[] {
  const found: Buildspec[] = [];
  for (const [project, props] of resourcesOfType(template, 'AWS::CodeBuild::Project')) {
    const source = props.Source as Obj;
    const spec = source.BuildSpec;
    const candidates = isObj(spec) && Array.isArray(spec['Fn::If']) ? spec['Fn::If'].slice(1) : [spec];
    for (const candidate of candidates) {
      const text = literal(candidate);
      if (text === undefined || !text.includes('\n')) continue; // a path such as buildspec.yml
      found.push({ project, text, spec: parse(text) as Buildspec['spec'] });
    }
  }
  return found;
}

/** All commands of the given phases, in buildspec order. */
export const commandsOf = (b: Buildspec, ...phases: string[]) =>
  phases.flatMap((p) => b.spec.phases[p]?.commands ?? []);
