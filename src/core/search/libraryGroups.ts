// The Library view's model: papers grouped by year, venue, first author or topic.
import type { Paper } from '../library/paper';
import { compareNewestFirst } from './searchIndex';
import { familyName } from '../bib/names';
import { fold } from '../text/text';
import { topicGroups, topicGroupsInSlices, type Topic } from './topics';

export const GROUPINGS = ['year', 'venue', 'author', 'topic', 'source'] as const;
export type Grouping = (typeof GROUPINGS)[number];

export const GROUPING_LABELS: Record<Grouping, string> = {
  year: 'Year',
  venue: 'Venue',
  author: 'First author',
  topic: 'Topic',
  source: 'Source (bundled or your .bib files)',
};

/** One group of the tree. `id` is stable across refreshes (VS Code keeps expansion by id). */
export interface PaperGroup {
  readonly id: string;
  readonly label: string;
  readonly papers: Paper[];
}

/** "ICLR 2024" → "ICLR"; "ICML 2020 Workshop (X)" → "ICML Workshop (X)". */
export function venueSeries(venue: string | undefined): string {
  if (!venue) {
    return '';
  }
  return venue.replace(/\b(19|20)\d{2}\b/g, '').replace(/\s+/g, ' ').trim() || venue;
}

function bucket(papers: readonly Paper[], keyOf: (p: Paper) => string): Map<string, Paper[]> {
  const groups = new Map<string, Paper[]>();
  for (const p of papers) {
    const k = keyOf(p);
    const list = groups.get(k);
    if (list) {
      list.push(p);
    } else {
      groups.set(k, [p]);
    }
  }
  return groups;
}

/** Topic assignment for a set of papers, computed once per library. */
export type TopicOf = (paper: Paper) => string;

function lookupOf(topics: readonly Topic[]): TopicOf {
  const byId = new Map<number, string>();
  for (const t of topics) {
    t.paperIds.forEach((id) => byId.set(id, t.name));
  }
  return (p) => byId.get(p.id) ?? 'Other';
}

/** Builds a topic lookup from the whole library (so filtering keeps each paper's topic). */
export function topicLookup(papers: readonly Paper[]): TopicOf {
  return lookupOf(topicGroups(papers));
}

/** The same lookup, computed in slices with `pause` between them. */
export async function topicLookupInSlices(papers: readonly Paper[], pause: () => Promise<void>): Promise<TopicOf> {
  return lookupOf(await topicGroupsInSlices(papers, pause));
}

/**
 * Groups papers; every paper is in exactly one group. Inside a group, papers keep the
 * order they come in when `ranked` (a filter's ranking), else newest first.
 */
export function groupPapers(
  papers: readonly Paper[],
  grouping: Grouping,
  topicOf?: TopicOf,
  ranked = false,
  fileLabel: (file: string) => string = (f) => f,
): PaperGroup[] {
  const order = (list: Paper[]) => (ranked ? list : [...list].sort(compareNewestFirst));
  let groups: PaperGroup[];
  switch (grouping) {
    case 'year': {
      const b = bucket(papers, (p) => (p.year === undefined ? '' : String(p.year)));
      groups = [...b.entries()]
        .sort(([a], [c]) => (a === '' ? 1 : c === '' ? -1 : Number(c) - Number(a)))
        .map(([k, list]) => ({ id: `year:${k}`, label: k || 'No year', papers: order(list) }));
      break;
    }
    case 'venue': {
      const b = bucket(papers, (p) => venueSeries(p.venue));
      groups = [...b.entries()]
        .sort(([a, la], [c, lc]) => (a === '' ? 1 : c === '' ? -1 : lc.length - la.length || a.localeCompare(c)))
        .map(([k, list]) => ({ id: `venue:${fold(k)}`, label: k || 'No venue (preprints)', papers: order(list) }));
      break;
    }
    case 'author': {
      const b = bucket(papers, (p) => (p.authors.length > 0 ? familyName(p.authors[0]) : ''));
      groups = [...b.entries()]
        .sort(([a], [c]) => (a === '' ? 1 : c === '' ? -1 : fold(a).localeCompare(fold(c)) || a.localeCompare(c)))
        .map(([k, list]) => ({ id: `author:${fold(k)}`, label: k || 'Anonymous', papers: order(list) }));
      break;
    }
    case 'source': {
      // Your .bib files first (alphabetically), the bundled corpus last.
      const b = bucket(papers, (p) => p.origin?.file ?? '');
      groups = [...b.entries()]
        .map(([k, list]) => ({ k, label: k ? `My bibliography: ${fileLabel(k)}` : 'Bundled corpus', list }))
        .sort((a, c) => (a.k === '' ? 1 : c.k === '' ? -1 : a.label.localeCompare(c.label)))
        .map(({ k, label, list }) => ({ id: `source:${k}`, label, papers: order(list) }));
      break;
    }
    case 'topic': {
      const of = topicOf ?? topicLookup(papers);
      const b = bucket(papers, of);
      groups = [...b.entries()]
        .sort(([a, la], [c, lc]) => lc.length - la.length || a.localeCompare(c))
        .map(([k, list]) => ({ id: `topic:${k}`, label: k, papers: order(list) }));
      break;
    }
  }
  return groups;
}
