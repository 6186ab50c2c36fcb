import { lookupTable } from '../text/lookup';
// LaTeX as found in .bib fields and .tex prose, turned into plain text for display
// and search: accents become characters, escaped specials become themselves, font
// commands and braces disappear. One left-to-right pass, no recursion.

/** Accent commands and the combining mark each adds. */
const ACCENTS: Readonly<Record<string, string>> = lookupTable({
  "'": '\u0301', '`': '\u0300', '^': '\u0302', '"': '\u0308', '~': '\u0303', '=': '\u0304',
  '.': '\u0307', u: '\u0306', v: '\u030c', H: '\u030b', c: '\u0327', k: '\u0328', r: '\u030a',
  d: '\u0323', b: '\u0331', t: '\u0361',
});

/** Commands that stand for a character. */
const SYMBOLS: Readonly<Record<string, string>> = lookupTable({
  ss: 'ß', SS: 'SS', o: 'ø', O: 'Ø', l: 'ł', L: 'Ł', ae: 'æ', AE: 'Æ', oe: 'œ', OE: 'Œ',
  aa: 'å', AA: 'Å', i: 'ı', j: 'ȷ', dh: 'ð', DH: 'Ð', th: 'þ', TH: 'Þ', ng: 'ŋ', NG: 'Ŋ',
  textendash: '–', textemdash: '—', textquoteright: '’', textquoteleft: '‘', textquotedblleft: '“',
  textquotedblright: '”', textbackslash: '\\', textasciitilde: '~', textasciicircum: '^',
  textunderscore: '_', textbar: '|', textless: '<', textgreater: '>', textregistered: '®',
  texttrademark: '™', textcopyright: '©', textdegree: '°', textellipsis: '…', ldots: '…', dots: '…',
  S: '§', P: '¶', dag: '†', ddag: '‡', pounds: '£', euro: '€', copyright: '©',
  alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ', epsilon: 'ε', varepsilon: 'ε', zeta: 'ζ', eta: 'η',
  theta: 'θ', kappa: 'κ', lambda: 'λ', mu: 'μ', nu: 'ν', xi: 'ξ', pi: 'π', rho: 'ρ', sigma: 'σ',
  tau: 'τ', phi: 'φ', varphi: 'φ', chi: 'χ', psi: 'ψ', omega: 'ω', Gamma: 'Γ', Delta: 'Δ',
  Theta: 'Θ', Lambda: 'Λ', Pi: 'Π', Sigma: 'Σ', Phi: 'Φ', Psi: 'Ψ', Omega: 'Ω', ell: 'ℓ',
  infty: '∞', times: '×', cdot: '·', pm: '±', leq: '≤', geq: '≥', neq: '≠', approx: '≈', to: '→',
});

/** TeX's input ligatures, longest first. */
const LIGATURES: readonly (readonly [string, string])[] = [
  ['---', '—'],
  ['--', '–'],
  ['``', '“'],
  ["''", '”'],
];

/** Commands dropped together with their (first) argument, e.g. \label{x}. */
const DROP_WITH_ARG = new Set(['label', 'cite', 'ref', 'url', 'footnote']);

/** Turns LaTeX into plain text: `{\"u}ber` → `über`, `R\&D` → `R&D`, `\emph{x}` → `x`. */
export function latexToText(input: string): string {
  let out = '';
  let pendingAccent = '';
  let mathClose = -1;
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
      if (/[A-Za-z]/.test(next)) {
        let j = i + 1;
        while (j < n && /[A-Za-z]/.test(input[j])) {
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
          // `{\ss}` and `\ss{}`: an empty group after a symbol is nothing.
          i = input.startsWith('{}', k) ? k + 2 : k;
        } else if (DROP_WITH_ARG.has(name) && input[k] === '{') {
          i = skipGroup(input, k);
        } else {
          // Font and formatting commands (\emph, \textit, \mathrm, \url's text…): keep the argument.
          i = k;
        }
      } else if (ACCENTS[next] !== undefined && next !== '') {
        pendingAccent = ACCENTS[next];
        i += 2;
      } else if (next === '\\') {
        emit(' ');
        i += 2;
      } else if (next !== '') {
        // \& \% \$ \# \_ \{ \} \  and friends stand for the character itself.
        emit(next === ' ' ? ' ' : next);
        i += 2;
      } else {
        i += 1;
      }
    } else if (ch === '{' || ch === '}') {
      i += 1;
    } else if (ch === '$') {
      // $…$ around math (\alpha, x^2, a_i) loses its delimiters; any other $ is a dollar.
      const close = input.indexOf('$', i + 1);
      const math = close > i ? input.slice(i + 1, close) : '';
      if (close > i && /[\\^_{}]/.test(math)) {
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
    } else {
      const ligature = LIGATURES.find(([from]) => from[0] === ch && input.startsWith(from, i));
      emit(ligature ? ligature[1] : ch);
      i += ligature ? ligature[0].length : 1;
    }
  }
  if (pendingAccent) {
    out += pendingAccent;
  }
  return out.replace(/\s+/g, ' ').trim();
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
