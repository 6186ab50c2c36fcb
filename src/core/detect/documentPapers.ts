// The "In This Document" view's model: which papers a document cites or names, in
// order of first appearance, with every occurrence.
import { isSurelyCitation, type Mention } from './detect';
import type { Paper } from '../library/paper';

export interface Occurrence {
  readonly start: number;
  readonly end: number;
  readonly kind: Mention['kind'];
}

export interface DocumentPaper {
  readonly paper: Paper;
  readonly occurrences: Occurrence[];
}

export interface UnknownKey {
  readonly key: string;
  readonly occurrences: Occurrence[];
}

export interface DocumentPapers {
  readonly papers: DocumentPaper[];
  readonly unknownKeys: UnknownKey[];
}

/**
 * Groups a document's mentions by paper. `resolve` maps a mention to a paper; keys it
 * cannot resolve are listed as unknown when they are surely citations (bare Pandoc
 * `@word`s outside brackets are left out: they may be handles).
 */
export function documentPapers(mentions: readonly Mention[], resolve: (m: Mention) => Paper | undefined): DocumentPapers {
  const papers = new Map<number, DocumentPaper>();
  const unknown = new Map<string, UnknownKey>();
  for (const m of mentions) {
    const occurrence = { start: m.start, end: m.end, kind: m.kind };
    const paper = resolve(m);
    if (paper) {
      const entry = papers.get(paper.id);
      if (entry) {
        entry.occurrences.push(occurrence);
      } else {
        papers.set(paper.id, { paper, occurrences: [occurrence] });
      }
    } else if (m.kind === 'citation' && isSurelyCitation(m)) {
      const entry = unknown.get(m.key);
      if (entry) {
        entry.occurrences.push(occurrence);
      } else {
        unknown.set(m.key, { key: m.key, occurrences: [occurrence] });
      }
    }
  }
  return { papers: [...papers.values()], unknownKeys: [...unknown.values()] };
}
