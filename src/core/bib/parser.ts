import { lookupTable } from '../text/lookup';
// A tolerant BibTeX/BibLaTeX parser: one linear pass, no recursion, never throws.
// A broken entry costs only itself: the scanner reports it with its line and
// resumes at the next `@` that starts a line.

/** One entry as found in the file. */
export interface BibEntry {
  /** Entry type, lower-case (`article`, `inproceedings`, `software`, …). */
  readonly type: string;
  readonly key: string;
  /** Field values with macros expanded and `#` concatenation done; LaTeX kept. Names lower-case. */
  readonly fields: Readonly<Record<string, string>>;
  /** Offsets of the whole entry, `@` to the closing delimiter inclusive. */
  readonly start: number;
  readonly end: number;
  /** Offset of the key. */
  readonly keyStart: number;
  /** 1-based line of the `@`. */
  readonly line: number;
}

/** A problem found while parsing, with the 1-based line it is on. */
export interface BibError {
  readonly line: number;
  readonly offset: number;
  readonly message: string;
  /** `error`: the entry was dropped; `warning`: it was kept (e.g. a missing comma, an undefined macro). */
  readonly severity: 'error' | 'warning';
}

export interface BibParseResult {
  readonly entries: BibEntry[];
  readonly errors: BibError[];
  readonly strings: Readonly<Record<string, string>>;
  readonly preambles: string[];
}

const MONTHS: Readonly<Record<string, string>> = lookupTable({
  jan: 'January', feb: 'February', mar: 'March', apr: 'April', may: 'May', jun: 'June',
  jul: 'July', aug: 'August', sep: 'September', oct: 'October', nov: 'November', dec: 'December',
});

