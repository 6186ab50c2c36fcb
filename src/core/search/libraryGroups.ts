// The Library view's model: papers grouped by year, venue, first author or topic.
import type { Paper } from '../library/paper';
import { venueGroup } from './venues';
import { compareNewestFirst } from './passing';
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

/** Papers bucketed by a key; each bucket keeps the label of its first paper. Keys are unique, so are the ids made from them. */
function bucket(papers: readonly Paper[], keyOf: GroupKeyOf): Map<string, { label: string; list: Paper[] }> {
  const groups = new Map<string, { label: string; list: Paper[] }>();
  for (const p of papers) {
    const { key, label } = keyOf(p);
    const group = groups.get(key);
    if (group) {
      group.list.push(p);
    } else {
      groups.set(key, { label, list: [p] });
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

/** Venue groups sort known venues and others by size; preprints and "no venue" come last. */
function rank(key: string): number {
  return key === '' ? 2 : key === 'preprint' ? 1 : 0;
}

type Bucket = [string, { label: string; list: Paper[] }];

/** Where a paper goes under a grouping: the bucket's key (unique) and its label. */
export type GroupKeyOf = (p: Paper) => { readonly key: string; readonly label: string };

/**
 * THE rule that puts a paper in a group, per grouping. The tree groups by it and a
 * group filter (`paperInGroups`, the Library overview's clicks) tests by it, so a
 * filtered view always holds exactly the papers of the bar that was clicked.
 */
export function groupKeyOf(grouping: Grouping, topicOf?: TopicOf, fileLabel: (file: string) => string = (f) => f): GroupKeyOf {
  switch (grouping) {
    case 'year':
      return (p) => (p.year === undefined ? { key: '', label: 'No year' } : { key: String(p.year), label: String(p.year) });
    case 'venue':
      return (p) => {
        const g = venueGroup(p.venue);
        return g ? { key: g.id, label: g.label } : { key: '', label: 'No venue' };
      };
    case 'author':
      return (p) => {
        const name = p.authors.length > 0 ? familyName(p.authors[0]) : '';
        return { key: fold(name), label: name || 'Anonymous' };
      };
    case 'source':
      return (p) =>
        p.origin
          ? { key: p.origin.file, label: p.origin.file.startsWith('zotero:') ? 'Zotero library' : `My bibliography: ${fileLabel(p.origin.file)}` }
          : { key: '', label: 'Bundled corpus' };
    case 'topic': {
      const of = topicOf ?? (() => 'Other');
      return (p) => ({ key: of(p), label: of(p) });
    }
  }
}

/** A group's id (`grouping:key`, as the tree gives it) split back into its grouping and key. */
export function parseGroupId(id: string): { grouping: Grouping; key: string } | undefined {
  const colon = id.indexOf(':');
  const grouping = id.slice(0, colon);
  return colon > 0 && (GROUPINGS as readonly string[]).includes(grouping) ? { grouping: grouping as Grouping, key: id.slice(colon + 1) } : undefined;
}

/** A test for "the paper is in every one of these groups" (ids as `groupPapers` makes them); an unknown id matches nothing. */
export function paperInGroups(groupIds: readonly string[], topicOf?: TopicOf): (p: Paper) => boolean {
  const tests = groupIds.map((id) => {
    const parsed = parseGroupId(id);
    if (!parsed) {
      return () => false;
    }
    const keyOf = groupKeyOf(parsed.grouping, topicOf);
    return (p: Paper) => keyOf(p).key === parsed.key;
  });
  return (p) => tests.every((t) => t(p));
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
  // Group ids are `grouping:bucket key`, and bucket keys are distinct map keys: unique by
  // construction, whatever the labels (two venues differing only in case are one group).
  const buckets = bucket(papers, groupKeyOf(grouping, grouping === 'topic' ? (topicOf ?? topicLookup(papers)) : topicOf, fileLabel));
  const sort = SORTS[grouping];
  return [...buckets.entries()].sort(sort).map(([k, { label, list }]) => ({ id: `${grouping}:${k}`, label, papers: order(list) }));
}

/** How each grouping orders its groups. */
const SORTS: Record<Grouping, (a: Bucket, c: Bucket) => number> = {
  // Newest first; no year last.
  year: ([a], [c]) => (a === '' ? 1 : c === '' ? -1 : Number(c) - Number(a)),
  // Largest first; preprints and papers without a venue last.
  venue: ([a, x], [c, y]) => rank(a) - rank(c) || y.list.length - x.list.length || x.label.localeCompare(y.label),
  author: ([a, x], [c, y]) => (a === '' ? 1 : c === '' ? -1 : a.localeCompare(c) || x.label.localeCompare(y.label)),
  // Your .bib files first (alphabetically), the bundled corpus last.
  source: ([a, x], [c, y]) => (a === '' ? 1 : c === '' ? -1 : x.label.localeCompare(y.label)),
  topic: ([a, x], [c, y]) => y.list.length - x.list.length || a.localeCompare(c),
};
