// Personal names as BibTeX reads them: "First von Last", "von Last, First" and
// "von Last, Jr, First" (the case of each word's first letter tells von from the rest),
// biblatex's extended form ("family=Doe, given=Jane, prefix=van"), and the display
// strings Paperscope stores ("Jane van Doe Jr."). One grammar for keys, bylines,
// grouping and the entries we write.
import { latexToText } from '../text/latexText';

/** A name in BibTeX's four parts (LaTeX turned into text). */
export interface PersonName {
  readonly first: string;
  readonly von: string;
  readonly last: string;
  readonly jr: string;
}

const JR = /^(?:jr|sr|jnr|snr|ii|iii|iv)\.?$/i;
// (Regular expressions of the hot paths as constants: a literal in a function makes a new
// object each time it is evaluated — for each name, word or character read.)
const LETTER = /\p{L}/u;
const SPECIAL_CASE = /^\{\\[^A-Za-z]?([A-Za-z]+)?\s*\{?([A-Za-z])?/;
const EXTENDED_PART = /^\s*(family|given|prefix|suffix)\s*=/i;

/**
 * Whether a code unit is white space as `\s` reads it. Name lists are split a character
 * at a time, and a regular expression tried on each character was most of it.
 */
export function isWhiteSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || (c >= 0xa0 && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** Splits at `sep` where braces are balanced (depth 0); with `braces` false, braces are plain characters. */
function splitTopLevel(text: string, isSep: (text: string, i: number) => number, braces = true): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (braces && c === 123) {
      depth++; // {
    } else if (braces && c === 125) {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) {
      const len = isSep(text, i);
      if (len > 0) {
        parts.push(text.slice(start, i));
        i += len - 1;
        start = i + 1;
      }
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/**
 * The length of ` and ` at `i` in `t` (white space, "and" in any case, white space), 0
 * when there is none, read within the 16 characters from `i` as it always was (a longer
 * run of blanks is met again from a later one): a character at a time, where a regular
 * expression on a slice at each blank of every author list was a tenth of reading names.
 */
function andAt(t: string, i: number): number {
  const end = Math.min(t.length, i + AND_WINDOW);
  let j = i;
  while (j < end && isWhiteSpace(t.charCodeAt(j))) {
    j++;
  }
  if (j === i || j + 3 >= end || (t.charCodeAt(j) | 32) !== 97 || (t.charCodeAt(j + 1) | 32) !== 110 || (t.charCodeAt(j + 2) | 32) !== 100) {
    return 0; // (a, n, d: the bit 32 folds their upper case)
  }
  let k = j + 3;
  while (k < end && isWhiteSpace(t.charCodeAt(k))) {
    k++;
  }
  return k === j + 3 ? 0 : k - i;
}

/** How far `andAt` reads. */
const AND_WINDOW = 16;

/** A BibTeX name list split on top-level `and` (`others` dropped), each name as written. */
export function splitNameList(field: string): string[] {
  return splitTopLevel(field, andAt)
    .map((n) => n.trim())
    .filter((n) => n !== '' && n.toLowerCase() !== 'others');
}

/**
 * The case of a name word as BibTeX decides it: the first letter at brace depth 0, or of
 * a special character `{\'e}`; a word whose letters are all inside braces is caseless
 * (counted as upper case, as BibTeX does).
 */
function isLowerWord(word: string): boolean {
  let depth = 0;
  for (let i = 0; i < word.length; i++) {
    const c = word[i];
    if (c === '{') {
      if (depth === 0 && word[i + 1] === '\\') {
        // A special character: its case is that of the first letter after the command.
        const m = SPECIAL_CASE.exec(word.slice(i));
        const letter = m?.[1] && m[1].length === 1 ? m[1] : (m?.[2] ?? m?.[1]?.[0]);
        return letter !== undefined && letter === letter.toLowerCase() && letter !== letter.toUpperCase();
      }
      depth++;
    } else if (c === '}') {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0 && LETTER.test(c)) {
      return c === c.toLowerCase() && c !== c.toUpperCase();
    }
  }
  return false;
}

/** How a name is written: BibTeX's LaTeX (braces group, `~` ties, specials) or Paperscope's plain display text. */
interface Syntax {
  readonly words: (part: string) => string[];
  readonly text: (latex: string) => string;
  readonly isLower: (word: string) => boolean;
  readonly split: (text: string, isSep: (text: string, i: number) => number) => string[];
}

const LATEX: Syntax = {
  words: (part) =>
    splitTopLevel(part.trim(), (t, i) => {
      const c = t.charCodeAt(i);
      return c === 126 || isWhiteSpace(c) ? 1 : 0; // ~ or white space
    }).filter((w) => w !== ''),
  text: latexToText,
  isLower: isLowerWord,
  split: splitTopLevel,
};

const PLAIN: Syntax = {
  words: (part) => part.trim().split(/\s+/).filter((w) => w !== ''),
  text: (t) => t.replace(/\s+/g, ' ').trim(),
  isLower: (word) => {
    const c = /\p{L}/u.exec(word)?.[0];
    return c !== undefined && c === c.toLowerCase() && c !== c.toUpperCase();
  },
  split: (text, isSep) => splitTopLevel(text, isSep, false),
};

/** biblatex's extended name format: `family=Doe, given=Jane, prefix=van, suffix=Jr.`. */
function extendedName(parts: readonly string[]): PersonName | undefined {
  const fields: Record<string, string> = {};
  for (const p of parts) {
    const m = /^\s*([a-z-]+)\s*=\s*(.*)$/is.exec(p);
    if (!m) {
      return undefined;
    }
    fields[m[1].toLowerCase()] = m[2].trim().replace(/^"(.*)"$/s, '$1');
  }
  if (!('family' in fields) && !('given' in fields)) {
    return undefined;
  }
  const text = (v: string | undefined) => (v ? latexToText(v) : '');
  return { first: text(fields.given), von: text(fields.prefix), last: text(fields.family), jr: text(fields.suffix) };
}

/**
 * Parses one name in any of BibTeX's three forms (or biblatex's extended form). `latex`
 * false reads a display name (plain text: braces and backslashes are just characters).
 */
export function parseName(raw: string, latex = true): PersonName {
  const syntax = latex ? LATEX : PLAIN;
  const words = syntax.words;
  const join = (ws: readonly string[]): string => syntax.text(ws.join(' '));
  const isLower = syntax.isLower;
  const parts = syntax.split(raw.trim(), (t, i) => (t[i] === ',' ? 1 : 0)).map((p) => p.trim());
  const extended = latex && raw.includes('=') && parts.some((p) => EXTENDED_PART.test(p)) ? extendedName(parts) : undefined;
  if (extended) {
    return extended;
  }
  if (parts.length >= 2) {
    // "von Last, First" or "von Last, Jr, First": von is the leading lower-case words, Last the rest (at least one word).
    const head = words(parts[0]);
    let lastVon = -1;
    for (let i = 0; i < head.length - 1; i++) {
      if (isLower(head[i])) {
        lastVon = i;
      }
    }
    return {
      von: join(head.slice(0, lastVon + 1)),
      last: join(head.slice(lastVon + 1)),
      jr: parts.length >= 3 ? syntax.text(parts[1]) : '',
      first: syntax.text(parts.length >= 3 ? parts.slice(2).join(', ') : parts[1]),
    };
  }
  // "First von Last": von runs from the first to the last lower-case word before the final word.
  let ws = words(parts[0]);
  let jr = '';
  if (ws.length >= 3 && JR.test(syntax.text(ws[ws.length - 1]))) {
    // A display name written "First Last Jr." keeps its suffix apart (BibTeX itself would not).
    jr = syntax.text(ws[ws.length - 1]);
    ws = ws.slice(0, -1);
  }
  if (ws.length <= 1) {
    return { first: '', von: '', last: join(ws), jr };
  }
  let vonStart = -1;
  let vonEnd = -1;
  for (let i = 0; i < ws.length - 1; i++) {
    if (isLower(ws[i])) {
      if (vonStart < 0) {
        vonStart = i;
      }
      vonEnd = i;
    }
  }
  if (vonStart < 0) {
    return { first: join(ws.slice(0, -1)), von: '', last: join(ws.slice(-1)), jr };
  }
  return { first: join(ws.slice(0, vonStart)), von: join(ws.slice(vonStart, vonEnd + 1)), last: join(ws.slice(vonEnd + 1)), jr };
}

/** The name as people read it and Paperscope stores it: "John von Neumann Jr.". */
export function displayName(n: PersonName): string {
  return [n.first, n.von, n.last, n.jr].filter(Boolean).join(' ');
}

/** The family name shown in bylines and groups: von and Last ("von Neumann", "Laborieux"). */
export function familyName(name: string): string {
  const n = parseName(name, false);
  return [n.von, n.last].filter(Boolean).join(' ');
}

/**
 * A display name as a BibTeX author: "von Last, Jr, First", each part escaped by
 * `escape` and braced where BibTeX would split it wrongly (a comma or "and" inside).
 */
export function bibtexName(name: string, escape: (text: string) => string = (t) => t): string {
  if (/\sand\s/i.test(` ${name} `)) {
    return `{${escape(name)}}`; // "Barnes and Noble": one name, not two
  }
  const n = parseName(name, false);
  const protect = (s: string) => {
    const e = escape(s);
    return /,|\sand\s/i.test(` ${e} `) ? `{${e}}` : e;
  };
  const lastPart = [n.von ? escape(n.von) : '', protect(n.last)].filter(Boolean).join(' ');
  if (!n.first && !n.jr) {
    return lastPart;
  }
  return n.jr ? `${lastPart}, ${protect(n.jr)}, ${protect(n.first)}` : `${lastPart}, ${protect(n.first)}`;
}

/** A BibTeX author or editor field as display names: "Laborieux, Axel and von Neumann, Jr, John" → ["Axel Laborieux", "John von Neumann Jr"]. */
export function namesFromField(field: string): string[] {
  return splitNameList(field)
    .map((raw) => displayName(parseName(raw)))
    .filter(Boolean);
}

/** "Laborieux, Zenke" or "A, B, C et al." — family names, three at most. */
export function shortAuthors(authors: readonly string[], max = 3): string {
  if (authors.length === 0) {
    return 'Unknown authors';
  }
  const names = authors.slice(0, max).map(familyName);
  return authors.length > max ? `${names.join(', ')} et al.` : names.join(', ');
}

/** "Laborieux et al." for lists where space is short. */
export function leadAuthor(authors: readonly string[]): string {
  if (authors.length === 0) {
    return 'Anonymous';
  }
  const first = familyName(authors[0]);
  if (authors.length === 1) {
    return first;
  }
  if (authors.length === 2) {
    return `${first} & ${familyName(authors[1])}`;
  }
  return `${first} et al.`;
}
