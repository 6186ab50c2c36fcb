import { escapeHtml } from '../core/display/html';
import { paperCount } from '../core/display/presentation';
import type { CitedPaper, LibraryOverview, OverviewBar, YearBar } from '../core/display/overview';

// The Library overview's page: plain SVG inside buttons, drawn on the host from escaped
// values. Sizes are SVG attributes (the CSP allows no inline styles); colours come from
// the theme through media/overview.css. Every bar is a button whose accessible name says
// what it shows and what a click does, each chart is one tab stop (arrow keys move inside
// it), and each chart has a table with the same figures.

const plural = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** A bar that filters the Library: its group ids travel as JSON in a data attribute. */
function filterAttrs(bar: OverviewBar, label: string): string {
  return ` data-action="filterLibrary" data-groups="${escapeHtml(JSON.stringify(bar.groups))}" data-label="${escapeHtml(label)}"`;
}

function yearChart(years: readonly YearBar[]): string {
  const max = Math.max(1, ...years.map((y) => y.count));
  // Label every year when there are few, else every fifth (all are in the names and the table).
  const every = years.length <= 16 ? 1 : 5;
  const cols = years
    .map((y) => {
      const h = (n: number) => (n / max) * 100;
      const name =
        y.count === 0
          ? `${y.year}: no papers`
          : `${y.year}: ${plural(y.count, 'paper')}${y.own > 0 ? ` (${y.own} in your files, ${y.bundled} only bundled)` : ''}. Show them in the Library.`;
      const svg =
        `<svg class="col-bar" viewBox="0 0 10 100" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
        `<rect class="bundled" x="0" y="${100 - h(y.bundled)}" width="10" height="${h(y.bundled)}"/>` +
        `<rect class="own" x="0" y="${100 - h(y.count)}" width="10" height="${h(y.own)}"/></svg>`;
      const shownLabel = y.year % every === 0 || years.length <= 16 ? String(y.year) : '';
      return y.count === 0
        ? `<div class="col empty" role="img" aria-label="${escapeHtml(name)}" title="${escapeHtml(name)}">${svg}<span class="tick">${shownLabel}</span></div>`
        : `<button type="button" class="col" aria-label="${escapeHtml(name)}" title="${escapeHtml(name)}"${filterAttrs(y, y.label)}>` +
            `<span class="n" aria-hidden="true">${y.count}</span>${svg}<span class="tick" aria-hidden="true">${shownLabel}</span></button>`;
    })
    .join('');
  const table = tableOf(
    'Papers per year',
    ['Year', 'Only bundled', 'In your files', 'All'],
    years.filter((y) => y.count > 0).map((y) => [String(y.year), String(y.bundled), String(y.own), String(y.count)]),
  );
  return `<div class="columns chart" role="group" aria-label="Papers per year, oldest first. Arrow keys move between years; Enter shows a year in the Library.">${cols}</div>${table}`;
}

/** Horizontal bars: one button per row, the bar an SVG stretched to the row. */
function rowChart(name: string, bars: readonly OverviewBar[], what: (bar: OverviewBar) => string): string {
  const max = Math.max(1, ...bars.map((b) => b.count));
  const rows = bars
    .map((b) => {
      const label = `${b.label}: ${plural(b.count, 'paper')}. Show them in the Library.`;
      return (
        `<button type="button" class="row" aria-label="${escapeHtml(label)}" title="${escapeHtml(label)}"${filterAttrs(b, what(b))}>` +
        `<span class="name">${escapeHtml(b.label)}</span>` +
        `<svg class="row-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="0" y="0" height="10" width="${(b.count / max) * 100}"/></svg>` +
        `<span class="n" aria-hidden="true">${b.count}</span></button>`
      );
    })
    .join('');
  return `<div class="rows chart" role="group" aria-label="${escapeHtml(name)}. Arrow keys move between rows; Enter shows the papers in the Library.">${rows}</div>`;
}

function citedChart(cited: readonly CitedPaper[]): string {
  const max = Math.max(1, ...cited.map((c) => c.citations));
  const rows = cited
    .map((c) => {
      const label = `${c.title}: cited ${plural(c.citations, 'time')} in ${plural(c.documents, 'document')}. Open its details.`;
      return (
        `<button type="button" class="row" data-action="openPaper" data-key="${escapeHtml(c.key)}" aria-label="${escapeHtml(label)}" title="${escapeHtml(label)}">` +
        `<span class="name">${escapeHtml(c.title)}</span>` +
        `<svg class="row-bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false"><rect x="0" y="0" height="10" width="${(c.citations / max) * 100}"/></svg>` +
        `<span class="n" aria-hidden="true">${c.citations}</span></button>`
      );
    })
    .join('');
  return `<div class="rows chart" role="group" aria-label="Most cited in this workspace. Arrow keys move between papers; Enter opens a paper.">${rows}</div>`;
}

