// Reads the template to deploy: the user's copy (workshopPipeline.templatePath) or the bundled one.
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
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
  const body = await readRegularFile(path);
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

/**
 * Reads only a regular file: a FIFO or a device would block the read (and the deploy lane) until
 * something writes to it, or forever. Opened non-blocking and checked on the open handle, so the
 * file cannot be swapped between the check and the read.
 */
async function readRegularFile(path: string): Promise<string> {
  const cannot = (error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    return new TemplateLoadError(
      code === 'ENOENT'
        ? `The template ${path} does not exist.`
        : `The template ${path} cannot be read (${code ?? 'error'}).`,
      path,
    );
  };
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    throw cannot(error);
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new TemplateLoadError(
        `The template ${path} is not a regular file (${stats.isDirectory() ? 'a directory' : 'a FIFO, socket or device'}). Set workshopPipeline.templatePath to a template file.`,
        path,
      );
    }
    if (stats.size > MAX_INLINE_BYTES) {
      throw new TemplateLoadError(
        `The template ${path} is ${stats.size} bytes; CloudFormation accepts at most ${MAX_INLINE_BYTES} bytes inline.`,
        path,
      );
    }
    return await handle.readFile('utf8');
  } catch (error) {
    throw error instanceof TemplateLoadError ? error : cannot(error);
  } finally {
    await handle.close();
  }
}