class Failure {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\uFEFF' || c === '\f' || c === '\v';
const IDENT = /[^\s"#%'(),={}@\\]/;

/** Parses BibTeX text. Never throws; problems come back in `errors`. */
export function parseBibtex(text: string): BibParseResult {
  return new Parser(text).parse();
}

/**
 * The same parse, in slices of a few hundred entries with `pause` awaited between
 * them, so that a large file never holds the thread for long.
 */
export async function parseBibtexInSlices(text: string, pause: () => Promise<void>, itemsPerSlice = 300): Promise<BibParseResult> {
  const parser = new Parser(text);
  while (!parser.step(itemsPerSlice)) {
    await pause();
  }
  return parser.finish();
}

class Parser {
  private pos = 0;
  private readonly lineStarts: number[] = [0];
  private readonly entries: BibEntry[] = [];
  private readonly errors: BibError[] = [];
  private readonly strings: Record<string, string> = Object.create(null);
  private readonly preambles: string[] = [];
  /** Set by value() when a macro was undefined: the field is then left out. */
  private valueIncomplete = false;

  constructor(private readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      if (text.charCodeAt(i) === 10) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  parse(): BibParseResult {
    while (!this.step(Infinity)) {
      // parse everything in one go
    }
    return this.finish();
  }

  /** Parses up to `maxItems` more items; true when the text is done. */
  step(maxItems: number): boolean {
    const { text } = this;
    for (let n = 0; n < maxItems; n++) {
      if (this.pos >= text.length) {
        return true;
      }
      const at = text.indexOf('@', this.pos);
      if (at < 0) {
        this.pos = text.length;
        return true;
      }
      this.pos = at;
      try {
        this.parseItem();
      } catch (err) {
        if (!(err instanceof Failure)) {
          throw err;
        }
        this.report(err.offset, err.message, 'error');
        this.pos = this.resyncPoint(Math.max(err.offset, at + 1));
      }
    }
    return this.pos >= text.length;
  }

  finish(): BibParseResult {
    this.resolveCrossrefs();
    return { entries: this.entries, errors: this.errors, strings: this.strings, preambles: this.preambles };
  }

  lineOf(offset: number): number {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return lo + 1;
  }

  private report(offset: number, message: string, severity: 'error' | 'warning'): void {
    this.errors.push({ line: this.lineOf(offset), offset, message, severity });
  }

  /** The next `@` that starts a line (after optional blanks), at or after `from`. */
  private resyncPoint(from: number): number {
    const re = /\n[ \t]*@/g;
    re.lastIndex = Math.max(0, from - 1);
    const m = re.exec(this.text);
    return m ? m.index + m[0].length - 1 : this.text.length;
  }

  /** True when a new entry starts at `i` on its own line: `\n  @word{` or `\n@word(`. */
  private entryStartsAt(i: number): boolean {
    const m = /^\n[ \t]*@[A-Za-z]+[ \t]*[{(]/.exec(this.text.slice(i, i + 64));
    return m !== null;
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
        const nl = this.text.indexOf('\n', this.pos);
        this.pos = nl < 0 ? this.text.length : nl + 1;
      } else {
        return;
      }
    }
  }

  private identifier(what: string): string {
    const start = this.pos;
    while (this.pos < this.text.length && IDENT.test(this.text[this.pos])) {
      this.pos++;
    }
    if (this.pos === start) {
      throw new Failure(start, `expected ${what}`);
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
      const lineStart = this.text.lastIndexOf('\n', at - 1) + 1;
      if (type === 'comment' || this.text.slice(lineStart, at).trim() !== '') {
        // `@comment text`, or an @ inside free text (an e-mail address): not an entry.
        this.pos = at + 1;
        return;
      }
      throw new Failure(this.pos, `expected { or ( after @${type}`);
    }
    const close = open === '{' ? '}' : ')';
    this.pos++;
    if (type === 'comment') {
      this.pos = this.skipBalanced(this.pos - 1, open, close);
      return;
    }
    if (type === 'preamble') {
      this.skipSpaceAndComments();
      this.preambles.push(this.value(close));
      this.skipSpaceAndComments();
      this.expect(close, `@preamble`);
      return;
    }
    if (type === 'string') {
      this.skipSpaceAndComments();
      const name = this.identifier('a macro name');
      this.skipSpaceAndComments();
      this.expect('=', `@string{${name}`);
      this.skipSpaceAndComments();
      const value = this.value(close, name, `@string{${name}`);
      this.skipSpaceAndComments();
      this.expect(close, `@string{${name}`);
      if (!this.valueIncomplete) {
        this.strings[name.toLowerCase()] = value;
      }
      return;
    }
    this.parseEntry(type, at, close);
  }

  private expect(ch: string, context: string): void {
    if (this.text[this.pos] !== ch) {
      const found = this.pos >= this.text.length ? 'end of file' : JSON.stringify(this.text[this.pos]);
      throw new Failure(this.pos, `${context}: expected ${JSON.stringify(ch)}, found ${found}`);
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
    this.skipSpaceAndComments();
    let needComma = true;
    for (;;) {
      this.skipSpaceAndComments();
      if (this.pos >= this.text.length) {
        throw new Failure(this.pos, `@${type}{${key}: missing closing ${JSON.stringify(close)} at end of file`);
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
      if (c === '@') {
        throw new Failure(at, `@${type}{${key}: missing closing ${JSON.stringify(close)} before the next entry`);
      }
      if (needComma) {
        // `title = {x}  author = {y}`: keep the entry, say what is wrong.
        this.report(this.pos, `@${type}{${key}: missing comma before field`, 'warning');
      }
      const nameStart = this.pos;
      const name = this.identifier(`a field name in @${type}{${key}`).toLowerCase();
      this.skipSpaceAndComments();
      this.expect('=', `@${type}{${key}, field ${name}`);
      this.skipSpaceAndComments();
      const value = this.value(close, undefined, `@${type}{${key}, field ${name}`);
      if (this.valueIncomplete) {
        // An undefined macro costs only this field.
      } else if (name in fields) {
        this.report(nameStart, `@${type}{${key}: duplicate field ${name} (the first is kept)`, 'warning');
      } else {
        fields[name] = value;
      }
      needComma = true;
    }
    this.entries.push({ type, key, fields, start: at, end: this.pos, keyStart, line: this.lineOf(at) });
  }

  /** A field value: pieces joined by `#`. Undefined macros are warnings; the field keeps what is known. */
  private value(close: string, defining?: string, context = 'value'): string {
    let result = '';
    this.valueIncomplete = false;
    for (;;) {
      this.skipSpaceAndComments();
      const c = this.text[this.pos];
      if (c === '{') {
        const end = this.skipBalanced(this.pos, '{', '}', context);
        result += this.text.slice(this.pos + 1, end - 1);
        this.pos = end;
      } else if (c === '"') {
        result += this.quoted(context);
      } else if (c !== undefined && /[0-9]/.test(c)) {
        const start = this.pos;
        while (this.pos < this.text.length && /[0-9]/.test(this.text[this.pos])) {
          this.pos++;
        }
        result += this.text.slice(start, this.pos);
      } else if (c !== undefined && IDENT.test(c) && c !== close) {
        const start = this.pos;
        const name = this.identifier('a value').toLowerCase();
        if (name === defining?.toLowerCase() || !(name in this.strings || name in MONTHS)) {
          this.report(start, `${context}: undefined macro ${name} (field left out)`, 'warning');
          this.valueIncomplete = true;
        } else {
          result += name in this.strings ? this.strings[name] : MONTHS[name];
        }
      } else {
        throw new Failure(this.pos, `${context}: expected a value`);
      }
      this.skipSpaceAndComments();
      if (this.text[this.pos] === '#') {
        this.pos++;
        continue;
      }
      return result;
    }
  }

  /** A `"…"` value; braces inside protect quotes. */
  private quoted(context: string): string {
    const start = this.pos;
    let depth = 0;
    for (let i = start + 1; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\') {
        i++;
      } else if (c === '{') {
        depth++;
      } else if (c === '}') {
        depth = Math.max(0, depth - 1);
      } else if (c === '"' && depth === 0) {
        this.pos = i + 1;
        return this.text.slice(start + 1, i);
      } else if (c === '\n' && this.entryStartsAt(i)) {
        throw new Failure(start, `${context}: unterminated quoted value`);
      }
    }
    throw new Failure(start, `${context}: unterminated quoted value`);
  }

  /**
   * Index just past the delimiter closing the group opened at `start`. A new entry at the
   * start of a line inside the group means the group was never closed: that is an error
   * here rather than swallowing the rest of the file.
   */
  private skipBalanced(start: number, open: string, close: string, context = 'group'): number {
    let depth = 0;
    for (let i = start; i < this.text.length; i++) {
      const c = this.text[i];
      if (c === '\\' && open === '{') {
        i++;
      } else if (c === open) {
        depth++;
      } else if (c === close) {
        if (--depth === 0) {
          return i + 1;
        }
      } else if (c === '\n' && this.entryStartsAt(i)) {
        throw new Failure(start, `${context}: unbalanced ${JSON.stringify(open)}`);
      }
    }
    throw new Failure(start, `${context}: unbalanced ${JSON.stringify(open)} reaches the end of the file`);
  }

  /** Fills fields missing from entries with `crossref` from the entry they name (one level). */
  private resolveCrossrefs(): void {
    const byKey = new Map<string, BibEntry>();
    for (const e of this.entries) {
      if (!byKey.has(e.key.toLowerCase())) {
        byKey.set(e.key.toLowerCase(), e);
      }
    }
    for (const e of this.entries) {
      const ref = e.fields.crossref;
      if (!ref) {
        continue;
      }
      const parent = byKey.get(ref.toLowerCase());
      if (!parent) {
        this.report(e.start, `@${e.type}{${e.key}: crossref ${ref} not found`, 'warning');
        continue;
      }
      const fields = e.fields as Record<string, string>;
      for (const [name, value] of Object.entries(parent.fields)) {
        if (name === 'title' && parent.fields.title && !fields.booktitle) {
          fields.booktitle = value;
        } else if (!(name in fields) && name !== 'crossref') {
          fields[name] = value;
        }
      }
    }
  }
}
