// A file's text held as pieces instead of one string. Making one flat 32 MB string (a
// 20,000-entry .bib) held the extension host 220–290 ms on this machine, most of it the
// page faults of one fresh allocation; pieces of half a megabyte cost a few ms each, and
// an edit can keep the pieces it did not touch (reparse.ts).

/** What readers of a text use of it: a string is one, and so are pieces. */
export interface TextLike {
  readonly length: number;
  charCodeAt(offset: number): number;
  /** `search` of one character (the pieces look for nothing longer). */
  indexOf(search: string, from?: number): number;
  slice(start: number, end?: number): string;
}

/** A text as the concatenation of its pieces; offsets run across them. */
export class PiecedText implements TextLike {
  readonly length: number;
  /** Where each piece starts. */
  private readonly starts: number[] = [];

  constructor(readonly pieces: readonly string[]) {
    let at = 0;
    for (const p of pieces) {
      this.starts.push(at);
      at += p.length;
    }
    this.length = at;
  }

  /** The index of the piece holding `offset` (the last piece for the end of the text). */
  pieceAt(offset: number): number {
    let lo = 0;
    let hi = this.pieces.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo;
  }

  /** Where piece `i` starts (the text's length past the last). */
  startOf(i: number): number {
    return i < this.pieces.length ? this.starts[i] : this.length;
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) {
      return NaN;
    }
    const i = this.pieceAt(offset);
    return this.pieces[i].charCodeAt(offset - this.starts[i]);
  }

  indexOf(search: string, from = 0): number {
    if (search.length !== 1) {
      throw new Error('PiecedText.indexOf looks for one character');
    }
    for (let i = this.pieceAt(Math.max(0, from)); i < this.pieces.length; i++) {
      const k = this.pieces[i].indexOf(search, Math.max(0, from - this.starts[i]));
      if (k >= 0) {
        return this.starts[i] + k;
      }
    }
    return -1;
  }

  /**
   * The text from `start` to `end`: within one piece a slice of it (V8 makes that a view,
   * no copy), across pieces their parts joined.
   */
  slice(start: number, end = this.length): string {
    const from = Math.max(0, Math.min(this.length, start < 0 ? this.length + start : start));
    const to = Math.max(from, Math.min(this.length, end < 0 ? this.length + end : end));
    if (from === to) {
      return '';
    }
    const first = this.pieceAt(from);
    const last = this.pieceAt(to - 1);
    if (first === last) {
      return this.pieces[first].slice(from - this.starts[first], to - this.starts[first]);
    }
    const parts = [this.pieces[first].slice(from - this.starts[first])];
    for (let i = first + 1; i < last; i++) {
      parts.push(this.pieces[i]);
    }
    parts.push(this.pieces[last].slice(0, to - this.starts[last]));
    return parts.join('');
  }

  /**
   * The pieces that make up `start`–`end`: whole pieces as they are, the two ends cut
   * (views of their pieces), none copied.
   */
  piecesOf(start: number, end: number): string[] {
    start = Math.max(0, start);
    end = Math.min(this.length, end);
    if (start >= end) {
      return [];
    }
    const first = this.pieceAt(start);
    const last = this.pieceAt(end - 1);
    const out: string[] = [];
    for (let i = first; i <= last; i++) {
      const s = this.starts[i];
      const p = this.pieces[i];
      out.push(start <= s && end >= s + p.length ? p : p.slice(Math.max(0, start - s), Math.min(p.length, end - s)));
    }
    return out;
  }
}
