// Deciding what to add to a .bib file so that the cited papers are in it, without
// duplicates: the same key, or the same paper under another key, means nothing is added.
import { bibtexFor } from './writer';
import { parseBibtex, type BibEntry } from './parser';
import { normalizeArxivId } from '../library/identifiers';
import { latexToText } from '../text/latexText';
import type { Paper } from '../library/paper';
import { normalizeTitle } from '../text/text';

/** The arXiv id an entry refers to (eprint, an arxiv.org link, arXiv's DOI), without version. */
export function entryArxivId(entry: BibEntry): string | undefined {
  const f = entry.fields;
  const prefix = (f.archiveprefix ?? f.eprinttype ?? '').trim().toLowerCase();
  if (f.eprint && (prefix === '' || prefix === 'arxiv')) {
    const id = normalizeArxivId(f.eprint);
    if (id) {
      return id;
    }
  }
  for (const field of [f.url, f.doi, f.note, f.journal, f.howpublished]) {
    const id = field && /arxiv/i.test(field) ? normalizeArxivId(/(?:arxiv\.org\/\S+|10\.48550\/arxiv\.\S+|arxiv:\s*\S+)/i.exec(field)?.[0]) : undefined;
    if (id) {
      return id;
    }
  }
  return undefined;
}

/** Whether a .bib entry describes this paper: same arXiv id, same DOI, or the same normalised title. */
export function isSamePaper(entry: BibEntry, paper: Paper): boolean {
  const arxiv = entryArxivId(entry);
  if (arxiv && paper.arxiv) {
    return arxiv === paper.arxiv;
  }
  const doi = entry.fields.doi?.trim().toLowerCase();
  if (doi && paper.doi) {
    return doi === paper.doi.toLowerCase();
  }
  const title = entry.fields.title;
  return title !== undefined && normalizeTitle(latexToText(title)) === normalizeTitle(paper.title);
}

/**
 * Which key a new citation of this paper should use, given the entries of the
 * bibliography it will be read with: one of the paper's own keys that the file defines
 * (its key or an alias), else the key of an entry for the same paper under another key;
 * undefined when the file has the paper under no key (its entry must be added).
 */
export function keyToCite(entries: readonly BibEntry[], paper: Paper): string | undefined {
  const own = new Set([paper.key, ...(paper.aliases ?? [])]);
  const byOwnKey = entries.find((e) => own.has(e.key));
  if (byOwnKey) {
    return byOwnKey.key;
  }
  return entries.find((e) => isSamePaper(e, paper))?.key;
}

/** The outcome of planning entries for some papers in one .bib text. */
export interface BibPlan {
  /** For each paper, the key to cite: its own, or the key the .bib already has for it. */
  readonly keys: string[];
  /** Papers whose entries will be appended. */
  readonly added: Paper[];
  /** The one text insertion that appends them (absent when nothing is added). */
  readonly insertion?: { readonly offset: number; readonly text: string };
}

/**
 * Plans adding the papers' entries to a .bib text: an entry with the paper's key, or
 * an entry for the same paper under another key (in this text or in `alsoRead`, the
 * other files the document reads with it), means nothing is added for it. New entries
 * go after the last entry of the current text, as one insertion.
 */
export function planBibEntries(
  bibText: string,
  papers: readonly Paper[],
  entryFor: (p: Paper) => string = bibtexFor,
  alsoRead: readonly BibEntry[] = [],
): BibPlan {
  const { entries } = parseBibtex(bibText);
  const keys: string[] = [];
  const added: Paper[] = [];
  for (const paper of papers) {
    const existing = keyToCite(entries, paper) ?? keyToCite(alsoRead, paper);
    keys.push(existing ?? paper.key);
    if (existing === undefined && !added.some((p) => p.key === paper.key)) {
      added.push(paper);
    }
  }
  if (added.length === 0) {
    return { keys, added };
  }
  const body = added.map((p) => entryFor(p).trimEnd()).join('\n\n');
  const lastEnd = entries.reduce((max, e) => (e.incomplete ? max : Math.max(max, e.end)), -1);
  // A file that ends in an entry without its closing brace: BibTeX would read anything
  // appended as part of it, so the new entries go before it.
  const brokenTail = entries.find((e) => e.incomplete && e.start >= lastEnd);
  if (brokenTail) {
    return { keys, added, insertion: { offset: brokenTail.start, text: `${body}\n\n` } };
  }
  if (lastEnd < 0) {
    // No entry yet: append after whatever the file holds (comments, @string, nothing).
    const trimmed = bibText.replace(/\s+$/, '');
    const sep = trimmed === '' ? '' : '\n\n';
    return { keys, added, insertion: { offset: trimmed.length, text: `${sep}${body}\n` } };
  }
  const rest = bibText.slice(lastEnd);
  return { keys, added, insertion: { offset: lastEnd, text: `\n\n${body}${rest.startsWith('\n') ? '' : '\n'}` } };
}
