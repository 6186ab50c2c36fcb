import type { Paper } from '../library/paper';
import type { SearchHit } from '../search/searchIndex';
import { shortAuthors } from '../bib/names';
import { excerptAround } from '../text/text';

/** "Laborieux, Zenke · 2023 · ICLR 2024": authors (three, then et al.), year, venue. */
export function paperByline(paper: Paper): string {
  return [shortAuthors(paper.authors), paper.year?.toString(), paper.venue].filter(Boolean).join(' · ');
}

/** One line of the abstract around the words that matched, or its start. */
export function hitExcerpt(hit: SearchHit, queryText: string, width = 110): string {
  const words = queryText.split(/[\s\p{P}]+/u).filter((w) => w.length > 1);
  return excerptAround(hit.paper.abstract, [...hit.terms, ...words], width);
}

/**
 * Makes a label VS Code's QuickPick cannot match: a zero-width space between every
 * character. VS Code re-sorts items whose label matches the typed text
 * (microsoft/vscode#73904); without a match it keeps our order, which is the ranking.
 */
export function unmatchableLabel(text: string): string {
  return Array.from(text).join('\u200b');
}

/** Example queries shown when nothing matches. */
export const QUERY_SYNTAX_HINT = 'Try fewer words, or filters: author:zenke  year:2020-2022  venue:iclr';

/** How many papers the library holds, as the model counts them. */
export interface LibraryCounts {
  /** Distinct papers. */
  readonly papers: number;
  readonly bundledOnly: number;
  readonly userOnly: number;
  /** Bundled papers that are also in the user's .bib files. */
  readonly both: number;
  /** .bib entries in all (a paper under two keys counts twice here). */
  readonly entries: number;
}

const fmt = (n: number): string => n.toLocaleString('en-US');

/** "1,234 papers": the one number shown everywhere (status bar, search, Library). */
export function paperCount(counts: Pick<LibraryCounts, 'papers'>): string {
  return `${fmt(counts.papers)} ${counts.papers === 1 ? 'paper' : 'papers'}`;
}

/** Where the papers come from, for tooltips: bundled, from .bib files, in both. */
export function countBreakdown(c: LibraryCounts): string {
  const bundled = c.bundledOnly + c.both;
  const parts = [`${fmt(bundled)} bundled`];
  if (c.entries > 0) {
    const user = c.userOnly + c.both;
    parts.push(`${fmt(user)} from your .bib files${c.both > 0 ? ` (${fmt(c.both)} of them also bundled)` : ''}`);
    if (c.entries !== user) {
      parts.push(`${fmt(c.entries)} .bib entries in all — a paper under several keys or in several files counts once`);
    }
  }
  return `${paperCount(c)}: ${parts.join(', ')}`;
}
