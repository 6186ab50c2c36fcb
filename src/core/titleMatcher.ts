// Finds whole paper titles written in prose, in one linear pass over the document.
// Both titles and text go through the same tokenizer, which reads past LaTeX markup
// (\emph{…}, {\'e}, ~, --) and Markdown emphasis, folds case and accents and splits
// on punctuation and hyphens; a title matches when its word sequence appears whole.

/** Where each word of a text is, folded. */
export interface Tokens {
  readonly words: string[];
  readonly starts: number[];
  readonly ends: number[];
}

const ACCENT_CHARS = new Set(["'", '`', '^', '"', '~', '=', '.']);
const ACCENT_LETTERS = new Set(['c', 'v', 'u', 'H', 'k', 'r', 'd', 'b', 't']);
const SYMBOL_LETTERS: Record<string, string> = { ss: 'ss', o: 'o', O: 'o', l: 'l', L: 'l', ae: 'ae', AE: 'ae', oe: 'oe', OE: 'oe', aa: 'a', AA: 'a', i: 'i', j: 'j' };
/** Characters that are neither words nor separators: braces, emphasis marks, soft hyphens. */
const ZERO_WIDTH = new Set(['{', '}', '*', '_', '\u00ad', '\u200b']);

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

/** Splits text into folded words with their offsets, reading through LaTeX and Markdown markup. */
export function tokenize(text: string): Tokens {
  const words: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let word = '';
  let wordStart = -1;
  let wordEnd = -1;
  const flush = (): void => {
    if (word) {
      words.push(word);
      starts.push(wordStart);
      ends.push(wordEnd);
    }
    word = '';
    wordStart = -1;
  };
  const append = (folded: string, start: number, end: number): void => {
    if (wordStart < 0) {
      wordStart = start;
    }
    word += folded;
    wordEnd = end;
  };
  const n = text.length;
  let i = 0;
  while (i < n) {
    const code = text.charCodeAt(i);
    // Fast path for ASCII letters and digits.
    if ((code >= 97 && code <= 122) || (code >= 48 && code <= 57)) {
      append(text[i], i, i + 1);
      i++;
      continue;
    }
    if (code >= 65 && code <= 90) {
      append(String.fromCharCode(code + 32), i, i + 1);
      i++;
      continue;
    }
    const ch = text[i];
    if (ch === '\\') {
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
      while (j < n && /[A-Za-z]/.test(text[j])) {
        j++;
      }
      const name = text.slice(i + 1, j);
      if (name.length === 1 && ACCENT_LETTERS.has(name) && (text[j] === '{' || text[j] === ' ')) {
        i = text[j] === ' ' ? j + 1 : j; // \c{c}, \v c
        continue;
      }
      if (SYMBOL_LETTERS[name] !== undefined && !/[A-Za-z]/.test(text[j] ?? '')) {
        append(SYMBOL_LETTERS[name], i, j);
        i = text[j] === ' ' && word ? j + 1 : j;
        continue;
      }
      flush();
      i = Math.max(j, i + 2);
      continue;
    }
    if (ZERO_WIDTH.has(ch)) {
      i++;
      continue;
    }
    if (code > 127) {
      const cp = text.codePointAt(i)!;
      const full = String.fromCodePoint(cp);
      if (/[\p{L}\p{N}]/u.test(full)) {
        append(foldChar(full), i, i + full.length);
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
  return { words, starts, ends };
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
  readonly words: readonly string[];
}

/** Multi-pattern matcher over word sequences: a hash of each title's first three words, then verification. */
export class TitleMatcher {
  private readonly byHead = new Map<string, Candidate[]>();
  private readonly firstWords = new Set<string>();

  constructor(titles: Iterable<{ readonly id: number; readonly title: string }>) {
    for (const { id, title } of titles) {
      const { words } = tokenize(title);
      if (words.length < MIN_TITLE_WORDS || words.join(' ').length < MIN_TITLE_CHARS) {
        continue;
      }
      const head = `${words[0]} ${words[1]} ${words[2]}`;
      const list = this.byHead.get(head);
      if (list) {
        list.push({ id, words });
      } else {
        this.byHead.set(head, [{ id, words }]);
      }
      this.firstWords.add(words[0]);
    }
  }

  /** Number of titles that can be detected. */
  get size(): number {
    let n = 0;
    this.byHead.forEach((l) => (n += l.length));
    return n;
  }

  /** Every whole title in the text, longest first where two start at the same word; no overlaps. */
  find(text: string, tokens: Tokens = tokenize(text)): TitleMatch[] {
    const { words, starts, ends } = tokens;
    const matches: TitleMatch[] = [];
    const last = words.length - MIN_TITLE_WORDS;
    let i = 0;
    while (i <= last) {
      if (!this.firstWords.has(words[i])) {
        i++;
        continue;
      }
      const list = this.byHead.get(`${words[i]} ${words[i + 1]} ${words[i + 2]}`);
      let best: Candidate | undefined;
      if (list) {
        for (const cand of list) {
          if (best && cand.words.length <= best.words.length) {
            continue;
          }
          const w = cand.words;
          if (i + w.length > words.length) {
            continue;
          }
          let ok = true;
          for (let k = 3; k < w.length; k++) {
            if (words[i + k] !== w[k]) {
              ok = false;
              break;
            }
          }
          if (ok) {
            best = cand;
          }
        }
      }
      if (best) {
        matches.push({ id: best.id, start: starts[i], end: ends[i + best.words.length - 1] });
        i += best.words.length;
      } else {
        i++;
      }
    }
    return matches;
  }
}
