// Everything a user reads is localized: package.json contributions go through package.nls*.json,
// runtime texts through l10n.t with a key in l10n/bundle.l10n.json and its Korean translation, and
// no display API, tree item, status bar item, thrown error or core message builder gets a bare
// English literal. A new user-facing string that bypasses this fails here.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { getL10nJson } from '@vscode/l10n-dev';
import { nlsMessages } from '../../support/localizedManifest';
import { CORE_MESSAGE_FUNCTIONS } from './coreMessages';
import { scanFile, scanSource, sourceFiles } from './unlocalizedStrings';

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown>;
const english = nlsMessages();
const korean = nlsMessages('ko');
const bundle = JSON.parse(readFileSync('l10n/bundle.l10n.json', 'utf8')) as Record<string, string>;
const koBundle = JSON.parse(readFileSync('l10n/bundle.l10n.ko.json', 'utf8')) as Record<string, string>;
const HANGUL = /[\uac00-\ud7a3]/;

/** Contributed strings VS Code shows: where they sit in package.json. */
function displayedStrings(): { where: string; value: unknown }[] {
  const c = manifest.contributes as Record<string, never>;
  const out: { where: string; value: unknown }[] = [{ where: 'description', value: manifest.description }];
  const caps = manifest.capabilities as { untrustedWorkspaces: { description: unknown } };
  out.push({ where: 'capabilities', value: caps.untrustedWorkspaces.description });
  for (const a of (c.viewsContainers as { activitybar: { title: unknown }[] }).activitybar)
    out.push({ where: 'viewsContainers', value: a.title });
  for (const v of Object.values(c.views as Record<string, { name: unknown; contextualTitle?: unknown }[]>).flat())
    out.push({ where: 'views', value: v.name }, { where: 'views', value: v.contextualTitle });
  for (const w of c.viewsWelcome as { contents: unknown }[]) out.push({ where: 'viewsWelcome', value: w.contents });
  for (const cmd of c.commands as { command: string; title: unknown; category: unknown }[])
    out.push({ where: cmd.command, value: cmd.title }, { where: cmd.command, value: cmd.category });
  const config = c.configuration as { title: unknown; properties: Record<string, Record<string, unknown>> };
  out.push({ where: 'configuration', value: config.title });
  for (const [id, p] of Object.entries(config.properties)) {
    for (const field of ['description', 'markdownDescription', 'patternErrorMessage', 'deprecationMessage'])
      if (field in p) out.push({ where: `${id}.${field}`, value: p[field] });
    for (const d of (p.enumDescriptions as unknown[] | undefined) ?? []) out.push({ where: `${id}.enum`, value: d });
  }
  for (const w of c.walkthroughs as {
    title: unknown;
    description: unknown;
    steps: { title: unknown; description: unknown }[];
  }[]) {
    out.push({ where: 'walkthrough', value: w.title }, { where: 'walkthrough', value: w.description });
    for (const s of w.steps)
      out.push({ where: 'walkthrough', value: s.title }, { where: 'walkthrough', value: s.description });
  }
  return out;
}

const placeholders = (text: string): string[] => [...text.matchAll(/\{[^{}\s]+\}/g)].map((m) => m[0]).sort();

