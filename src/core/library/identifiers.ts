// What an arXiv identifier and a DOI look like, in one place: the corpus import, .bib
// entries, detection in documents, online look-ups and "same paper" checks all ask here.

/** Archives of arXiv's old (pre-2007) identifiers, `math/0601001`. */
export const OLD_ARXIV_ARCHIVES = [
  'math', 'math-ph', 'hep-th', 'hep-ph', 'hep-ex', 'hep-lat', 'gr-qc', 'astro-ph', 'cond-mat', 'quant-ph',
  'nucl-th', 'nucl-ex', 'physics', 'nlin', 'q-bio', 'q-fin', 'stat', 'cs', 'chao-dyn', 'solv-int', 'alg-geom',
  'dg-ga', 'funct-an', 'q-alg', 'patt-sol', 'adap-org', 'cmp-lg', 'comp-gas', 'acc-phys', 'ao-sci', 'atom-ph',
  'bayes-an', 'chem-ph', 'mtrl-th', 'plasm-ph', 'supr-con',
] as const;

/** RegExp source of a new-style id (`2309.02214`, YYMM.NNNN[N]); one capture-free group. */
export const ARXIV_NEW_ID = String.raw`\d{2}(?:0[1-9]|1[0-2])\.\d{4,5}`;
/** RegExp source of an old-style id of a known archive (`math/0601001`, `math.AG/0601001`). */
export const ARXIV_OLD_ID = String.raw`(?:${OLD_ARXIV_ARCHIVES.join('|')})(?:\.[A-Z]{2})?/\d{7}`;
/** Either shape, no version. */
export const ARXIV_ID = `(?:${ARXIV_NEW_ID}|${ARXIV_OLD_ID})`;

const BARE_ARXIV = new RegExp(`^${ARXIV_ID}$`);
const VERSIONED = new RegExp(`^(${ARXIV_ID})(?:v\\d+)?$`);
const IN_URL = new RegExp(String.raw`arxiv\.org/(?:abs|pdf|html|format)/(${ARXIV_ID})(?:v\d+)?`, 'i');
const IN_DOI = new RegExp(String.raw`^10\.48550/arxiv\.(${ARXIV_ID})(?:v\d+)?$`, 'i');

/** True for a bare arXiv identifier, new (`2309.02214`) or old (`math/0601001`) style, without version. */
export function isArxivId(id: string): boolean {
  return BARE_ARXIV.test(id);
}

/**
 * The bare arXiv id in anything a person or a service writes for one: `2309.02214v2`,
 * `arXiv:2309.02214`, `https://arxiv.org/abs/2309.02214`, `10.48550/arXiv.2309.02214`;
 * undefined when it is none of these.
 */
export function normalizeArxivId(raw: string | undefined): string | undefined {
  if (!raw) {
    return undefined;
  }
  const text = raw.trim();
  const bare = VERSIONED.exec(text.replace(/^arxiv\s*:\s*/i, ''));
  if (bare) {
    return bare[1];
  }
  const url = IN_URL.exec(text);
  if (url) {
    return url[1];
  }
  const doi = IN_DOI.exec(normalizeDoi(text) ?? '');
  return doi ? doi[1] : undefined;
}

const DOI = /^10\.\d{4,9}\/\S+$/;

/**
 * A DOI as compared and stored: the `10.xxxx/…` part of `doi:10…`, `https://doi.org/10…`
 * or `dx.doi.org/…`, lower-cased (DOIs are case-insensitive); undefined when it is not one.
 */
export function normalizeDoi(raw: string | undefined): string | undefined {
  if (!raw) {
    return undefined;
  }
  let text = raw.trim().replace(/^doi\s*:\s*/i, '').replace(/^https?:\/\/(?:dx\.)?doi\.org\//i, '');
  try {
    if (/%[0-9a-f]{2}/i.test(text)) {
      text = decodeURIComponent(text);
    }
  } catch {
    // not percent-encoded after all
  }
  text = text.replace(/[.,;]+$/, '');
  return DOI.test(text) ? text.toLowerCase() : undefined;
}

/** A doi.org link, or a publisher's page under `/doi/[abs|full|pdf|epdf|book|reader/]`. */
const DOI_LINK = /^https?:\/\/(?:(?:dx\.)?doi\.org|[^/\s]+\/doi(?:\/(?:abs|full|pdf|epdf|book|reader))?)\/(10\.\d{4,9}\/[^?#\s]+)/i;

/**
 * The DOI a link names: a doi.org link, or a publisher's page under `/doi/` (ACM, Wiley,
 * Taylor & Francis, SAGE, ACS: `https://dl.acm.org/doi/abs/10.1145/…`), as reference
 * managers export a paper's link without its doi field.
 */
export function doiFromUrl(url: string | undefined): string | undefined {
  const m = DOI_LINK.exec(url?.trim() ?? '');
  return m ? normalizeDoi(m[1].replace(/\/+$/, '')) : undefined;
}

/** The arXiv id a DOI names (`10.48550/arXiv.2309.02214`), if it is one of arXiv's. */
export function arxivIdOfDoi(doi: string | undefined): string | undefined {
  const m = doi ? IN_DOI.exec(doi) : null;
  return m ? m[1] : undefined;
}
