// What a Pandoc citation is, following Pandoc's manual: `@key` where the key starts with
// a letter, digit or `_` and may contain internal `:.#$%&-+?<>~/` followed by a word
// character, or `@{any key}`; in brackets `[see @a, p. 3; -@b]` or bare in text. The `@`
// may not follow a word or most punctuation (an e-mail address, `a+@b`), and
// pandoc-crossref / Quarto labels (`@fig:x`, `@tbl-y`, `@eq:z`, `@Sec:w`) are not citations.

/** A character that may appear inside a Pandoc key (internal punctuation included). */
export const PANDOC_KEY_CHAR = /[\p{L}\p{N}_:.#$%&\-+?<>~/]/u;

/**
 * A Pandoc citation: group 1 what precedes the `@` (start, blank, or an opening bracket,
 * quote or `;`), group 2 a braced key, group 3 a plain key.
 */
export const PANDOC_CITATION =
  /(^|[\s[(;{"'“‘]|(?:^|[\s[;])-)@(?:\{([^{}\n]{1,200})\}|([\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*))/gu;

const CROSS_REF = /^(?:fig|tbl|tab|eq|sec|lst|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg|apx)[:-]/i;

/** pandoc-crossref (`@fig:x`, `@Tbl:y`) and Quarto (`@fig-x`, `@sec-y`) cross-reference labels. */
export function isCrossRefLabel(key: string): boolean {
  return CROSS_REF.test(key);
}

/** Whether the character before an `@` lets it start a citation (`undefined`: the text starts there). */
export function mayPrecedeCitation(before: string | undefined, beforeThat?: string): boolean {
  if (before === undefined || /[\s[(;{"'“‘]/.test(before)) {
    return true;
  }
  // `[-@key]` suppresses the author; the `-` must itself open the citation.
  return before === '-' && (beforeThat === undefined || /[\s[;]/.test(beforeThat));
}

/** The brackets around offset `at`: a citation group (its `[`), a link's text, or neither. */
function bracketsAround(text: string, at: number): { readonly open: number; readonly link: boolean } | undefined {
  let open = -1;
  for (let i = at - 1; i >= 0 && at - i < 400; i--) {
    const c = text[i];
    if (c === '[') {
      open = i;
      break;
    }
    if (c === ']' || (c === '\n' && (text[i - 1] === '\n' || (text[i - 1] === '\r' && text[i - 2] === '\n')))) {
      return undefined;
    }
  }
  if (open < 0) {
    return undefined;
  }
  for (let i = at; i < text.length && i - at < 400; i++) {
    const c = text[i];
    if (c === ']') {
      const next = text[i + 1];
      return { open, link: next === '(' || next === '[' };
    }
    if (c === '[' || (c === '\n' && text[i + 1] === '\n')) {
      break;
    }
  }
  // Still being typed (no `]` yet): a citation group for completion and insertion.
  return { open, link: false };
}

/**
 * The `[` that opens the citation group around offset `at`, if any: a bracket on the same
 * paragraph with no `]` in between, and not a link's text (`[@a](url)`, `[@a][ref]`).
 */
export function citationGroupStart(text: string, at: number): number | undefined {
  const around = bracketsAround(text, at);
  return around && !around.link ? around.open : undefined;
}

/** Whether offset `at` is inside a Markdown link's text (`[@octocat](https://…)`): a handle there is no citation. */
export function insideLinkText(text: string, at: number): boolean {
  return bracketsAround(text, at)?.link === true;
}
