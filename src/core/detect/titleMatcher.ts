// Finds whole paper titles written in prose, in one linear pass over the document.
// Both titles and text go through the same tokenizer, which reads past LaTeX markup
// (\emph{…}, {\'e}, ~, --) and Markdown emphasis, folds case and accents and splits
// on punctuation and hyphens; a title matches when its word sequence appears whole,
// in British or American spelling, and is not part of a longer title-like phrase.
import { americanSpelling, spellingVariants } from '../text/spelling';
import { ACCENTS, latexSymbol } from '../text/latexText';
import { fold } from '../text/text';
import { FNV_BASIS, fnvOf, fnvStep } from '../text/fnv';
import { SLICE_MS, ticker } from '../text/slices';

const ACCENT_CHARS = new Set(Object.keys(ACCENTS).filter((k) => !/[A-Za-z]/.test(k)));
const ACCENT_LETTERS = new Set(Object.keys(ACCENTS).filter((k) => /[A-Za-z]/.test(k)));

/** 1 for ASCII letters and digits. */
const ASCII_WORD = new Uint8Array(128);
for (let c = 48; c <= 57; c++) {
  ASCII_WORD[c] = 1;
}
for (let c = 65; c <= 90; c++) {
  ASCII_WORD[c] = 1;
  ASCII_WORD[c + 32] = 1;
}

const foldCache = new Map<string, string>();
function foldChar(ch: string): string {
  let f = foldCache.get(ch);
  if (f === undefined) {
    f = fold(ch);
    foldCache.set(ch, f);
  }
  return f;
}

/** Where each word of a text is, folded, with a 32-bit hash of each word. */
export interface Tokens {
  /** The folded words; only when asked for (titles, verification): the scan of a document skips them. */
  readonly words: string[];
  readonly hashes: Int32Array;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  readonly count: number;
}

/**
 * Splits text into folded words with their offsets, reading through LaTeX and Markdown
 * markup. Each word is hashed as it is read (FNV-1a over its folded characters), so a
 * document scan allocates no strings; `wantWords` also returns the words themselves.
 */
