// Works found online as papers of ours, and what the user typed to add one.
import { assignCitationKeys, type KeyTaken } from '../cite/citationKey';
import { normalizeArxivId, normalizeDoi } from '../library/identifiers';
import type { Paper } from '../library/paper';
import { normalizeTitle } from '../text/text';
import { PROVIDERS, type ProviderId, type RemoteWork } from './types';

/** Papers found online get ids from here down, so they never meet library ids (Zotero items use -1 down to this). */
export const ONLINE_ID_BASE = -1_000_000;

const KEY_RE = /^[^\s{}(),"#%'=\\]{1,100}$/;

/**
 * A work as a paper: a key by the same rule as bundled papers (or the user's own Better
 * BibTeX key for a Zotero item), never one of `taken`; the metadata as the service gave it.
 */
export function paperFromWork(work: RemoteWork, id: number, taken: KeyTaken): Paper {
  const own = work.provider === 'zotero' && work.citationKey && KEY_RE.test(work.citationKey) ? work.citationKey : undefined;
  const key = own ?? assignCitationKeys([{ authors: work.authors, year: work.year, title: work.title }], taken)[0];
  return {
    id,
    key,
    title: work.title,
    authors: work.authors,
    year: work.year,
    month: work.month,
    venue: work.venue,
    entryType: work.entryType,
    arxiv: work.arxiv,
    doi: work.doi,
    url: work.url ?? (work.arxiv ? `https://arxiv.org/abs/${work.arxiv}` : work.doi ? `https://doi.org/${work.doi}` : undefined),
    abstract: work.abstract,
    volume: work.volume,
    number: work.number,
    pages: work.pages,
    publisher: work.publisher,
    source: 'online',
    provider: work.provider,
  };
}

/** How two works are known to be one: arXiv id, DOI, or normalised title and year. */
export function workKeys(w: Pick<RemoteWork, 'arxiv' | 'doi' | 'title' | 'year'>): string[] {
  const keys: string[] = [];
  if (w.arxiv) {
    keys.push(`a:${w.arxiv}`);
  }
  if (w.doi) {
    keys.push(`d:${w.doi}`);
  }
  const title = normalizeTitle(w.title);
  if (title.length >= 8) {
    keys.push(`t:${title}|${w.year ?? ''}`);
  }
  return keys;
}

/** The online results, deduplicated: those the library has (shown as the library's paper), and the rest by provider. */
export interface MergedResults {
  readonly local: Paper[];
  /** The provider that found each of `local` first (by the papers' ids). */
  readonly localFoundBy: ReadonlyMap<number, ProviderId>;
  readonly works: RemoteWork[];
}

/**
 * Deduplicates works from several providers against the library (`inLibrary`) and each
 * other: a work the library has shows as the library's paper; among providers the first
 * (in `order`, PROVIDERS by default; others after) stays and the others fill what it
 * lacks (an abstract, a DOI).
 */
export function mergeWorks(
  lists: readonly (readonly RemoteWork[])[],
  inLibrary: (w: RemoteWork) => Paper | undefined,
  order: readonly ProviderId[] = PROVIDERS,
): MergedResults {
  const rank = (p: ProviderId) => (order.includes(p) ? order.indexOf(p) : order.length);
  const all = lists.flat().sort((a, b) => rank(a.provider) - rank(b.provider));
  const local = new Map<number, Paper>();
  const localFoundBy = new Map<number, ProviderId>();
  const byKey = new Map<string, number>();
  const works: RemoteWork[] = [];
  for (const w of all) {
    const known = inLibrary(w);
    if (known) {
      local.set(known.id, known);
      if (!localFoundBy.has(known.id)) {
        localFoundBy.set(known.id, w.provider);
      }
      continue;
    }
    const keys = workKeys(w);
    const at = keys.map((k) => byKey.get(k)).find((i) => i !== undefined);
    if (at === undefined) {
      keys.forEach((k) => byKey.set(k, works.length));
      works.push(w);
      continue;
    }
    const first = works[at];
    works[at] = {
      ...first,
      abstract: first.abstract || w.abstract,
      doi: first.doi ?? w.doi,
      arxiv: first.arxiv ?? w.arxiv,
      venue: first.venue ?? w.venue,
      year: first.year ?? w.year,
      month: first.month ?? w.month,
      volume: first.volume ?? w.volume,
      number: first.number ?? w.number,
      pages: first.pages ?? w.pages,
    };
    keys.forEach((k) => byKey.set(k, at));
  }
  return { local: [...local.values()], localFoundBy, works };
}

/** What the user pasted into "Add Paper by Identifier…". */
export type IdentifierInput =
  | { readonly kind: 'doi'; readonly doi: string }
  | { readonly kind: 'arxiv'; readonly id: string }
  | { readonly kind: 'dblp'; readonly key: string }
  | { readonly kind: 'semanticscholar'; readonly id: string }
  | { readonly kind: 'bibtex'; readonly text: string };

/**
 * Reads a DOI, an arXiv id (any form), a doi.org / arxiv.org / dblp.org /
 * semanticscholar.org address, or a whole BibTeX entry; undefined when it is none.
 */
export function parseIdentifierInput(raw: string): IdentifierInput | undefined {
  const text = raw.trim();
  if (/@[A-Za-z]+\s*[{(]/.test(text)) {
    return { kind: 'bibtex', text };
  }
  const dblp = /dblp\.(?:org|uni-trier\.de)\/rec\/(?:bibtex\/)?([\w-]+\/[\w./-]+?)(?:\.(?:html|bib|xml))?(?:[?#].*)?$/i.exec(text);
  if (dblp) {
    return { kind: 'dblp', key: dblp[1] };
  }
  const s2 = /semanticscholar\.org\/paper\/(?:[^/]+\/)?([0-9a-f]{40})\b/i.exec(text);
  if (s2) {
    return { kind: 'semanticscholar', id: s2[1].toLowerCase() };
  }
  const arxiv = normalizeArxivId(text);
  if (arxiv) {
    return { kind: 'arxiv', id: arxiv };
  }
  const doi = normalizeDoi(text);
  if (doi) {
    return { kind: 'doi', doi };
  }
  return undefined;
}