describe('package.json contributions', () => {
  it('are %key% references, never literals, and every key has English and Korean text', () => {
    const strings = displayedStrings();
    assert.ok(strings.length > 50, `${strings.length} contributed strings`);
    for (const { where, value } of strings) {
      assert.equal(typeof value, 'string', where);
      const key = /^%([^%\s]+)%$/.exec(value as string)?.[1];
      assert.ok(key, `${where}: "${String(value)}" is a literal; move it to package.nls.json`);
      assert.ok(english[key], `${where}: %${key}% is missing from package.nls.json`);
      assert.ok(korean[key]?.trim(), `${where}: %${key}% is missing from package.nls.ko.json`);
    }
  });

  it('has Korean for every English key and nothing else, with the same command links', () => {
    assert.deepEqual(Object.keys(korean).sort(), Object.keys(english).sort());
    const links = (text: string): string[] => [...text.matchAll(/\]\((command:[^)]+)\)/g)].map((m) => m[1]);
    for (const [key, text] of Object.entries(english)) {
      assert.deepEqual(links(korean[key]), links(text), key);
      // Brand and AWS names stay as they are; everything else is translated.
      if (!/^(Workshop Pipeline|AWS)$/.test(text)) assert.match(korean[key], HANGUL, key);
    }
  });

  it('keeps the workshop command titles in English', () => {
    assert.equal(english['commands.deploy.title'], 'Deploy Workshop Pipeline');
    assert.equal(english['commands.commitAndPush.title'], 'Commit and Push to CodeCommit');
    assert.equal(manifest.l10n, './l10n');
  });
});

describe('the runtime bundle', () => {
  it('holds exactly the l10n.t messages in src/ (npm run l10n:export)', async () => {
    const files = sourceFiles('src').map((file) => ({ contents: readFileSync(file, 'utf8'), extension: '.ts' }));
    const extracted = await getL10nJson(files);
    assert.deepEqual(Object.keys(bundle).sort(), Object.keys(extracted).sort(), 'run `npm run l10n:export`');
  });

  it('has a Korean translation of every message, with the same placeholders', () => {
    assert.deepEqual(Object.keys(koBundle).sort(), Object.keys(bundle).sort());
    for (const [english, text] of Object.entries(koBundle)) {
      assert.ok(text.trim(), english);
      assert.deepEqual(placeholders(text), placeholders(english), english);
      // Words, not just a tool's name or a state: the Korean must be Korean.
      if (/[a-z]{2,}\W+[a-z]{2,}/i.test(english.replace(/\{\d+\}|Workshop Pipeline/g, ' ')))
        assert.match(text, HANGUL, english);
    }
  });
});

describe('user-facing strings in src/', () => {
  it('never reach a display API, tree item, status bar item or error as a bare literal', () => {
    const findings = sourceFiles('src').flatMap((file) => scanFile(file, CORE_MESSAGE_FUNCTIONS[file] ?? []));
    assert.deepEqual(
      findings.map((f) => `${f.file}:${f.line} ${f.why} ${JSON.stringify(f.text)}`),
      [],
      'wrap these in vscode.l10n.t (editor layer) or l10n.t from @vscode/l10n (core)',
    );
  });

  it('names core message builders that exist', () => {
    for (const [file, functions] of Object.entries(CORE_MESSAGE_FUNCTIONS)) {
      const text = readFileSync(file, 'utf8');
      for (const name of functions.filter((f) => f !== '*'))
        assert.match(text, new RegExp(`\\b(function|const) ${name}\\b`), `${file}: ${name}`);
    }
  });

  it('the scan catches each kind of unlocalized text', () => {
    const sample = [
      "import * as vscode from 'vscode';",
      "void vscode.window.showErrorMessage('Deploy failed badly', vscode.l10n.t('Retry'));",
      "void vscode.window.showInformationMessage(vscode.l10n.t('Fine {0}', 1), 'Open Logs');",
      'const item = new vscode.TreeItem(`Stage ${name} failed`);',
      "item.tooltip = ok ? vscode.l10n.t('All good') : 'Something broke here';",
      "void vscode.window.showQuickPick([{ label: 'First choice', detail: vscode.l10n.t('fine') }]);",
      "throw new Error('Not connected to AWS.');",
      "log.info('Log lines stay English');",
      'function explain() { return `Stack ${name} is gone`; }',
    ].join('\n');
    const found = scanSource('src/commands/sample.ts', sample, ['explain']).map((f) => f.text);
    assert.deepEqual(found.sort(), [
      'Deploy failed badly',
      'First choice',
      'Not connected to AWS.',
      'Open Logs',
      'Something broke here',
      'Stack ${…} is gone',
      'Stage ${…} failed',
    ]);
  });
});
