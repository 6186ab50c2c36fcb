import type { Paper } from '../library/paper';
import { lookupTable } from '../text/lookup';
import { venueEntryType } from '../search/venues';
import { bibtexName } from './names';
import { inheritFields, MONTHS, parseBibtex, resolveMacros, type BibEntry } from './parser';

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

/** Entry type for a venue: a journal → article, a conference or workshop → inproceedings, a preprint or none → misc. */
export function bibtexEntryType(venue: string | undefined): 'article' | 'inproceedings' | 'misc' {
  return venue ? (venueEntryType(venue) ?? 'inproceedings') : 'misc';
}

const VENUE_FIELD: Readonly<Record<string, string>> = { article: 'journal', inproceedings: 'booktitle', incollection: 'booktitle', misc: 'howpublished', phdthesis: 'school', techreport: 'institution', book: 'publisher', unpublished: 'note' };
const MONTH_MACROS_BY_NUMBER = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function authorField(authors: readonly string[]): string {
  // "von Last, Jr, First": the form BibTeX cannot misread; a part with "and" is braced.
  return authors.map((a) => bibtexName(a, escapeBibtexValue)).join(' and ');
}

/** The BibTeX entry for a paper: balanced, escaped, title capitalisation protected. */
export function bibtexEntry(paper: Paper): string {
  const type = paper.entryType && /^[a-z]+$/.test(paper.entryType) ? paper.entryType : bibtexEntryType(paper.venue);
  const fields: [string, string][] = [];
  fields.push(['title', `{${escapeBibtexValue(paper.title)}}`]);
  if (paper.authors.length > 0) {
    fields.push(['author', authorField(paper.authors)]);
  }
  const venueField = VENUE_FIELD[type];
  if (paper.venue && venueField && !(type === 'misc' && paper.arxiv && /arxiv|preprint|corr/i.test(paper.venue))) {
    fields.push([venueField, escapeBibtexValue(paper.venue)]);
  }
  for (const [name, value] of [['volume', paper.volume], ['number', paper.number], ['pages', paper.pages], ['publisher', type === 'book' ? undefined : paper.publisher]] as const) {
    if (value) {
      fields.push([name, escapeBibtexValue(name === 'pages' ? value.replace(/\s*[-–—]+\s*/g, '--') : value)]);
    }
  }
  if (paper.year !== undefined) {
    fields.push(['year', String(paper.year)]);
  }
  if (paper.arxiv) {
    fields.push(['eprint', escapeBibtexValue(paper.arxiv)]);
    fields.push(['archivePrefix', 'arXiv']);
  }
  if (paper.doi && !/[{}\\\s%]/.test(paper.doi)) {
    // Styles print a DOI verbatim (biblatex, \doi{}): its underscores stay as they are.
    fields.push(['doi', paper.doi]);
  }
  if (paper.url) {
    // url.sty reads the value verbatim; braces, backslashes and spaces are percent-encoded
    // and % itself escaped so that no LaTeX pass takes it for a comment.
    fields.push(['url', paper.url.replace(/[{}\\\s]/g, encodeURIComponent).replace(/%/g, '\\%')]);
  }
  if (type === 'misc' && paper.arxiv) {
    fields.push(['note', `arXiv preprint arXiv:${escapeBibtexValue(paper.arxiv)}`]);
  }
  const written = fields.map(([name, value]): [string, string] => [name, `{${value}}`]);
  if (paper.month && paper.month >= 1 && paper.month <= 12) {
    // A month macro, as BibTeX styles sort and print it (never a braced string).
    const at = written.findIndex(([name]) => name === 'year');
    written.splice(at < 0 ? written.length : at + 1, 0, ['month', MONTH_MACROS_BY_NUMBER[paper.month - 1]]);
  }
  return formatEntry(type, paper.key, written);
}

/** An entry from written field values (`{…}`, `"…"` or a macro name), aligned like ours. */
export function formatEntry(type: string, key: string, fields: readonly (readonly [string, string])[]): string {
  if (fields.length === 0) {
    return `@${type}{${key}\n}\n`;
  }
  const width = Math.max(...fields.map(([name]) => name.length));
  const body = fields.map(([name, value]) => `  ${name.padEnd(width)} = ${value}`).join(',\n');
  return `@${type}{${key},\n${body}\n}\n`;
}

const MONTH_MACROS = new Map(Object.entries(MONTHS).map(([macro, name]) => [name.toLowerCase(), macro]));

/** Whether a value's braces balance as BibTeX counts them (every brace, escaped or not). */
function balancedBraces(value: string): boolean {
  let depth = 0;
  for (const c of value) {
    if (c === '{') {
      depth++;
    } else if (c === '}' && --depth < 0) {
      return false;
    }
  }
  return depth === 0;
}

/**
 * An entry of the user's written so that another .bib file can hold it alone: macros
 * (the file's own and other files' `@string`s) expanded, fields of a crossref'd parent
 * inlined and the crossref dropped, month names written as BibTeX's month macros; key,
 * type and field values (LaTeX) kept as they are.
 */
export function selfContainedEntry(
  raw: string,
  macro: (name: string) => string | undefined,
  parentByKey: (key: string) => BibEntry | undefined,
): string {
  const parsed = parseBibtex(raw).entries[0];
  if (!parsed) {
    return `${raw.trim()}\n`;
  }
  const entry = resolveMacros(parsed, macro);
  const fields: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, entry.fields);
  if (fields.crossref) {
    const parent = parentByKey(fields.crossref);
    if (parent) {
      inheritFields(fields, resolveMacros(parent, macro).fields);
      delete fields.crossref;
    }
  }
  const written = Object.entries(fields).map(([name, value]): [string, string] => {
    const month = name === 'month' ? MONTH_MACROS.get(value.trim().toLowerCase()) : undefined;
    if (month) {
      return [name, month];
    }
    return [name, balancedBraces(value) ? `{${value}}` : `{${escapeBibtexValue(value)}}`];
  });
  return formatEntry(entry.type, entry.key, written);
}

/** The entry to copy for a paper: the user's own entry as written, else ours. */
export function bibtexFor(paper: Paper): string {
  const raw = paper.origin?.bibtex;
  return raw ? `${raw.trim()}\n` : bibtexEntry(paper);
}
