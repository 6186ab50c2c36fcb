// Where the cursor is with respect to citations, and what inserting keys there means.
import type { DocumentKind } from '../detect/mask';
import { citeCommand } from './citeCommands';
import { citationGroupStart, mayPrecedeCitation, PANDOC_CITATION, PANDOC_KEY_CHAR } from './pandocCitation';

/** The cursor inside something that takes citation keys. */
export interface CitationContext {
  readonly syntax: 'latex' | 'pandoc';
  /** The partial key before the cursor (may be empty), which completion replaces. */
  readonly prefix: string;
  readonly prefixStart: number;
  /** LaTeX: the offset of the group's `{`. Pandoc: the `[` of an enclosing bracket group, if any. */
  readonly groupStart?: number;
  /** Keys already in the group. */
  readonly existingKeys: readonly string[];
  /** Pandoc: the cursor follows an `@` (a key is being typed). */
  readonly afterAt: boolean;
}

const LOOKBACK = 2000;
/** A command and its arguments up to a group's `{`: `\cites[p][q]{a}[r]`. */
const COMMAND_BEFORE_GROUP = /\\([A-Za-z]+)\*?((?:\s*\[[^\]]*\]){0,2}(?:\s*\{[^{}]*\}(?:\s*\[[^\]]*\]){0,2})*)\s*$/;

/** Whether the `{` at `brace` opens a key group of a citation command (the one table). */
function isKeyGroup(text: string, brace: number, extra?: ReadonlySet<string>): boolean {
  const m = COMMAND_BEFORE_GROUP.exec(text.slice(Math.max(0, brace - 400), brace));
  const command = m ? citeCommand(m[1], extra) : undefined;
  if (!m || !command) {
    return false;
  }
  const groupsBefore = (m[2].match(/\{/g) ?? []).length;
  if (command.multi) {
    return true;
  }
  return command.keysArg === 2 ? groupsBefore === 1 : groupsBefore === 0;
}

/** The LaTeX citation group around the cursor, if any: `\cite[..]{a,b|`. */
function latexContext(text: string, offset: number, extra?: ReadonlySet<string>): CitationContext | undefined {
  const from = Math.max(0, offset - LOOKBACK);
  let brace = -1;
  for (let i = offset - 1; i >= from; i--) {
    const c = text[i];
    if (c === '{') {
      brace = i;
      break;
    }
    if (c === '}' || c === '\\' || (c === '\n' && text[i - 1] === '\n')) {
      return undefined;
    }
  }
  if (brace < 0 || !isKeyGroup(text, brace, extra)) {
    return undefined;
  }
  let close = text.indexOf('}', offset);
  const nextOpen = text.indexOf('{', offset);
  if (close < 0 || (nextOpen >= 0 && nextOpen < close) || close - offset > LOOKBACK) {
    close = offset;
  }
  // Keys hold no spaces, so everything since the last comma is what is being typed:
  // a key's start, or words to search for (`\cite{equilibrium prop`).
  let prefixStart = offset;
  while (prefixStart > brace + 1 && text[prefixStart - 1] !== ',') {
    prefixStart--;
  }
  while (prefixStart < offset && /\s/.test(text[prefixStart])) {
    prefixStart++;
  }
  const existingKeys = text
    .slice(brace + 1, close)
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  return {
    syntax: 'latex',
    prefix: text.slice(prefixStart, offset),
    prefixStart,
    groupStart: brace,
    existingKeys,
    afterAt: false,
  };
}

/** The Pandoc context: after `@partial` (words, inside brackets), and/or inside `[ … ]` that cites. */
function pandocContext(text: string, offset: number): CitationContext | undefined {
  let i = offset;
  while (i > 0 && offset - i < 200 && PANDOC_KEY_CHAR.test(text[i - 1])) {
    i--;
  }
  let atBefore = text[i - 1] === '@' && mayPrecedeCitation(text[i - 2], text[i - 3]);
  let prefixStart = i;
  const group = citationGroupStart(text, offset);
  let existingKeys: string[] = [];
  if (group !== undefined) {
    const close = text.indexOf(']', offset);
    const inner = text.slice(group + 1, close >= 0 && close - offset < LOOKBACK ? close : offset);
    existingKeys = [...inner.matchAll(PANDOC_CITATION)].map((m) => m[2] ?? m[3]);
    if (!atBefore) {
      // `[@equilibrium prop|`: the words since the last `@` of the group are one query.
      const at = text.lastIndexOf('@', offset - 1);
      const words = at > group ? text.slice(at + 1, offset) : '';
      if (at > group && words.trim() !== '' && !/[;,\]\n]/.test(words) && mayPrecedeCitation(text[at - 1], text[at - 2])) {
        atBefore = true;
        prefixStart = at + 1;
      }
    }
    if (existingKeys.length === 0 && !atBefore) {
      return undefined; // [ordinary brackets] are not a citation group
    }
  }
  if (!atBefore && group === undefined) {
    return undefined;
  }
  return {
    syntax: 'pandoc',
    prefix: atBefore ? text.slice(prefixStart, offset) : '',
    prefixStart: atBefore ? prefixStart : offset,
    groupStart: group,
    existingKeys,
    afterAt: atBefore,
  };
}

