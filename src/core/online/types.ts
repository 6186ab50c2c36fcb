// What the online providers share: requests and responses as plain data (the transport
// lives in the extension layer), the works they find, and the errors they report.

export type ProviderId = 'arxiv' | 'crossref' | 'dblp' | 'semanticscholar' | 'openalex' | 'zotero' | 'pasted';

/** Every provider, in the order results are listed. */
export const PROVIDERS: readonly ProviderId[] = ['zotero', 'arxiv', 'crossref', 'dblp', 'semanticscholar', 'openalex', 'pasted'];

/** Names users read in messages and group headers. */
export const PROVIDER_NAMES: Readonly<Record<ProviderId, string>> = {
  arxiv: 'arXiv',
  crossref: 'Crossref',
  dblp: 'DBLP',
  semanticscholar: 'Semantic Scholar',
  openalex: 'OpenAlex',
  zotero: 'Zotero',
  pasted: 'the BibTeX you pasted',
};

/** A request, built by a provider module and sent by the transport. */
export interface HttpRequest {
  readonly url: string;
  readonly method?: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** A response as the transport hands it to a parser (headers lower-cased). */
export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** A paper as a service describes it, before it is a Paper of ours. */
export interface RemoteWork {
  readonly provider: ProviderId;
  /** The service's own id (arXiv id, DOI, DBLP key, S2 paper id, OpenAlex id, Zotero item key). */
  readonly providerId: string;
  readonly title: string;
  readonly authors: readonly string[];
  readonly year?: number;
  readonly month?: number;
  readonly venue?: string;
  /** BibTeX entry type the service's metadata implies (`article`, `inproceedings`, `misc`, …). */
  readonly entryType?: string;
  readonly arxiv?: string;
  readonly doi?: string;
  readonly url?: string;
  readonly abstract: string;
  readonly volume?: string;
  readonly number?: string;
  readonly pages?: string;
  readonly publisher?: string;
  /** A citation key the service or the user's tool keeps (Better BibTeX, DBLP). */
  readonly citationKey?: string;
}

/** Why a provider gave no results, in words for the user (the provider is always named). */
export type ProviderFailure = 'offline' | 'timeout' | 'rate-limited' | 'http' | 'format' | 'not-found' | 'needs-key' | 'disabled' | 'not-running' | 'forbidden';

export class ProviderError extends Error {
  constructor(
    readonly provider: ProviderId,
    readonly failure: ProviderFailure,
    message: string,
    /** For rate limits: when the service accepts requests again (ms since epoch). */
    readonly retryAt?: number,
  ) {
    super(`${PROVIDER_NAMES[provider]}: ${message}`);
    this.name = 'ProviderError';
  }
}

/** A JSON body, or a ProviderError naming the service when it is not JSON (an HTML login wall, a truncated body). */
export function parseJsonBody(provider: ProviderId, res: HttpResponse): unknown {
  const text = res.body.trimStart();
  if (/^<(!doctype|html|\?xml|head|body)/i.test(text)) {
    throw new ProviderError(provider, 'format', 'answered with a web page instead of data (a login wall, a proxy or a bot check?)');
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(provider, 'format', `answered with data that is not valid JSON${text.length > 0 ? ' (truncated?)' : ' (empty)'}`);
  }
}

/** A value as an object (or undefined): `null`, arrays and primitives are not objects. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** A value as an array: one object stands for a list of one (services do that), anything else is empty. */
export function asArray(value: unknown): unknown[] {
  if (Array.isArray(value)) {
    return value;
  }
  return value === undefined || value === null ? [] : [value];
}

/** A value as a trimmed, bounded string, or undefined. */
export function asString(value: unknown, max = 20_000): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return String(value);
  }
  if (typeof value !== 'string') {
    return undefined;
  }
  const t = value.replace(/\s+/g, ' ').trim();
  return t === '' ? undefined : t.length > max ? `${t.slice(0, max)}…` : t;
}

/** A plausible publication year, or undefined. */
export function asYear(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(/\b(1[5-9]\d\d|20\d\d|21\d\d)\b/.exec(value)?.[1]) : NaN;
  return Number.isInteger(n) && n >= 1500 && n <= 2199 ? n : undefined;
}

/** Text without markup a service embeds in titles and abstracts (JATS `<jats:p>`, HTML `<i>`). */
export function stripMarkup(text: string | undefined): string {
  if (!text) {
    return '';
  }
  return text
    .replace(/<[^>]{0,200}>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
