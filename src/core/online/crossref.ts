// Crossref's REST API (search, a DOI's metadata) and DOI content negotiation (a DOI's
// BibTeX). The polite pool wants a contact address (`mailto=`); the answer says how
// fast it may be asked (`x-rate-limit-limit` / `-interval`, `x-concurrency-limit`).
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { asArray, asObject, asString, asYear, parseJsonBody, ProviderError, stripMarkup, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

/** Crossref's published default for the public pool; the answer's headers refine it. */
export const CROSSREF_LIMITS = { spacingMs: 200, concurrency: 2 } as const;

const withMailto = (url: URL, email: string | undefined): URL => {
  if (email && /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
    url.searchParams.set('mailto', email);
  }
  return url;
};

export function crossrefSearchRequest(endpoint: string, query: string, rows = 10, email?: string): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/works`);
  url.searchParams.set('query.bibliographic', query.slice(0, 300));
  url.searchParams.set('rows', String(rows));
  url.searchParams.set('select', 'DOI,title,author,issued,published,container-title,type,abstract,volume,issue,page,publisher,URL');
  return { url: withMailto(url, email).toString() };
}

export function crossrefWorkRequest(endpoint: string, doi: string, email?: string): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/works/${encodeURIComponent(doi)}`);
  return { url: withMailto(url, email).toString() };
}

/** A DOI's BibTeX through content negotiation at the DOI resolver (it redirects to the registrar). */
export function doiBibtexRequest(resolver: string, doi: string): HttpRequest {
  return { url: `${resolver.replace(/\/+$/, '')}/${doi.split('/').map(encodeURIComponent).join('/')}`, headers: { accept: 'application/x-bibtex; charset=utf-8' } };
}

/** Spacing and concurrency from Crossref's rate-limit headers (`50` per `1s`, or `5/1s`). */
export function crossrefLimitsFrom(headers: Readonly<Record<string, string>>): { spacingMs: number; concurrency: number } | undefined {
  const limit = headers['x-rate-limit-limit'];
  if (!limit) {
    return undefined;
  }
  const m = /^(\d+)(?:\/(\d+)s)?$/.exec(limit.trim());
  const interval = m?.[2] ?? /^(\d+)s$/.exec((headers['x-rate-limit-interval'] ?? '1s').trim())?.[1] ?? '1';
  const per = Number(m?.[1]);
  const concurrency = Number(headers['x-concurrency-limit']);
  if (!Number.isFinite(per) || per <= 0) {
    return undefined;
  }
  return { spacingMs: Math.ceil((Number(interval) * 1000) / per), concurrency: Number.isInteger(concurrency) && concurrency > 0 ? concurrency : 1 };
}

const TYPES: Readonly<Record<string, string>> = {
  'journal-article': 'article',
  'proceedings-article': 'inproceedings',
  'book-chapter': 'incollection',
  'book-section': 'incollection',
  'reference-entry': 'incollection',
  book: 'book',
  monograph: 'book',
  'edited-book': 'book',
  dissertation: 'phdthesis',
  report: 'techreport',
  'posted-content': 'misc',
  dataset: 'misc',
};

function dateParts(item: Record<string, unknown>): [number | undefined, number | undefined] {
  for (const field of ['issued', 'published', 'published-print', 'published-online', 'created']) {
    const parts = asArray(asObject(item[field])?.['date-parts'])[0];
    const list = asArray(parts);
    const year = asYear(list[0]);
    if (year) {
      const month = typeof list[1] === 'number' && list[1] >= 1 && list[1] <= 12 ? list[1] : undefined;
      return [year, month];
    }
  }
  return [undefined, undefined];
}

/** One Crossref work record as a RemoteWork (undefined without a DOI or title). */
export function crossrefWork(value: unknown): RemoteWork | undefined {
  const item = asObject(value);
  const doi = normalizeDoi(asString(item?.DOI));
  const title = stripMarkup(asString(asArray(item?.title)[0]));
  if (!item || !doi || !title) {
    return undefined;
  }
  const [year, month] = dateParts(item);
  const authors = asArray(item.author)
    .map(asObject)
    .map((a) => (a ? [asString(a.given), asString(a.family) ?? asString(a.name)].filter(Boolean).join(' ') : ''))
    .filter(Boolean);
  const type = asString(item.type) ?? '';
  return {
    provider: 'crossref',
    providerId: doi,
    title,
    authors,
    year,
    month,
    venue: stripMarkup(asString(asArray(item['container-title'])[0])) || undefined,
    entryType: TYPES[type] ?? (type ? 'misc' : undefined),
    doi,
    arxiv: normalizeArxivId(doi),
    url: `https://doi.org/${doi}`,
    abstract: stripMarkup(asString(item.abstract)),
    volume: asString(item.volume),
    number: asString(item.issue),
    pages: asString(item.page),
    publisher: asString(item.publisher),
  };
}

function message(res: HttpResponse): Record<string, unknown> {
  if (res.status === 404) {
    throw new ProviderError('crossref', 'not-found', 'does not know this DOI');
  }
  if (res.status >= 400) {
    throw new ProviderError('crossref', 'http', `answered HTTP ${res.status}`);
  }
  const body = asObject(parseJsonBody('crossref', res));
  const msg = asObject(body?.message);
  if (!msg || body?.status !== 'ok') {
    throw new ProviderError('crossref', 'format', 'answered without the expected "message"');
  }
  return msg;
}

/** The works of a Crossref search answer. */
export function parseCrossrefSearch(res: HttpResponse): RemoteWork[] {
  return asArray(message(res).items)
    .map(crossrefWork)
    .filter((w): w is RemoteWork => w !== undefined);
}

/** The work of a Crossref `/works/{doi}` answer. */
export function parseCrossrefWork(res: HttpResponse): RemoteWork {
  const work = crossrefWork(message(res));
  if (!work) {
    throw new ProviderError('crossref', 'format', 'answered without a title or DOI');
  }
  return work;
}
