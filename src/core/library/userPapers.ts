// A user's .bib entry as a paper.
import { entryArxivId } from '../bib/edit';
import { namesFromField } from '../bib/names';
import type { BibEntry } from '../bib/parser';
import { detached } from '../text/decode';
import type { TextLike } from '../text/pieces';
import { latexToText } from '../text/latexText';
import { doiFromUrl, normalizeDoi } from './identifiers';
import type { Paper } from './paper';

/** User papers get ids from here up, so they never meet bundled ids. */
export const USER_ID_BASE = 1_000_000;

const YEAR_RE = /\b(1[5-9]\d\d|20\d\d|21\d\d)\b/;
/** A web address in a field: `\url{…}` (as @misc entries give their link) or a bare one. */
const FIELD_URL_RE = /\\url\s*\{\s*(https?:\/\/[^\s{}]+)\s*\}|(?<![\w/])(https?:\/\/[^\s{}]+)/i;

/** A field that is nothing but a web address (`journal = {https://aws.amazon.com/ebs/}`, as Mendeley exports web pages). */
const ONLY_URL_RE = /^\s*(?:\\url\s*\{\s*)?(https?:\/\/[^\s{}]+)\s*\}?\s*$/i;

/** The first web address in a field, if any. */
function urlIn(field: string | undefined): string | undefined {
  const found = field === undefined ? null : FIELD_URL_RE.exec(field);
  return found ? found[1] ?? found[2] : undefined;
}

/**
 * BibLaTeX's `subtitle` after the title, as publishers write it (`The Chicago Manual of
 * Style: The Essential Guide…`): a search finds the paper by either, and the same paper
 * written with the subtitle in its title is known as the same.
 */
function withSubtitle(title: string, subtitle: string): string {
  if (!subtitle || !title) {
    return title || subtitle;
  }
  return /[.:;?!]$/.test(title) ? `${title} ${subtitle}` : `${title}: ${subtitle}`;
}

/**
 * A .bib entry as a paper: LaTeX turned into text for display and search, the raw entry
 * kept (as its only origin). `abstractIndex` is set on large libraries; `ownText` for a
 * file read again.
 */
export function paperFromBibEntry(entry: BibEntry, text: TextLike, file: string, id: number, abstractIndex?: 'keywords', ownText = false): Paper {
  const f = entry.fields;
  const yearMatch = YEAR_RE.exec(f.year ?? f.date ?? '');
  // `howpublished = {\url{…}}` is where a @misc entry lives on the web: its link, not its
  // venue. Without a url field, a link in the note is the paper's link too.
  const linkedUrl = urlIn(f.howpublished);
  const howpublished = linkedUrl ? undefined : f.howpublished;
  // A venue field that holds only a web address is the paper's link, not where it appeared.
  let venue: string | undefined;
  let venueUrl: string | undefined;
  for (const v of [f.journal, f.journaltitle, f.booktitle, f.eventtitle, f.publisher, f.school, f.institution, howpublished]) {
    const link = v === undefined ? undefined : ONLY_URL_RE.exec(v)?.[1];
    venueUrl ??= link;
    venue ??= link === undefined ? v : undefined;
  }
  const url = f.url?.trim() || linkedUrl || venueUrl || urlIn(f.note);
  const doi = normalizeDoi(f.doi) ?? (f.doi?.trim() || undefined) ?? doiFromUrl(url);
  // A file read again: its entry's text is a copy, not a view that keeps this whole text
  // alive after the next save (see `detached`); on a first read a view shares the file's.
  const bibtex = text.slice(entry.start, entry.end);
  const origin = { file, line: entry.line, key: entry.key, bibtex: ownText ? detached(bibtex) : bibtex };
  return {
    id,
    key: entry.key,
    title: withSubtitle(latexToText(f.title ?? ''), latexToText(f.subtitle ?? '')) || '(untitled)',
    authors: namesFromField(f.author ?? f.editor ?? ''),
    year: yearMatch ? Number(yearMatch[1]) : undefined,
    venue: venue ? latexToText(venue) || undefined : undefined,
    arxiv: entryArxivId(entry),
    doi: doi || undefined,
    url: url && /^https?:\/\//i.test(url) ? url : undefined,
    abstract: latexToText(f.abstract ?? ''),
    ...(abstractIndex ? { abstractIndex } : {}),
    source: 'user',
    origin,
    origins: [origin],
  };
}

