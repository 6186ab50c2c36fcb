// OpenAlex's works search. Keys are required since 2026 (`api_key`); abstracts come as
// an inverted index (word → positions) and are rebuilt into text.
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { asArray, asObject, asString, asYear, parseJsonBody, ProviderError, stripMarkup, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

export const OPENALEX_LIMITS = { spacingMs: 100, concurrency: 2 } as const;

export function openAlexSearchRequest(endpoint: string, query: string, max = 10, apiKey?: string, email?: string): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/works`);
  url.searchParams.set('search', query.slice(0, 300));
  url.searchParams.set('per-page', String(max));
  if (apiKey) {
    url.searchParams.set('api_key', apiKey);
  }
  if (email) {
    url.searchParams.set('mailto', email);
  }
  return { url: url.toString() };
}

/** The abstract an inverted index encodes: each word placed at its positions (bounded). */
export function rebuildAbstract(index: unknown, maxWords = 5000): string {
  const map = asObject(index);
  if (!map) {
    return '';
  }
  const words: string[] = [];
  for (const [word, positions] of Object.entries(map)) {
    for (const p of asArray(positions)) {
      if (typeof p === 'number' && Number.isInteger(p) && p >= 0 && p < maxWords) {
        words[p] = word;
      }
    }
  }
  return words.filter((w) => w !== undefined).join(' ');
}

const TYPES: Readonly<Record<string, string>> = { article: 'article', preprint: 'misc', 'book-chapter': 'incollection', book: 'book', dissertation: 'phdthesis', report: 'techreport' };

function workOf(value: unknown): RemoteWork | undefined {
  const w = asObject(value);
  const title = stripMarkup(asString(w?.title) ?? asString(w?.display_name));
  const id = asString(w?.id);
  if (!w || !title || !id) {
    return undefined;
  }
  const location = asObject(w.primary_location);
  const source = asObject(location?.source);
  const ids = asObject(w.ids) ?? {};
  const biblio = asObject(w.biblio) ?? {};
  const type = asString(w.type) ?? '';
  const venue = asString(source?.display_name);
  return {
    provider: 'openalex',
    providerId: id.replace(/^https?:\/\/openalex\.org\//, ''),
    title,
    authors: asArray(w.authorships)
      .map((a) => asString(asObject(asObject(a)?.author)?.display_name))
      .filter((a): a is string => a !== undefined),
    year: asYear(w.publication_year),
    venue,
    entryType: TYPES[type] ?? (venue ? undefined : 'misc'),
    doi: normalizeDoi(asString(w.doi) ?? asString(ids.doi)),
    arxiv: normalizeArxivId(asString(location?.landing_page_url)),
    url: asString(location?.landing_page_url) ?? asString(w.doi),
    abstract: rebuildAbstract(w.abstract_inverted_index),
    volume: asString(biblio.volume),
    number: asString(biblio.issue),
    pages: [asString(biblio.first_page), asString(biblio.last_page)].filter(Boolean).join('--') || undefined,
  };
}

export function parseOpenAlexSearch(res: HttpResponse): RemoteWork[] {
  if (res.status === 401 || res.status === 403) {
    throw new ProviderError('openalex', 'needs-key', 'refused the API key (set it with "Paperscope: Set OpenAlex API Key")');
  }
  if (res.status >= 400) {
    throw new ProviderError('openalex', 'http', `answered HTTP ${res.status}`);
  }
  const body = asObject(parseJsonBody('openalex', res));
  if (!body || !Array.isArray(body.results)) {
    throw new ProviderError('openalex', 'format', 'answered without "results"');
  }
  return body.results.map(workOf).filter((w): w is RemoteWork => w !== undefined);
}
