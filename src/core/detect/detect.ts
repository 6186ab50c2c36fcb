// Finds what a document says about papers: citation keys (LaTeX and Pandoc), arXiv
// identifiers and whole titles in prose. One pass per kind over a masked copy of the
// text (comments and code blanked out, offsets kept), so the work is linear in size.
import { ALL_KEYS, citeCommand } from '../cite/citeCommands';
import { citationGroupStart, insideLinkText, isCrossRefLabel, PANDOC_CITATION } from '../cite/pandocCitation';
import { ARXIV_ID, ARXIV_NEW_ID, normalizeDoi, OLD_ARXIV_ARCHIVES } from '../library/identifiers';
import { maskDocument, type DocumentKind } from './mask';
import type { TitleMatcher } from './titleMatcher';

export { maskDocument, type DocumentKind };

export interface CitationMention {
  readonly kind: 'citation';
  readonly key: string;
  readonly start: number;
  readonly end: number;
  readonly syntax: 'latex' | 'pandoc';
  /** Pandoc: written inside [brackets] (a bare @word in prose may be a handle, not a citation). */
  readonly bracketed: boolean;
}

export interface ArxivMention {
  readonly kind: 'arxiv';
  /** Bare id without version: `2309.02214`, `math/0601001`. */
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

export interface DoiMention {
  readonly kind: 'doi';
  /** The DOI, normalised (lower case, no resolver prefix). */
  readonly id: string;
  readonly start: number;
  readonly end: number;
}

export interface TitleMention {
  readonly kind: 'title';
  /** Id of the paper whose title this is. */
  readonly paperId: number;
  readonly start: number;
  readonly end: number;
}

export type Mention = CitationMention | ArxivMention | DoiMention | TitleMention;

export interface ScanOptions {
  /** Detect titles with this matcher; titles are skipped without one. */
  readonly titles?: TitleMatcher;
  /** The user's own LaTeX citation commands (setting `paperscope.citation.commands`). */
  readonly citeCommands?: ReadonlySet<string>;
}

/** Longest key group we read; an unclosed brace stops here instead of running on. */
const MAX_GROUP = 4000;
const LATEX_COMMAND = /\\([A-Za-z]+)\*?/g;

/**
 * LaTeX citation keys: `\cite[pre][post]{a, b}`, `\citep*`, `\cites{a}{b}`,
 * `\volcite{vol}{key}`, groups across lines; only the commands of the one table
 * (citeCommands.ts) and the user's own. `\nocite{*}` cites everything: `*` is no key.
 */
export function findLatexCitations(masked: string, extra?: ReadonlySet<string>): CitationMention[] {
  const out: CitationMention[] = [];
  LATEX_COMMAND.lastIndex = 0;
  for (let m = LATEX_COMMAND.exec(masked); m; m = LATEX_COMMAND.exec(masked)) {
    const command = citeCommand(m[1], extra);
    if (!command) {
      continue;
    }
    let i = m.index + m[0].length;
    const skipOptional = (): void => {
      // Optional arguments: [..] at most twice before a group.
      for (let opt = 0; opt < 2; opt++) {
        const j = skipBlanks(masked, i);
        if (masked[j] !== '[') {
          return;
        }
        const close = masked.indexOf(']', j);
        if (close < 0 || close - j > MAX_GROUP) {
          return;
        }
        i = close + 1;
      }
    };
    for (let group = 0; ; group++) {
      skipOptional();
      const j = skipBlanks(masked, i);
      if (masked[j] !== '{') {
        break;
      }
      const close = masked.indexOf('}', j);
      const nested = masked.indexOf('{', j + 1);
      if (close < 0 || close - j > MAX_GROUP || (nested >= 0 && nested < close)) {
        break;
      }
      i = close + 1;
      LATEX_COMMAND.lastIndex = i;
      if (command.keysArg === 2 && group % 2 === 0) {
        continue; // \volcite{volume}[page]{key}: the first group is not keys
      }
      let keyStart = j + 1;
      for (let k = j + 1; k <= close; k++) {
        if (k === close || masked[k] === ',') {
          const raw = masked.slice(keyStart, k);
          const key = raw.trim();
          if (key && key !== ALL_KEYS) {
            const start = keyStart + raw.indexOf(key);
            out.push({ kind: 'citation', key, start, end: start + key.length, syntax: 'latex', bracketed: true });
          }
          keyStart = k + 1;
        }
      }
      if (!command.multi) {
        break;
      }
    }
  }
  return out;
}

function skipBlanks(text: string, i: number): number {
  let j = i;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) {
    j++;
  }
  return j;
}

