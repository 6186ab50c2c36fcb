// Blanks out what cannot hold a mention of a paper, keeping every offset (and line
// break), so detection reads only prose. Both maskers are single left-to-right passes:
// an unclosed block costs one search to the end of the text, never one per block.

/** The two document families Paperscope reads. */
export type DocumentKind = 'latex' | 'markdown';

/** Blanks out what cannot hold a mention, keeping every offset. */
export function maskDocument(text: string, kind: DocumentKind): string {
  return kind === 'latex' ? maskLatex(text) : maskMarkdown(text);
}

/** Builds the masked copy from the spans to blank (not overlapping, in any order). */
class Masker {
  private readonly spans: [number, number][] = [];

  constructor(private readonly text: string) {}

  blank(start: number, end: number): void {
    if (end > start) {
      this.spans.push([start, end]);
    }
  }

  result(): string {
    if (this.spans.length === 0) {
      return this.text;
    }
    this.spans.sort((a, b) => a[0] - b[0]);
    const parts: string[] = [];
    let copied = 0;
    for (const [start, end] of this.spans) {
      parts.push(this.text.slice(copied, start), this.text.slice(start, end).replace(/[^\n\r]/g, ' '));
      copied = end;
    }
    parts.push(this.text.slice(copied));
    return parts.join('');
  }
}

/** Environments whose content LaTeX reads verbatim (or not at all). */
const VERBATIM_ENVS = new Set([
  'verbatim', 'verbatim*', 'Verbatim', 'Verbatim*', 'BVerbatim', 'LVerbatim', 'lstlisting', 'minted', 'comment',
  'filecontents', 'filecontents*', 'spverbatim', 'alltt', 'codebox', 'tcblisting', 'pycode', 'sageblock',
]);
/** Inline verbatim commands: `\verb|x|`, `\lstinline{x}`, `\mintinline{py}{x}`. */
const INLINE_VERBATIM = /\\(verb\*?|lstinline|mintinline)(?![A-Za-z])/y;
/** What maskLatex stops at: a comment or a control sequence; prose in between is skipped in one search. */
const LATEX_STOP = /[\\%]/g;

function lineEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      return i;
    }
  }
  return text.length;
}

/**
 * LaTeX: `%` comments (a `%` after an odd number of backslashes is a literal percent;
 * `\\%` is a line break followed by a comment), verbatim-like environments and inline
 * verbatim. An unclosed environment runs to the end of the text, as in LaTeX.
 */
export function maskLatex(text: string): string {
  const m = new Masker(text);
  const n = text.length;
  /** Environment names known to have no `\end{…}` after some offset (so an unclosed one is searched once). */
  const noEndAfter = new Map<string, number>();
  let i = 0;
  while (i < n) {
    LATEX_STOP.lastIndex = i;
    if (!LATEX_STOP.test(text)) {
      break;
    }
    i = LATEX_STOP.lastIndex - 1;
    if (text.charCodeAt(i) === 37 /* % */) {
      const end = lineEnd(text, i);
      m.blank(i, end);
      i = end;
      continue;
    }
    if (text.startsWith('\\begin{', i)) {
      const close = text.indexOf('}', i + 7);
      const env = close > 0 && close - i < 40 ? text.slice(i + 7, close) : '';
      if (VERBATIM_ENVS.has(env)) {
        const endTag = `\\end{${env}}`;
        const known = noEndAfter.get(env);
        const at = known !== undefined && known <= close ? -1 : text.indexOf(endTag, close + 1);
        if (at < 0) {
          noEndAfter.set(env, close);
        }
        const end = at < 0 ? n : at + endTag.length;
        m.blank(i, end);
        i = end;
        continue;
      }
    }
    INLINE_VERBATIM.lastIndex = i;
    const inline = INLINE_VERBATIM.exec(text);
    if (inline) {
      let j = i + inline[0].length;
      if (inline[1] === 'mintinline' && text[j] === '{') {
        const close = text.indexOf('}', j);
        j = close < 0 ? j : close + 1;
      }
      const delimiter = text[j];
      if (delimiter !== undefined && !/[\s\w]/.test(delimiter)) {
        const closer = delimiter === '{' ? '}' : delimiter;
        const stop = lineEnd(text, j + 1);
        const close = text.indexOf(closer, j + 1);
        const end = close >= 0 && close < stop ? close + 1 : stop;
        m.blank(i, end);
        i = end;
        continue;
      }
    }
    // Any other control sequence: `\\` and `\%` are two characters, never a comment start.
    i += 2;
  }
  return m.result();
}

interface Line {
  readonly start: number;
  /** Offset of the line break (or the end of the text). */
  readonly end: number;
}

function linesOf(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  for (let i = 0; i <= text.length; i++) {
    const c = i < text.length ? text.charCodeAt(i) : -1;
    if (c === 10 || c === 13 || c === -1) {
      lines.push({ start, end: i });
      if (c === 13 && text.charCodeAt(i + 1) === 10) {
        i++;
      }
      start = i + 1;
    }
  }
  return lines;
}

const FENCE_OPEN = /^[ \t]*(`{3,}|~{3,})(.*)$/;
const LIST_ITEM = /^\s*(?:[-*+]|\d{1,9}[.)])\s/;

/**
 * Markdown (Pandoc, Quarto, R Markdown): YAML front matter (but its `bibliography:`
 * key), fenced code blocks (``` and ~~~, any length of three or more, with info
 * strings; unclosed ones run to the end), indented code blocks, inline code spans and
 * HTML comments.
 */