function tableOf(caption: string, head: readonly string[], rows: readonly (readonly string[])[]): string {
  const th = head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c, i) => (i === 0 ? `<th scope="row">${escapeHtml(c)}</th>` : `<td>${escapeHtml(c)}</td>`)).join('')}</tr>`).join('');
  return `<details class="as-table"><summary>${escapeHtml(caption)} as a table</summary><table><caption>${escapeHtml(caption)}</caption><thead><tr>${th}</tr></thead><tbody>${body}</tbody></table></details>`;
}

function section(id: string, title: string, note: string, content: string): string {
  return `<section aria-labelledby="h-${id}"><h2 id="h-${id}">${escapeHtml(title)}</h2>${note ? `<p class="muted">${note}</p>` : ''}${content}</section>`;
}

/** The overview page's body; `version` tells the page which body it shows (see ToOverview). */
export function renderOverviewBody(o: LibraryOverview, version = 0): string {
  const summary = `${escapeHtml(paperCount({ papers: o.total }))}${o.own > 0 ? ` — ${o.own.toLocaleString('en-US')} in your .bib files or Zotero, ${o.bundled.toLocaleString('en-US')} only in the bundled corpus` : ''}`;
  const legend = `<p class="legend" aria-hidden="true"><span class="swatch bundled"></span>Only in the bundled corpus <span class="swatch own"></span>In your .bib files or Zotero</p>`;
  const years =
    o.years.length === 0
      ? section('years', 'Papers per year', 'No paper has a year.', '')
      : section('years', 'Papers per year', o.noYear > 0 ? `${plural(o.noYear, 'paper')} without a year ${o.noYear === 1 ? 'is' : 'are'} not shown.` : '', legend + yearChart(o.years));
  const venueNotes = [o.otherVenues > 0 ? `${plural(o.otherVenues, 'paper')} at other venues` : '', o.noVenue > 0 ? `${plural(o.noVenue, 'paper')} without a venue` : '']
    .filter(Boolean)
    .join(', ');
  const venues = section(
    'venues',
    'Top venues',
    venueNotes ? `Not shown: ${venueNotes}.` : '',
    o.venues.length === 0
      ? ''
      : rowChart('Top venues', o.venues, (b) => `venue ${b.label}`) + tableOf('Top venues', ['Venue', 'Papers'], o.venues.map((v) => [v.label, String(v.count)])),
  );
  const topics = section(
    'topics',
    'Topics',
    o.topicsError !== undefined
      ? `The topics could not be found: ${escapeHtml(o.topicsError)}.`
      : o.topics === undefined
        ? '<span class="busy">Finding the topics of the library…</span>'
        : 'Named by their most telling words.',
    o.topics === undefined || o.topics.length === 0
      ? ''
      : rowChart('Topics', o.topics, (b) => `topic ${b.label}`) + tableOf('Topics', ['Topic', 'Papers'], o.topics.map((t) => [t.label, String(t.count)])),
  );
  const cited = section(
    'cited',
    'Most cited in this workspace',
    o.citedError !== undefined
      ? `The workspace’s documents could not be read: ${escapeHtml(o.citedError)}. Saving a document tries again.`
      : o.cited === undefined
        ? '<span class="busy">Reading the workspace’s documents…</span>'
        : o.cited.length === 0 ? 'No document of this workspace cites a paper of the library yet.' : '',
    o.cited && o.cited.length > 0
      ? citedChart(o.cited) +
          tableOf(
            'Most cited in this workspace',
            ['Paper', 'Key', 'Citations', 'Documents'],
            o.cited.map((c) => [c.title, c.key, String(c.citations), String(c.documents)]),
          )
      : '',
  );
  return `<main class="overview" data-version="${version}">
<header><h1>Library overview</h1><p class="muted">${summary}. Click a bar to show its papers in the Library view.</p></header>
${years}
<div class="two">${venues}${topics}</div>
${cited}
</main>`;
}
