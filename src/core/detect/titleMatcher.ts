import { lookupTable } from '../text/lookup';
// Finds whole paper titles written in prose, in one linear pass over the document.
// Both titles and text go through the same tokenizer, which reads past LaTeX markup
// (\emph{…}, {\'e}, ~, --) and Markdown emphasis, folds case and accents and splits
// on punctuation and hyphens; a title matches when its word sequence appears whole.

const ACCENT_CHARS = new Set(["'", '`', '^', '"', '~', '=', '.']);
const ACCENT_LETTERS = new Set(['c', 'v', 'u', 'H', 'k', 'r', 'd', 'b', 't']);
const SYMBOL_LETTERS: Readonly<Record<string, string>> = lookupTable({ ss: 'ss', o: 'o', O: 'o', l: 'l', L: 'l', ae: 'ae', AE: 'ae', oe: 'oe', OE: 'oe', aa: 'a', AA: 'a', i: 'i', j: 'j' });

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
    f = ch.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase();
    const special: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
    f = special[f] ?? f;
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

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 16777619;

/**
 * Splits text into folded words with their offsets, reading through LaTeX and Markdown
 * markup. Each word is hashed as it is read (FNV-1a over its folded characters), so a
 * document scan allocates no strings; `wantWords` also returns the words themselves.
 */
export function tokenize(text: string, wantWords = true): Tokens {
  const words: string[] = [];
  let cap = 1024;
  let hashes = new Int32Array(cap);
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let count = 0;
  let word = '';
  let hash = FNV_OFFSET;
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
    hash = FNV_OFFSET;
    wordStart = -1;
  };
  const appendFolded = (folded: string, start: number, end: number): void => {
    if (wordStart < 0) {
      wordStart = start;
    }
    for (let k = 0; k < folded.length; k++) {
      hash = Math.imul(hash ^ folded.charCodeAt(k), FNV_PRIME);
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
        hash = Math.imul(hash ^ c, FNV_PRIME);
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
      if (SYMBOL_LETTERS[name] !== undefined) {
        const inWord = wordStart >= 0;
        appendFolded(SYMBOL_LETTERS[name], i, j);
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

interface Candidate {
  readonly id: number;
  readonly hashes: Int32Array;
  readonly words: string;
}

const headKey = (a: number, b: number, c: number): number => Math.imul(Math.imul(a, 31) ^ b, 31) ^ c;

/**
 * Multi-pattern matcher over word sequences: each title is filed under a hash of its
 * first three words; the document's word hashes are looked up position by position,
 * candidates compared hash by hash and then word by word. Linear in the document.
 */
export class TitleMatcher {
  private readonly byHead = new Map<number, Candidate[]>();
  private readonly firstWords = new Set<number>();
  private titles = 0;

  constructor(titles: Iterable<{ readonly id: number; readonly title: string }> = []) {
    for (const paper of titles) {
      this.add(paper.id, paper.title);
    }
  }

  /** Builds a matcher in slices of `slice` titles, awaiting `pause` between them. */
  static async buildInSlices(
    titles: readonly { readonly id: number; readonly title: string }[],
    pause: () => Promise<void>,
    slice = 2000,
  ): Promise<TitleMatcher> {
    const matcher = new TitleMatcher();
    for (let i = 0; i < titles.length; i++) {
      if (i > 0 && i % slice === 0) {
        await pause();
      }
      matcher.add(titles[i].id, titles[i].title);
    }
    return matcher;
  }

  /** Files one title under the hash of its first three words (short titles are skipped). */
  private add(id: number, title: string): void {
    {
      const t = tokenize(title);
      if (t.count < MIN_TITLE_WORDS || t.words.join(' ').length < MIN_TITLE_CHARS) {
        return;
      }
      const hashes = t.hashes.slice(0, t.count);
      const head = headKey(hashes[0], hashes[1], hashes[2]);
      const cand = { id, hashes, words: t.words.join(' ') };
      const list = this.byHead.get(head);
      if (list) {
        list.push(cand);
      } else {
        this.byHead.set(head, [cand]);
      }
      this.firstWords.add(hashes[0]);
      this.titles++;
    }
  }

  /** Number of titles that can be detected. */
  get size(): number {
    return this.titles;
  }

  /** Every whole title in the text, the longest where two start at the same word; no overlaps. */
  find(text: string, tokens: Tokens = tokenize(text, false)): TitleMatch[] {
    const { hashes, starts, ends, count } = tokens;
    const matches: TitleMatch[] = [];
    const last = count - MIN_TITLE_WORDS;
    let i = 0;
    while (i <= last) {
      if (!this.firstWords.has(hashes[i])) {
        i++;
        continue;
      }
      const list = this.byHead.get(headKey(hashes[i], hashes[i + 1], hashes[i + 2]));
      let best: Candidate | undefined;
      if (list) {
        for (const cand of list) {
          const w = cand.hashes;
          if ((best && w.length <= best.hashes.length) || i + w.length > count) {
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
          if (ok && tokenize(text.slice(starts[i], ends[i + w.length - 1])).words.join(' ') === cand.words) {
            best = cand;
          }
        }
      }
      if (best) {
        matches.push({ id: best.id, start: starts[i], end: ends[i + best.hashes.length - 1] });
        i += best.hashes.length;
      } else {
        i++;
      }
    }
    return matches;
  }
}
