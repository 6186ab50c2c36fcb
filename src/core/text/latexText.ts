import { decodeEntities } from './entities';
import { lookupTable } from './lookup';
// LaTeX as found in .bib fields and .tex prose, turned into plain text for display
// and search: accents become characters, escaped specials become themselves, logos and
// symbols become their text, font switches and braces disappear, and any other command
// leaves something readable (its argument, or its name). One left-to-right pass, no recursion.

/** Accent commands and the combining mark each adds. */
export const ACCENTS: Readonly<Record<string, string>> = lookupTable({
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304',
  '.': '\u0307', u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328', r: '\u030a',
  d: '\u0323', b: '\u0331', t: '\u0361',
});

/** Commands that stand for a character or a word (letters, symbols, logos). */
export const SYMBOLS: Readonly<Record<string, string>> = lookupTable({
  // Letters without a decomposition.
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ',
  aa: 'å', AA: 'Å', i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ', dj: 'đ', DJ: 'Đ',
  // Punctuation and text symbols.
  textendash: '–', textemdash: '—', Dash: '—', dash: '—', slash: '/', textquoteright: '’', textquoteleft: '‘',
  textquotedblleft: '“', textquotedblright: '”', textquotesingle: "'", textquotedbl: '"', guillemotleft: '«',
  guillemotright: '»', guilsinglleft: '‹', guilsinglright: '›', textexclamdown: '¡', textquestiondown: '¿',
  textbackslash: '\\', textasciitilde: '~', textasciicircum: '^', textasciigrave: '`', textunderscore: '_',
  textbar: '|', textless: '<', textgreater: '>', textbraceleft: '{', textbraceright: '}', textregistered: '®',
  texttrademark: '™', textcopyright: '©', textdegree: '°', textellipsis: '…', ldots: '…', dots: '…',
  textbullet: '•', textperiodcentered: '·', textasteriskcentered: '*', textsection: '§', textparagraph: '¶',
  S: '§', P: '¶', dag: '†', ddag: '‡', textdagger: '†', textdaggerdbl: '‡', pounds: '£', textsterling: '£',
  euro: '€', texteuro: '€', textyen: '¥', textcent: '¢', copyright: '©', textmu: 'µ', textpm: '±',
  texttimes: '×', textdiv: '÷', textminus: '−', textonehalf: '½', textonequarter: '¼', textthreequarters: '¾',
  textcelsius: '℃', textperthousand: '‰', textnumero: '№', textdollar: '$', textohm: 'Ω', textmho: '℧',
  // Spacing accents on their own, as Zotero writes them (`Huba{\textasciicaron}cek`).
  textasciicaron: 'ˇ', textasciiacute: '´', textasciidieresis: '¨', textasciimacron: '¯', textasciibreve: '˘',
  textordfeminine: 'ª', textordmasculine: 'º', textcurrency: '¤', textbrokenbar: '¦', textlnot: '¬',
  textonesuperior: '¹', texttwosuperior: '²', textthreesuperior: '³', textfractionsolidus: '⁄',
  textlangle: '⟨', textrangle: '⟩', textopenbullet: '◦', textreferencemark: '※', textinterrobang: '‽',
  textvisiblespace: '␣', textcircledP: '℗', textservicemark: '℠', textflorin: 'ƒ', textwon: '₩', textlira: '₤',
  // Logos.
  TeX: 'TeX', LaTeX: 'LaTeX', LaTeXe: 'LaTeX2ε', BibTeX: 'BibTeX', BibLaTeX: 'BibLaTeX', biblatex: 'biblatex',
  XeTeX: 'XeTeX', XeLaTeX: 'XeLaTeX', LuaTeX: 'LuaTeX', LuaLaTeX: 'LuaLaTeX', pdfTeX: 'pdfTeX', pdfLaTeX: 'pdfLaTeX',
  eTeX: 'ε-TeX', ConTeXt: 'ConTeXt', AmS: 'AMS', AMS: 'AMS', AmSTeX: 'AMS-TeX', AmSLaTeX: 'AMS-LaTeX',
  SliTeX: 'SliTeX', SLiTeX: 'SLiTeX', MF: 'METAFONT', MP: 'METAPOST', PiCTeX: 'PiCTeX', METAFONT: 'METAFONT',
  // Math.
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', vartheta: 'ϑ', iota: 'ι', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', omicron: 'ο',
  pi: 'π', varpi: 'ϖ', rho: 'ρ', varrho: 'ϱ', sigma: 'σ', varsigma: 'ς', tau: 'τ', upsilon: 'υ', phi: 'φ',
  varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ', Theta: 'Θ', Lambda: 'Λ', Xi: 'Ξ',
  Pi: 'Π', Sigma: 'Σ', Upsilon: 'Υ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ', infty: '∞', times: '×',
  cdot: '·', pm: '±', mp: '∓', leq: '≤', le: '≤', geq: '≥', ge: '≥', neq: '≠', ne: '≠', approx: '≈',
  sim: '∼', equiv: '≡', to: '→', rightarrow: '→', leftarrow: '←', Rightarrow: '⇒', in: '∈', subset: '⊂',
  cup: '∪', cap: '∩', forall: '∀', exists: '∃', partial: '∂', nabla: '∇', sum: '∑', prod: '∏', int: '∫',
  sqrt: '√', circ: '∘', star: '⋆', emptyset: '∅', mid: '|', ast: '*',
  // Spacing.
  quad: ' ', qquad: ' ', enspace: ' ', thinspace: ' ', space: ' ', newline: ' ', linebreak: ' ', par: ' ',
});

