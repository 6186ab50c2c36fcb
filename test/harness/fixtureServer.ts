// A loopback HTTP server that replays the recorded answers of the online services
// (test/fixtures/remote, recorded as its MANIFEST says), for the integration and e2e
// tiers: no test reaches the internet. Paths are the services' own under a prefix per
// service; the endpoints to give Paperscope come with it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** What the server does for Zotero and Crossref, and every request it saw. */
export interface FixtureState {
  zotero: 'running' | 'forbidden';
  /** Answer the next Crossref search with 429 and Retry-After: 1. */
  busyOnce: boolean;
  /** While set, arXiv's search answers once this settles (the other services answer at once). */
  arxivWaits?: Promise<unknown>;
  readonly hits: string[];
}

export interface FixtureServer {
  readonly url: string;
  readonly state: FixtureState;
  /** The value of `paperscope.online.endpoints` that points every service here. */
  endpoints(overrides?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/**
 * Endpoints for suites that must not go online at all: the discard port on loopback, where
 * nothing listens, so a request that should not happen fails at once instead of leaving.
 */
export const OFFLINE_ENDPOINTS: Readonly<Record<string, string>> = Object.fromEntries(
  ['arxiv', 'crossref', 'doi', 'dblp', 'semanticscholar', 'openalex', 'zotero'].map((p) => [p, `http://127.0.0.1:9/${p}`]),
);

export async function startFixtureServer(root: string): Promise<FixtureServer> {
  const fixture = (...path: string[]) => readFileSync(join(root, 'test', 'fixtures', 'remote', ...path));
  const state: FixtureState = { zotero: 'running', busyOnce: false, hits: [] };
  const route = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    state.hits.push(`${req.method} ${url.pathname}${url.search}`);
    const send = (status: number, body: string | Buffer, type = 'application/json', headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': type, ...headers });
      res.end(body);
    };
    const p = url.pathname;
    if (p === '/arxiv/api/query') {
      const ids = url.searchParams.get('id_list');
      if (ids === '1707.08567') {
        return send(200, fixture('arxiv', 'idlist_0808.05394_1707.08567.atom.xml'), 'application/atom+xml');
      }
      if (ids) {
        return send(400, fixture('arxiv', 'idlist_abc_error400.atom.xml'), 'application/atom+xml');
      }
      const answer = () => send(200, fixture('arxiv', 'search_all-testing_start0_max10.atom.xml'), 'application/atom+xml');
      if (state.arxivWaits) {
        void state.arxivWaits.then(answer, answer);
        return;
      }
      return answer();
    }
    if (p === '/slow/api/query') {
      return; // never answers: the client's timeout must end it
    }
    if (p === '/crossref/works') {
      if (state.busyOnce) {
        state.busyOnce = false;
        return send(429, '{"status":"error"}', 'application/json', { 'retry-after': '1' });
      }
      return send(200, fixture('crossref', 'works_query-ecology_rows2.json'), 'application/json', { 'x-rate-limit-limit': '50', 'x-rate-limit-interval': '1s', 'x-concurrency-limit': '5' });
    }
    if (p === '/crossref/works/10.1371%2Fjournal.pone.0033693' || p === '/crossref/works/10.1371/journal.pone.0033693') {
      return send(200, fixture('crossref', 'works_doi_10.1371_journal.pone.0033693.json'));
    }
    if (p.startsWith('/crossref/works/')) {
      return send(404, fixture('crossref', 'works_doi_notfound_404.txt'), 'text/plain');
    }
    if (p === '/crossref/transform/10.1126/science.169.3946.635') {
      return send(200, fixture('crossref', 'contentneg_bibtex_10.1126_science.169.3946.635.bib'), 'application/x-bibtex');
    }
    if (p === '/evil/works') {
      return send(302, '', 'text/plain', { location: 'file:///etc/passwd' });
    }
    if (p.startsWith('/doi/10.1126/science.169.3946.635')) {
      // As doi.org does: content negotiation hands the request on to the registrar.
      return send(302, '', 'text/plain', { location: '/crossref/transform/10.1126/science.169.3946.635' });
    }
    if (p.startsWith('/doi/')) {
      return send(404, 'DOI Not Found', 'text/html');
    }
    if (p === '/dblp/search/publ/api') {
      return send(200, '<!DOCTYPE html><html><head><title>dblp: error</title></head><body>Too many requests</body></html>', 'text/html');
    }
    if (p === '/zotero/api/' || p.startsWith('/zotero/api/users/0/items')) {
      if (state.zotero === 'forbidden') {
        return send(403, 'Local API is not enabled', 'text/plain');
      }
      if (p === '/zotero/api/') {
        return send(200, 'Nothing here.', 'text/plain');
      }
      return send(200, Number(url.searchParams.get('start') ?? 0) > 0 ? Buffer.from('[]') : fixture('zotero', 'webapi_items_20.json'));
    }
    send(404, 'not found', 'text/plain');
  };
  const server = createServer(route);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    state,
    endpoints: (overrides = {}) => ({
      arxiv: `${url}/arxiv/api/query`,
      crossref: `${url}/crossref`,
      doi: `${url}/doi`,
      dblp: `${url}/dblp`,
      semanticscholar: `${url}/s2`,
      openalex: `${url}/openalex`,
      zotero: `${url}/zotero`,
      ...overrides,
    }),
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
