// The Markdown of a paper's hover card (also used as completion documentation).
// Every value from data is escaped; the only links are ours: https arXiv links and
// command links to Paperscope's own commands with JSON-encoded arguments.
import { Commands } from '../../constants';
import type { Paper } from '../library/paper';
import { leadAuthor, shortAuthors } from '../bib/names';
import { truncateAtWord } from '../text/text';

/** Commands a card may link to; the MarkdownString enables exactly these. */
export const HOVER_COMMANDS = {
  openPaper: Commands.openPaper,
  insertCitation: Commands.insertCitation,
  copyBibtex: Commands.copyBibtex,
  searchPapers: Commands.searchPapers,
  lookupIdentifier: Commands.lookupIdentifier,
  addToBibliography: Commands.addToBibliography,
} as const;

/**
 * Escapes text so that Markdown shows it literally: no emphasis, links, HTML or
 * entities. `$(icon)` stays literal because cards never enable theme icons; `$` itself
 * is left alone, since VS Code's renderer drops a backslash-escaped `\$(`.
 */
export function escapeMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/[\\`*_{}[\]()#+\-.!|<>~&:=@"']/g, '\\$&');
}

/** Percent-encodes everything but letters, digits and `-_.~`: encodeURIComponent leaves `()'!*`, and `)` would end a Markdown link. */
function encodeArgs(args: readonly unknown[]): string {
  return encodeURIComponent(JSON.stringify(args)).replace(/[()'!*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** A command link whose arguments cannot break out of the URI (JSON, then fully percent-encoded). */
export function commandLink(label: string, command: string, args: readonly unknown[]): string {
  return `[${escapeMarkdown(label)}](command:${command}?${encodeArgs(args)})`;
}

export interface HoverCardOptions {
  /** Longest abstract shown, in characters (cut at a word boundary). */
  readonly abstractLength: number;
  /** Offer "Insert citation" (not in completion documentation, where accepting inserts). */
  readonly insertLink?: boolean;
  /** Where "Insert citation" cites (right after a title mention); the cursor when absent. */
  readonly citeAt?: { readonly uri: string; readonly offset: number };
}

/** The card for a known paper. */
export function paperHoverMarkdown(paper: Paper, options: HoverCardOptions): string {
  const lines: string[] = [];
  lines.push(`**${escapeMarkdown(paper.title)}**`);
  const meta = [shortAuthors(paper.authors), paper.year?.toString(), paper.venue].filter(Boolean).map((s) => escapeMarkdown(s!));
  if (paper.arxiv && /^[\w./-]+$/.test(paper.arxiv)) {
    meta.push(`[arXiv:${escapeMarkdown(paper.arxiv)}](https://arxiv.org/abs/${encodeURI(paper.arxiv)})`);
  }
  lines.push(meta.join(' · '));
  const abstract = paper.abstract.trim();
  if (abstract && options.abstractLength > 0) {
    lines.push(escapeMarkdown(truncateAtWord(abstract.replace(/\s+/g, ' '), options.abstractLength)));
  }
  const links = [commandLink('Open details', HOVER_COMMANDS.openPaper, [paper.key])];
  if (options.insertLink !== false) {
    links.push(commandLink('Insert citation', HOVER_COMMANDS.insertCitation, options.citeAt ? [paper.key, options.citeAt] : [paper.key]));
  }
  links.push(commandLink('Copy BibTeX', HOVER_COMMANDS.copyBibtex, [paper.key]));
  if (paper.source === 'online') {
    links.push(commandLink('Add to bibliography', HOVER_COMMANDS.addToBibliography, [paper.key]));
  }
  lines.push(`${links.join(' · ')} — \`${paper.key.replace(/`/g, '')}\``);
  return lines.join('\n\n');
}

/** The card for a key nobody knows, with a search for what the key reads as (`schulman 2017 proximal`). */
export function unknownKeyMarkdown(key: string, query = key): string {
  const shown = key.length > 80 ? `${key.slice(0, 80)}…` : key;
  return `Unknown citation key \`${shown.replace(/`/g, 'ˋ').replace(/\s+/g, ' ')}\` — ${commandLink(`Search papers for “${query.slice(0, 80)}”`, HOVER_COMMANDS.searchPapers, [query.slice(0, 200)])}`;
}

/** The card for an arXiv id or DOI the library does not have: a link to look it up (nothing goes online before it is clicked). */
export function lookupMarkdown(kind: 'arxiv' | 'doi', id: string): string {
  const label = kind === 'arxiv' ? `arXiv:${id}` : `doi:${id}`;
  const shown = label.length > 120 ? `${label.slice(0, 120)}…` : label;
  return `${escapeMarkdown(shown)} is not in your library — ${commandLink('Look up online', HOVER_COMMANDS.lookupIdentifier, [label.slice(0, 300)])}`;
}

/** "Laborieux et al. · 2023": the completion item's detail. */
export function completionDetail(paper: Paper): string {
  return [leadAuthor(paper.authors), paper.year?.toString()].filter(Boolean).join(' · ');
}
