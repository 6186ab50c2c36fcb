// Line starts of a text and positions from offsets, as VS Code counts them: `\r\n`, a
// lone `\r` (old Mac files) and `\n` each end a line. One pass to build, a binary
// search per position: positions of thousands of diagnostics cost no rescans.

/** Offsets where lines start; the first is 0. */
export type LineStarts = Int32Array;

/**
 * The start offset of every line of `text`. Line breaks are found with `indexOf`, which
 * V8 runs as a native scan: a 32 MB .bib takes a few milliseconds instead of the
 * ~100 ms (one block of the extension host) a character loop took.
 */
export function lineStartsOf(text: string): LineStarts {
  let starts = new Int32Array(Math.max(16, text.length >> 5));
  let count = 0;
  const push = (offset: number): void => {
    if (count === starts.length) {
      const grown = new Int32Array(starts.length * 2);
      grown.set(starts);
      starts = grown;
    }
    starts[count++] = offset;
  };
  push(0);
  let lf = text.indexOf('\n');
  let cr = text.indexOf('\r');
  while (lf !== -1 || cr !== -1) {
    if (cr !== -1 && (lf === -1 || cr < lf)) {
      // `\r\n` ends one line, a lone `\r` too.
      const next = text.charCodeAt(cr + 1) === 10 ? cr + 2 : cr + 1;
      push(next);
      if (next === cr + 2) {
        lf = text.indexOf('\n', next);
      }
      cr = text.indexOf('\r', next);
    } else {
      push(lf + 1);
      lf = text.indexOf('\n', lf + 1);
    }
  }
  return starts.slice(0, count);
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
