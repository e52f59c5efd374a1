// The README as the .vsix carries it. VS Code's Extensions view renders a README image only from an
// https URL: its Markdown sanitizer drops every other `src` (relative paths and data: URIs included),
// and its webview allows no other images. So a relative screenshot link is rewritten to an https
// base where the repository's files are published (WORKSHOP_PIPELINE_IMAGES_URL), or, without one,
// replaced by its caption in italics, so the view shows text instead of a broken image.

/** Relative image embeds: `![alt](path "title")` and `<img … src="path" …>`. */
const MARKDOWN_IMAGE = /!\[([^\]]*)\]\(\s*(?:<([^>]+)>|([^)\s]+))(\s+["'][^)]*)?\)/g;
const HTML_IMAGE = /<img\b[^>]*>/gi;

const isRelative = (target: string): boolean => !/^[a-z][a-z0-9+.-]*:/i.test(target) && !target.startsWith('//');

/** `base` must be an https URL (no trailing slash needed); undefined replaces images with captions. */
export function packagedReadme(markdown: string, base: string | undefined): string {
  if (base !== undefined && !/^https:\/\/[^/]/i.test(base)) {
    throw new Error(`the images base URL must be https:// (VS Code shows no other README images): ${base}`);
  }
  const root = base?.replace(/\/+$/, '');
  const at = (target: string): string => `${root}/${target.replace(/^\.?\//, '')}`;
  return markdown
    .replace(MARKDOWN_IMAGE, (whole: string, alt: string, bracketed?: string, bare?: string, title?: string) => {
      const target = bracketed ?? bare ?? '';
      if (!isRelative(target)) return whole;
      return root ? `![${alt}](${encodeURI(at(target))}${title ?? ''})` : `*${alt}*`;
    })
    .replace(HTML_IMAGE, (tag: string) => {
      const src = /\bsrc\s*=\s*["']([^"']+)["']/i.exec(tag)?.[1];
      if (src === undefined || !isRelative(src)) return tag;
      if (root) return tag.replace(src, encodeURI(at(src)));
      return `*${/\balt\s*=\s*["']([^"']*)["']/i.exec(tag)?.[1] ?? ''}*`;
    });
}
