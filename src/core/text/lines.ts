// Line starts of a text and positions from offsets, as VS Code counts them: `\r\n`, a
// lone `\r` (old Mac files) and `\n` each end a line. One pass to build, a binary
// search per position: positions of thousands of diagnostics cost no rescans.

/** Offsets where lines start; the first is 0. */
export type LineStarts = Int32Array;

/**
 * Line starts found as far as they are needed: a parser that walks a file forward asks
 * for positions in order, so a 160 MB .bib is scanned a piece at a time, between the
 * parser's pauses, instead of in one go before it starts. Line breaks are found with
 * `indexOf`, which V8 runs as a native scan (a character loop took ~100 ms per 32 MB).
 */
export class LineScanner {
  private starts = new Int32Array(64);
  private count = 1; // starts[0] = 0
  /** Offset up to which every line start is known. */
  private scanned = 0;
  private lf: number;
  private cr: number;

  constructor(private readonly text: string) {
    this.lf = text.indexOf('\n');
    this.cr = text.indexOf('\r');
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
    while (this.scanned <= offset && (this.lf !== -1 || this.cr !== -1)) {
      let next: number;
      if (this.cr !== -1 && (this.lf === -1 || this.cr < this.lf)) {
        // `\r\n` ends one line, a lone `\r` too.
        next = text.charCodeAt(this.cr + 1) === 10 ? this.cr + 2 : this.cr + 1;
        if (next === this.cr + 2) {
          this.lf = text.indexOf('\n', next);
        }
        this.cr = text.indexOf('\r', next);
      } else {
        next = this.lf + 1;
        this.lf = text.indexOf('\n', next);
      }
      this.push(next);
      this.scanned = next;
    }
    if (this.lf === -1 && this.cr === -1) {
      this.scanned = Infinity;
    }
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