export function maskMarkdown(text: string): string {
  const m = new Masker(text);
  const lines = linesOf(text);
  const line = (k: number) => text.slice(lines[k].start, lines[k].end);
  const blankLine = (k: number) => /^\s*$/.test(line(k));
  /** Spans of text left for the inline pass (code spans, comments), in order. */
  const prose: [number, number][] = [];
  let k = 0;
  // YAML front matter at the very start: every key but `bibliography:` (and its list) is blanked.
  if (lines.length > 1 && /^(\uFEFF)?---[ \t]*$/.test(line(0))) {
    let close = -1;
    for (let j = 1; j < lines.length; j++) {
      if (/^(---|\.\.\.)[ \t]*$/.test(line(j))) {
        close = j;
        break;
      }
    }
    if (close > 0) {
      let keep = false;
      for (let j = 0; j <= close; j++) {
        const l = line(j);
        if (/^\S/.test(l)) {
          keep = /^bibliography\s*:/.test(l);
        }
        if (!keep || j === 0 || j === close) {
          m.blank(lines[j].start, lines[j].end);
        }
      }
      k = close + 1;
    }
  }
  let proseStart = k < lines.length ? lines[k].start : text.length;
  let inList = false;
  let previousBlank = true;
  while (k < lines.length) {
    const l = line(k);
    const fence = FENCE_OPEN.exec(l);
    if (fence && !(fence[1][0] === '`' && fence[2].includes('`'))) {
      const char = fence[1][0];
      const length = fence[1].length;
      let close = lines.length - 1;
      for (let j = k + 1; j < lines.length; j++) {
        const cl = /^[ \t]*(`{3,}|~{3,})[ \t]*$/.exec(line(j));
        if (cl && cl[1][0] === char && cl[1].length >= length) {
          close = j;
          break;
        }
      }
      prose.push([proseStart, lines[k].start]);
      m.blank(lines[k].start, lines[close].end);
      k = close + 1;
      proseStart = k < lines.length ? lines[k].start : text.length;
      previousBlank = false;
      continue;
    }
    if (blankLine(k)) {
      previousBlank = true;
      k++;
      continue;
    }
    if (LIST_ITEM.test(l)) {
      inList = true;
    } else if (/^\S/.test(l)) {
      inList = false;
    }
    if (previousBlank && !inList && /^(?: {4}|\t)/.test(l)) {
      // An indented code block: this line and the following indented or blank lines.
      let last = k;
      for (let j = k + 1; j < lines.length; j++) {
        if (/^(?: {4}|\t)/.test(line(j))) {
          last = j;
        } else if (!blankLine(j)) {
          break;
        }
      }
      prose.push([proseStart, lines[k].start]);
      m.blank(lines[k].start, lines[last].end);
      k = last + 1;
      proseStart = k < lines.length ? lines[k].start : text.length;
      previousBlank = false;
      continue;
    }
    previousBlank = false;
    k++;
  }
  prose.push([proseStart, text.length]);
  for (const [start, end] of prose) {
    maskInline(text, start, end, m);
  }
  return m.result();
}

/** Code spans and HTML comments within [from, to): leftmost first, as CommonMark reads them. */
function maskInline(text: string, from: number, to: number, m: Masker): void {
  // Backtick runs, and for each the next run of the same length (its closer).
  const runs: { start: number; end: number }[] = [];
  for (let i = from; i < to; i++) {
    if (text.charCodeAt(i) === 96) {
      let j = i;
      while (j < to && text.charCodeAt(j) === 96) {
        j++;
      }
      runs.push({ start: i, end: j });
      i = j - 1;
    }
  }
  const nextSame = new Int32Array(runs.length).fill(-1);
  const lastOfLength = new Map<number, number>();
  for (let r = runs.length - 1; r >= 0; r--) {
    const len = runs[r].end - runs[r].start;
    nextSame[r] = lastOfLength.get(len) ?? -1;
    lastOfLength.set(len, r);
  }
  // Blank lines (paragraph breaks) that a code span cannot cross.
  const breaks: number[] = [];
  const paragraph = /\n[ \t]*\r?\n/g;
  paragraph.lastIndex = from;
  for (let b = paragraph.exec(text); b && b.index < to; b = paragraph.exec(text)) {
    breaks.push(b.index);
    paragraph.lastIndex = b.index + 1;
  }
  const breaksBefore = (pos: number): number => {
    let lo = 0;
    let hi = breaks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (breaks[mid] < pos) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  };
  let r = 0;
  let i = from;
  let comment = -1;
  while (i < to) {
    if (comment < i && comment !== to) {
      // Searched again only once passed: the whole pass stays linear.
      const found = text.indexOf('<!--', i);
      comment = found >= 0 && found < to ? found : to;
    }
    const commentAt = comment;
    while (r < runs.length && runs[r].start < i) {
      r++;
    }
    const runAt = r < runs.length ? runs[r].start : to;
    if (commentAt >= to && runAt >= to) {
      return;
    }
    if (commentAt < runAt) {
      const close = text.indexOf('-->', commentAt + 4);
      const end = close < 0 || close >= to ? to : close + 3;
      m.blank(commentAt, end);
      i = end;
      continue;
    }
    const closer = nextSame[r];
    if (closer >= 0 && breaksBefore(runs[closer].start) === breaksBefore(runs[r].end)) {
      m.blank(runs[r].start, runs[closer].end);
      i = runs[closer].end;
    } else {
      i = runs[r].end;
    }
  }
}