/**
 * Pandoc citation keys (pandocCitation.ts): `@key`, `[@key]`, `[-@key]`, `[see @a, p. 3; @b]`,
 * `@{odd key}`. Cross-reference labels and e-mail addresses are not citations.
 */
export function findPandocCitations(masked: string): CitationMention[] {
  const out: CitationMention[] = [];
  PANDOC_CITATION.lastIndex = 0;
  for (let m = PANDOC_CITATION.exec(masked); m; m = PANDOC_CITATION.exec(masked)) {
    const key = m[2] ?? m[3];
    const at = m.index + m[1].length;
    if ((m[3] !== undefined && isCrossRefLabel(key)) || insideLinkText(masked, at)) {
      continue;
    }
    const keyStart = m.index + m[0].length - key.length - (m[2] !== undefined ? 1 : 0);
    out.push({
      kind: 'citation',
      key,
      start: keyStart,
      end: keyStart + key.length,
      syntax: 'pandoc',
      bracketed: citationGroupStart(masked, at) !== undefined,
    });
  }
  return out;
}

const ARXIV_PATTERNS: RegExp[] = [
  new RegExp(String.raw`arxiv\.org/(?:abs|pdf|html|format)/(${ARXIV_ID})(?:v\d+)?(?:\.pdf)?`, 'gi'),
  new RegExp(String.raw`\barxiv(?:\s*:\s*|\s+(?:id\s*:?\s*)?)(${ARXIV_ID})(?:v\d+)?\b`, 'gi'),
  // Bare ids only where their shape says so: a version suffix, or a known old archive.
  new RegExp(String.raw`(?<![\w./])(${ARXIV_NEW_ID})v\d+\b`, 'g'),
];
/** Bare old-style ids: found by their `/ddddddd` (cheap), then checked for a known archive before it. */
const OLD_STYLE_TAIL = /\/\d{7}(?:v\d+)?\b/g;
const OLD_STYLE_HEAD = new RegExp(String.raw`(?<![\w./-])(?:${OLD_ARXIV_ARCHIVES.join('|')})(?:\.[A-Z]{2})?$`);

