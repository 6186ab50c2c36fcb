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
