// The user's .bib entries as papers, and how they merge with bundled ones.
import { entryArxivId } from '../bib/edit';
import { namesFromField } from '../bib/names';
import type { BibEntry } from '../bib/parser';
import { latexToText } from '../text/latexText';
import type { Paper } from './paper';
import { normalizeTitle } from '../text/text';

/** User papers get ids from here up, so they never meet bundled ids. */
export const USER_ID_BASE = 1_000_000;

const YEAR_RE = /\b(1[5-9]\d\d|20\d\d|21\d\d)\b/;

/** A .bib entry as a paper: LaTeX turned into text for display and search, the raw entry kept. */
export function paperFromBibEntry(entry: BibEntry, text: string, file: string, id: number): Paper {
  const f = entry.fields;
  const yearMatch = YEAR_RE.exec(f.year ?? f.date ?? '');
  const venue = f.journal ?? f.journaltitle ?? f.booktitle ?? f.eventtitle ?? f.publisher ?? f.school ?? f.institution ?? f.howpublished;
  const doi = f.doi?.trim().replace(/^https?:\/\/(dx\.)?doi\.org\//i, '');
  const url = f.url?.trim();
  return {
    id,
    key: entry.key,
    title: latexToText(f.title ?? '') || '(untitled)',
    authors: namesFromField(f.author ?? f.editor ?? ''),
    year: yearMatch ? Number(yearMatch[1]) : undefined,
    venue: venue ? latexToText(venue) || undefined : undefined,
    arxiv: entryArxivId(entry),
    doi: doi || undefined,
    url: url && /^https?:\/\//i.test(url) ? url : undefined,
    abstract: latexToText(f.abstract ?? ''),
    source: 'user',
    origin: { file, line: entry.line, bibtex: text.slice(entry.start, entry.end) },
  };
}

/** Finds the bundled paper a user's entry describes: same arXiv id, DOI, or normalised title. */
export class BundledMatcher {
  private readonly byArxiv = new Map<string, Paper>();
  private readonly byDoi = new Map<string, Paper>();
  private readonly byTitle = new Map<string, Paper>();

  constructor(bundled: readonly Paper[]) {
    for (const p of bundled) {
      if (p.arxiv) {
        this.byArxiv.set(p.arxiv, p);
      }
      if (p.doi) {
        this.byDoi.set(p.doi.toLowerCase(), p);
      }
      this.byTitle.set(normalizeTitle(p.title), p);
    }
  }

  match(user: Paper): Paper | undefined {
    return (
      (user.arxiv ? this.byArxiv.get(user.arxiv) : undefined) ??
      (user.doi ? this.byDoi.get(user.doi.toLowerCase()) : undefined) ??
      this.byTitle.get(normalizeTitle(user.title))
    );
  }
}

/**
 * The paper shown when the user's .bib has a bundled paper: the user's key and metadata
 * win; the corpus fills what the entry lacks (abstract, arXiv id, venue, authors);
 * the bundled key stays an alias so citations with it still resolve.
 */
export function mergeWithBundled(user: Paper, bundled: Paper): Paper {
  return {
    ...user,
    id: bundled.id,
    title: user.title !== '(untitled)' ? user.title : bundled.title,
    authors: user.authors.length > 0 ? user.authors : bundled.authors,
    year: user.year ?? bundled.year,
    venue: user.venue ?? bundled.venue,
    arxiv: user.arxiv ?? bundled.arxiv,
    url: user.url ?? bundled.url,
    abstract: user.abstract.trim() ? user.abstract : bundled.abstract,
    aliases: bundled.key !== user.key ? [bundled.key] : undefined,
    lowConfidence: undefined,
    origin: user.origin ? { ...user.origin, bundledId: bundled.id } : undefined,
  };
}
