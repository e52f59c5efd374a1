// Reads the template to deploy: the user's copy (workshopPipeline.templatePath) or the bundled one.
import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { CfnTemplate } from './cfnYaml';
import { loadCfnYaml } from './cfnYamlLoader';
import { parameterSpecs, type ParameterSpec } from './templateModel';

export interface LoadedTemplate {
  path: string;
  body: string;
  template: CfnTemplate;
  specs: ParameterSpec[];
}

/** A template that cannot be used, with where the problem is so the editor can open it there. */
export class TemplateLoadError extends Error {
  override readonly name = 'TemplateLoadError';
  constructor(
    message: string,
    readonly path: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

// CloudFormation's limit for a template passed inline (TemplateBody) rather than from S3.
const MAX_INLINE_BYTES = 51_200;

export function templatePathFor(
  setting: string | undefined,
  workspaceFolder: string | undefined,
  bundled: string,
): string {
  if (!setting) {
    return bundled;
  }
  return isAbsolute(setting) || !workspaceFolder ? setting : join(workspaceFolder, setting);
}

export async function loadTemplate(path: string): Promise<LoadedTemplate> {
  let body: string;
  try {
    body = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new TemplateLoadError(
      code === 'ENOENT'
        ? `The template ${path} does not exist.`
        : `The template ${path} cannot be read (${code ?? 'error'}).`,
      path,
    );
  }
  if (Buffer.byteLength(body) > MAX_INLINE_BYTES) {
    throw new TemplateLoadError(
      `The template ${path} is ${Buffer.byteLength(body)} bytes; CloudFormation accepts at most ${MAX_INLINE_BYTES} bytes inline.`,
      path,
    );
  }
  const { parseTemplate, TemplateSyntaxError } = loadCfnYaml();
  try {
    const template = parseTemplate(body);
    return { path, body, template, specs: parameterSpecs(template) };
  } catch (error) {
    if (error instanceof TemplateSyntaxError) {
      throw new TemplateLoadError(`${path}: ${error.message}`, path, error.line, error.column);
    }
    throw error;
  }
}
