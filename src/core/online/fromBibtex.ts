// BibTeX a service hands out (Crossref's content negotiation, DBLP's records, Better
// BibTeX) read as a work, so that Paperscope writes its own clean entry: Crossref's has a
// leading space, a bare `month=aug`, unprotected title case and Unicode dashes; DBLP's
// has escaped underscores in URLs and long booktitles. Nothing is pasted through.
import { entryArxivId } from '../bib/edit';
import { namesFromField } from '../bib/names';
import { parseBibtex } from '../bib/parser';
import { normalizeDoi } from '../library/identifiers';
import { latexToText } from '../text/latexText';
import { asYear, ProviderError, type ProviderId, type RemoteWork } from './types';

const MONTH_NUMBERS: Readonly<Record<string, number>> = {
  january: 1, february: 2, march: 3, april: 4, may: 5, june: 6, july: 7, august: 8, september: 9, october: 10, november: 11, december: 12,
};

/** The first entry of a BibTeX text as a work; a ProviderError when there is none. */
export function workFromBibtex(text: string, provider: ProviderId): RemoteWork {
  const { entries } = parseBibtex(text);
  const entry = entries[0];
  if (!entry) {
    throw new ProviderError(provider, 'format', /^\s*</.test(text) ? 'answered with a web page instead of BibTeX' : 'answered without a BibTeX entry');
  }
  const f = entry.fields;
  const plain = (v: string | undefined) => (v ? latexToText(v) : undefined);
  const monthText = (f.month ?? '').trim().toLowerCase();
  const month = MONTH_NUMBERS[monthText] ?? (/^\d{1,2}$/.test(monthText) && Number(monthText) <= 12 ? Number(monthText) : undefined);
  const doi = normalizeDoi(f.doi?.replace(/\\_/g, '_'));
  const url = f.url?.replace(/\\_/g, '_').trim();
  return {
    provider,
    providerId: doi ?? entry.key,
    title: plain(f.title) || '(untitled)',
    authors: namesFromField(f.author ?? f.editor ?? ''),
    year: asYear(f.year ?? f.date),
    month,
    venue: plain(f.journal ?? f.journaltitle ?? f.booktitle),
    entryType: entry.type,
    arxiv: entryArxivId(entry),
    doi,
    url: url && /^https?:\/\//i.test(url) ? url : doi ? `https://doi.org/${doi}` : undefined,
    abstract: plain(f.abstract) ?? '',
    volume: plain(f.volume),
    number: plain(f.number),
    pages: f.pages?.replace(/[–—]/g, '--').trim(),
    publisher: plain(f.publisher),
    citationKey: entry.key,
  };
}
