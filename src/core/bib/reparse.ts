// Re-parsing an edited .bib where it changed. Saving one entry of a 100,000-entry file
// parsed the whole file again (6.5 s on the extension host, most of its garbage). Here
// the old and new texts are compared from both ends; the parse restarts at an entry of
// the old parse before the first changed character, and stops at the first item that
// starts where an entry of the old parse started, shifted, in the unchanged end: from
// there on, the same text read in the same state gives the same entries, shifted.
//
// The state a parse carries from item to item is what this relies on: the macros
// (`@string`s before the restart, none after it), the file's budget for expanding them,
// and crossrefs, resolved over the whole file when it ends. A file where those could
// differ is parsed whole. The parse restarts at an entry that the items before it did not
// read past the change to decide: an item may read past its end (is the `@word{` on the
// next line a new entry? where does an unclosed brace end?), and the parse notes how far.
// A unit test holds the result to a full parse over thousands of random edits of real files.
import { detached } from '../text/decode';
import { LOOKAHEAD, movedMessage, parseBibtexInSlices, Parser, type SliceTuning, type BibEntry, type ValuePart, type BibError, type BibParseResult, MAX_EXPANSION_CHARS } from './parser';
import { positionIn, type LineStarts } from '../text/lines';
import { PiecedText, type TextLike } from '../text/pieces';
import { SLICE_MS, ticker } from '../text/slices';

/** A margin before the change for the restart, beyond what the parser noted it read. */
const MARGIN = 80;
/** Line starts moved at a time after the edit. */
const LINES_PER_STEP = 1 << 15;
/** Characters compared at a time while looking for the edit. */
const CHUNK = 1 << 14;

/** The length of the common start of `a` and `b`, compared a chunk at a time. */
async function commonPrefix(a: TextLike, b: TextLike, tick: () => Promise<void>): Promise<number> {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + CHUNK <= n && a.slice(i, i + CHUNK) === b.slice(i, i + CHUNK)) {
    i += CHUNK;
    await tick();
  }
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) {
    i++;
  }
  return i;
}

/** The length of the common end of `a` and `b`, at most `max`. */
async function commonSuffix(a: TextLike, b: TextLike, max: number, tick: () => Promise<void>): Promise<number> {
  let i = 0;
  while (i + CHUNK <= max && a.slice(a.length - i - CHUNK, a.length - i) === b.slice(b.length - i - CHUNK, b.length - i)) {
    i += CHUNK;
    await tick();
  }
  while (i < max && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) {
    i++;
  }
  return i;
}

/** The last index whose value is at most `offset` (-1: none), in ascending values. */
function lastAtMost(count: number, value: (i: number) => number, offset: number): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (value(mid) <= offset) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo - 1;
}

/**
 * The parse of `text`, the new content of a file whose content `before` parsed to
 * `previous`: the same result as `parseBibtexInSlices(text)`, re-parsing only the
 * entries around the edit when the file allows it (else all of it). Entries before the
 * edit are `previous`'s own objects; entries after it are theirs, moved. For a text in
 * pieces, the result's text is `before`'s pieces where nothing changed and a copy of the
 * part read again: a save keeps no second text.
 */
