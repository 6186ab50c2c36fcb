import { lookupTable } from '../text/lookup';
import { LineScanner, type LineStarts } from '../text/lines';
import { PiecedText, type TextLike } from '../text/pieces';
import { SLICE_MS, ticker } from '../text/slices';
// A tolerant BibTeX/BibLaTeX parser: one linear pass, no recursion, never throws.
// A broken entry costs only itself: the scanner reports it with its line and resumes
// at the next `@type{` (wherever it is); a broken field costs only that field.

/** A piece of a field value: literal text, or a macro this file does not define. */
export type ValuePart = string | { readonly macro: string };

/** One entry as found in the file. */
export interface BibEntry {
  /** Entry type, lower-case (`article`, `inproceedings`, `software`, …). */
  readonly type: string;
  readonly key: string;
  /**
   * Field values with macros expanded and `#` concatenation done; LaTeX kept. Names
   * lower-case. A macro the file does not define stands as its name.
   */
  readonly fields: Readonly<Record<string, string>>;
  /** Fields that use macros this file does not define, as parts, for resolving them with other files' `@string`s. */
  readonly unresolved?: Readonly<Record<string, readonly ValuePart[]>>;
  /**
   * The entry has no closing delimiter (an error says so): it holds the fields read
   * before the next entry or the end of the file, and ends there.
   */
  readonly incomplete?: true;
  /** Offsets of the whole entry, `@` to the closing delimiter inclusive (see `incomplete`). */
  readonly start: number;
  readonly end: number;
  /** Offset of the key. */
  readonly keyStart: number;
  /** 1-based line of the `@`. */
  readonly line: number;
}

/** A problem found while parsing, with where it is (1-based line, 0-based column). */
export interface BibError {
  readonly line: number;
  readonly column: number;
  readonly offset: number;
  readonly message: string;
  /**
   * `error`: the entry was dropped, or kept `incomplete` (no closing delimiter); `warning`:
   * it was kept whole (e.g. a missing comma, an undefined macro).
   */
  readonly severity: 'error' | 'warning';
  /** For undefined macros: the macro's name (another .bib file may define it). */
  readonly macro?: string;
  /** For a crossref to a key this file does not have: that key (another .bib file may have it). */
  readonly crossref?: string;
}

export interface BibParseResult {
  readonly entries: BibEntry[];
  readonly errors: BibError[];
  readonly strings: Readonly<Record<string, string>>;
  readonly preambles: string[];
  /** Offsets where lines start (after `\n`, `\r\n` or a lone `\r`), for positions. */
  readonly lineStarts: LineStarts;
  /** The first entry of each key (lower case), filed as entries are read: crossrefs are looked up in it. */
  readonly byKey: ReadonlyMap<string, BibEntry>;
  /**
   * The text parsed, which the offsets index: the string given, or for pieces the pieces of
   * the windows the parse read (the entries' strings are views of them, so no more is kept).
   */
  readonly text: TextLike;
  /** What decides whether the file can be re-parsed only where it was edited (reparse.ts). */
  readonly state?: ParseState;
}

/** How a parse's items depend on each other: the parts that are read in file order. */
export interface ParseState {
  /** Offset of the last `@string` or `@preamble` (-1: none): entries after one read what it defines. */
  readonly lastDefinitionAt: number;
  /** Characters macro expansion produced (the file's budget is shared by all its entries). */
  readonly expanded: number;
  /** Entries with a crossref (filled from other entries when the parse finishes). */
  readonly crossrefs: number;
  /** For each error, where the item that reported it starts (an item may report at the next one's `@`). */
  readonly errorItems: readonly number[];
  /**
   * For each entry, how far the items before it read the text (at least): an item may read
   * past its end (an unclosed brace looks for the next entry, even to the end of the file).
   */
  readonly readBefore: readonly number[];
}

export const MONTHS: Readonly<Record<string, string>> = lookupTable({
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
});

/** What `skipBalanced` stops at inside braces and inside parentheses: the delimiters and line breaks. */
const BRACE_STOPS = /[{}\n\r]/g;
const PAREN_STOPS = /[()\n\r]/g;