/** Commands that print nothing: font switches, sizes, spacing and paragraph control. */
const SILENT = new Set(
  ('bf it em sl sc rm tt sf up md bfseries itshape scshape upshape slshape mdseries rmfamily sffamily ' +
    'ttfamily normalfont tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge relax ' +
    'protect noindent newblock unskip null hfill vfill nobreak allowbreak break bgroup egroup ignorespaces ' +
    'xspace leavevmode strut displaystyle textstyle scriptstyle scriptscriptstyle centering raggedright ' +
    'raggedleft frenchspacing nonfrenchspacing left right big Big bigg Bigg bigl bigr').split(' '),
);

/** Commands dropped together with their (first) argument: `\label{x}`, `\noopsort{1973b}`. */
const DROP_WITH_ARG = new Set([
  'label', 'ref', 'eqref', 'pageref', 'cite', 'nocite', 'footnote', 'index', 'noopsort', 'SortNoop', 'sortnoop',
  'hspace', 'vspace', 'hyphenation', 'includegraphics', 'bibitem', 'bibliographystyle',
]);

/**
 * Commands that print their argument in quotation marks (csquotes' `\enquote`, biblatex's
 * `\mkbibquote` in titles of biblatex-examples.bib): “…”, and ‘…’ inside those or starred.
 */
const QUOTING = new Set(['enquote', 'mkbibquote', 'textquote']);

/** Commands whose second argument is the text (`\href{url}{text}`): the first is dropped. */
const TEXT_IN_SECOND = new Set(['href']);

/** TeX's input ligatures, longest first. */
const LIGATURES: readonly (readonly [string, string])[] = [
  ['---', '—'],
  ['--', '–'],
  ['``', '“'],
  ["''", '”'],
];

/** What a LaTeX symbol command stands for, if it is one (`\ss` → `ß`, `\LaTeX` → `LaTeX`). */
export function latexSymbol(name: string): string | undefined {
  return SYMBOLS[name];
}

/**
 * What latexToText treats specially: commands, groups, math, ties and ligatures. A lone
 * hyphen or quote is plain text ("state-of-the-art", "Bayes' rule"), only a doubled one
 * can start a ligature.
 */
