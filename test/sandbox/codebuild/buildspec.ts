// Buildspec version 0.2, parsed and checked as CodeBuild's agent does before the INSTALL phase.
// A problem is a YAML_FILE_ERROR whose message follows the agent's wording (go-yaml's
// "<problem> at line N" for syntax, "Expected Commands[0] to be of string type…" for shapes).
import { str } from '../core/values';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';

export type PhaseName = 'install' | 'pre_build' | 'build' | 'post_build';
export const PHASES: readonly PhaseName[] = ['install', 'pre_build', 'build', 'post_build'];

export interface BuildspecPhase {
  readonly commands: readonly string[];
  readonly finally: readonly string[];
  /** Unset: the failure follows CodeBuild's phase transitions. */
  readonly onFailure?: 'ABORT' | 'CONTINUE';
}

export interface BuildspecReport {
  readonly files: readonly string[];
  readonly baseDirectory?: string;
  readonly discardPaths: boolean;
  readonly fileFormat: ReportFileFormat;
}

/** The report file formats CodeBuild accepts (ReportGroup `file-format`). */
export const REPORT_FILE_FORMATS = [
  'JUNITXML',
  'CUCUMBERJSON',
  'TESTNGXML',
  'VISUALSTUDIOTRX',
  'NUNITXML',
  'NUNIT3XML',
] as const;
export type ReportFileFormat = (typeof REPORT_FILE_FORMATS)[number];

export interface Buildspec {
  readonly version: string;
  readonly shell?: 'bash' | 'sh';
  readonly variables: Readonly<Record<string, string>>;
  readonly parameterStore: Readonly<Record<string, string>>;
  readonly secretsManager: Readonly<Record<string, string>>;
  readonly exportedVariables: readonly string[];
  readonly phases: Readonly<Partial<Record<PhaseName, BuildspecPhase>>>;
  readonly artifacts?: {
    readonly files: readonly string[];
    readonly baseDirectory?: string;
    readonly discardPaths: boolean;
    readonly name?: string;
  };
  readonly reports: Readonly<Record<string, BuildspecReport>>;
}

export class BuildspecError extends Error {
  readonly statusCode = 'YAML_FILE_ERROR';
}

