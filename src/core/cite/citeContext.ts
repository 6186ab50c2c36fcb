// Where the cursor is with respect to citations, and what inserting keys there means.
import type { DocumentKind } from '../detect/detect';

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
const CITE_BEFORE_GROUP =
  /\\(?:[A-Za-z]*cite[A-Za-z]*|nocite)\*?(?:\s*\[[^\]]*\]){0,2}(?:\s*\{[^{}]*\}(?:\s*\[[^\]]*\]){0,2})*\s*$/;
const PANDOC_KEY_CHAR = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;

/** The LaTeX citation group around the cursor, if any: `\cite[..]{a,b|`. */
function latexContext(text: string, offset: number): CitationContext | undefined {
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
  if (brace < 0 || !CITE_BEFORE_GROUP.test(text.slice(Math.max(0, brace - 400), brace))) {
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

/** The Pandoc context: after `@partial`, and/or inside `[ … ]` that cites. */
function pandocContext(text: string, offset: number): CitationContext | undefined {
  let i = offset;
  while (i > 0 && offset - i < 200 && PANDOC_KEY_CHAR.test(text[i - 1])) {
    i--;
  }
  const atBefore = text[i - 1] === '@' && !/[\w.@]/.test(text[i - 2] ?? '');
  let bracket = -1;
  for (let k = offset - 1; k >= Math.max(0, offset - LOOKBACK); k--) {
    const c = text[k];
    if (c === '[') {
      bracket = k;
      break;
    }
    if (c === ']' || (c === '\n' && text[k - 1] === '\n')) {
      break;
    }
  }
  let existingKeys: string[] = [];
  if (bracket >= 0) {
    const close = text.indexOf(']', offset);
    const inner = text.slice(bracket + 1, close >= 0 && close - offset < LOOKBACK ? close : offset);
    existingKeys = [...inner.matchAll(/(?:^|[^\w.@])-?@([\p{L}\p{N}_][\p{L}\p{N}_:.#$%&\-+?<>~/]*)/gu)].map((m) =>
      m[1].replace(/[:.#$%&\-+?<>~/]+$/, ''),
    );
    if (existingKeys.length === 0 && !atBefore) {
      bracket = -1; // [ordinary brackets] are not a citation group
    }
  }
  if (!atBefore && bracket < 0) {
    return undefined;
  }
  return {
    syntax: 'pandoc',
    prefix: atBefore ? text.slice(i, offset) : '',
    prefixStart: atBefore ? i : offset,
    groupStart: bracket >= 0 ? bracket : undefined,
    existingKeys,
    afterAt: atBefore,
  };
}

/** The citation context at an offset, for completion and for extending groups. */
export function citationContextAt(text: string, offset: number, kind: DocumentKind): CitationContext | undefined {
  return kind === 'latex' ? latexContext(text, offset) : pandocContext(text, offset);
}

/** A text replacement: put `text` in place of [start, end). */
export interface Insertion {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * What inserting citations for `keys` at `offset` means: a new `\cite{a,b}` or
 * `[@a; @b]`, or, inside an existing group, the keys added to it
 * (`\cite{a,|}` → `\cite{a,key}`, `[@a|]` → `[@a; @key]`, `@par|` → `@key`).
 */
export function citationInsertion(
  text: string,
  offset: number,
  kind: DocumentKind,
  keys: readonly string[],
  latexCommand = 'cite',
): Insertion {
  const ctx = citationContextAt(text, offset, kind);
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
    return { start: offset, end: offset, text: `[${keys.map((k) => `@${k}`).join('; ')}]` };
  }
  if (ctx.afterAt && ctx.prefix === '') {
    return { start: offset, end: offset, text: keys.join('; @') };
  }
  const before = text.slice(ctx.groupStart ?? ctx.prefixStart, offset).trimEnd();
  const open = before === '' || before.endsWith('[') || before.endsWith(';');
  const lead = open ? (text[offset - 1] === ' ' || before.endsWith('[') || before === '' ? '' : ' ') : '; ';
  return { start: offset, end: offset, text: `${lead}${keys.map((k) => `@${k}`).join('; ')}` };
}
