// Which .bib file a document names as its bibliography.
import type { DocumentKind } from '../detect/detect';
import { maskDocument } from '../detect/detect';

/** Bibliography files a document names, in order, as written (relative paths, `.bib` added when missing). */
export function bibliographyRefs(text: string, kind: DocumentKind): string[] {
  const refs: string[] = [];
  if (kind === 'latex') {
    const masked = maskDocument(text, 'latex');
    const re = /\\(bibliography|addbibresource|addglobalbib|addsectionbib)\s*(?:\[[^\]]*\]\s*)?\{([^{}]*)\}/g;
    for (const m of masked.matchAll(re)) {
      const names = m[1] === 'bibliography' ? m[2].split(',') : [m[2]];
      refs.push(...names.map((n) => n.trim()).filter(Boolean));
    }
  } else {
    refs.push(...frontMatterBibliography(text));
  }
  return refs.map(withBibExtension);
}

/** Adds `.bib` to a name without an extension (BibTeX's \bibliography{refs} means refs.bib). */
export function withBibExtension(name: string): string {
  return /\.[A-Za-z0-9]+$/.test(name) ? name : `${name}.bib`;
}

/** `bibliography:` of a YAML front matter block: a string, a flow list, or a block list. */
function frontMatterBibliography(text: string): string[] {
  const fm = /^(?:\uFEFF)?---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.exec(text);
  if (!fm) {
    return [];
  }
  const lines = fm[1].split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^bibliography\s*:\s*(.*)$/.exec(lines[i]);
    if (!m) {
      continue;
    }
    const value = m[1].replace(/\s+#.*$/, '').trim();
    if (value.startsWith('[')) {
      return value
        .replace(/^\[|\]$/g, '')
        .split(',')
        .map(unquote)
        .filter(Boolean);
    }
    if (value) {
      return [unquote(value)];
    }
    const items: string[] = [];
    for (let k = i + 1; k < lines.length; k++) {
      const item = /^\s+-\s*(.+)$/.exec(lines[k]);
      if (!item) {
        break;
      }
      items.push(unquote(item[1].replace(/\s+#.*$/, '')));
    }
    return items.filter(Boolean);
  }
  return [];
}

function unquote(s: string): string {
  return s.trim().replace(/^(['"])(.*)\1$/, '$2');
}
