// Online search and look-ups: which services are on, their addresses and keys (the
// user's, never a workspace's), the request rules (limits, Retry-After, timeout, body
// cap, cache, offline fallback) and Zotero's detection. Providers are pure modules in
// src/core/online; this is where they meet the network.
import * as vscode from 'vscode';
import { arxivIdsRequest, arxivSearchRequest, ARXIV_LIMITS, parseArxivResponse } from '../../core/online/arxiv';
import { crossrefLimitsFrom, crossrefSearchRequest, crossrefWorkRequest, CROSSREF_LIMITS, doiBibtexRequest, parseCrossrefSearch, parseCrossrefWork } from '../../core/online/crossref';
import { dblpRecordRequest, dblpSearchRequest, DBLP_LIMITS, parseDblpRecord, parseDblpSearch } from '../../core/online/dblp';
import { workFromBibtex } from '../../core/online/fromBibtex';
import { RequestGate, retryAfterMs, type Limits } from '../../core/online/limiter';
import { openAlexSearchRequest, OPENALEX_LIMITS, parseOpenAlexSearch } from '../../core/online/openAlex';
import type { IdentifierInput } from '../../core/online/papers';
import { parseSemanticScholarBatch, parseSemanticScholarSearch, semanticScholarBatchRequest, semanticScholarSearchRequest, SEMANTIC_SCHOLAR_LIMITS } from '../../core/online/semanticScholar';
import { PROVIDER_NAMES, ProviderError, type HttpRequest, type HttpResponse, type ProviderId, type RemoteWork } from '../../core/online/types';
import { parseZoteroItems, parseZoteroProbe, zoteroItemsRequest, zoteroProbeRequest, zoteroSearchRequest, ZOTERO_LIMITS } from '../../core/online/zotero';
import type { ResponseCache } from './responseCache';
import type { Transport } from './transport';

/** The providers a search can use (not "pasted"). */
export type SearchProvider = Exclude<ProviderId, 'pasted'>;
export const SEARCH_PROVIDERS: readonly SearchProvider[] = ['zotero', 'arxiv', 'crossref', 'dblp', 'semanticscholar', 'openalex'];

/** Service addresses (setting `paperscope.online.endpoints`): mirrors, proxies, tests. */
export type Endpoints = Record<SearchProvider | 'doi', string>;

export const DEFAULT_ENDPOINTS: Endpoints = {
  arxiv: 'https://export.arxiv.org/api/query',
  crossref: 'https://api.crossref.org',
  doi: 'https://doi.org',
  dblp: 'https://dblp.org',
  semanticscholar: 'https://api.semanticscholar.org',
  openalex: 'https://api.openalex.org',
  zotero: 'http://127.0.0.1:23119',
};

/** Services that need a key of the user's (kept in SecretStorage). */
export const KEYED: readonly SearchProvider[] = ['semanticscholar', 'openalex'];
/** Services a browser cannot ask (no CORS header, or the user's own machine). */
const DESKTOP_ONLY: readonly SearchProvider[] = ['arxiv', 'zotero'];

const LIMITS: Readonly<Record<SearchProvider, Limits>> = {
  arxiv: ARXIV_LIMITS,
  crossref: CROSSREF_LIMITS,
  dblp: DBLP_LIMITS,
  semanticscholar: SEMANTIC_SCHOLAR_LIMITS,
  openalex: OPENALEX_LIMITS,
  zotero: ZOTERO_LIMITS,
};

const DAY = 24 * 3600_000;
const SEARCH_MAX_AGE = DAY;
const LOOKUP_MAX_AGE = 30 * DAY;
/** A service asking for a pause longer than this is not waited for: it is reported instead. */
const LONGEST_WAIT_MS = 5000;
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface OnlineSettings {
  readonly enabled: () => Readonly<Partial<Record<SearchProvider, boolean>>>;
  readonly endpoints: () => Endpoints;
  readonly email: () => string | undefined;
  readonly timeoutMs: () => number;
}

export type ZoteroState = 'unknown' | 'running' | 'not-running' | 'forbidden';

