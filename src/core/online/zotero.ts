// The user's Zotero library through Zotero 7's local API (127.0.0.1:23119, read-only,
// enabled in Zotero's settings: a 403 means "enable it"). Items come in the Web API's
// JSON shape; Better BibTeX, when installed, keeps a citation key per item (Zotero 7's
// `citationKey` field, or "Citation Key:" in Extra) and exports BibTeX over JSON-RPC.
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import { asArray, asObject, asString, asYear, parseJsonBody, ProviderError, stripMarkup, type HttpRequest, type HttpResponse, type RemoteWork } from './types';

export const ZOTERO_LIMITS = { spacingMs: 0, concurrency: 2 } as const;

/** Whether the local API answers (and is enabled): `/api/` on the Zotero port. */
export function zoteroProbeRequest(endpoint: string): HttpRequest {
  return { url: `${endpoint.replace(/\/+$/, '')}/api/` };
}

/** A search of the user's items (title, creators, year), top-level items only. */
export function zoteroSearchRequest(endpoint: string, query: string, max = 25): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/api/users/0/items/top`);
  url.searchParams.set('q', query.slice(0, 300));
  url.searchParams.set('qmode', 'titleCreatorYear');
  url.searchParams.set('format', 'json');
  url.searchParams.set('limit', String(max));
  return { url: url.toString() };
}

/** A page of all the user's top-level items (for the Library). */
export function zoteroItemsRequest(endpoint: string, start: number, limit = 100): HttpRequest {
  const url = new URL(`${endpoint.replace(/\/+$/, '')}/api/users/0/items/top`);
  url.searchParams.set('format', 'json');
  url.searchParams.set('start', String(start));
  url.searchParams.set('limit', String(limit));
  return { url: url.toString() };
}

/** Better BibTeX's JSON-RPC export of items by citation key. */
export function betterBibtexExportRequest(endpoint: string, citationKeys: readonly string[]): HttpRequest {
  return {
    url: `${endpoint.replace(/\/+$/, '')}/better-bibtex/json-rpc`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', method: 'item.export', params: [citationKeys, 'Better BibTeX'], id: 1 }),
  };
}

const TYPES: Readonly<Record<string, string>> = {
  journalArticle: 'article',
  magazineArticle: 'article',
  newspaperArticle: 'article',
  conferencePaper: 'inproceedings',
  book: 'book',
  bookSection: 'incollection',
  thesis: 'phdthesis',
  report: 'techreport',
  preprint: 'misc',
  manuscript: 'unpublished',
  webpage: 'misc',
};
const SKIP = new Set(['attachment', 'note', 'annotation']);

/** The Extra field with its lines (Zotero keeps "key: value" lines there). */
function rawExtra(data: Record<string, unknown>): string {
  return typeof data.extra === 'string' ? data.extra.slice(0, 100_000) : '';
}

/** Better BibTeX's key of an item: Zotero 7's field, or a "Citation Key:" line in Extra. */
function citationKeyOf(data: Record<string, unknown>): string | undefined {
  const field = asString(data.citationKey);
  if (field) {
    return field;
  }
  const m = /^\s*citation key:\s*(\S+)\s*$/im.exec(rawExtra(data));
  return m?.[1];
}

/** One item of the Web API's JSON shape as a RemoteWork (attachments and notes are none). */
export function zoteroItemWork(value: unknown): RemoteWork | undefined {
  const item = asObject(value);
  const data = asObject(item?.data) ?? item;
  const itemType = asString(data?.itemType) ?? '';
  const title = stripMarkup(asString(data?.title));
  const key = asString(item?.key) ?? asString(data?.key);
  if (!data || !title || !key || SKIP.has(itemType)) {
    return undefined;
  }
  const creators = asArray(data.creators).map(asObject).filter((c): c is Record<string, unknown> => c !== undefined);
  const authors = creators.filter((c) => (asString(c.creatorType) ?? 'author') === 'author');
  const names = (authors.length > 0 ? authors : creators)
    .map((c) => asString(c.name) ?? [asString(c.firstName), asString(c.lastName)].filter(Boolean).join(' '))
    .filter(Boolean);
  const extra = rawExtra(data);
  const doi = normalizeDoi(asString(data.DOI) ?? /^\s*doi:\s*(\S+)/im.exec(extra)?.[1]);
  const url = asString(data.url);
  const date = asString(data.date) ?? '';
  return {
    provider: 'zotero',
    providerId: key,
    title,
    authors: names,
    year: asYear(date),
    month: /^\d{4}-(\d{2})/.test(date) ? Number(date.slice(5, 7)) || undefined : undefined,
    venue:
      asString(data.publicationTitle) ??
      asString(data.proceedingsTitle) ??
      asString(data.conferenceName) ??
      asString(data.bookTitle) ??
      asString(data.repository) ??
      asString(data.websiteTitle),
    entryType: TYPES[itemType] ?? 'misc',
    arxiv: normalizeArxivId(asString(data.archiveID)) ?? normalizeArxivId(url) ?? normalizeArxivId(/arxiv:\s*([\w./-]+)/i.exec(extra)?.[0]),
    doi,
    url,
    abstract: asString(data.abstractNote) ?? '',
    volume: asString(data.volume),
    number: asString(data.issue),
    pages: asString(data.pages)?.replace(/\s*[-–]\s*/g, '--'),
    publisher: asString(data.publisher),
    citationKey: citationKeyOf(data),
  };
}

function checked(res: HttpResponse): unknown {
  if (res.status === 403) {
    throw new ProviderError('zotero', 'forbidden', 'its local API is off: enable "Allow other applications on this computer to communicate with Zotero" in Zotero’s Settings → Advanced');
  }
  if (res.status >= 400) {
    throw new ProviderError('zotero', res.status === 404 ? 'not-found' : 'http', `answered HTTP ${res.status} (Zotero 7 or newer is needed for its local API)`);
  }
  return parseJsonBody('zotero', res);
}

/** The works of an items answer (an array of items). */
export function parseZoteroItems(res: HttpResponse): RemoteWork[] {
  const body = checked(res);
  if (!Array.isArray(body)) {
    throw new ProviderError('zotero', 'format', 'answered without a list of items');
  }
  return body.map(zoteroItemWork).filter((w): w is RemoteWork => w !== undefined);
}

/** Whether a probe answer is the local API, switched on. */
export function parseZoteroProbe(res: HttpResponse): true {
  if (res.status === 403) {
    checked(res);
  }
  if (res.status >= 400) {
    throw new ProviderError('zotero', 'http', `answered HTTP ${res.status} (Zotero 7 or newer is needed for its local API)`);
  }
  return true;
}

/** The BibTeX text of a Better BibTeX JSON-RPC export, if the answer holds one. */
export function parseBetterBibtexExport(res: HttpResponse): string | undefined {
  if (res.status >= 400) {
    return undefined;
  }
  try {
    const result = asObject(JSON.parse(res.body))?.result;
    const text = typeof result === 'string' ? result : asArray(result).find((r) => typeof r === 'string' && r.includes('@'));
    return typeof text === 'string' && text.includes('@') ? text : undefined;
  } catch {
    return undefined;
  }
}