export function tokenize(text: string, wantWords = true): Tokens {
  const words: string[] = [];
  // Room for as many words as a short text can have (a title: tens), grown as needed: three
  // arrays of 1,024 for each of 20,000 titles were 240 MB of allocation per matcher build.
  let cap = Math.min(1024, Math.max(8, text.length));
  let hashes = new Int32Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  let word = '';
  let hash = FNV_BASIS;
  let wordStart = -1;
  let wordEnd = -1;
  const flush = (): void => {
    if (wordStart >= 0) {
      if (count === cap) {
        cap *= 2;
        const grow = (a: Int32Array) => {
          const b = new Int32Array(cap);
          b.set(a);
          return b;
        };
        hashes = grow(hashes);
        starts = grow(starts);
        ends = grow(ends);
      }
      hashes[count] = hash;
      starts[count] = wordStart;
      ends[count] = wordEnd;
      count++;
      if (wantWords) {
        words.push(word);
      }
    }
    word = '';
    hash = FNV_BASIS;
    wordStart = -1;
  };
  const appendFolded = (folded: string, start: number, end: number): void => {
    if (wordStart < 0) {
      wordStart = start;
    }
    for (let k = 0; k < folded.length; k++) {
      hash = fnvStep(hash, folded.charCodeAt(k));
    }
    if (wantWords) {
      word += folded;
    }
    wordEnd = end;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    // Fast path: a run of ASCII letters and digits, lower-cased and hashed in place.
    if (code < 128 && ASCII_WORD[code]) {
      if (wordStart < 0) {
        wordStart = i;
      }
      let j = i;
      while (j < n) {
        let c = text.charCodeAt(j);
        if (c >= 128 || !ASCII_WORD[c]) {
          break;
        }
        if (c <= 90 && c >= 65) {
          c += 32;
        }
        hash = fnvStep(hash, c);
        j++;
      }
      if (wantWords) {
        word += text.slice(i, j).toLowerCase();
      }
      wordEnd = j;
      i = j;
      continue;
    }
    if (code === 92 /* \ */) {
      const next = text[i + 1] ?? '';
      if (ACCENT_CHARS.has(next)) {
        i += 2; // \'e: the accent is dropped by folding anyway
        continue;
      }
      if (next === '-') {
        i += 2; // discretionary hyphen
        continue;
      }
      let j = i + 1;
      while (j < n && isAsciiLetter(text.charCodeAt(j))) {
        j++;
      }
      const name = text.slice(i + 1, j);
      if (name.length === 1 && ACCENT_LETTERS.has(name) && (text[j] === '{' || text[j] === ' ')) {
        i = text[j] === ' ' ? j + 1 : j; // \c{c}, \v c
        continue;
      }
      const symbol = latexSymbol(name);
      const letters = symbol === undefined ? undefined : foldChar(symbol);
      if (letters !== undefined && /^[\p{L}\p{N}]+$/u.test(letters)) {
        const inWord = wordStart >= 0;
        appendFolded(letters, i, j);
        i = text[j] === ' ' && inWord ? j + 1 : j;
        continue;
      }
      flush();
      i = Math.max(j, i + 2);
      continue;
    }
    if (code === 123 || code === 125 || code === 42 || code === 95 || code === 0xad || code === 0x200b) {
      i++; // braces, emphasis marks, soft hyphens: neither words nor separators
      continue;
    }
    if (code > 127) {
      const cp = text.codePointAt(i)!;
      const full = String.fromCodePoint(cp);
      if (/[\p{L}\p{N}]/u.test(full)) {
        appendFolded(foldChar(full), i, i + full.length);
      } else if (!/\p{M}/u.test(full)) {
        flush();
      }
      i += full.length;
      continue;
    }
    flush();
    i++;
  }
  flush();
  return { words, hashes, starts, ends, count };
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A title found in text. */
export interface TitleMatch {
  readonly id: number;
  readonly start: number;
  readonly end: number;
}

/** Titles shorter than this are too likely to be ordinary phrases to detect in prose. */
export const MIN_TITLE_WORDS = 3;
export const MIN_TITLE_CHARS = 15;

/** A paper's title as the matcher holds it: filed under its head, or too short to be (no hashes). */
interface Candidate {
  readonly id: number;
  /** The title it was given, to tell whether the paper's title changed. */
  readonly title: string;
  readonly head: number;
  readonly hashes: Int32Array;
  readonly words: string;
  /** The last update that found this paper in the library. */
  seen: number;
}

const NO_HASHES = new Int32Array(0);

const headKey = (a: number, b: number, c: number): number => Math.imul(Math.imul(a, 31) ^ b, 31) ^ c;

/** A bit table of 2^20 bits (128 KB) over word hashes: with 100k titles' first words set, about 1% of other words hit a set bit. */
const BIT_TABLE_WORDS = 1 << 15;
const bitOf = (hash: number): number => (hash ^ (hash >>> 20)) & 0xfffff;
function mark(table: Uint32Array, hash: number): void {
  const bit = bitOf(hash);
  table[bit >>> 5] |= 1 << (bit & 31);
}
function has(table: Uint32Array, hash: number): boolean {
  const bit = bitOf(hash);
  return (table[bit >>> 5] & (1 << (bit & 31))) !== 0;
}


/**
 * Multi-pattern matcher over word sequences: each title is filed under a hash of its
 * first three words (in American spelling); the document's word hashes are looked up
 * position by position (a British spelling of a title word maps to its American hash),
 * candidates compared hash by hash and then word by word. Linear in the document.
 */
export class TitleMatcher {
  private readonly byHead = new Map<number, Candidate[]>();
  /** Hash of a spelling variant of a title word → hash of its American form. */
  private readonly canon = new Map<number, number>();
  /**
   * Bit tables over the hashes of first words, of three-word heads and of spelling
   * variants: a clear bit spares a lookup. With 100k titles most words of a paper are
   * some title's first word, and the head's bit spares most of those the Map.
   */
  private readonly firstBits = new Uint32Array(BIT_TABLE_WORDS);
  private readonly headBits = new Uint32Array(BIT_TABLE_WORDS);
  private readonly canonBits = new Uint32Array(BIT_TABLE_WORDS);
  private titles = 0;
  /** Every paper's title the matcher was given, by id (short ones too). */
  private readonly held = new Map<number, Candidate>();
  private updates = 0;

  constructor(titles: Iterable<{ readonly id: number; readonly title: string }> = []) {
    for (const paper of titles) {
      this.put(paper.id, paper.title, 0);
    }
  }

  /**
   * Builds a matcher in slices of the shared length (SLICE_MS), awaiting `pause` between
   * them. Slices of 2,000 titles took 57–170 ms each in Node and 145–640 ms in the
   * browser's worker (20,000 generated titles, out/tmp/chromespeed.ts).
   */
  static async buildInSlices(titles: readonly { readonly id: number; readonly title: string }[], pause: () => Promise<void>): Promise<TitleMatcher> {
    const matcher = new TitleMatcher();
    await matcher.updateInSlices(titles, pause);
    return matcher;
  }

  /**
   * Makes this matcher hold exactly `titles`, in slices: a paper whose title is the one it
   * was given is passed over, a changed or new one is filed again, and one no longer in
   * `titles` is taken out. A save of one entry in a 100,000-entry library tokenized every
   * title again (2.7 s of the host's, its allocations the edit's longest blocks); now it
   * tokenizes that one. Matches found meanwhile may see part of the change: callers scan
   * again once it is done. Stopped at a pause (a later update came), it is left holding
   * part of the change, which the next update completes.
   */
  async updateInSlices(titles: readonly { readonly id: number; readonly title: string }[], pause: () => Promise<void>, sliceMs = SLICE_MS): Promise<this> {
    const update = ++this.updates;
    const tick = ticker(pause, sliceMs);
    let held = 0;
    for (const { id, title } of titles) {
      await tick();
      if (this.put(id, title, update)) {
        held++;
      }
    }
    if (this.held.size > held) {
      for (const had of this.held.values()) {
        await tick();
        if (had.seen !== update) {
          this.remove(had);
        }
      }
    }
    return this;
  }

  /** Holds `title` as paper `id`'s, filed again only if it changed; whether `id` is new to this update. */
  private put(id: number, title: string, update: number): boolean {
    const had = this.held.get(id);
    const first = had?.seen !== update;
    if (had?.title === title) {
      had.seen = update;
      return first;
    }
    if (had) {
      this.remove(had);
    }
    this.add(id, title).seen = update;
    return first;
  }

  /**
   * Takes a title out of its head's list. The bits and spelling variants it set stay: a
   * set bit costs a lookup, and a variant's entry maps a spelling to its American form's
   * hash whichever title brought it (a function of the word).
   */
  private remove(had: Candidate): void {
    this.held.delete(had.id);
    if (had.hashes.length === 0) {
      return;
    }
    const list = this.byHead.get(had.head)!;
    list.splice(list.indexOf(had), 1);
    if (list.length === 0) {
      this.byHead.delete(had.head);
    }
    this.titles--;
  }

  /** Files one title under the hash of its first three words (short titles are only held). */
  private add(id: number, title: string): Candidate {
    const t = tokenize(title);
    if (t.count < MIN_TITLE_WORDS || t.words.join(' ').length < MIN_TITLE_CHARS) {
      const short: Candidate = { id, title, head: 0, hashes: NO_HASHES, words: '', seen: 0 };
      this.held.set(id, short);
      return short;
    }
    const variants = t.words.map(spellingVariants);
    // (A word's American form is its first variant.)
    const words = variants.map((v) => v[0]);
    const hashes = Int32Array.from(words, (w) => fnvOf(w));
    words.forEach((word, k) => {
      for (const variant of variants[k]) {
        const h = fnvOf(variant);
        if (h !== hashes[k]) {
          this.canon.set(h, hashes[k]);
          mark(this.canonBits, h);
        }
      }
      const written = fnvOf(t.words[k]);
      if (word !== t.words[k] && written !== hashes[k]) {
        this.canon.set(written, hashes[k]);
        mark(this.canonBits, written);
      }
    });
    const head = headKey(hashes[0], hashes[1], hashes[2]);
    const cand: Candidate = { id, title, head, hashes, words: words.join(' '), seen: 0 };
    const list = this.byHead.get(head);
    if (list) {
      list.push(cand);
    } else {
      this.byHead.set(head, [cand]);
    }
    this.held.set(id, cand);
    mark(this.firstBits, hashes[0]);
    mark(this.headBits, head);
    this.titles++;
    return cand;
  }

  /** Number of titles that can be detected. */
  get size(): number {
    return this.titles;
  }

  private canonical(hash: number): number {
    return this.canon.get(hash) ?? hash;
  }

  /**
   * Every whole title in the text, the longest where two start at the same word; no
   * overlaps. A title that is only part of a longer title-like phrase ("Model-Ensemble
   * Trust-Region Policy Optimization" around "Trust Region Policy Optimization") is
   * not claimed: see continuesLongerTitle.
   */
  find(text: string, tokens: Tokens = tokenize(text, false)): TitleMatch[] {
    const { starts, ends, count } = tokens;
    // Every word in its American spelling, looked up once: most words are no variant
    // of anything, and the bit table says so without a lookup.
    const hashes = new Int32Array(count);
    for (let k = 0; k < count; k++) {
      const h = tokens.hashes[k];
      hashes[k] = has(this.canonBits, h) ? this.canonical(h) : h;
    }
    const matches: TitleMatch[] = [];
    const last = count - MIN_TITLE_WORDS;
    let i = 0;
    while (i <= last) {
      const first = hashes[i];
      if (!has(this.firstBits, first)) {
        i++;
        continue;
      }
      const head = headKey(first, hashes[i + 1], hashes[i + 2]);
      if (!has(this.headBits, head)) {
        i++;
        continue;
      }
      const list = this.byHead.get(head);
      let best: Candidate | undefined;
      if (list) {
        for (const cand of list) {
          const w = cand.hashes;
          // The longest title; of two the same length (two papers' titles the same), the
          // lower id, in whatever order they were filed.
          if ((best && (w.length < best.hashes.length || (w.length === best.hashes.length && cand.id > best.id))) || i + w.length > count) {
            continue;
          }
          let ok = true;
          for (let k = 0; k < w.length; k++) {
            if (hashes[i + k] !== w[k]) {
              ok = false;
              break;
            }
          }
          // Hashes can collide: confirm with the words themselves (matches are rare).
          if (ok && tokenize(text.slice(starts[i], ends[i + w.length - 1])).words.map(americanSpelling).join(' ') === cand.words) {
            best = cand;
          }
        }
      }
      if (best && !continuesLongerTitle(text, tokens, i, best.hashes.length)) {
        matches.push({ id: best.id, start: starts[i], end: ends[i + best.hashes.length - 1] });
        i += best.hashes.length;
      } else {
        i++;
      }
    }
    return matches;
  }
}

/** Words that may stand capitalised next to a title without being part of it. */
const FUNCTION_WORDS = new Set(
  ('a an the and or but nor of in on at to for from by with without via as is are was were be in into onto ' +
    'our their its his her my your this that these those see cf also e g i ie eg vs versus than like unlike ' +
    'using use uses apply applying after before since while when where which who whose both either').split(' '),
);

/**
 * What, just before a word, makes it the first of a sentence, heading or LaTeX argument:
 * sentence punctuation or an opening bracket or quote, a blank line, a `#` heading, a
 * `\section{`; or a list bullet at the start of its line.
 */
const SENTENCE_START = /(?:[.!?:;([{"“‘'#>|]|\n[ \t]*\n|\\[A-Za-z]+\*?(?:\[[^\]]*\])?\{)\s*$/;
const BULLET_START = /\n[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+$/;

/** Whether the word starting at `at` begins a sentence, a heading, a list item or the text. */
function startsSentence(text: string, at: number): boolean {
  const from = Math.max(0, at - 200);
  const before = (from === 0 ? '\n' : '') + text.slice(from, at);
  return /^\n\s*$/.test(before) || SENTENCE_START.test(before) || BULLET_START.test(before);
}

function isCapitalised(word: string): boolean {
  return /^\p{Lu}\p{Ll}/u.test(word);
}

/** The raw text between two tokens, without emphasis markup (braces, `*`, `_`, `~` as a space). */
function gapBetween(text: string, from: number, to: number): string {
  return text.slice(from, to).replace(/\\(?:emph|textit|textbf|textsc|textsl|texttt|mbox)\s*\{|[{}*_]/g, '').replace(/~/g, ' ');
}

/**
 * Whether the words around a title mention continue a longer title-like phrase, so that
 * the mention is part of another title rather than this one: a word hyphen-joined to it
 * ("Model-Ensemble Trust-Region Policy Optimization"), a capitalised word glued to a
 * capitalised mention that does not start a sentence ("Using Model Ensemble Trust Region
 * Policy Optimization", "… Optimization Revisited"), or a Markdown link text that holds
 * more words than the title.
 */
export function continuesLongerTitle(text: string, tokens: Tokens, i: number, length: number): boolean {
  const { starts, ends, count } = tokens;
  const start = starts[i];
  const end = ends[i + length - 1];
  const word = (k: number) => text.slice(starts[k], ends[k]);
  const titleCased = isCapitalised(word(i));
  if (i > 0) {
    const gap = gapBetween(text, ends[i - 1], start);
    if (/^[-‐‑]$/.test(gap)) {
      return true;
    }
    const prev = word(i - 1);
    if (titleCased && /^[ \t]+$/.test(gap) && isCapitalised(prev) && !FUNCTION_WORDS.has(prev.toLowerCase())) {
      if (!startsSentence(text, starts[i - 1])) {
        return true;
      }
    }
  }
  if (i + length < count) {
    const gap = gapBetween(text, end, starts[i + length]);
    if (/^[-‐‑]$/.test(gap)) {
      return true;
    }
    const next = word(i + length);
    if (titleCased && /^[ \t]+$/.test(gap) && isCapitalised(next) && !FUNCTION_WORDS.has(next.toLowerCase())) {
      return true;
    }
  }
  return insideLongerLinkText(text, start, end);
}

/**
 * A Markdown link text `[…](` (or image alt text) around the mention that holds other
 * words joined to it: the link names a longer title. A parenthetical (`(TRPO)`), quotes,
 * a label before a colon (`Paper: …`) or a file extension (`….pdf`) are not other words.
 */
function insideLongerLinkText(text: string, start: number, end: number): boolean {
  let open = -1;
  for (let k = start - 1; k >= 0 && start - k < 300; k--) {
    const c = text[k];
    if (c === '[') {
      open = k;
      break;
    }
    if (c === ']' || (c === '\n' && text[k - 1] === '\n')) {
      return false;
    }
  }
  if (open < 0) {
    return false;
  }
  const close = text.indexOf(']', end);
  if (close < 0 || close - end > 300 || text[close + 1] !== '(') {
    return false;
  }
  const before = text.slice(open + 1, start).replace(/^.*[:—–|]\s*/s, '');
  const after = text
    .slice(end, close)
    .replace(/\([^()]*\)|\[[^[\]]*\]/g, '')
    .replace(/\.[A-Za-z0-9]{2,4}\s*$/, '');
  const words = (s: string) => /[\p{L}\p{N}]/u.test(s);
  return words(before) || words(after);
}
