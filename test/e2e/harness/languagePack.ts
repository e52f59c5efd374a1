// VS Code shows a display language only when a language pack for it is installed, and the real
// packs come from the Marketplace, out of reach here. A stub pack (test/e2e/fixtures) declares the
// language with no translations of VS Code itself: the workbench stays English, while extensions
// get the locale and load their own bundles (package.nls.<locale>.json, l10n/bundle.l10n.<locale>.json).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createVSIX } from '@vscode/vsce';

/** Packages the stub pack for `locale` into a temporary folder (added to `folders` for removal). */
export async function languagePackVsix(locale: string, folders: string[]): Promise<string> {
  if (locale !== 'ko') {
    throw new Error(`no stub language pack for ${locale} in test/e2e/fixtures`);
  }
  const out = mkdtempSync(join(tmpdir(), 'wp-language-pack-'));
  folders.push(out);
  const packagePath = join(out, `language-pack-${locale}.vsix`);
  await createVSIX({
    cwd: resolve('test/e2e/fixtures/language-pack-ko'),
    packagePath,
    allowMissingRepository: true,
    skipLicense: true,
    dependencies: false,
  });
  return packagePath;
}
