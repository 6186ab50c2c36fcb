import { escapeHtml, safeExternalUrl } from '../core/display/html';
import { renderSafeMarkdown } from '../core/display/markdown';
import type { Paper } from '../core/library/paper';
import { leadAuthor } from '../core/bib/names';

function action(name: string, attrs: Record<string, string>, label: string, cls = ''): string {
  const data = Object.entries(attrs)
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('');
  return `<button type="button" class="${cls}" data-action="${name}"${data}>${label}</button>`;
}

/**
 * Body of the detail page: every value from data is escaped; the abstract's Markdown is
 * rendered by our sanitising renderer and shipped inside an inert <template>, which the
 * page sanitises again with DOMPurify before showing it (two independent layers, under
 * a CSP that allows no inline script and no remote content).
 */
export interface DetailNavigation {
  readonly back?: string;
  readonly forward?: string;
}

export function renderDetailBody(paper: Paper, bibtex: string, related: readonly Paper[], sourceName?: string, nav: DetailNavigation = {}): string {
  const meta: string[] = [];
  if (paper.year !== undefined) {
    meta.push(`<span>${paper.year}</span>`);
  }
  if (paper.venue) {
    meta.push(`<span>${escapeHtml(paper.venue)}</span>`);
  }
  const arxivUrl = paper.arxiv ? safeExternalUrl(`https://arxiv.org/abs/${paper.arxiv}`) : undefined;
  if (arxivUrl && paper.arxiv) {
    meta.push(action('openExternal', { url: arxivUrl }, `arXiv:${escapeHtml(paper.arxiv)}`, 'link'));
  }
  const extraUrl = safeExternalUrl(paper.url);
  if (extraUrl && extraUrl !== arxivUrl) {
    meta.push(action('openExternal', { url: extraUrl }, 'Web page', 'link'));
  }
  const badges = paper.lowConfidence
    ? '<span class="badge" title="The metadata of this paper was matched with low confidence: check it before citing.">low-confidence metadata</span>'
    : '';
  const authors = paper.authors.length > 0 ? paper.authors.map(escapeHtml).join(', ') : '<em>Unknown authors</em>';
  const abstract = paper.abstract.trim()
    ? renderSafeMarkdown(paper.abstract)
    : '<p class="muted">No abstract available.</p>';
  const relatedList =
    related.length === 0
      ? '<p class="muted">No related papers found.</p>'
      : `<ul class="related">${related
          .map(
            (r) =>
              `<li>${action('openPaper', { key: r.key }, escapeHtml(r.title), 'link')}` +
              `<span class="muted"> — ${escapeHtml(leadAuthor(r.authors))}${r.year ? ` · ${r.year}` : ''}</span></li>`,
          )
          .join('')}</ul>`;
  const navButton = (type: 'back' | 'forward', label: string, title: string | undefined) =>
    `<button type="button" class="secondary nav" data-action="${type}"${title ? ` title="${escapeHtml(`${label}: ${title}`)}"` : ' disabled'} aria-label="${label}${title ? `: ${escapeHtml(title)}` : ''}">${type === 'back' ? '← ' : ''}${label}${type === 'forward' ? ' →' : ''}</button>`;
  const navigation =
    nav.back || nav.forward ? `<nav class="history" aria-label="Papers opened in this pane">${navButton('back', 'Back', nav.back)}${navButton('forward', 'Forward', nav.forward)}</nav>` : '';
  return `<main class="paper" data-key="${escapeHtml(paper.key)}">
${navigation}
<header>
<h1>${escapeHtml(paper.title)}</h1>
<p class="authors">${authors}</p>
<p class="meta">${meta.join('<span class="sep"> · </span>')} ${badges}</p>
<p class="key">Key <code>${escapeHtml(paper.key)}</code>${
    paper.source === 'online'
      ? ` · found on ${escapeHtml(paper.provider ?? 'the web')}, not in your library yet`
      : sourceName === 'Zotero'
        ? ' · from your Zotero library'
        : sourceName
          ? ` · from <code>${escapeHtml(sourceName)}</code>, line ${paper.origin?.line ?? '?'} ${action('goToEntry', { key: paper.key }, 'Go to entry', 'link')}`
          : ''
  }</p>
<div class="actions">
${action('insertCitation', { key: paper.key }, 'Insert Citation')}
${paper.source === 'online' ? action('addToBibliography', { key: paper.key }, 'Add to Bibliography', 'secondary') : ''}
${action('copyBibtex', { key: paper.key }, 'Copy BibTeX', 'secondary')}
${arxivUrl ? action('openExternal', { url: arxivUrl }, 'Open on arXiv', 'secondary') : ''}
</div>
</header>
<section aria-labelledby="h-abstract"><h2 id="h-abstract">Abstract</h2><template id="abstract-html">${abstract}</template><div class="abstract" aria-live="polite"></div></section>
<section aria-labelledby="h-bibtex"><h2 id="h-bibtex">BibTeX</h2>
<pre class="bibtex"><code>${escapeHtml(bibtex)}</code></pre>
${action('copyBibtex', { key: paper.key }, 'Copy', 'secondary')}
</section>
<section aria-labelledby="h-related"><h2 id="h-related">Related papers</h2>${relatedList}</section>
</main>`;
}
