// Semantic Scholar's Graph API: search, and a batch lookup by id (ArXiv:, DOI:, DBLP:,
// CorpusId:). A key goes in the `x-api-key` header (the keyless pool answers 429
// often); a batch answer has `null` where an id is unknown; its `citationStyles.bibtex`
// is unreliable, so entries are built from the fields.
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { asArray, asObject, asString, asYear, parseJsonBody, ProviderError, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

export const SEMANTIC_SCHOLAR_LIMITS = { spacingMs: 1000, concurrency: 1 } as const;
const FIELDS = 'title,authors,year,venue,externalIds,abstract,url,publicationTypes,journal,publicationDate';

const keyed = (apiKey: string | undefined): Record<string, string> => (apiKey ? { 'x-api-key': apiKey } : {});

export function semanticScholarSearchRequest(endpoint: string, query: string, max = 10, apiKey?: string): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/graph/v1/paper/search`);
  url.searchParams.set('query', query.slice(0, 300));
  url.searchParams.set('limit', String(max));
  url.searchParams.set('fields', FIELDS);
  return { url: url.toString(), headers: keyed(apiKey) };
}

/** Ids as Semantic Scholar names them: `ArXiv:2309.02214`, `DOI:10.…`, `DBLP:conf/…`, `CorpusId:123`. */
export function semanticScholarBatchRequest(endpoint: string, ids: readonly string[], apiKey?: string): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/graph/v1/paper/batch`);
  url.searchParams.set('fields', FIELDS);
  return { url: url.toString(), method: 'POST', headers: { 'content-type': 'application/json', ...keyed(apiKey) }, body: JSON.stringify({ ids }) };
}

function paperWork(value: unknown): RemoteWork | undefined {
  const p = asObject(value);
  const title = asString(p?.title);
  const id = asString(p?.paperId);
  if (!p || !title || !id) {
    return undefined;
  }
  const ext = asObject(p.externalIds) ?? {};
  const types = asArray(p.publicationTypes).map((t) => asString(t));
  const journal = asObject(p.journal);
  const venue = asString(p.venue) ?? asString(journal?.name);
  return {
    provider: 'semanticscholar',
    providerId: id,
    title,
    authors: asArray(p.authors)
      .map((a) => asString(asObject(a)?.name))
      .filter((a): a is string => a !== undefined),
    year: asYear(p.year) ?? asYear(p.publicationDate),
    venue,
    entryType: types.includes('JournalArticle') ? 'article' : types.includes('Conference') ? 'inproceedings' : venue ? undefined : 'misc',
    arxiv: normalizeArxivId(asString(ext.ArXiv)),
    doi: normalizeDoi(asString(ext.DOI)),
    url: asString(p.url),
    abstract: asString(p.abstract) ?? '',
    volume: asString(journal?.volume),
    pages: asString(journal?.pages)?.replace(/\s*-\s*/g, '--'),
  };
}

function checked(res: HttpResponse): unknown {
  if (res.status === 401 || res.status === 403) {
    throw new ProviderError('semanticscholar', 'needs-key', 'refused the API key (check it with "Paperscope: Set Semantic Scholar API Key")');
  }
  const body = parseJsonBody('semanticscholar', res);
  if (res.status >= 400) {
    const why = asString(asObject(body)?.error) ?? asString(asObject(body)?.message) ?? `HTTP ${res.status}`;
    throw new ProviderError('semanticscholar', res.status === 404 ? 'not-found' : 'http', `answered: ${why}`);
  }
  return body;
}

/** The works of a search answer (`{ data: [...] }`). */
export function parseSemanticScholarSearch(res: HttpResponse): RemoteWork[] {
  return asArray(asObject(checked(res))?.data)
    .map(paperWork)
    .filter((w): w is RemoteWork => w !== undefined);
}

/** The works of a batch answer, in request order; `undefined` where the service knows no such paper. */
export function parseSemanticScholarBatch(res: HttpResponse): (RemoteWork | undefined)[] {
  const body = checked(res);
  if (!Array.isArray(body)) {
    throw new ProviderError('semanticscholar', 'format', 'answered a batch request without a list');
  }
  return body.map(paperWork);
}
