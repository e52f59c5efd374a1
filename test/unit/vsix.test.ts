// What the Extensions view shows of the packaged README: every image it links must be inside the
// .vsix (relative links are not rewritten, so they resolve inside the installed extension), or an
// https URL. Packages what `npm run build` left in dist/ with the options of `npm run package`.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { packageVsix } from '../../scripts/vsix';

/** Image targets in Markdown: inline `![alt](target "title")`, reference `![alt][id]`, and HTML `<img src>`. */
function imageLinks(markdown: string): string[] {
  const references = new Map(
    [...markdown.matchAll(/^\s{0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s+["'(].*)?$/gm)].map((m) => [
      m[1].toLowerCase(),
      m[2],
    ]),
  );
  const inline = [...markdown.matchAll(/!\[[^\]]*\]\(\s*(?:<([^>]+)>|([^)\s]+))(?:\s+["'][^)]*)?\)/g)].map(
    (m) => m[1] ?? m[2],
  );
  const referenced = [...markdown.matchAll(/!\[([^\]]*)\]\[([^\]]*)\]/g)].map(
    (m) => references.get((m[2] || m[1]).toLowerCase()) ?? `(undefined reference ${m[2] || m[1]})`,
  );
  const html = [...markdown.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)].map((m) => m[1]);
  return [...inline, ...referenced, ...html];
}

describe('the packaged README', () => {
  let dir: string;
  let zip: JSZip;

  before(async () => {
    assert.ok(existsSync('dist/extension.js'), 'run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'wp-vsix-'));
    const vsix = join(dir, 'test.vsix');
    await packageVsix(vsix);
    zip = await JSZip.loadAsync(readFileSync(vsix));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('links only images that are inside the .vsix (or on https)', async () => {
    const entries = new Set(Object.keys(zip.files));
    const readme = zip.file(/^extension\/readme\.md$/i)[0];
    assert.ok(readme, `no README in the .vsix: ${[...entries].join(', ')}`);
    const links = imageLinks(await readme.async('string'));
    assert.ok(links.length >= 4, `the README shows its screenshots (found ${links.join(', ')})`);
    const missing = links.filter((link) => {
      if (/^https:\/\//i.test(link)) return false;
      if (/^[a-z]+:/i.test(link)) return true; // http:, data:, file: do not render in the Extensions view
      return !entries.has(posix.normalize(posix.join('extension', decodeURI(link.split(/[?#]/)[0]))));
    });
    assert.deepEqual(missing, [], 'README images missing from the .vsix');
  });

  it('ships no screenshot the README does not show', async () => {
    const links = new Set(imageLinks(await zip.file(/^extension\/readme\.md$/i)[0].async('string')));
    const shipped = Object.keys(zip.files)
      .filter((name) => name.startsWith('extension/docs/') && !zip.files[name].dir)
      .map((name) => name.slice('extension/'.length));
    assert.deepEqual(
      shipped.filter((file) => !links.has(file)),
      [],
    );
  });
});

describe('README image links', () => {
  it('finds images however Markdown writes them', () => {
    assert.deepEqual(
      imageLinks(
        '![a](docs/a.png) ![b](<docs/b c.png> "t") [![c][logo]](x) <img alt="d" src="docs/d.png">\n\n[logo]: media/logo.png "Logo"\n',
      ),
      ['docs/a.png', 'docs/b c.png', 'media/logo.png', 'docs/d.png'],
    );
  });
});