const SPECIAL = /[\\{}$~]|--|``|''/;
/** The next special character or ligature from `lastIndex` on. */
const NEXT_SPECIAL = /[\\{}$~]|--|``|''/g;
/** Runs of white space that are not already a single space. */
const UNTIDY_SPACE = /\s{2,}|[^\S ]/g;
/** White space but a space: with two spaces in a row, what `UNTIDY_SPACE` finds. */
const OTHER_SPACE = /[^\S ]/;

/**
 * White space runs as single spaces, none at the ends; character references decoded
 * (fields exported HTML-escaped: `Morgan \&\#38; Claypool`, `Science &amp; Society`).
 * Most fields are tidy already: told so by a search for two spaces and a one-class test,
 * a quarter faster than a replace that finds nothing (after collections and the parser,
 * the host's largest item in a 100,000-entry first read; see ARCHITECTURE.md).
 */
function tidyText(text: string): string {
  const spaced = text.includes('  ') || OTHER_SPACE.test(text) ? text.replace(UNTIDY_SPACE, ' ') : text;
  const tidy = spaced.trim();
  return tidy.includes('&') ? decodeEntities(tidy) : tidy;
}

/** Turns LaTeX into plain text: `{\"u}ber` → `über`, `R\&D` → `R&D`, `\emph{x}` → `x`, `{\TeX}book` → `TeXbook`. */
export function latexToText(input: string): string {
  // Most abstracts and titles are plain text: nothing to read but the spaces.
  if (!SPECIAL.test(input)) {
    return tidyText(input);
  }
  let out = '';
  let pendingAccent = '';
  let mathClose = -1;
  // Braces open, and the quotation marks to close when the group at a depth ends.
  let depth = 0;
  const closing: { depth: number; mark: string }[] = [];
  let i = 0;
  const n = input.length;
  const emit = (text: string): void => {
    if (pendingAccent && text) {
      // A dotless i or j under an accent is written \'{\i}: the accent takes the dot's place.
      const base = text[0] === 'ı' ? 'i' : text[0] === 'ȷ' ? 'j' : text[0];
      out += (base + pendingAccent).normalize('NFC') + text.slice(1);
      pendingAccent = '';
    } else {
      out += text;
    }
  };
  while (i < n) {
    const ch = input[i];
    if (ch === '\\') {
      const next = input[i + 1] ?? '';
      if (/[A-Za-z@]/.test(next)) {
        let j = i + 1;
        while (j < n && /[A-Za-z@]/.test(input[j])) {
          j++;
        }
        const name = input.slice(i + 1, j);
        // A control word swallows the spaces after it.
        let k = j;
        while (k < n && (input[k] === ' ' || input[k] === '\t')) {
          k++;
        }
        if (name.length === 1 && ACCENTS[name] !== undefined) {
          pendingAccent = ACCENTS[name];
          i = k;
        } else if (SYMBOLS[name] !== undefined) {
          emit(SYMBOLS[name]);
          // `{\ss}` and `\ss{}`: an empty group after a symbol is nothing. A word-like
          // symbol (a logo) keeps the space a reader expects after it.
          if (input.startsWith('{}', k)) {
            i = k + 2;
          } else {
            i = /^[A-Za-z]/.test(SYMBOLS[name]) && name.length > 2 && k > j ? j : k;
          }
        } else if (SILENT.has(name)) {
          i = k;
        } else if (DROP_WITH_ARG.has(name) || /^[A-Za-z]*cite[A-Za-z]*$/.test(name)) {
          const m = afterOptionals(input, k);
          i = input[m] === '{' ? skipGroup(input, m) : k;
        } else if (TEXT_IN_SECOND.has(name) && input[k] === '{') {
          i = skipGroup(input, k);
        } else if (QUOTING.has(name) && (input[k] === '{' || input[k] === '[' || input[k] === '*')) {
          const inner = input[k] === '*' || closing.length % 2 === 1;
          const m = afterOptionals(input, input[k] === '*' ? k + 1 : k);
          if (input[m] === '{') {
            emit(inner ? '‘' : '“');
            closing.push({ depth: depth + 1, mark: inner ? '’' : '”' });
          }
          i = m;
        } else if (input[k] === '{' || input[k] === '[') {
          // Formatting and unknown commands with an argument (\emph, \textit, \url, \mathrm…): keep it.
          i = afterOptionals(input, k);
        } else {
          // An unknown command on its own: its name is more readable than nothing.
          emit(name);
          i = j;
        }
      } else if (ACCENTS[next] !== undefined && next !== '') {
        pendingAccent = ACCENTS[next];
        i += 2;
      } else if (next === '\\') {
        emit(' ');
        i += 2;
      } else if (next === ',' || next === ';' || next === ':' || next === '!' || next === '/') {
        // \, \; \: are spaces; \! and \/ are nothing.
        emit(next === '!' || next === '/' ? '' : ' ');
        i += 2;
      } else if (next !== '') {
        // \& \% \$ \# \_ \{ \} \  and friends stand for the character itself.
        emit(next === ' ' ? ' ' : next);
        i += 2;
      } else {
        i += 1;
      }
    } else if (ch === '{') {
      depth++;
      i += 1;
    } else if (ch === '}') {
      if (closing.length > 0 && closing[closing.length - 1].depth === depth) {
        emit(closing.pop()!.mark);
      }
      depth--;
      i += 1;
    } else if (ch === '$' && (input.startsWith('$\\{$', i) || input.startsWith('$\\}$', i))) {
      // Google Scholar protects capitals with braces in math, `$\{$USENIX$\}$`, which
      // LaTeX prints as braces; its author meant the word.
      i += 4;
    } else if (ch === '$') {
      // $…$ around math loses its delimiters: math holds \alpha, x^2 or a_i, or is
      // written as pandoc reads TeX math (no space inside either $, no digit after the
      // closing one: `$<$`, `$n=3$`, not `$5 and $6`); any other $ is a dollar.
      const close = input.indexOf('$', i + 1);
      const math = close > i ? input.slice(i + 1, close) : '';
      const pandocMath = math !== '' && !/\s/.test(math[0]) && !/\s/.test(math[math.length - 1]) && !/[0-9]/.test(input[close + 1] ?? '');
      if (close > i && (/[\\^_{}]/.test(math) || pandocMath)) {
        i += 1;
        mathClose = close;
      } else if (i === mathClose) {
        i += 1;
        mathClose = -1;
      } else {
        emit('$');
        i += 1;
      }
    } else if (ch === '~') {
      emit(' ');
      i += 1;
    } else if ((ch === '-' || ch === '`' || ch === "'") && input[i + 1] === ch) {
      const ligature = LIGATURES.find(([from]) => from[0] === ch && input.startsWith(from, i));
      emit(ligature ? ligature[1] : ch);
      i += ligature ? ligature[0].length : 1;
    } else {
      // A run of plain characters, copied at once.
      NEXT_SPECIAL.lastIndex = i + 1;
      const next = NEXT_SPECIAL.exec(input);
      const end = next ? next.index : n;
      emit(input.slice(i, end));
      i = end;
    }
  }
  if (pendingAccent) {
    out += pendingAccent;
  }
  return tidyText(out);
}

/** Index just past the optional arguments `[…]` from `start` (itself when there are none). */
function afterOptionals(text: string, start: number): number {
  let m = start;
  while (text[m] === '[') {
    const close = text.indexOf(']', m);
    m = close < 0 ? text.length : close + 1;
  }
  return m;
}

/** Index just past the brace group that starts at `start` (or the end of input when unbalanced). */
function skipGroup(text: string, start: number): number {
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    if (text[i] === '\\') {
      i++;
    } else if (text[i] === '{') {
      depth++;
    } else if (text[i] === '}' && --depth === 0) {
      return i + 1;
    }
  }
  return text.length;
}