/** Online search and look-ups, under the request rules. */
export class Online {
  private readonly gates = new Map<SearchProvider, RequestGate>();
  private zotero: { state: ZoteroState; at: number } = { state: 'unknown', at: 0 };
  private toldZotero = false;
  private toldWeb = false;

  constructor(
    private readonly settings: OnlineSettings,
    private readonly secrets: vscode.SecretStorage,
    private readonly cache: ResponseCache | undefined,
    private readonly transport: Transport,
    readonly platform: 'desktop' | 'web',
    private readonly tell: (message: string, level: 'quiet' | 'info' | 'warn') => void,
  ) {}

  private gate(p: SearchProvider): RequestGate {
    let g = this.gates.get(p);
    if (!g) {
      g = new RequestGate(LIMITS[p]);
      this.gates.set(p, g);
    }
    return g;
  }

  /** A service's key, if the user stored one. */
  key(p: SearchProvider): Thenable<string | undefined> {
    return this.secrets.get(`paperscope.apiKey.${p}`);
  }

  async setKey(p: SearchProvider, value: string | undefined): Promise<void> {
    if (value) {
      await this.secrets.store(`paperscope.apiKey.${p}`, value);
    } else {
      await this.secrets.delete(`paperscope.apiKey.${p}`);
    }
  }

  get zoteroState(): ZoteroState {
    return this.zotero.state;
  }

  /** Why a service is not searched now, or undefined when it is. */
  async unavailable(p: SearchProvider): Promise<string | undefined> {
    if (this.settings.enabled()[p] === false) {
      return 'switched off in paperscope.online.providers';
    }
    if (this.platform === 'web' && DESKTOP_ONLY.includes(p)) {
      return p === 'arxiv' ? 'not reachable from a browser (arXiv sends no CORS header)' : 'not reachable from a browser';
    }
    if (KEYED.includes(p) && !(await this.key(p))) {
      return `needs an API key ("Paperscope: Set API Key for an Online Service")`;
    }
    if (p === 'zotero' && this.zotero.state !== 'running') {
      return this.zotero.state === 'forbidden' ? 'its local API is switched off in Zotero' : 'Zotero is not running';
    }
    return undefined;
  }

  /** The services a search asks now. */
  async searchable(): Promise<SearchProvider[]> {
    if (this.platform === 'web' && !this.toldWeb) {
      // Said once per session, when it first matters: the user asked to search online.
      this.toldWeb = true;
      this.tell('in the browser arXiv (it sends no CORS header) and Zotero (it runs on your computer) cannot be reached; Crossref, DBLP, Semantic Scholar and OpenAlex can.', 'info');
    }
    if (this.settings.enabled().zotero !== false && this.platform === 'desktop' && this.zotero.state !== 'running' && Date.now() - this.zotero.at > 60_000) {
      await this.probeZotero();
    }
    const out: SearchProvider[] = [];
    for (const p of SEARCH_PROVIDERS) {
      if (!(await this.unavailable(p))) {
        out.push(p);
      }
    }
    return out;
  }