/** Longest value a field or `@string` may expand to: macros that double 30 times stop here. */
export const MAX_VALUE_CHARS = 1_000_000;
/** Most characters macro expansion may produce in one file. */
export const MAX_EXPANSION_CHARS = 32_000_000;

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
    /** The damage is inside one field: skip to the next field, keep the entry. */
    readonly fieldOnly = false,
  ) {}
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF' || c === '\f' || c === '\v';
/** Characters of identifiers (keys of @string, field names, macros): BibTeX's, plus `'`, which real files use. */
const IDENT = /[^\s"#%(),={}@\\]/;
const DIGIT = /[0-9]/;

/**
 * Where a message says something went wrong (`@article{key, field title`): a text, or a
 * function that makes it, so that the entries read without a fault do not make it for
 * each of their fields.
 */
type Said = string | (() => string);

function said(context: Said): string {
  return typeof context === 'string' ? context : context();
}
/** Where an entry starts: `@type{` or `@type(`. */
const ENTRY_START = /@[A-Za-z][\w-]*[ \t]*[{(]/g;

/** Parses BibTeX text. Never throws; problems come back in `errors`. */
export function parseBibtex(text: string | PiecedText): BibParseResult {
  return new Parser(text).parse();
}

/** How a parse in slices goes; tests set them small to exercise every step. */
export interface SliceTuning {
  /** Items parsed between looks at the clock (16). */
  readonly itemsPerCheck?: number;
  /** How long a slice may hold the thread, ms (SLICE_MS). */
  readonly sliceMs?: number;
  /** A text in pieces: characters the window holds past an item's `@` (LOOKAHEAD). */
  readonly lookahead?: number;
}

/**
 * What a parse has read so far, for `parseBibtexInSlices`' `onRead`: its entries up to now
 * (final, except that an entry with `crossref` inherits its parent's fields at the end)
 * and the text they lie in (`text()`: what the result's text will be, up to here).
 */
export type OnRead = (entries: readonly BibEntry[], text: () => TextLike) => Promise<void>;

/**
 * The same parse, with `pause` awaited whenever `sliceMs` have passed (checked every
 * `itemsPerCheck` items), so that a large file never holds the thread for long.
 * `onRead`, if given, is awaited after each step with what was read so far.
 */
export async function parseBibtexInSlices(text: string | PiecedText, pause: () => Promise<void>, tuning: SliceTuning = {}, onRead?: OnRead): Promise<BibParseResult> {
  const { itemsPerCheck = 16, sliceMs = SLICE_MS, lookahead = LOOKAHEAD } = tuning;
  const tick = ticker(pause, sliceMs, 1);
  const parser = new Parser(text, undefined, lookahead);
  const readText = (): TextLike => parser.readText();
  for (;;) {
    await tick();
    const done = parser.step(itemsPerCheck);
    await onRead?.(parser.entries, readText);
    if (done) {
      return parser.finish();
    }
  }
}

/** The hint at a field whose value ran on (see `Parser.runOn`): it names the field's line. */
const runOnHint = (field: string, line: number): string => ` (the value of ${field}, line ${line}, takes in the fields after it: is a brace in it not closed?)`;
const RUN_ON_LINE = /(\(the value of [^,]*, line )(\d+)(, takes in the fields after it)/;

/** An error's message once its entry moved by `lines` lines (only a run-on hint names a line). */
export function movedMessage(message: string, lines: number): string {
  return lines === 0 ? message : message.replace(RUN_ON_LINE, (_, head: string, line: string, tail: string) => `${head}${Number(line) + lines}${tail}`);
}

/** Where a parser starts when it continues another parse: every line start up to `from`, and the macros defined before it. */
export interface ParserStart {
  readonly from: number;
  readonly lineStarts: LineStarts;
  readonly strings: Readonly<Record<string, string>>;
  /** How far the items before `from` read (see ParseState.readBefore). */
  readonly read: number;
}

/**
 * Characters past an item's `@` that the parser's window holds before the item is read
 * (less at the end of the text). An item that reads to the window's end is read again
 * with a window twice as long (see `Parser.step`).
 */
export const LOOKAHEAD = 1 << 13;

/** Blanks that may stand between a line's start and an entry's `@` (see `startsLine`). */
const isLineBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\uFEFF';

/**
 * Where a window holding an item at `at` must start: at the character that ends
 * `startsLine`'s look back over the blanks before it (or at the text's start).
 */
function lookBackStart(text: TextLike, at: number): number {
  let c = at - 1;
  while (c > 0 && isLineBlank(String.fromCharCode(text.charCodeAt(c)))) {
    c--;
  }
  return Math.max(0, c);
}

/**
 * Exported for reparse.ts: the parse of a file continued from an item of an earlier parse.
 *
 * A text in pieces is read through a window: one flat string from just before the item
 * being read to at least `lookahead` characters past its `@`, moved on as the parse goes
 * (see `openWindow`). Offsets inside the parser are the window's; what it reports is the
 * whole text's (`base` added).
 */
export class Parser {
  /** Where the parse is, in the window. */
  private pos = 0;
  /** The window: the part of the text being read. */
  private text: string;
  /** Where the window starts in the whole text. */
  private base = 0;
  /** The text in pieces, when it was given so. */
  private readonly pieced: PiecedText | undefined;
  /** The kept text's pieces so far (views of the windows), up to `keptTo`. */
  private readonly kept: string[] = [];
  private keptTo: number;
  /** Line starts, found as the parser walks forward. */
  private readonly lines: LineScanner;
  readonly entries: BibEntry[] = [];
  readonly errors: BibError[] = [];
  private readonly strings: Record<string, string> = Object.create(null);
  /** See ParseState. */
  lastDefinitionAt = -1;
  readonly errorItems: number[] = [];
  /** Where the item being read starts (in the window). */
  private itemAt = 0;
  /** How far the items read the text (an offset past which no item has looked; the whole text's). */
  read = 0;
  /** The `@string` the item being read defined, and what it replaced (for `undo`). */
  private stringSet: { name: string; had: boolean; old: string | undefined } | undefined;
  /** See ParseState.readBefore. */
  readonly readBefore: number[] = [];
  /** Where the items before the current one had read to. */
  private readBeforeItem = 0;
  private readonly preambles: string[] = [];
  /** The first entry of each key (lower case), for crossrefs. */
  private readonly byKey = new Map<string, BibEntry>();
  readonly withCrossref: BibEntry[] = [];
  /** Set by value(): the parts of the last value when it used a macro the file does not define. */
  private lastParts: ValuePart[] | undefined;
  /** Characters that macro expansion may still produce in this file (a 1 KB file cannot make gigabytes). */
  private expansionBudget = MAX_EXPANSION_CHARS;

  constructor(
    private readonly whole: string | PiecedText,
    start?: ParserStart,
    private readonly lookahead = LOOKAHEAD,
  ) {
    this.lines = new LineScanner(whole, start?.lineStarts);
    const from = start?.from ?? 0;
    this.keptTo = from;
    if (typeof whole === 'string') {
      this.text = whole;
      this.pos = from;
    } else {
      this.pieced = whole;
      this.text = '';
      this.openWindow(lookBackStart(whole, from), from + lookahead);
      this.pos = from - this.base;
    }
    if (start) {
      this.read = start.read;
      Object.assign(this.strings, start.strings);
    }
  }

  /**
   * Makes the window the text from `from` to at least `minEnd`: within one piece, the rest
   * of that piece (a view of it: nothing is copied); across pieces, a bridge copied from
   * them to `lookahead` past `minEnd`, so that the parse gets past the piece's end before
   * the next window, which is then the next piece's view. Copying every window instead
   * copied the whole text (316 ms of 20,000 entries' parse, in slices of about 5 ms).
   */
  private openWindow(from: number, minEnd: number): void {
    const pieced = this.pieced!;
    const pieceEnd = pieced.startOf(pieced.pieceAt(from) + 1);
    this.text = pieced.slice(from, minEnd <= pieceEnd ? pieceEnd : Math.min(pieced.length, minEnd + this.lookahead));
    this.base = from;
  }

  /** Whether text follows the window. */
  private more(): boolean {
    return this.base + this.text.length < this.whole.length;
  }

  /** Whether the parse has reached the text's end. */
  private done(): boolean {
    return this.pos >= this.text.length && !this.more();
  }

  /**
   * Moves the window on to hold the text from the parse position (with what `startsLine`
   * looks back at before it) to at least `minEnd`; what the parse passed is kept.
   */
  private slide(minEnd: number): void {
    const at = this.base + this.pos;
    if (at > this.keptTo) {
      this.kept.push(this.text.slice(this.keptTo - this.base, this.pos));
      this.keptTo = at;
    }
    this.openWindow(this.base + lookBackStart(this.text, this.pos), minEnd);
    this.pos = at - this.base;
  }

  /**
   * The next `@` at or after the parse position, in the window (-1: none in the text),
   * with the window moved on to hold `lookahead` characters past it where the text has
   * them; the parse position moves up to it.
   */
  private findItem(): number {
    for (;;) {
      const at = this.text.indexOf('@', this.pos);
      if (!this.more()) {
        return at;
      }
      if (at < 0) {
        this.pos = this.text.length; // free text between entries
        this.slide(this.base + this.text.length + this.lookahead);
        continue;
      }
      this.pos = at;
      if (this.text.length - at >= this.lookahead) {
        return at;
      }
      this.slide(this.base + at + this.lookahead);
    }
  }

  /** The text read so far, up to the parse position: the result's text, as far as it goes. */
  readText(): TextLike {
    return typeof this.whole === 'string' ? this.whole : new PiecedText(this.keptPieces(this.base + this.pos));
  }

  /** The text parsed from where this parse started to `end` (which the window holds), as pieces. */
  keptPieces(end: number): string[] {
    return [...this.kept, this.text.slice(this.keptTo - this.base, end - this.base)].filter((p) => p.length > 0);
  }

  /** What an item changes, to take it back when it must be read again with a longer window. */
  private mark() {
    this.stringSet = undefined;
    return {
      entries: this.entries.length,
      errors: this.errors.length,
      preambles: this.preambles.length,
      withCrossref: this.withCrossref.length,
      lastDefinitionAt: this.lastDefinitionAt,
      budget: this.expansionBudget,
      read: this.read,
    };
  }

  private undo(mark: ReturnType<Parser['mark']>): void {
    for (const e of this.entries.splice(mark.entries)) {
      const lower = e.key.toLowerCase();
      if (this.byKey.get(lower) === e) {
        this.byKey.delete(lower);
      }
    }
    this.readBefore.length = mark.entries;
    this.errors.length = mark.errors;
    this.errorItems.length = mark.errors;
    this.preambles.length = mark.preambles;
    this.withCrossref.length = mark.withCrossref;
    this.lastDefinitionAt = mark.lastDefinitionAt;
    this.expansionBudget = mark.budget;
    this.read = mark.read;
    if (this.stringSet) {
      const { name, had, old } = this.stringSet;
      if (had) {
        this.strings[name] = old!;
      } else {
        delete this.strings[name];
      }
    }
  }

  /** Characters macro expansion produced so far. */
  get expanded(): number {
    return MAX_EXPANSION_CHARS - this.expansionBudget;
  }

  /** Where the next item starts (its `@`), or -1 when the text is done. */
  nextItem(): number {
    if (this.done()) {
      return -1;
    }
    const at = this.findItem();
    return at < 0 ? -1 : this.base + at;
  }

  /** Every line start up to `offset`. */
  lineStartsTo(offset: number): LineStarts {
    return this.lines.upTo(offset);
  }

  parse(): BibParseResult {
    while (!this.step(Infinity)) {
      // parse everything in one go
    }
    return this.finish();
  }

  /** Parses up to `maxItems` more items; true when the text is done. */
  step(maxItems: number): boolean {
    for (let n = 0; n < maxItems; n++) {
      if (this.done()) {
        return true;
      }
      const at = this.findItem();
      if (at < 0) {
        this.pos = this.text.length;
        this.saw(this.text.length);
        return true;
      }
      const mark = this.mark();
      this.pos = at;
      this.itemAt = at;
      this.readBeforeItem = this.read;
      this.saw(at + 1);
      try {
        this.parseItem();
        this.saw(this.pos + 1);
      } catch (err) {
        this.saw(this.pos + 1);
        const failure = err instanceof Failure ? err : new Failure(at, `could not read this entry (${err instanceof Error ? err.message : String(err)})`);
        this.report(failure.offset, failure.message, 'error');
        this.pos = this.resyncPoint(Math.max(failure.offset, at + 1));
      }
      if (this.read >= this.base + this.text.length && this.more()) {
        // The item read to the window's end, which is not the text's: read it again with
        // a window twice as long past its `@`.
        this.undo(mark);
        this.pos = at;
        this.slide(this.base + at + 2 * Math.max(this.lookahead, this.text.length - at));
        n--;
      }
    }
    return this.done();
  }

  finish(): BibParseResult {
    this.resolveCrossrefs();
    const { whole } = this;
    return {
      text: typeof whole === 'string' ? whole : new PiecedText(this.keptPieces(whole.length)),
      entries: this.entries,
      errors: this.errors,
      strings: this.strings,
      preambles: this.preambles,
      lineStarts: this.lines.finish(),
      byKey: this.byKey,
      state: {
        lastDefinitionAt: this.lastDefinitionAt,
        expanded: this.expanded,
        crossrefs: this.withCrossref.length,
        errorItems: this.errorItems,
        readBefore: this.readBefore,
      },
    };
  }

  /** Notes that the text was read up to `offset` in the window (see `read`). */
  private saw(offset: number): void {
    if (this.base + offset > this.read) {
      this.read = this.base + offset;
    }
  }

  /** A problem at `offset` in the window, of the item being read. */
  private report(offset: number, message: string, severity: 'error' | 'warning', names?: Pick<BibError, 'macro' | 'crossref'>): void {
    this.file(this.base + offset, this.base + this.itemAt, message, severity, names);
  }

  /** A problem at `offset` of the item at `item` (both the whole text's). */
  private file(offset: number, item: number, message: string, severity: 'error' | 'warning', names?: Pick<BibError, 'macro' | 'crossref'>): void {
    const { line, character } = this.lines.position(offset);
    this.errors.push({ line: line + 1, column: character, offset, message, severity, ...names });
    this.errorItems.push(item);
  }

  /** The next `@type{` at or after `from`, wherever it is (a one-line file recovers too). */
  private resyncPoint(from: number): number {
    ENTRY_START.lastIndex = from;
    const m = ENTRY_START.exec(this.text);
    this.saw(m ? m.index + m[0].length : this.text.length);
    return m ? m.index : this.text.length;
  }

  /** True when a new entry starts at the line break `i`: `\n  @word{` or `\r@word(`. */
  private entryStartsAt(i: number): boolean {
    let j = i + 1;
    if (this.text[i] === '\r' && this.text[j] === '\n') {
      j++;
    }
    while (this.text[j] === ' ' || this.text[j] === '\t') {
      j++;
    }
    this.saw(j + 65);
    if (this.text[j] !== '@') {
      return false;
    }
    return /^@[A-Za-z]+[ \t]*[{(]/.test(this.text.slice(j, j + 64));
  }

  /** Whether only blanks stand between the start of `at`'s line and `at` (walks back over blanks only). */
  private startsLine(at: number): boolean {
    for (let i = at - 1; i >= 0; i--) {
      const c = this.text[i];
      if (c === '\n' || c === '\r') {
        return true;
      }
      if (!isLineBlank(c)) {
        return false;
      }
    }
    return true;
  }

  private skipSpace(): void {
    while (this.pos < this.text.length && isSpace(this.text[this.pos])) {
      this.pos++;
    }
  }

  /** Skips blanks and `%` comments (BibLaTeX allows them between fields). */
  private skipSpaceAndComments(): void {
    for (;;) {
      this.skipSpace();
      if (this.text[this.pos] === '%') {
        let i = this.pos;
        while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') {
          i++;
        }
        this.pos = i;
      } else {
        return;
      }
    }
  }

  private identifier(what: Said): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos])) {
      this.pos++;
    }
    if (this.pos === start) {
      throw new Failure(start, `expected ${said(what)}`);
    }
    return this.text.slice(start, this.pos);
  }

  private parseItem(): void {
    const at = this.pos;
    this.pos++; // '@'
    this.skipSpace();
    const typeStart = this.pos;
    while (this.pos < this.text.length && /[A-Za-z0-9_-]/.test(this.text[this.pos])) {
      this.pos++;
    }
    const type = this.text.slice(typeStart, this.pos).toLowerCase();
    if (type === '') {
      // A stray @ in free text between entries (an e-mail address, say) is not an entry.
      this.pos = at + 1;
      return;
    }
    this.skipSpace();
    const open = this.text[this.pos];
    if (open !== '{' && open !== '(') {
      if (type === 'comment' || !this.startsLine(at)) {
        // `@comment text`, or an @ inside free text (an e-mail address): not an entry.
        this.pos = at + 1;
        return;
      }
      throw new Failure(this.pos, `expected { or ( after @${type}`);
    }
    const close = open === '{' ? '}' : ')';
    this.pos++;
    if (type === 'comment') {
      // BibTeX skips a comment by its braces alone; entries inside it are commented out.
      this.pos = this.skipBalanced(this.pos - 1, open, close, '@comment', false);
      return;
    }
    if (type === 'preamble') {
      this.lastDefinitionAt = this.base + at;
      this.skipSpaceAndComments();
      this.preambles.push(this.value(close));
      this.skipSpaceAndComments();
      this.expect(close, `@preamble`);
      return;
    }
    if (type === 'string') {
      this.lastDefinitionAt = this.base + at;
      this.skipSpaceAndComments();
      const name = this.identifier('a macro name');
      this.skipSpaceAndComments();
      this.expect('=', `@string{${name}`);
      this.skipSpaceAndComments();
      const value = this.value(close, name, `@string{${name}`);
      const undefinedInside = this.lastParts !== undefined;
      this.skipSpaceAndComments();
      this.expect(close, `@string{${name}`);
      if (!undefinedInside) {
        const lower = name.toLowerCase();
        this.stringSet = { name: lower, had: lower in this.strings, old: this.strings[lower] };
        this.strings[lower] = value;
      }
      return;
    }
    this.parseEntry(type, at, close);
  }

  private expect(ch: string, context: Said): void {
    if (this.text[this.pos] !== ch) {
      const found = this.pos >= this.text.length ? 'end of file' : JSON.stringify(this.text[this.pos]);
      throw new Failure(this.pos, `${said(context)}: expected ${JSON.stringify(ch)}, found ${found}`);
    }
    this.pos++;
  }

  private parseEntry(type: string, at: number, close: string): void {
    this.skipSpaceAndComments();
    const keyStart = this.pos;
    while (this.pos < this.text.length && !isSpace(this.text[this.pos]) && !',{}()'.includes(this.text[this.pos])) {
      this.pos++;
    }
    const key = this.text.slice(keyStart, this.pos);
    if (key === '' || key.includes('=')) {
      throw new Failure(keyStart, `@${type}: missing citation key`);
    }
    const fields: Record<string, string> = Object.create(null);
    let unresolved: Record<string, ValuePart[]> | undefined;
    // What the messages about this entry's fields say, made only for a message.
    let name = '';
    const fieldName = (): string => `a field name in @${type}{${key}`;
    const inField = (): string => `@${type}{${key}, field ${name}`;
    this.skipSpaceAndComments();
    let needComma = true;
    let incomplete = false;
    /** The last field read: where a closing brace went missing, its value has often run on. */
    let lastField: { name: string; start: number; end: number } | undefined;
    for (;;) {
      this.skipSpaceAndComments();
      if (this.pos >= this.text.length) {
        this.report(this.pos, `@${type}{${key}: missing closing ${JSON.stringify(close)} at end of file${this.runOn(lastField)}`, 'error');
        incomplete = true;
        break;
      }
      const c = this.text[this.pos];
      if (c === close) {
        this.pos++;
        break;
      }
      if (c === ',') {
        this.pos++;
        needComma = false;
        continue;
      }
      if (c === '@' && (this.saw(this.pos + 65), /^@[A-Za-z]+[ \t]*[{(]/.test(this.text.slice(this.pos, this.pos + 64)))) {
        // The entry is kept with the fields read so far: its key is the user's (a citation
        // of it resolves, and nothing is appended under the same key), its title is theirs.
        this.report(at, `@${type}{${key}: missing closing ${JSON.stringify(close)} before the next entry${this.runOn(lastField)}`, 'error');
        incomplete = true;
        break;
      }
      if (needComma) {
        // `title = {x}  author = {y}`: keep the entry, say what is wrong.
        this.report(this.pos, `@${type}{${key}: missing comma before field`, 'warning');
      }
      const nameStart = this.pos;
      try {
        name = this.identifier(fieldName).toLowerCase();
        this.skipSpaceAndComments();
        this.expect('=', inField);
        this.skipSpaceAndComments();
        const value = this.value(close, undefined, inField);
        lastField = { name, start: nameStart, end: this.pos };
        if (name in fields) {
          this.report(nameStart, `@${type}{${key}: duplicate field ${name} (the first is kept)`, 'warning');
        } else {
          fields[name] = value;
          if (this.lastParts) {
            (unresolved ??= Object.create(null) as Record<string, ValuePart[]>)[name] = this.lastParts;
          }
        }
      } catch (err) {
        if (!(err instanceof Failure)) {
          throw err;
        }
        if (!err.fieldOnly) {
          // A value that never closes (a brace or quote left open): the entry ends here,
          // kept with the fields before it; reading goes on at the next entry.
          this.report(err.offset, err.message, 'error');
          incomplete = true;
          this.saw(this.pos + 1);
          this.pos = this.resyncPoint(err.offset + 1);
          break;
        }
        // Something no BibTeX value starts with: this field is lost, the entry is kept.
        this.report(err.offset, `${err.message} (field left out)`, 'warning');
        this.skipToFieldEnd(close);
      }
      needComma = true;
    }
    const entry: BibEntry = { type, key, fields, ...(unresolved ? { unresolved } : {}), ...(incomplete ? { incomplete } : {}), start: this.base + at, end: this.base + this.pos, keyStart: this.base + keyStart, line: this.lineOf(this.base + at) };
    this.entries.push(entry);
    this.readBefore.push(this.readBeforeItem);
    // Crossref targets are filed as entries are read (in the parser's slices), not all at the end.
    const lower = key.toLowerCase();
    if (!this.byKey.has(lower)) {
      this.byKey.set(lower, entry);
    }
    if (fields.crossref) {
      this.withCrossref.push(entry);
    }
  }

  /**
   * Where an entry's closing brace went missing, a hint at the field whose value ran on
   * over the fields after it (`address = {Lake Tahoe, NV),` takes the next lines, then
   * the entry's own `}`): its value has a line that starts like a field.
   */
  private runOn(field: { name: string; start: number; end: number } | undefined): string {
    if (!field || !/\n[ \t]*[A-Za-z][\w-]*[ \t]*=/.test(this.text.slice(field.start, field.end))) {
      return '';
    }
    return runOnHint(field.name, this.lineOf(this.base + field.start));
  }

  /** 1-based line of an offset of the whole text. */
  private lineOf(offset: number): number {
    return this.lines.position(offset).line + 1;
  }

  /** After damage inside a field: on to the next top-level `,` or the entry's closing delimiter. */
  private skipToFieldEnd(close: string): void {
    let depth = 0;
    for (; this.pos < this.text.length; this.pos++) {
      const c = this.text[this.pos];
      if (c === '{') {
        depth++;
      } else if (c === '}' && depth > 0) {
        depth--;
      } else if (depth === 0 && (c === ',' || c === close)) {
        return;
      } else if ((c === '\n' || c === '\r') && this.entryStartsAt(this.pos)) {
        return;
      }
    }
  }

  /**
   * A field value: pieces joined by `#`. A macro the file does not define stands as its
   * name (with a warning), and `lastParts` keeps the pieces for resolving it later.
   */
  private value(close: string, defining?: string, context: Said = 'value'): string {
    let result = '';
    const parts: ValuePart[] = [];
    let undefinedMacro = false;
    const add = (text: string, expanded = false): void => {
      if (result.length + text.length > MAX_VALUE_CHARS) {
        throw new Failure(this.pos, `${said(context)}: longer than ${MAX_VALUE_CHARS.toLocaleString('en-US')} characters after expanding macros`, true);
      }
      if (expanded) {
        this.expansionBudget -= text.length;
        if (this.expansionBudget < 0) {
          throw new Failure(this.pos, `${said(context)}: macros expand to too much text in this file`, true);
        }
      }
      result += text;
      parts.push(text);
    };
    this.lastParts = undefined;
    for (;;) {
      this.skipSpaceAndComments();
      const c = this.text[this.pos];
      if (c === '{') {
        const end = this.skipBalanced(this.pos, '{', '}', context);
        add(this.text.slice(this.pos + 1, end - 1));
        this.pos = end;
      } else if (c === '"') {
        add(this.quoted(context));
      } else if (c !== undefined && DIGIT.test(c)) {
        const start = this.pos;
        while (this.pos < this.text.length && DIGIT.test(this.text[this.pos])) {
          this.pos++;
        }
        add(this.text.slice(start, this.pos));
      } else if (c !== undefined && IDENT.test(c) && c !== close) {
        const start = this.pos;
        const written = this.identifier('a value');
        const name = written.toLowerCase();
        if (name !== defining?.toLowerCase() && name in this.strings) {
          add(this.strings[name], true);
        } else if (name !== defining?.toLowerCase() && name in MONTHS) {
          add(MONTHS[name]);
        } else {
          this.report(start, `${said(context)}: undefined macro ${written} (shown as its name)`, 'warning', { macro: name });
          undefinedMacro = true;
          result += written;
          parts.push({ macro: name });
        }
      } else {
        throw new Failure(this.pos, `${said(context)}: expected a value`, c !== undefined && c !== close && c !== ',');
      }
      this.skipSpaceAndComments();
      if (this.text[this.pos] === '#') {
        this.pos++;
        continue;
      }
      if (undefinedMacro) {
        this.lastParts = parts;
      }
      return result;
    }
  }

  /** A `"…"` value; braces inside protect quotes. */
  private quoted(context: Said): string {
    const start = this.pos;
    let depth = 0;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\' && this.text[i + 1] === '"') {
        i++;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth = Math.max(0, depth - 1);
      } else if (c === '"' && depth === 0) {
        this.pos = i + 1;
        this.saw(i + 1);
        return this.text.slice(start + 1, i);
      } else if ((c === '\n' || c === '\r') && this.entryStartsAt(i)) {
        throw new Failure(start, `${said(context)}: unterminated quoted value`);
      }
    }
    this.saw(this.text.length);
    throw new Failure(start, `${said(context)}: unterminated quoted value`);
  }

  /**
   * Index just past the delimiter closing the group opened at `start`. Braces count
   * whether or not a backslash precedes them, as in BibTeX and biber. A new entry at the
   * start of a line inside the group means the group was never closed: that is an error
   * here rather than swallowing the rest of the file (except in @comment, which BibTeX
   * skips by its braces alone).
   */
  private skipBalanced(start: number, open: string, close: string, context: Said = 'group', guard = true): number {
    // Only delimiters and line breaks matter: jump from one to the next (abstracts are
    // long runs of neither).
    const stops = open === '{' ? BRACE_STOPS : PAREN_STOPS;
    let depth = 0;
    for (let from = start; ; ) {
      stops.lastIndex = from;
      // (`test`, not `exec`: no match array for each delimiter and line break of a value;
      // a stop is one character, the one before `lastIndex`.)
      if (!stops.test(this.text)) {
        this.saw(this.text.length);
        break;
      }
      const i = stops.lastIndex - 1;
      this.saw(i + 1);
      const c = this.text[i];
      if (c === open) {
        depth++;
      } else if (c === close) {
        if (--depth === 0) {
          return i + 1;
        }
      } else if (guard && this.entryStartsAt(i)) {
        throw new Failure(start, `${said(context)}: unbalanced ${JSON.stringify(open)}`);
      }
      from = i + 1;
    }
    throw new Failure(start, `${said(context)}: unbalanced ${JSON.stringify(open)} reaches the end of the file`);
  }

  /** Fills fields missing from entries with `crossref` from the entry they name (one level). */
  private resolveCrossrefs(): void {
    for (const e of this.withCrossref) {
      const ref = e.fields.crossref;
      const parent = this.byKey.get(ref.toLowerCase());
      if (!parent) {
        this.file(e.start, e.start, `@${e.type}{${e.key}: crossref ${ref} not found`, 'warning', { crossref: ref });
        continue;
      }
      inheritFields(e.fields as Record<string, string>, parent.fields);
    }
  }
}

/** BibTeX's crossref inheritance: missing fields come from the parent; its title becomes the booktitle. */
export function inheritFields(fields: Record<string, string>, parent: Readonly<Record<string, string>>): void {
  for (const [name, value] of Object.entries(parent)) {
    if (name === 'title' && parent.title && !fields.booktitle) {
      fields.booktitle = value;
    } else if (!(name in fields) && name !== 'crossref') {
      fields[name] = value;
    }
  }
}

/**
 * An entry's fields with the macros its own file did not define resolved from `strings`
 * (another file's `@string`s, as BibTeX reads `\bibliography{macros,refs}`); a macro
 * still undefined stays its name. Entries without such macros come back as they are.
 */
export function resolveMacros(entry: BibEntry, strings: (name: string) => string | undefined): BibEntry {
  if (!entry.unresolved) {
    return entry;
  }
  const fields: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, entry.fields);
  let still: Record<string, ValuePart[]> | undefined;
  for (const [name, parts] of Object.entries(entry.unresolved)) {
    let value = '';
    const left: ValuePart[] = [];
    for (const part of parts) {
      if (typeof part === 'string') {
        value += part;
        left.push(part);
      } else {
        const found = strings(part.macro);
        value += found ?? part.macro;
        left.push(found ?? part);
      }
    }
    fields[name] = value.length > MAX_VALUE_CHARS ? value.slice(0, MAX_VALUE_CHARS) : value;
    if (left.some((p) => typeof p !== 'string')) {
      (still ??= Object.create(null) as Record<string, ValuePart[]>)[name] = left;
    }
  }
  const { unresolved: _unresolved, ...rest } = entry;
  return { ...rest, fields, ...(still ? { unresolved: still } : {}) };
}