/** arXiv identifiers in links, after an `arXiv:` prefix, or bare where unmistakable. */
export function findArxivIds(masked: string): ArxivMention[] {
  const found: ArxivMention[] = [];
  for (const re of ARXIV_PATTERNS) {
    re.lastIndex = 0;
    for (let m = re.exec(masked); m; m = re.exec(masked)) {
      found.push({ kind: 'arxiv', id: m[1], start: m.index, end: m.index + m[0].length });
    }
  }
  OLD_STYLE_TAIL.lastIndex = 0;
  for (let m = OLD_STYLE_TAIL.exec(masked); m; m = OLD_STYLE_TAIL.exec(masked)) {
    const before = masked.slice(Math.max(0, m.index - 16), m.index);
    const head = OLD_STYLE_HEAD.exec(before);
    if (head) {
      const start = m.index - head[0].length;
      const digits = m[0].replace(/v\d+$/, '');
      found.push({ kind: 'arxiv', id: `${head[0]}${digits}`, start, end: m.index + m[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const out: ArxivMention[] = [];
  for (const f of found) {
    const prev = out[out.length - 1];
    if (!prev || f.start >= prev.end) {
      out.push(f);
    }
  }
  return out;
}

/** DOIs: `doi:10.…`, doi.org links, and bare `10.NNNN/…` (trailing punctuation left out). */
const DOI_PATTERN = /(?:\bdoi\s*:\s*|\bhttps?:\/\/(?:dx\.)?doi\.org\/|(?<![\w./-]))(10\.\d{4,9}\/[^\s"'<>{}\\]+)/gi;

/** A DOI's end as written in prose: sentence punctuation and a closing bracket that is not its own left out. */
function trimDoiEnd(raw: string): string {
  let end = raw.length;
  for (;;) {
    const c = raw[end - 1];
    if (c === '.' || c === ',' || c === ';' || c === ':' || c === ']') {
      end--;
    } else if (c === ')' && count(raw, '(', end) < count(raw, ')', end)) {
      end--; // "(see 10.1000/xyz)"; but 10.1016/0021-9991(86)90093-8 keeps its own
    } else {
      return raw.slice(0, end);
    }
  }
}

function count(text: string, char: string, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) {
    if (text[i] === char) {
      n++;
    }
  }
  return n;
}

export function findDois(masked: string): DoiMention[] {
  const out: DoiMention[] = [];
  DOI_PATTERN.lastIndex = 0;
  for (let m = DOI_PATTERN.exec(masked); m; m = DOI_PATTERN.exec(masked)) {
    const raw = trimDoiEnd(m[1]);
    const id = normalizeDoi(raw);
    // arXiv's own DOIs are arXiv ids, found as such.
    if (id && !/^10\.48550\//.test(id)) {
      const start = m.index + m[0].length - m[1].length;
      out.push({ kind: 'doi', id, start: m.index, end: start + raw.length });
    }
  }
  return out;
}

/** Every mention in a document, in order of position. */
export function scanDocument(text: string, kind: DocumentKind, options: ScanOptions = {}): Mention[] {
  const masked = maskDocument(text, kind);
  const citations = kind === 'latex' ? findLatexCitations(masked, options.citeCommands) : findPandocCitations(masked);
  const arxiv = findArxivIds(masked);
  const dois = findDois(masked).filter((d) => !arxiv.some((a) => a.start < d.end && d.start < a.end));
  const mentions: Mention[] = dropOverlaps([...citations, ...arxiv, ...dois].sort((a, b) => a.start - b.start || b.end - a.end));
  if (!options.titles) {
    return mentions;
  }
  // Titles never overlap a key or an id; both lists are in order, so one merge pass.
  const titles: Mention[] = [];
  let j = 0;
  for (const t of options.titles.find(masked)) {
    while (j < mentions.length && mentions[j].end <= t.start) {
      j++;
    }
    if (j >= mentions.length || mentions[j].start >= t.end) {
      titles.push({ kind: 'title', paperId: t.id, start: t.start, end: t.end });
    }
  }
  return mergeByStart(mentions, titles);
}

/** Mentions in order with none inside another (a DOI inside a citation key is the key). */
function dropOverlaps(sorted: Mention[]): Mention[] {
  const out: Mention[] = [];
  for (const m of sorted) {
    const prev = out[out.length - 1];
    if (!prev || m.start >= prev.end) {
      out.push(m);
    }
  }
  return out;
}

function mergeByStart(a: Mention[], b: Mention[]): Mention[] {
  const out: Mention[] = [];
  let i = 0;
  let k = 0;
  while (i < a.length || k < b.length) {
    if (k >= b.length || (i < a.length && a[i].start <= b[k].start)) {
      out.push(a[i++]);
    } else {
      out.push(b[k++]);
    }
  }
  return out;
}

/**
 * Whether a citation mention is surely a citation: LaTeX, or a Pandoc `@key` inside
 * brackets. A bare `@word` in Markdown prose may be a handle: it is a citation only when
 * the library knows the key, so nothing calls it unknown.
 */
export function isSurelyCitation(m: CitationMention): boolean {
  return m.syntax === 'latex' || m.bracketed;
}

/** The mention covering an offset (inclusive of its end, so a cursor just after a key counts). */
export function mentionAt(mentions: readonly Mention[], offset: number): Mention | undefined {
  let lo = 0;
  let hi = mentions.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const m = mentions[mid];
    if (offset < m.start) {
      hi = mid - 1;
    } else if (offset > m.end) {
      lo = mid + 1;
    } else {
      return m;
    }
  }
  return undefined;
}