export function parseBuildspec(text: string): Buildspec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: false, prettyErrors: false, version: '1.1' });
  const error = doc.errors[0];
  if (error) {
    const line = error.linePos?.[0].line ?? 1;
    throw new BuildspecError(`${error.message.split('\n')[0].replace(/ at line \d+.*$/, '')} at line ${line}`);
  }
  const lineOf = (node: Node | null | undefined): number => (node?.range ? lineCounter.linePos(node.range[0]).line : 1);
  const root = doc.contents;
  if (!isMap(root)) throw new BuildspecError('wrong number of container tags, expected 1');

  const get = (map: Node | null | undefined, key: string): Node | null | undefined =>
    isMap(map) ? map.get(key, true) : undefined;
  const scalarText = (node: Node | null | undefined): string | undefined =>
    isScalar(node) && node.value !== null ? str(node.value) : undefined;

  const version = scalarText(get(root, 'version'));
  if (version === undefined) throw new BuildspecError('missing version');
  if (version !== '0.2' && version !== '0.1') throw new BuildspecError(`invalid buildspec version: ${version}`);
  if (version === '0.1')
    // The sandbox runs 0.2 semantics only (one shell state across commands); 0.1 is deprecated.
    throw new BuildspecError('buildspec version 0.1 is not supported by the sandbox; use version 0.2');

  const stringList = (node: Node | null | undefined, what: string): string[] => {
    if (node === undefined || node === null) return [];
    if (isScalar(node)) return node.value === null ? [] : [str(node.value)];
    if (!isSeq(node)) throw new BuildspecError(`Expected ${what} to be a list at line ${lineOf(node)}`);
    return node.items.map((item, i) => {
      const n = item as Node;
      if (!isScalar(n))
        throw new BuildspecError(
          `Expected ${what}[${i}] to be of string type: found subkeys instead at line ${lineOf(n)}, value of the key tag on line ${lineOf(n) - 1} might be empty`,
        );
      return str(n.value);
    });
  };
  const stringMap = (node: Node | null | undefined, what: string): Record<string, string> => {
    if (node === undefined || node === null) return {};
    if (!isMap(node)) throw new BuildspecError(`Expected ${what} to be a map at line ${lineOf(node)}`);
    const out: Record<string, string> = {};
    for (const pair of node.items) {
      const key = scalarText(pair.key as Node);
      const value = pair.value as Node | null;
      if (key === undefined) continue;
      if (value !== null && !isScalar(value))
        throw new BuildspecError(`Expected ${what}.${key} to be of string type at line ${lineOf(value)}`);
      out[key] = scalarText(value) ?? '';
    }
    return out;
  };
  const yesNo = (node: Node | null | undefined): boolean => {
    const v = scalarText(node)?.toLowerCase();
    return v === 'yes' || v === 'true';
  };

  const env = get(root, 'env');
  const shellText = scalarText(get(env, 'shell'));
  if (shellText !== undefined && !['bash', '/bin/sh', 'sh'].includes(shellText))
    throw new BuildspecError(`invalid shell: ${shellText}, supported shells are bash and /bin/sh`);

  const phasesNode = get(root, 'phases');
  const phases: Partial<Record<PhaseName, BuildspecPhase>> = {};
  if (isMap(phasesNode)) {
    for (const pair of phasesNode.items) {
      const name = scalarText(pair.key as Node) ?? '';
      if (!(PHASES as readonly string[]).includes(name))
        throw new BuildspecError(`unknown phase: ${name} at line ${lineOf(pair.key as Node)}`);
      const node = pair.value as Node | null;
      const onFailure = scalarText(get(node, 'on-failure'));
      if (onFailure !== undefined && onFailure !== 'ABORT' && onFailure !== 'CONTINUE')
        throw new BuildspecError(`invalid on-failure value: ${onFailure}, supported values are ABORT and CONTINUE`);
      phases[name as PhaseName] = {
        commands: stringList(get(node, 'commands'), 'Commands'),
        finally: stringList(get(node, 'finally'), 'Finally'),
        ...(onFailure ? { onFailure } : {}),
      };
    }
  } else if (phasesNode !== undefined && phasesNode !== null) {
    throw new BuildspecError(`Expected phases to be a map at line ${lineOf(phasesNode)}`);
  }

  const artifactsNode = get(root, 'artifacts');
  const artifactFiles = stringList(get(artifactsNode, 'files'), 'Files');
  if (isMap(artifactsNode) && artifactFiles.length === 0)
    throw new BuildspecError('Artifacts files are required when artifacts are specified');

  const reports: Record<string, BuildspecReport> = {};
  const reportsNode = get(root, 'reports');
  if (isMap(reportsNode)) {
    for (const pair of reportsNode.items) {
      const name = scalarText(pair.key as Node) ?? '';
      const node = pair.value as Node | null;
      const format = scalarText(get(node, 'file-format')) ?? 'JUNITXML';
      if (!(REPORT_FILE_FORMATS as readonly string[]).includes(format))
        throw new BuildspecError(`invalid report file format: ${format} for report group ${name}`);
      const baseDirectory = scalarText(get(node, 'base-directory'));
      reports[name] = {
        files: stringList(get(node, 'files'), 'Files'),
        ...(baseDirectory ? { baseDirectory } : {}),
        discardPaths: yesNo(get(node, 'discard-paths')),
        fileFormat: format as ReportFileFormat,
      };
    }
  }

  const baseDirectory = scalarText(get(artifactsNode, 'base-directory'));
  const artifactName = scalarText(get(artifactsNode, 'name'));
  return {
    version,
    ...(shellText ? { shell: shellText === 'bash' ? 'bash' : 'sh' } : {}),
    variables: stringMap(get(env, 'variables'), 'variables'),
    parameterStore: stringMap(get(env, 'parameter-store'), 'parameter-store'),
    secretsManager: stringMap(get(env, 'secrets-manager'), 'secrets-manager'),
    exportedVariables: stringList(get(env, 'exported-variables'), 'exported-variables'),
    phases,
    ...(isMap(artifactsNode)
      ? {
          artifacts: {
            files: artifactFiles,
            ...(baseDirectory ? { baseDirectory } : {}),
            discardPaths: yesNo(get(artifactsNode, 'discard-paths')),
            ...(artifactName ? { name: artifactName } : {}),
          },
        }
      : {}),
    reports,
  };
}
