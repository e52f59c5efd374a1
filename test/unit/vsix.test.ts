// What the Extensions view shows of the packaged README. VS Code renders a README image there only
// from an https URL (its sanitizer drops relative and data: sources), so the package links the
// screenshots at the https address they are published at, or shows their captions instead of
// broken images. Packages what `npm run build` left in dist/, the way `npm run package` does.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import JSZip from 'jszip';
import { packagedReadme } from '../../scripts/packagedReadme';
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

const README = readFileSync('README.md', 'utf8');
const SCREENSHOTS = imageLinks(README);
const ALTS = [...README.matchAll(/!\[([^\]]+)\]\(docs\//g)].map((m) => m[1]);
const BASE = 'https://example.test/workshop-pipeline/raw/main';

async function packagedFiles(dir: string, imagesUrl: string | undefined): Promise<JSZip> {
  const vsix = join(dir, `${imagesUrl ? 'linked' : 'captions'}.vsix`);
  await packageVsix(vsix, imagesUrl);
  return JSZip.loadAsync(readFileSync(vsix));
}

async function readmeOf(zip: JSZip): Promise<string> {
  const files = zip.file(/^extension\/readme\.md$/i);
  assert.equal(files.length, 1, `one README in the .vsix: ${Object.keys(zip.files).join(', ')}`);
  return files[0].async('string');
}

describe('the packaged README in the Extensions view', () => {
  let dir: string;
  let captions: JSZip;
  let linked: JSZip;

  before(async () => {
    assert.ok(existsSync('dist/extension.js'), 'run `npm run build` first (npm test does)');
    dir = mkdtempSync(join(tmpdir(), 'wp-vsix-'));
    captions = await packagedFiles(dir, undefined);
    linked = await packagedFiles(dir, BASE);
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the repository README shows its screenshots', () => {
    assert.ok(SCREENSHOTS.length >= 4 && ALTS.length === SCREENSHOTS.length, SCREENSHOTS.join(', '));
    for (const link of SCREENSHOTS) assert.ok(existsSync(link), `${link} is in the repository`);
  });

  it('links every image at an https URL whose file is in the repository, when the address is known', async () => {
    const links = imageLinks(await readmeOf(linked));
    assert.deepEqual(
      links,
      SCREENSHOTS.map((link) => `${BASE}/${link}`),
    );
  });

  it('shows captions, not broken images, when the address is not known', async () => {
    const text = await readmeOf(captions);
    assert.deepEqual(imageLinks(text), []);
    for (const alt of ALTS) assert.ok(text.includes(`*${alt}*`), `caption "${alt}"`);
  });

  it('ships the English and Korean texts of the contributions and the runtime messages', () => {
    for (const file of ['package.nls.json', 'package.nls.ko.json', 'l10n/bundle.l10n.json', 'l10n/bundle.l10n.ko.json'])
      assert.ok(captions.file(`extension/${file}`), `${file} is in the .vsix`);
  });

  it('ships no image a README could not show anyway', () => {
    for (const zip of [captions, linked]) {
      assert.deepEqual(
        Object.keys(zip.files).filter((name) => /\.(png|gif|jpe?g|webp)$/i.test(name)),
        [],
      );
    }
  });
});

describe('packagedReadme', () => {
  it('rewrites relative Markdown and HTML images, and leaves https ones alone', () => {
    const markdown =
      '![a](docs/a.png) ![b](<./docs/b c.png> "t") ![c](https://x.test/c.png) <img alt="d" src="docs/d.png" width="9">';
    assert.equal(
      packagedReadme(markdown, 'https://h.test/r/'),
      '![a](https://h.test/r/docs/a.png) ![b](https://h.test/r/docs/b%20c.png "t") ![c](https://x.test/c.png) <img alt="d" src="https://h.test/r/docs/d.png" width="9">',
    );
    assert.equal(packagedReadme(markdown, undefined), '*a* *b* ![c](https://x.test/c.png) *d*');
  });

  it('accepts only an https address (VS Code shows no other README image)', () => {
    assert.throws(() => packagedReadme('x', 'http://h.test'), /must be https/);
  });

  it('finds images however Markdown writes them', () => {
    assert.deepEqual(
      imageLinks(
        '![a](docs/a.png) ![b](<docs/b c.png> "t") [![c][logo]](x) <img alt="d" src="docs/d.png">\n\n[logo]: media/logo.png "Logo"\n',
      ),
      ['docs/a.png', 'docs/b c.png', 'media/logo.png', 'docs/d.png'],
    );
  });
});
