import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { citationContextAt, citationInsertion } from '../../../src/core/cite/citeContext';
import type { DocumentKind } from '../../../src/core/detect/detect';

/** Applies the insertion for `keys` at the `|` in `text`. */
function insert(textWithCursor: string, kind: DocumentKind, keys: string[], command = 'cite'): string {
  const offset = textWithCursor.indexOf('|');
  const text = textWithCursor.replace('|', '');
  const ins = citationInsertion(text, offset, kind, keys, command);
  return text.slice(0, ins.start) + ins.text + '|' + text.slice(ins.end);
}

describe('citation snippets', () => {
  const latex: [string, string[], string][] = [
    ['See |.', ['k'], 'See \\cite{k}|.'],
    ['See |.', ['k1', 'k2'], 'See \\cite{k1,k2}|.'],
    ['\\cite{|}', ['k'], '\\cite{k|}'],
    ['\\cite{a,|}', ['k'], '\\cite{a,k|}'],
    ['\\cite{a, |}', ['k'], '\\cite{a, k|}'],
    ['\\cite{a|}', ['k'], '\\cite{a,k|}'],
    ['\\cite{a|, b}', ['k'], '\\cite{a,k|, b}'],
    ['\\cite{|a}', ['k'], '\\cite{k,|a}'],
    ['\\cite{a,lab|}', ['laborieux2023improving'], '\\cite{a,lab,laborieux2023improving|}'],
    ['\\citep[see][p.~2]{a,|}', ['k'], '\\citep[see][p.~2]{a,k|}'],
    ['\\cite{a,\n  |}', ['k'], '\\cite{a,\n  k|}'],
    ['\\textbf{|}', ['k'], '\\textbf{\\cite{k}|}'],
    // The cursor inside a key: the new key goes after it, never splitting it.
    ['\\cite{a,b|c}', ['k'], '\\cite{a,bc,k|}'],
    ['\\cite{al|pha, beta}', ['k'], '\\cite{alpha,k|, beta}'],
    ['\\citep[p.~2]{lab|orieux}', ['k'], '\\citep[p.~2]{laborieux,k|}'],
    // A plain brace group after a citation is not a key group (only multicite commands take several).
    ['\\cite{a} {\\emph{text|}}', ['k'], '\\cite{a} {\\emph{text\\cite{k}|}}'],
    ['\\cite{a} {te|xt}', ['k'], '\\cite{a} {te\\cite{k}|xt}'],
    ['\\cites{a}{b|}', ['k'], '\\cites{a}{b,k|}'],
    ['\\volcite{3}{|}', ['k'], '\\volcite{3}{k|}'],
    ['\\volcite{|}', ['k'], '\\volcite{\\cite{k}|}'],
    ['\\setcitestyle{|}', ['k'], '\\setcitestyle{\\cite{k}|}'],
  ];
  for (const [before, keys, after] of latex) {
    it(`LaTeX: ${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      assert.equal(insert(before, 'latex', keys), after);
    });
  }

  it('uses the configured LaTeX command', () => {
    assert.equal(insert('x |', 'latex', ['k'], 'parencite'), 'x \\parencite{k}|');
  });

  const markdown: [string, string[], string][] = [
    ['See |.', ['k'], 'See [@k]|.'],
    ['See |.', ['k1', 'k2'], 'See [@k1; @k2]|.'],
    ['[@a|]', ['k'], '[@a; @k|]'],
    ['[@a; |]', ['k'], '[@a; @k|]'],
    ['[@a;|]', ['k'], '[@a; @k|]'],
    ['[see @a, p. 3|]', ['k'], '[see @a, p. 3; @k|]'],
    ['@|', ['k'], '@k|'],
    ['as @lab| says', ['laborieux2023improving'], 'as @lab; @laborieux2023improving| says'],
    ['[@|]', ['k1', 'k2'], '[@k1; @k2|]'],
    ['an [ordinary] |', ['k'], 'an [ordinary] [@k]|'],
    ['mail a@|', ['k'], 'mail a@[@k]|'],
    ['[@a; @b|c]', ['k'], '[@a; @bc; @k|]'],
    ['[@do|e:2020.x]', ['k'], '[@doe:2020.x; @k|]'],
    ['see @sm|ith.', ['k'], 'see @smith; @k|.'],
  ];
  for (const [before, keys, after] of markdown) {
    it(`Markdown: ${JSON.stringify(before)} → ${JSON.stringify(after)}`, () => {
      assert.equal(insert(before, 'markdown', keys), after);
    });
  }
});

describe('citation context for completion', () => {
  it('knows the partial key and the keys already in a LaTeX group', () => {
    const text = '\\cite[p.~2]{alpha, equ';
    const ctx = citationContextAt(text, text.length, 'latex');
    assert.equal(ctx?.prefix, 'equ');
    assert.deepEqual(ctx?.existingKeys, ['alpha', 'equ']);
  });

  it('takes words typed in a LaTeX group as one query', () => {
    const text = '\\cite{a, equilibrium prop';
    assert.equal(citationContextAt(text, text.length, 'latex')?.prefix, 'equilibrium prop');
  });

  it('is empty outside citation groups', () => {
    assert.equal(citationContextAt('\\ref{fig', 8, 'latex'), undefined);
    assert.equal(citationContextAt('\\cite{a} b', 10, 'latex'), undefined);
    assert.equal(citationContextAt('plain text', 5, 'markdown'), undefined);
    assert.equal(citationContextAt('jane@exa', 8, 'markdown'), undefined);
  });

  it('takes the words after an @ in a Pandoc group as one query', () => {
    const text = 'as in [@equilibrium prop';
    const ctx = citationContextAt(text, text.length, 'markdown');
    assert.equal(ctx?.afterAt, true);
    assert.equal(ctx?.prefix, 'equilibrium prop');
    assert.equal(ctx?.prefixStart, text.indexOf('equilibrium'));
    // After a locator, the words are not a key query.
    assert.equal(citationContextAt('[see @a, p. 3', 13, 'markdown')?.afterAt, false);
  });

  it('knows a group of the user\'s own citation command', () => {
    assert.equal(citationContextAt('\\mycite{equ', 11, 'latex'), undefined);
    assert.equal(citationContextAt('\\mycite{equ', 11, 'latex', new Set(['mycite']))?.prefix, 'equ');
  });

  it('follows an @ in Markdown', () => {
    const ctx = citationContextAt('[see @lab', 9, 'markdown');
    assert.equal(ctx?.afterAt, true);
    assert.equal(ctx?.prefix, 'lab');
  });
});
