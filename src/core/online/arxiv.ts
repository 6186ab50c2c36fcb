// arXiv's export API (Atom). One request every three seconds, one at a time; errors come
// as an Atom feed with HTTP 400 whose entry id points at /api/errors; unknown ids are
// simply missing from the feed; the year is the first version's (`published`), not
// `updated`. No CORS header: not usable from a browser.
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { venueEntryType } from '../search/venues';
import { childrenNamed, childText, parseXml, XmlError, type XmlElement } from './xml';
import { asYear, ProviderError, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

/** The API's terms: at most one request every three seconds, one connection. */
export const ARXIV_LIMITS = { spacingMs: 3000, concurrency: 1 } as const;

/** A search: words anywhere (all fields), newest relevant first. */
export function arxivSearchRequest(endpoint: string, query: string, max = 10): HttpRequest {
  const words = query
    .replace(/[^\p{L}\p{N}\s.-]+/gu, ' ')
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 12)
    .map((w) => `all:${w}`)
    .join(' AND ');
  const url = new URL(endpoint);
  url.searchParams.set('search_query', words || 'all:*');
  url.searchParams.set('start', '0');
  url.searchParams.set('max_results', String(max));
  url.searchParams.set('sortBy', 'relevance');
  return { url: url.toString() };
}

/** A lookup of arXiv ids (bare, no version). */
export function arxivIdsRequest(endpoint: string, ids: readonly string[]): HttpRequest {
  const url = new URL(endpoint);
  url.searchParams.set('id_list', ids.join(','));
  url.searchParams.set('max_results', String(Math.max(1, ids.length)));
  return { url: url.toString() };
}

function entryWork(entry: XmlElement): RemoteWork | undefined {
  const idUrl = childText(entry, 'id') ?? '';
  const id = normalizeArxivId(idUrl);
  if (!id) {
    return undefined;
  }
  const title = (childText(entry, 'title') ?? '').replace(/\s+/g, ' ');
  const published = childText(entry, 'published') ?? childText(entry, 'updated');
  const journalRef = childText(entry, 'arxiv:journal_ref');
  const doi = normalizeDoi(childText(entry, 'arxiv:doi'));
  return {
    provider: 'arxiv',
    providerId: id,
    title: title || '(untitled)',
    authors: childrenNamed(entry, 'author')
      .map((a) => (childText(a, 'name') ?? '').replace(/\s+/g, ' '))
      .filter(Boolean),
    year: asYear(published),
    month: published && /^\d{4}-(\d{2})/.test(published) ? Number(published.slice(5, 7)) : undefined,
    venue: journalRef?.replace(/\s+/g, ' ') || undefined,
    // A journal reference is mostly a journal's; its words say when it is a conference's.
    entryType: journalRef ? (venueEntryType(journalRef) ?? 'article') : 'misc',
    arxiv: id,
    doi,
    url: `https://arxiv.org/abs/${id}`,
    abstract: (childText(entry, 'summary') ?? '').replace(/\s+/g, ' '),
  };
}

/** The works of an arXiv Atom answer; an error feed (HTTP 400) or malformed XML is a ProviderError. */
export function parseArxivResponse(res: HttpResponse): RemoteWork[] {
  let feed: XmlElement;
  try {
    feed = parseXml(res.body);
  } catch (err) {
    if (/^\s*<(!doctype\s+html|html)/i.test(res.body)) {
      throw new ProviderError('arxiv', 'format', 'answered with a web page instead of an Atom feed');
    }
    throw new ProviderError('arxiv', 'format', `answered with XML that cannot be read (${err instanceof XmlError ? err.message : 'malformed'})`);
  }
  if (feed.name !== 'feed') {
    throw new ProviderError('arxiv', 'format', `answered with <${feed.name}> instead of an Atom feed`);
  }
  const entries = childrenNamed(feed, 'entry');
  const error = entries.find((e) => /\/api\/errors/.test(childText(e, 'id') ?? ''));
  if (error || res.status >= 400) {
    const why = error ? childText(error, 'summary') : `HTTP ${res.status}`;
    throw new ProviderError('arxiv', 'http', `refused the query: ${why ?? 'unknown error'}`);
  }
  return entries.map(entryWork).filter((w): w is RemoteWork => w !== undefined);
}