export async function reparseBibtexInSlices(
  before: TextLike,
  previous: BibParseResult,
  text: string | PiecedText,
  pause: () => Promise<void>,
  tuning: SliceTuning = {},
): Promise<BibParseResult> {
  const { itemsPerCheck = 16, sliceMs = SLICE_MS, lookahead = LOOKAHEAD } = tuning;
  const whole = () => parseBibtexInSlices(text, pause, tuning);
  const state = previous.state;
  if (!state || state.crossrefs > 0 || state.expanded > MAX_EXPANSION_CHARS / 4) {
    return whole();
  }
  const tick = ticker(pause, sliceMs, 1);
  const changedFrom = await commonPrefix(before, text, tick);
  if (changedFrom === before.length && changedFrom === text.length) {
    return previous;
  }
  const old = previous.entries;
  const startOf = (i: number) => old[i].start;
  // The last entry before which nothing read as far as the change.
  const first = Math.min(
    lastAtMost(old.length, startOf, changedFrom - MARGIN),
    lastAtMost(old.length, (i) => state.readBefore[i], changedFrom - MARGIN),
  );
  // Before the first entry when the edit is in it (a file without @strings: they are read again else).
  const from = first >= 0 ? old[first].start : 0;
  if (from <= state.lastDefinitionAt) {
    return whole();
  }
  const same = await commonSuffix(before, text, Math.min(before.length, text.length) - changedFrom, tick);
  const oldChangeEnd = before.length - same;
  const shift = text.length - before.length;
  const known = previous.lineStarts.subarray(0, positionIn(previous.lineStarts, from).line + 1);
  const parser = new Parser(text, { from, lineStarts: known, strings: previous.strings, read: first >= 0 ? state.readBefore[first] : 0 }, lookahead);
  // The first old entry wholly in the unchanged end: where the new parse may meet the old one.
  let next = lastAtMost(old.length, startOf, oldChangeEnd - 1) + 1;
  let met = -1;
  for (let n = 0; ; n++) {
    if (n % itemsPerCheck === 0) {
      await tick();
    }
    const at = parser.nextItem();
    if (at < 0) {
      break;
    }
    while (next < old.length && old[next].start + shift < at) {
      next++;
    }
    if (next < old.length && old[next].start + shift === at) {
      met = next;
      break;
    }
    parser.step(1);
  }
  if (parser.lastDefinitionAt >= 0 || parser.withCrossref.length > 0 || state.expanded + parser.expanded > MAX_EXPANSION_CHARS / 2) {
    return whole(); // the edit wrote an @string, a @preamble or a crossref: what follows may read differently
  }
  const metAt = met < 0 ? text.length : old[met].start + shift;
  const headStarts = parser.lineStartsTo(metAt);
  let lineStarts: LineStarts = headStarts;
  let lineShift = 0;
  const entries: BibEntry[] = old.slice(0, Math.max(0, first));
  // The entries read again keep their own strings, not views of this whole text: the next
  // save replaces the text, and these entries may live on long after it.
  entries.push(...parser.entries.map(detachedEntry));
  // Errors go with the item that reported them: one may report at the next item's `@`.
  const errors: BibError[] = [];
  const errorItems: number[] = [];
  state.errorItems.forEach((item, i) => {
    if (item < from) {
      errors.push(previous.errors[i]);
      errorItems.push(item);
    }
  });
  errors.push(...parser.errors);
  errorItems.push(...parser.errorItems);
  const readBefore = state.readBefore.slice(0, Math.max(0, first));
  readBefore.push(...parser.readBefore);
  if (met >= 0) {
    const oldMetAt = old[met].start;
    const oldLine = positionIn(previous.lineStarts, oldMetAt).line;
    lineShift = positionIn(headStarts, metAt).line - oldLine;
    // Line starts after the meeting point are the old ones, moved.
    const tail = previous.lineStarts.subarray(oldLine + 1);
    lineStarts = new Int32Array(headStarts.length + tail.length);
    lineStarts.set(headStarts);
    // A step at a time: a 100,000-entry file has 1.9 M lines, and this loop runs once a
    // save, unoptimised (one pass held the host 50–70 ms).
    for (let start = 0; start < tail.length; start += LINES_PER_STEP) {
      await tick();
      const end = Math.min(tail.length, start + LINES_PER_STEP);
      for (let i = start; i < end; i++) {
        lineStarts[headStarts.length + i] = tail[i] + shift;
      }
    }
    for (let i = met; i < old.length; i++) {
      if (i % 512 === 0) {
        await tick();
      }
      const e = old[i];
      entries.push(shift === 0 && lineShift === 0 ? e : { ...e, start: e.start + shift, end: e.end + shift, keyStart: e.keyStart + shift, line: e.line + lineShift });
      readBefore.push(Math.max(state.readBefore[i] + shift, parser.read));
    }
    state.errorItems.forEach((item, i) => {
      if (item >= oldMetAt) {
        const e = previous.errors[i];
        const offset = e.offset + shift;
        const { line, character } = positionIn(lineStarts, offset);
        errors.push({ ...e, offset, line: line + 1, column: character, message: movedMessage(e.message, lineShift) });
        errorItems.push(item + shift);
      }
    });
  } else {
    lineStarts = parser.lineStartsTo(text.length);
  }
  // The first entry of each key, in file order (a key may have moved before another's copy).
  const byKey = new Map<string, BibEntry>();
  for (let i = 0; i < entries.length; i++) {
    if (i % 512 === 0) {
      await tick();
    }
    const lower = entries[i].key.toLowerCase();
    if (!byKey.has(lower)) {
      byKey.set(lower, entries[i]);
    }
  }
  return {
    text: typeof text === 'string' ? text : keptAround(before, from, parser.keptPieces(metAt), met < 0 ? before.length : old[met].start),
    entries,
    errors,
    strings: previous.strings,
    preambles: previous.preambles,
    lineStarts,
    byKey,
    state: { lastDefinitionAt: state.lastDefinitionAt, expanded: state.expanded + parser.expanded, crossrefs: 0, errorItems, readBefore },
  };
}

/**
 * The new text as `before`'s pieces up to `from`, the part read again (copied: the parse's
 * window it is cut from would stay alive with it), and `before`'s pieces from `oldFrom` on.
 */
function keptAround(before: TextLike, from: number, read: readonly string[], oldFrom: number): PiecedText {
  const of = (start: number, end: number): string[] => (before instanceof PiecedText ? before.piecesOf(start, end) : start < end ? [before.slice(start, end)] : []);
  const middle = read.length > 0 ? [detached(read.join(''))] : [];
  return new PiecedText([...of(0, from), ...middle, ...of(oldFrom, before.length)]);
}

/** An entry whose strings are copies (see `detached`). */
function detachedEntry(entry: BibEntry): BibEntry {
  // Prototype-free, as the parser makes them (a field may be called `__proto__`).
  const fields: Record<string, string> = Object.create(null);
  for (const name of Object.keys(entry.fields)) {
    fields[detached(name)] = detached(entry.fields[name]);
  }
  let unresolved: Record<string, ValuePart[]> | undefined;
  for (const name of Object.keys(entry.unresolved ?? {})) {
    unresolved ??= Object.create(null) as Record<string, ValuePart[]>;
    unresolved[detached(name)] = entry.unresolved![name].map((p) => (typeof p === 'string' ? detached(p) : { macro: detached(p.macro) }));
  }
  return { ...entry, type: detached(entry.type), key: detached(entry.key), fields, ...(unresolved ? { unresolved } : {}) };
}