  /**
   * One request under the rules: a fresh cached answer is used as it is; otherwise the
   * service's queue (limits), the transport (timeout, cap, redirects), one retry after a
   * short Retry-After, and a stale cached answer when the network fails.
   */
  async request(p: SearchProvider | 'doi', req: HttpRequest, maxAgeMs: number, token?: vscode.CancellationToken): Promise<HttpResponse> {
    const provider: SearchProvider = p === 'doi' ? 'crossref' : p;
    const cacheKey = `${p} ${req.method ?? 'GET'} ${req.url} ${req.headers?.accept ?? ''} ${req.body ?? ''}`;
    const cached = maxAgeMs > 0 ? await this.cache?.get(cacheKey, maxAgeMs) : undefined;
    if (cached) {
      return cached;
    }
    const gate = this.gate(provider);
    const endpoint = new URL(this.settings.endpoints()[p]);
    const send = () =>
      gate.run(() =>
        this.transport.send(req, {
          provider,
          timeoutMs: this.settings.timeoutMs(),
          maxBytes: MAX_BODY_BYTES,
          token,
          // The DOI resolver hands the request on to the registrar (doi.org → api.crossref.org);
          // a service's own answers stay on its host.
          allowRedirect: (from, to) => p === 'doi' || to.origin === from.origin || to.origin === endpoint.origin,
        }),
      );
    try {
      let res = await send();
      for (let retried = false; res.status === 429 || res.status === 503; retried = true) {
        const wait = retryAfterMs(res.headers['retry-after'], Date.now()) ?? 2000;
        gate.pauseUntil(Date.now() + wait);
        if (retried || wait > LONGEST_WAIT_MS) {
          const when = wait >= 3600_000 ? `${Math.round(wait / 3600_000)} h` : wait >= 60_000 ? `${Math.round(wait / 60_000)} min` : `${Math.round(wait / 1000)} s`;
          throw new ProviderError(provider, 'rate-limited', `is busy (HTTP ${res.status}) and asks to wait ${when}; Paperscope will not ask it again before then`, Date.now() + wait);
        }
        res = await send();
      }
      if (p === 'crossref') {
        const limits = crossrefLimitsFrom(res.headers);
        if (limits) {
          gate.setLimits(limits);
        }
      }
      if (res.status >= 200 && res.status < 300 && maxAgeMs > 0) {
        await this.cache?.put(cacheKey, res);
      }
      return res;
    } catch (err) {
      if (maxAgeMs > 0 && err instanceof ProviderError && (err.failure === 'offline' || err.failure === 'timeout') && !token?.isCancellationRequested) {
        const stale = await this.cache?.get(cacheKey, Infinity);
        if (stale) {
          return stale;
        }
      }
      throw err;
    }
  }

  /** One service's search; a ProviderError when it fails (named, never thrown at the user). */
  async searchOne(p: SearchProvider, query: string, token?: vscode.CancellationToken): Promise<RemoteWork[]> {
    const e = this.settings.endpoints();
    const key = KEYED.includes(p) ? await this.key(p) : undefined;
    switch (p) {
      case 'arxiv':
        return parseArxivResponse(await this.request(p, arxivSearchRequest(e.arxiv, query), SEARCH_MAX_AGE, token));
      case 'crossref':
        return parseCrossrefSearch(await this.request(p, crossrefSearchRequest(e.crossref, query, 10, this.settings.email()), SEARCH_MAX_AGE, token));
      case 'dblp':
        return parseDblpSearch(await this.request(p, dblpSearchRequest(e.dblp, query), SEARCH_MAX_AGE, token));
      case 'semanticscholar':
        return parseSemanticScholarSearch(await this.request(p, semanticScholarSearchRequest(e.semanticscholar, query, 10, key), SEARCH_MAX_AGE, token));
      case 'openalex':
        return parseOpenAlexSearch(await this.request(p, openAlexSearchRequest(e.openalex, query, 10, key, this.settings.email()), SEARCH_MAX_AGE, token));
      case 'zotero':
        return parseZoteroItems(await this.request(p, zoteroSearchRequest(e.zotero, query), 60_000, token));
    }
  }

  /** Every searchable service at once; each reports as it answers. */
  async search(query: string, token: vscode.CancellationToken, onResult: (p: SearchProvider, result: RemoteWork[] | ProviderError) => void): Promise<SearchProvider[]> {
    const providers = await this.searchable();
    await Promise.all(
      providers.map(async (p) => {
        try {
          const works = await this.searchOne(p, query, token);
          if (!token.isCancellationRequested) {
            onResult(p, works);
          }
        } catch (err) {
          if (!token.isCancellationRequested) {
            onResult(p, err instanceof ProviderError ? err : new ProviderError(p, 'format', err instanceof Error ? err.message : String(err)));
          }
        }
      }),
    );
    return providers;
  }

