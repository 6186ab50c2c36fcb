// DBLP's publication search (JSON) and its BibTeX records. `author` is one object for a
// single author and an array for more; a 200 answer may be an HTML page (an error page
// or a rate-limit page): detected and reported, never parsed.
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { workFromBibtex } from './fromBibtex';
import { asArray, asObject, asString, asYear, parseJsonBody, ProviderError, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

export const DBLP_LIMITS = { spacingMs: 1000, concurrency: 1 } as const;

export function dblpSearchRequest(endpoint: string, query: string, max = 10): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/search/publ/api`);
  url.searchParams.set('q', query.slice(0, 300));
  url.searchParams.set('format', 'json');
  url.searchParams.set('h', String(max));
  return { url: url.toString() };
}

/** The BibTeX record of a DBLP key (`conf/spire/BastMW06`), standard form. */
export function dblpRecordRequest(endpoint: string, key: string): HttpRequest {
  return { url: `${endpoint.replace(/\/+$/, '')}/rec/${key.split('/').map(encodeURIComponent).join('/')}.bib?param=1` };
}

const TYPES: Readonly<Record<string, string>> = {
  'Journal Articles': 'article',
  'Conference and Workshop Papers': 'inproceedings',
  'Informal and Other Publications': 'misc',
  'Informal Publications': 'misc',
  'Books and Theses': 'book',
  'Parts in Books or Collections': 'incollection',
  'Editorship': 'proceedings',
};

/** A DBLP author as a name: "Wei Wang 0001" loses DBLP's disambiguation number. */
function authorName(value: unknown): string {
  const text = asString(asObject(value)?.text) ?? asString(value) ?? '';
  return text.replace(/\s+\d{4}$/, '');
}

function hitWork(value: unknown): RemoteWork | undefined {
  const info = asObject(asObject(value)?.info);
  const title = asString(info?.title)?.replace(/\.$/, '');
  const key = asString(info?.key);
  if (!info || !title || !key) {
    return undefined;
  }
  const ees = asArray(info.ee).map((e) => asString(e)).filter((e): e is string => e !== undefined);
  const doi = normalizeDoi(asString(info.doi));
  const arxiv = ees.map((e) => normalizeArxivId(e)).find(Boolean);
  return {
    provider: 'dblp',
    providerId: key,
    title,
    authors: asArray(asObject(info.authors)?.author).map(authorName).filter(Boolean),
    year: asYear(info.year),
    venue: asArray(info.venue).map((v) => asString(v)).filter(Boolean).join(', ') || undefined,
    entryType: TYPES[asString(info.type) ?? ''] ?? 'misc',
    arxiv,
    doi,
    url: ees[0] ?? asString(info.url),
    abstract: '',
    volume: asString(info.volume),
    number: asString(info.number),
    pages: asString(info.pages)?.replace(/-/g, '--'),
    citationKey: `DBLP:${key}`,
  };
}

/** The works of a DBLP search answer. */
export function parseDblpSearch(res: HttpResponse): RemoteWork[] {
  if (res.status >= 400) {
    throw new ProviderError('dblp', 'http', `answered HTTP ${res.status}`);
  }
  const result = asObject(asObject(parseJsonBody('dblp', res))?.result);
  if (!result) {
    throw new ProviderError('dblp', 'format', 'answered without a "result"');
  }
  return asArray(asObject(result.hits)?.hit)
    .map(hitWork)
    .filter((w): w is RemoteWork => w !== undefined);
}

/** The work of a DBLP BibTeX record. */
export function parseDblpRecord(res: HttpResponse): RemoteWork {
  if (res.status >= 400) {
    throw new ProviderError('dblp', res.status === 404 ? 'not-found' : 'http', res.status === 404 ? 'has no such record' : `answered HTTP ${res.status}`);
  }
  return workFromBibtex(res.body, 'dblp');
}
