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

/** A text insertion at an offset. */
export interface TextInsertion {
  readonly offset: number;
  readonly text: string;
}

/**
 * Where and what to write so that a document reads a bibliography file it did not name:
 * LaTeX with biblatex gets `\addbibresource{file}` before `\begin{document}`; other LaTeX
 * gets `\bibliography{name}` (and a `\bibliographystyle` if it has none) before
 * `\end{document}`; Markdown gets `bibliography: file` in its YAML front matter (made if
 * missing). `file` is relative to the document.
 */
export function bibliographyDeclaration(text: string, kind: DocumentKind, file: string): TextInsertion {
  if (kind === 'markdown') {
    const fm = /^(\uFEFF)?---[ \t]*\r?\n/.exec(text);
    if (fm && /\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/.test(text.slice(fm[0].length - 1))) {
      return { offset: fm[0].length, text: `bibliography: ${file}\n` };
    }
    return { offset: fm?.[1] ? 1 : 0, text: `---\nbibliography: ${file}\n---\n\n` };
  }
  const masked = maskDocument(text, 'latex');
  if (/\\usepackage\s*(?:\[[^\]]*\])?\s*\{[^}]*\bbiblatex\b/.test(masked)) {
    const begin = masked.indexOf('\\begin{document}');
    return begin >= 0 ? { offset: begin, text: `\\addbibresource{${file}}\n` } : { offset: 0, text: `\\addbibresource{${file}}\n` };
  }
  const name = file.replace(/\.bib$/i, '');
  const style = /\\bibliographystyle\s*\{/.test(masked) ? '' : '\\bibliographystyle{plain}\n';
  const end = masked.lastIndexOf('\\end{document}');
  if (end >= 0) {
    const lineStart = text.lastIndexOf('\n', end - 1) + 1;
    return { offset: lineStart, text: `${style}\\bibliography{${name}}\n` };
  }
  const sep = text === '' || text.endsWith('\n') ? '' : '\n';
  return { offset: text.length, text: `${sep}${style}\\bibliography{${name}}\n` };
}
