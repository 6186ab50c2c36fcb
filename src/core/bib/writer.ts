import type { Paper } from '../library/paper';
import { lookupTable } from '../text/lookup';
import { bibtexName } from './names';

const SPECIALS: Readonly<Record<string, string>> = lookupTable({
  '\\': '\\textbackslash{}',
  // BibTeX counts every brace, escaped or not: literal braces are written as commands.
  '{': '\\textbraceleft{}',
  '}': '\\textbraceright{}',
  '%': '\\%',
  '&': '\\&',
  '#': '\\#',
  _: '\\_',
  $: '\\$',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
});

/** Escapes plain text for a brace-delimited BibTeX field value. */
export function escapeBibtexValue(text: string): string {
  return text.replace(/[\\{}%&#_$~^]/g, (ch) => SPECIALS[ch]).replace(/\s+/g, ' ').trim();
}

const JOURNAL_RE = /\b(journal|transactions|letters|review|jmlr|tmlr|annals|proceedings of the national)\b/i;

/** Entry type for a venue: a journal → article, a conference or workshop → inproceedings, none → misc. */
export function bibtexEntryType(venue: string | undefined): 'article' | 'inproceedings' | 'misc' {
  if (!venue) {
    return 'misc';
  }
  return JOURNAL_RE.test(venue) ? 'article' : 'inproceedings';
}

function authorField(authors: readonly string[]): string {
  // "von Last, Jr, First": the form BibTeX cannot misread; a part with "and" is braced.
  return authors.map((a) => bibtexName(a, escapeBibtexValue)).join(' and ');
}

/** The BibTeX entry for a paper: balanced, escaped, title capitalisation protected. */
export function bibtexEntry(paper: Paper): string {
  const type = bibtexEntryType(paper.venue);
  const fields: [string, string][] = [];
  fields.push(['title', `{${escapeBibtexValue(paper.title)}}`]);
  if (paper.authors.length > 0) {
    fields.push(['author', authorField(paper.authors)]);
  }
  if (paper.venue) {
    fields.push([type === 'article' ? 'journal' : 'booktitle', escapeBibtexValue(paper.venue)]);
  }
  if (paper.year !== undefined) {
    fields.push(['year', String(paper.year)]);
  }
  if (paper.arxiv) {
    fields.push(['eprint', escapeBibtexValue(paper.arxiv)]);
    fields.push(['archivePrefix', 'arXiv']);
  }
  if (paper.doi) {
    fields.push(['doi', escapeBibtexValue(paper.doi)]);
  }
  if (paper.url) {
    // url.sty reads the value verbatim; braces, backslashes and spaces are percent-encoded
    // and % itself escaped so that no LaTeX pass takes it for a comment.
    fields.push(['url', paper.url.replace(/[{}\\\s]/g, encodeURIComponent).replace(/%/g, '\\%')]);
  }
  if (type === 'misc' && paper.arxiv) {
    fields.push(['note', `arXiv preprint arXiv:${escapeBibtexValue(paper.arxiv)}`]);
  }
  const width = Math.max(...fields.map(([name]) => name.length));
  const body = fields.map(([name, value]) => `  ${name.padEnd(width)} = {${value}}`).join(',\n');
  return `@${type}{${paper.key},\n${body}\n}\n`;
}

/** The entry to copy or add for a paper: the user's own entry as written, else ours. */
export function bibtexFor(paper: Paper): string {
  const raw = paper.origin?.bibtex;
  return raw ? `${raw.trim()}\n` : bibtexEntry(paper);
}
