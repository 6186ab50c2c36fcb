// Line starts of a text and positions from offsets, as VS Code counts them: `\r\n`, a
// lone `\r` (old Mac files) and `\n` each end a line. One pass to build, a binary
// search per position: positions of thousands of diagnostics cost no rescans.
import type { TextLike } from './pieces';

/** Offsets where lines start; the first is 0. */
export type LineStarts = Int32Array;

/** How far ahead a `\r` is looked for at a time. */
const CR_WINDOW = 1 << 16;

/**
 * Line starts found as far as they are needed: a parser that walks a file forward asks
 * for positions in order, so a 160 MB .bib is scanned a piece at a time, between the
 * parser's pauses, instead of in one go before it starts. Line breaks are found with
 * `indexOf`, which V8 runs as a native scan (a character loop took ~100 ms per 32 MB);
 * a `\r` is looked for a window at a time, up to the next `\n` at least (looking for it
 * in the whole file at once was a full scan of a file that has none).
 */
export class LineScanner {
  private starts = new Int32Array(64);
  private count = 1; // starts[0] = 0
  /** Offset up to which every line start is known. */
  private scanned = 0;
  /** The next `\n` at or after `scanned` (-1: none left; -2: not looked for yet). */
  private lf = -2;
  /** The first `\r` found ahead, and how far the text has been searched for one. */
  private cr = -1;
  private crSearched = 0;

  /** `known`: line starts of this text already found, every one up to the last of them. */
  constructor(
    private readonly text: TextLike,
    known?: LineStarts,
  ) {
    if (known && known.length > 0) {
      this.starts = new Int32Array(Math.max(64, known.length * 2));
      this.starts.set(known);
      this.count = known.length;
      this.scanned = known[known.length - 1];
    }
  }

  /** Every line start up to `offset` (a copy). */
  upTo(offset: number): LineStarts {
    this.scanTo(offset);
    let n = this.count;
    while (n > 1 && this.starts[n - 1] > offset) {
      n--;
    }
    return this.starts.slice(0, n);
  }

  /** 0-based line and character of an offset. */
  position(offset: number): { line: number; character: number } {
    this.scanTo(offset);
    return positionIn(this.starts.subarray(0, this.count), offset);
  }

  /** Every line start of the text. */
  finish(): LineStarts {
    this.scanTo(this.text.length);
    return this.starts.slice(0, this.count);
  }

  /** Finds line starts until one lies beyond `offset` (or the text ends). */
  private scanTo(offset: number): void {
    const { text } = this;
    while (this.scanned <= offset) {
      if (this.lf !== -1 && this.lf < this.scanned) {
        this.lf = text.indexOf('\n', this.scanned);
      }
      const cr = this.crBefore(this.lf === -1 ? text.length : this.lf);
      let next: number;
      if (cr !== -1) {
        // `\r\n` ends one line, a lone `\r` too.
        next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      } else if (this.lf !== -1) {
        next = this.lf + 1;
      } else {
        this.scanned = Infinity;
        return;
      }
      this.push(next);
      this.scanned = next;
    }
  }

  /** The first `\r` at or after `scanned` and before `limit`, or -1. */
  private crBefore(limit: number): number {
    if (this.cr >= this.scanned) {
      return this.cr < limit ? this.cr : -1;
    }
    while (this.crSearched < limit) {
      const start = Math.max(this.scanned, this.crSearched);
      const end = Math.min(this.text.length, Math.max(limit, start + CR_WINDOW));
      const k = this.text.slice(start, end).indexOf('\r');
      if (k >= 0) {
        this.cr = start + k;
        this.crSearched = this.cr + 1;
        return this.cr < limit ? this.cr : -1;
      }
      this.crSearched = end;
    }
    return -1;
  }

  private push(offset: number): void {
    if (this.count === this.starts.length) {
      const grown = new Int32Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.starts[this.count++] = offset;
  }
}

/** The start offset of every line of `text`. */
export function lineStartsOf(text: string): LineStarts {
  return new LineScanner(text).finish();
}

/** 0-based line and character of an offset. */
export function positionIn(lineStarts: LineStarts, offset: number): { line: number; character: number } {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (lineStarts[mid] <= offset) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return { line: lo, character: offset - lineStarts[lo] };
}