/** The citation context at an offset, for completion and for extending groups. */
export function citationContextAt(
  text: string,
  offset: number,
  kind: DocumentKind,
  extraCommands?: ReadonlySet<string>,
): CitationContext | undefined {
  return kind === 'latex' ? latexContext(text, offset, extraCommands) : pandocContext(text, offset);
}

/** A text replacement: put `text` in place of [start, end). */
export interface Insertion {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * Where keys go when the cursor is inside a key already in a group: after that key,
 * never splitting it (`\cite{a,b|c}` inserts after `bc`).
 */
function afterKeyUnderCursor(text: string, offset: number, kind: DocumentKind): number {
  const isKeyChar = kind === 'latex' ? (c: string | undefined) => c !== undefined && !/[\s,{}]/.test(c) : (c: string | undefined) => c !== undefined && PANDOC_KEY_CHAR.test(c);
  if (!isKeyChar(text[offset - 1]) || !isKeyChar(text[offset])) {
    return offset;
  }
  let end = offset;
  while (end < text.length && end - offset < 400 && isKeyChar(text[end])) {
    end++;
  }
  // A Pandoc key does not end in punctuation (`@key.` ends before the dot).
  while (kind === 'markdown' && end > offset && /[:.#$%&\-+?<>~/]/.test(text[end - 1])) {
    end--;
  }
  return end;
}

/**
 * What inserting citations for `keys` at `offset` means: a new `\cite{a,b}` or
 * `[@a; @b]`, or, inside an existing group, the keys added to it
 * (`\cite{a,|}` → `\cite{a,key}`, `[@a|]` → `[@a; @key]`, `@par|` → `@par; @key`).
 * A key under the cursor is never split: the new keys go after it.
 */
export function citationInsertion(
  text: string,
  cursor: number,
  kind: DocumentKind,
  keys: readonly string[],
  latexCommand = 'cite',
  extraCommands?: ReadonlySet<string>,
): Insertion {
  const inGroup = citationContextAt(text, cursor, kind, extraCommands) !== undefined;
  const offset = inGroup ? afterKeyUnderCursor(text, cursor, kind) : cursor;
  const ctx = citationContextAt(text, offset, kind, extraCommands);
  // A command never replaces what is typed: a word before the cursor is taken as a key
  // already cited, and the new keys go after it.
  if (kind === 'latex') {
    if (!ctx) {
      return { start: offset, end: offset, text: `\\${latexCommand}{${keys.join(',')}}` };
    }
    const before = text.slice(ctx.groupStart! + 1, offset).trimEnd();
    const needsLeadingComma = before !== '' && !before.endsWith(',');
    const after = text.slice(offset).trimStart()[0];
    const needsTrailingComma = after !== undefined && after !== '}' && after !== ',';
    return {
      start: offset,
      end: offset,
      text: `${needsLeadingComma ? ',' : ''}${keys.join(',')}${needsTrailingComma ? ',' : ''}`,
    };
  }
  if (!ctx) {
    // A new group right after a word gets a space: "Optimization [@key]".
    const space = /[\p{L}\p{N}.,;:)]/u.test(text[offset - 1] ?? '') ? ' ' : '';
    return { start: offset, end: offset, text: `${space}[${keys.map((k) => `@${k}`).join('; ')}]` };
  }
  if (ctx.afterAt && ctx.prefix === '') {
    return { start: offset, end: offset, text: keys.join('; @') };
  }
  const before = text.slice(ctx.groupStart ?? ctx.prefixStart, offset).trimEnd();
  const open = before === '' || before.endsWith('[') || before.endsWith(';');
  const lead = open ? (text[offset - 1] === ' ' || before.endsWith('[') || before === '' ? '' : ' ') : '; ';
  return { start: offset, end: offset, text: `${lead}${keys.map((k) => `@${k}`).join('; ')}` };
}
