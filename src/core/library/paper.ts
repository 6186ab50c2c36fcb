/** Where a paper comes from: the bundled corpus, the user's .bib files (Zotero's library included), or an online search. */
export type PaperSource = 'bundled' | 'user' | 'online';

/** One paper as every feature sees it: normalised, keyed, ready to display. */
export interface Paper {
  /** Position in the library; also the MiniSearch document id. */
  readonly id: number;
  /** Citation key, e.g. `laborieux2023improving`. */
  readonly key: string;
  readonly title: string;
  /** Full names in publication order ("Axel Laborieux"). May be empty. */
  readonly authors: readonly string[];
  readonly year?: number;
  readonly venue?: string;
  /** arXiv identifier without prefix or version, e.g. `2309.02214`. */
  readonly arxiv?: string;
  readonly doi?: string;
  readonly url?: string;
  readonly abstract: string;
  readonly source: PaperSource;
  /** True when the metadata was matched with low confidence. */
  readonly lowConfidence?: boolean;
  /** Other keys that name this paper (a bundled paper's key when the user's .bib has it too). */
  readonly aliases?: readonly string[];
  /** How the abstract is indexed: whole (default), or by its keywords in large libraries. */
  readonly abstractIndex?: 'keywords';
  /** Publication month (1–12), written as BibTeX's month macro. */
  readonly month?: number;
  /** BibTeX entry type the metadata implies (`article`, `inproceedings`, …); else chosen by venue. */
  readonly entryType?: string;
  readonly volume?: string;
  readonly number?: string;
  readonly pages?: string;
  readonly publisher?: string;
  /** For a paper found online: which service found it. */
  readonly provider?: string;
  /** For the user's entries: the entry that speaks for the paper (the first of `origins`). */
  readonly origin?: PaperOrigin;
  /** Every .bib entry of this paper, in file order: one paper may have several keys in several files. */
  readonly origins?: readonly PaperOrigin[];
}

/** Where a user's entry came from. */
export interface PaperOrigin {
  /** URI (as a string) of the .bib file. */
  readonly file: string;
  /** 1-based line of the entry's `@`. */
  readonly line: number;
  /** The entry's key in that file. */
  readonly key?: string;
  /** The entry as written in the file, for the detail pane and for copying. */
  readonly bibtex: string;
  /** The id of the bundled paper this entry was merged with, if any. */
  readonly bundledId?: number;
}

/** A record of the bundled corpus as stored in resources/papers.json. */
export interface CorpusRecord {
  title: string;
  abstract: string;
  authors: string[];
  year: number;
  arxiv: string | null;
  venue: string | null;
  url: string | null;
  metadataSource?: string | null;
  metadataConfidence?: 'high' | 'low';
}
