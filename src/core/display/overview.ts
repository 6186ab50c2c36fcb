// The Library overview's model: what the pictures show, computed from the papers alone.
// Every bar carries the ids of the Library groups it stands for, so a click filters the
// Library view with the same rule that drew the bar (libraryGroups.groupKeyOf).
import type { Paper } from '../library/paper';
import { groupPapers, type TopicOf } from '../search/libraryGroups';

/** One bar: a Library group (or groups, all of which a paper must be in) and its count. */
export interface OverviewBar {
  /** Library group ids (`year:2023`); a paper is in the bar when it is in every one. */
  readonly groups: readonly string[];
  readonly label: string;
  readonly count: number;
}

/** A year's bar: papers of the bundled corpus and of the user's own files, stacked. */
export interface YearBar extends OverviewBar {
  readonly year: number;
  readonly bundled: number;
  readonly own: number;
}

/** A paper the workspace cites, with how often. */
export interface CitedPaper {
  readonly key: string;
  readonly title: string;
  readonly citations: number;
  readonly documents: number;
}

export interface LibraryOverview {
  readonly total: number;
  readonly bundled: number;
  readonly own: number;
  /** Oldest first; years without papers inside the range are bars of 0 (unless the range is very long). */
  readonly years: readonly YearBar[];
  readonly noYear: number;
  /** Largest first, at most `MAX_BARS`. Preprints are a venue; papers without one are counted apart. */
  readonly venues: readonly OverviewBar[];
  readonly otherVenues: number;
  readonly noVenue: number;
  /** Largest first; undefined while topics are being computed. */
  readonly topics: readonly OverviewBar[] | undefined;
  /** Most cited first, at most `MAX_BARS`; undefined until the workspace has been read. */
  readonly cited: readonly CitedPaper[] | undefined;
  /** Why the workspace's documents could not be read, when they could not. */
  readonly citedError?: string;
  /** Why the topics could not be found, when they could not. */
  readonly topicsError?: string;
}

export const MAX_BARS = 12;
/** A year range longer than this shows only the years that have papers. */
const MAX_YEAR_SPAN = 60;

export interface OverviewInputs {
  readonly topicOf?: TopicOf;
  /** Citations per key as written in the workspace's documents, and documents per key. */
  readonly citations?: { readonly counts: ReadonlyMap<string, number>; readonly documents: ReadonlyMap<string, number> };
  /** Why the workspace's documents could not be read (no citations then). */
  readonly citationsError?: string;
  /** Why the topics could not be found (no topics then). */
  readonly topicsError?: string;
  /** The paper a key (or alias) names. */
  readonly resolve: (key: string) => Paper | undefined;
}

/** Builds the overview of `papers`. */
export function libraryOverview(papers: readonly Paper[], inputs: OverviewInputs): LibraryOverview {
  const own = papers.filter((p) => p.origin !== undefined).length;
  return {
    total: papers.length,
    bundled: papers.length - own,
    own,
    years: yearBars(papers),
    noYear: papers.filter((p) => p.year === undefined).length,
    ...venueBars(papers),
    topics: inputs.topicOf ? groupPapers(papers, 'topic', inputs.topicOf).map((g) => ({ groups: [g.id], label: g.label, count: g.papers.length })) : undefined,
    cited: inputs.citations ? mostCited(inputs.citations, inputs.resolve) : undefined,
    ...(inputs.citationsError === undefined ? {} : { citedError: inputs.citationsError }),
    ...(inputs.topicsError === undefined ? {} : { topicsError: inputs.topicsError }),
  };
}

function yearBars(papers: readonly Paper[]): YearBar[] {
  const byYear = new Map<number, { bundled: number; own: number }>();
  for (const p of papers) {
    if (p.year === undefined) {
      continue;
    }
    const bar = byYear.get(p.year) ?? { bundled: 0, own: 0 };
    if (p.origin) {
      bar.own++;
    } else {
      bar.bundled++;
    }
    byYear.set(p.year, bar);
  }
  const present = [...byYear.keys()].sort((a, b) => a - b);
  if (present.length === 0) {
    return [];
  }
  const first = present[0];
  const last = present[present.length - 1];
  const years = last - first <= MAX_YEAR_SPAN ? Array.from({ length: last - first + 1 }, (_, i) => first + i) : present;
  return years.map((year) => {
    const { bundled, own } = byYear.get(year) ?? { bundled: 0, own: 0 };
    return { groups: [`year:${year}`], label: String(year), year, count: bundled + own, bundled, own };
  });
}

function venueBars(papers: readonly Paper[]): Pick<LibraryOverview, 'venues' | 'otherVenues' | 'noVenue'> {
  const groups = groupPapers(papers, 'venue');
  const named = groups.filter((g) => g.id !== 'venue:');
  const noVenue = groups.find((g) => g.id === 'venue:')?.papers.length ?? 0;
  const sorted = [...named].sort((a, b) => b.papers.length - a.papers.length || a.label.localeCompare(b.label));
  const shown = sorted.slice(0, MAX_BARS);
  return {
    venues: shown.map((g) => ({ groups: [g.id], label: g.label, count: g.papers.length })),
    otherVenues: sorted.slice(MAX_BARS).reduce((n, g) => n + g.papers.length, 0),
    noVenue,
  };
}

function mostCited(citations: NonNullable<OverviewInputs['citations']>, resolve: OverviewInputs['resolve']): CitedPaper[] {
  // Keys as written resolve to papers (an alias and the main key are one paper).
  const byPaper = new Map<number, { paper: Paper; citations: number; documents: number }>();
  for (const [key, count] of citations.counts) {
    const paper = resolve(key);
    if (!paper) {
      continue;
    }
    const row = byPaper.get(paper.id) ?? { paper, citations: 0, documents: 0 };
    row.citations += count;
    row.documents = Math.max(row.documents, citations.documents.get(key) ?? 0);
    byPaper.set(paper.id, row);
  }
  return [...byPaper.values()]
    .sort((a, b) => b.citations - a.citations || b.documents - a.documents || a.paper.title.localeCompare(b.paper.title))
    .slice(0, MAX_BARS)
    .map(({ paper, citations: n, documents }) => ({ key: paper.key, title: paper.title, citations: n, documents }));
}