  /** The work an identifier names: a DOI's BibTeX (content negotiation), an arXiv id, a DBLP record, a Semantic Scholar paper, or pasted BibTeX. */
  async lookup(input: IdentifierInput, token?: vscode.CancellationToken): Promise<RemoteWork> {
    const e = this.settings.endpoints();
    switch (input.kind) {
      case 'bibtex':
        return workFromBibtex(input.text, 'pasted');
      case 'doi': {
        try {
          const res = await this.request('doi', doiBibtexRequest(e.doi, input.doi), LOOKUP_MAX_AGE, token);
          if (res.status === 200 && res.body.includes('@')) {
            const work = workFromBibtex(res.body, 'crossref');
            return { ...work, doi: work.doi ?? input.doi };
          }
        } catch (err) {
          if (!(err instanceof ProviderError) || err.failure === 'rate-limited') {
            throw err;
          }
        }
        return parseCrossrefWork(await this.request('crossref', crossrefWorkRequest(e.crossref, input.doi, this.settings.email()), LOOKUP_MAX_AGE, token));
      }
      case 'arxiv': {
        if (this.platform === 'web') {
          throw new ProviderError('arxiv', 'disabled', 'is not reachable from a browser (no CORS header): paste its DOI 10.48550/arXiv.… instead');
        }
        const works = parseArxivResponse(await this.request('arxiv', arxivIdsRequest(e.arxiv, [input.id]), LOOKUP_MAX_AGE, token));
        const work = works.find((w) => w.arxiv === input.id);
        if (!work) {
          throw new ProviderError('arxiv', 'not-found', `has no paper ${input.id}`);
        }
        return work;
      }
      case 'dblp':
        return parseDblpRecord(await this.request('dblp', dblpRecordRequest(e.dblp, input.key), LOOKUP_MAX_AGE, token));
      case 'semanticscholar': {
        const res = await this.request('semanticscholar', semanticScholarBatchRequest(e.semanticscholar, [input.id], await this.key('semanticscholar')), LOOKUP_MAX_AGE, token);
        const work = parseSemanticScholarBatch(res)[0];
        if (!work) {
          throw new ProviderError('semanticscholar', 'not-found', 'knows no such paper');
        }
        return work;
      }
    }
  }

  /**
   * Whether Zotero's local API answers. Not running: said once, quietly, and not asked
   * again for a minute (no retry storm); switched off (403): said once, with how to
   * switch it on.
   */
  async probeZotero(): Promise<ZoteroState> {
    if (this.platform === 'web' || this.settings.enabled().zotero === false) {
      this.zotero = { state: 'not-running', at: Date.now() };
      return this.zotero.state;
    }
    try {
      const res = await this.transport.send(zoteroProbeRequest(this.settings.endpoints().zotero), {
        provider: 'zotero',
        timeoutMs: Math.min(2000, this.settings.timeoutMs()),
        maxBytes: 1_000_000,
        allowRedirect: () => false,
      });
      parseZoteroProbe(res);
      this.zotero = { state: 'running', at: Date.now() };
    } catch (err) {
      const forbidden = err instanceof ProviderError && err.failure === 'forbidden';
      this.zotero = { state: forbidden ? 'forbidden' : 'not-running', at: Date.now() };
      if (!this.toldZotero) {
        this.toldZotero = true;
        this.tell(forbidden ? (err as ProviderError).message : `${PROVIDER_NAMES.zotero} is not running: its library is not searched (start Zotero 7 and run "Paperscope: Refresh Zotero Library")`, forbidden ? 'warn' : 'quiet');
      }
    }
    return this.zotero.state;
  }

  /** Forgets what is known about Zotero (the user asked to look again). */
  resetZotero(): void {
    this.zotero = { state: 'unknown', at: 0 };
    this.toldZotero = false;
  }

  /** All of the user's top-level Zotero items, page by page (at most `limit`). */
  async zoteroItems(limit = 20_000, token?: vscode.CancellationToken): Promise<RemoteWork[]> {
    const works: RemoteWork[] = [];
    const endpoint = this.settings.endpoints().zotero;
    for (let start = 0; start < limit; start += 100) {
      const res = await this.request('zotero', zoteroItemsRequest(endpoint, start, 100), 0, token);
      works.push(...parseZoteroItems(res));
      // A short page is the last (counted before notes and attachments are left out).
      if ((JSON.parse(res.body) as unknown[]).length < 100) {
        break;
      }
    }
    return works;
  }
}
