import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { findArxivIds, findDois, maskDocument, mentionAt, scanDocument, type DocumentKind } from '../../../src/core/detect/detect';
import { TitleMatcher } from '../../../src/core/detect/titleMatcher';
import { bundledPapers } from '../helpers';

const matcher = new TitleMatcher(bundledPapers());
const keysIn = (text: string, kind: DocumentKind = 'latex') =>
  scanDocument(text, kind).flatMap((m) => (m.kind === 'citation' ? [m.key] : []));
const idsIn = (text: string) => findArxivIds(text).map((m) => m.id);
const titlesIn = (text: string, kind: DocumentKind = 'latex') =>
  scanDocument(text, kind, { titles: matcher }).flatMap((m) => (m.kind === 'title' ? [bundledPapers()[m.paperId].key] : []));

describe('LaTeX citations', () => {
  const cases: [string, string[]][] = [
    ['\\cite{a}', ['a']],
    ['\\citep{a,b}', ['a', 'b']],
    ['\\citet{a}', ['a']],
    ['\\citealp{a}', ['a']],
    ['\\citeauthor{a} and \\citeyear{b}', ['a', 'b']],
    ['\\nocite{a}', ['a']],
    ['\\autocite{a} \\parencite{b} \\textcite{c} \\footcite{d}', ['a', 'b', 'c', 'd']],
    ['\\Textcite{a} \\Parencite{b}', ['a', 'b']],
    ['\\citep*{a}', ['a']],
    ['\\cite[see][p.~3]{a, b}', ['a', 'b']],
    ['\\cite[p.~3]{a}', ['a']],
    ['\\cite{ a ,\n   b,\n c }', ['a', 'b', 'c']],
    ['\\cite\n  {a}', ['a']],
    ['\\cites{a}{b}[p.~2]{c}', ['a', 'b', 'c']],
    ['\\parencites[see][]{a}[][12]{b}', ['a', 'b']],
    ['\\cite{laborieux2023improving}', ['laborieux2023improving']],
    ['\\cite{a:b-c.d_e/f}', ['a:b-c.d_e/f']],
    ['\\cite{a,,b,}', ['a', 'b']],
  ];
  for (const [text, keys] of cases) {
    it(`finds ${JSON.stringify(keys)} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(keysIn(text), keys);
    });
  }

  const more: [string, string[]][] = [
    ['\\Citet{a} \\Citep*{b} \\Citeauthor{c}', ['a', 'b', 'c']],
    ['\\footfullcite{a} \\smartcite{b} \\supercite{c} \\fullcite{d}', ['a', 'b', 'c', 'd']],
    ['\\textcites{a}{b} \\Autocites[see]{c}', ['a', 'b', 'c']],
    ['\\volcite{3}[45]{a} \\pvolcite[see]{2}{b}', ['a', 'b']],
    ['\\ocite{a} \\citeA{b} \\citeNP{c} \\shortcite{d} \\citeyearpar{e}', ['a', 'b', 'c', 'd', 'e']],
    ['\\nocite{*}', []],
    ['\\nocite{a,*}', ['a']],
    ['\\cite{a} {\\emph{not a group}} {b}', ['a']],
  ];
  for (const [text, keys] of more) {
    it(`finds ${JSON.stringify(keys)} in ${JSON.stringify(text)} (the one table of citation commands)`, () => {
      assert.deepEqual(keysIn(text), keys);
    });
  }

  it('adds the user\'s own commands from the setting, and only those', () => {
    const extra = new Set(['mycite']);
    const found = scanDocument('\\mycite{a} \\othercite{b}', 'latex', { citeCommands: extra });
    assert.deepEqual(found.flatMap((m) => (m.kind === 'citation' ? [m.key] : [])), ['a']);
  });

  const misses: [string, string][] = [
    ['\\setcitestyle{numbers,square}', 'natbib style options'],
    ['\\citestyle{plain} \\bibliographystyle{plain} \\citetext{see}', 'commands whose names merely contain "cite"'],
    ['text\\\\% \\cite{commented}', 'a citation after a line break and a comment'],
    ['% \\cite{commented}', 'a commented-out citation'],
    ['\\verb|\\cite{x}| and \\lstinline{\\cite{y}}', 'inline verbatim'],
    ['\\begin{lstlisting}\n\\cite{x}\n\\end{lstlisting}', 'a listing'],
    ['\\begin{verbatim}\\cite{x}\\end{verbatim}', 'verbatim'],
    ['\\cite', 'a command without keys'],
    ['\\cite{unclosed', 'an unclosed group'],
    ['\\ref{fig:a} \\label{b} \\emph{c}', 'other commands'],
    ['cite{a}', 'no backslash'],
  ];
  for (const [text, why] of misses) {
    it(`finds nothing in ${why}`, () => {
      assert.deepEqual(keysIn(text), []);
    });
  }

  it('keeps a literal \\% from starting a comment', () => {
    assert.deepEqual(keysIn('50\\% of \\cite{a}'), ['a']);
  });

  it('reports exact offsets', () => {
    const text = 'See \\cite[p.~1]{alpha, beta}.';
    const [a, b] = scanDocument(text, 'latex');
    assert.equal(text.slice(a.start, a.end), 'alpha');
    assert.equal(text.slice(b.start, b.end), 'beta');
  });
});

describe('Pandoc citations', () => {
  const cases: [string, string[]][] = [
    ['@key', ['key']],
    ['[@key]', ['key']],
    ['[-@key]', ['key']],
    ['[see @a, p. 3; @b]', ['a', 'b']],
    ['@doe99 says', ['doe99']],
    ['[@doe:2020.x-y+z?w<v>u~t/s#r$q%p&o]', ['doe:2020.x-y+z?w<v>u~t/s#r$q%p&o']],
    ['As @key. shows', ['key']],
    ['(@key) and @key2, too', ['key', 'key2']],
    ['@{my odd key}', ['my odd key']],
    ['[@laborieux2023improving; @zenke]', ['laborieux2023improving', 'zenke']],
    ['@_under', ['_under']],
    ['@Ünïcode', ['Ünïcode']],
  ];
  for (const [text, keys] of cases) {
    it(`finds ${JSON.stringify(keys)} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(keysIn(text, 'markdown'), keys);
    });
  }

  const misses: [string, string][] = [
    ['mail me at jane.doe@example.org', 'an e-mail address'],
    ['user@host', 'a user@host'],
    ['`@inline` code', 'inline code'],
    ['```\n@fenced\n```', 'a fenced code block'],
    ['<!-- @hidden -->', 'an HTML comment'],
    ['<!--\n@hidden\n-->', 'a multi-line HTML comment'],
    ['See @fig:plot, @Tbl:x, @eq:energy and @sec:intro', 'pandoc-crossref labels'],
    ['See @fig-plot, @tbl-x and @sec-intro', 'Quarto cross-references'],
    ['[@fig:plot]', 'a cross-reference in brackets'],
    ['write to first.last+tag@example.org', 'an e-mail address with a + before the @'],
    ['a=@b and x/@y and 50%@z', 'an @ glued to punctuation'],
    ['[@octocat](https://github.com/octocat)', 'a link whose text starts with @'],
    ['---\nauthor: "@handle"\n---\ntext', 'YAML front matter'],
    ['@ alone', 'a lone @'],
    ['\\@escaped', 'an escaped @'],
  ];
  for (const [text, why] of misses) {
    it(`finds nothing in ${why}`, () => {
      assert.deepEqual(keysIn(text, 'markdown'), []);
    });
  }

  it('reads multi-line fenced code blocks to their closing fence (``` and ~~~, any length, info strings)', () => {
    const md = [
      'Before @a.',
      '```ts',
      '@decorator',
      'class X {}',
      '```',
      '[@b] after the block',
      '~~~~ {.bib}',
      '@article{x, title={Proximal Policy Optimization Algorithms}}',
      '```',
      'still code: the fence above is of another kind',
      '~~~~',
      '  ```',
      '  @indentedfence',
      '  ```',
      '',
      '    @indentedcode',
      '',
      'Inline `@code` and ``@double ` tick`` then [@c].',
      '---',
      'A rule, not front matter: [@d]',
    ].join('\n');
    assert.deepEqual(keysIn(md, 'markdown'), ['a', 'b', 'c', 'd']);
  });

  it('runs an unclosed fence to the end of the document', () => {
    assert.deepEqual(keysIn('[@a]\n```\n@b\n[@c]', 'markdown'), ['a']);
  });

  it('masks YAML front matter but its bibliography key', () => {
    const masked = maskDocument('---\ntitle: "@handle"\nbibliography: refs.bib\nauthor: x\n---\n[@a]', 'markdown');
    assert.ok(!masked.includes('@handle'));
    assert.ok(masked.includes('bibliography: refs.bib'));
    assert.ok(!masked.includes('author'));
  });

  it('does not take list continuation lines for indented code', () => {
    assert.deepEqual(keysIn('- item\n\n    continued [@a]', 'markdown'), ['a']);
  });

  it('tells bracketed citations from bare ones', () => {
    const [a, b] = scanDocument('[see @a] and @b', 'markdown');
    assert.equal(a.kind === 'citation' && a.bracketed, true);
    assert.equal(b.kind === 'citation' && b.bracketed, false);
  });
});

describe('arXiv identifiers', () => {
  const cases: [string, string[]][] = [
    ['arXiv:2309.02214', ['2309.02214']],
    ['arXiv: 2309.02214v2', ['2309.02214']],
    ['ARXIV:1501.00001', ['1501.00001']],
    ['arXiv 2309.02214', ['2309.02214']],
    ['see 2309.02214v2 for details', ['2309.02214']],
    ['https://arxiv.org/abs/2309.02214', ['2309.02214']],
    ['https://arxiv.org/pdf/2309.02214v3.pdf', ['2309.02214']],
    ['arxiv.org/abs/math/0601001', ['math/0601001']],
    ['arXiv:hep-th/9901001v1', ['hep-th/9901001']],
    ['old style math/0601001 here', ['math/0601001']],
    ['math.AG/0601001', ['math.AG/0601001']],
  ];
  for (const [text, ids] of cases) {
    it(`finds ${JSON.stringify(ids)} in ${JSON.stringify(text)}`, () => {
      assert.deepEqual(idsIn(text), ids);
    });
  }

  const misses: [string, string][] = [
    ['version 2309.02214 of the data', 'a bare number without version or prefix'],
    ['pi is 3.14159', 'a decimal'],
    ['2313.02214v1', 'a month 13'],
    ['1.2309.02214v2', 'part of a longer number'],
    ['foo/0601001', 'an unknown old archive'],
  ];
  for (const [text, why] of misses) {
    it(`finds nothing in ${why}`, () => {
      assert.deepEqual(idsIn(text), []);
    });
  }

  it('reports a link once, not also its bare id', () => {
    assert.equal(findArxivIds('https://arxiv.org/abs/2309.02214v2').length, 1);
  });
});

describe('DOIs', () => {
  const dois = (text: string) => findDois(text).map((m) => text.slice(m.start, m.end) + ' → ' + m.id);
  it('finds doi: forms, doi.org links and bare DOIs, leaving sentence punctuation out', () => {
    assert.deepEqual(dois('See doi:10.1126/science.169.3946.635.'), ['doi:10.1126/science.169.3946.635 → 10.1126/science.169.3946.635']);
    assert.deepEqual(dois('https://doi.org/10.1371/journal.pone.0033693, and'), ['https://doi.org/10.1371/journal.pone.0033693 → 10.1371/journal.pone.0033693']);
    assert.deepEqual(dois('(10.1109/ICSTW55395.2022.00035)'), ['10.1109/ICSTW55395.2022.00035 → 10.1109/icstw55395.2022.00035']);
  });
  it('keeps brackets that are the DOI’s own', () => {
    assert.deepEqual(dois('in 10.1016/0021-9991(86)90093-8.'), ['10.1016/0021-9991(86)90093-8 → 10.1016/0021-9991(86)90093-8']);
    assert.deepEqual(dois('(see 10.1016/S0140-6736(20)30183-5)'), ['10.1016/S0140-6736(20)30183-5 → 10.1016/s0140-6736(20)30183-5']);
  });
  it('leaves arXiv’s own DOIs to the arXiv rule, and numbers that are no DOI alone', () => {
    assert.deepEqual(dois('10.48550/arXiv.2309.02214'), []);
    assert.deepEqual(dois('version 10.2/x and 210.1234/abc'), []);
  });
  it('finds no DOI in a LaTeX comment or a Markdown code span', () => {
    assert.deepEqual(scanDocument('% doi:10.1126/science.169.3946.635\n', 'latex').filter((m) => m.kind === 'doi'), []);
    assert.deepEqual(scanDocument('`doi:10.1126/science.169.3946.635`\n', 'markdown').filter((m) => m.kind === 'doi'), []);
    assert.equal(scanDocument('doi:10.1126/science.169.3946.635\n', 'markdown').filter((m) => m.kind === 'doi').length, 1);
  });
});

describe('titles in prose', () => {
  const laborieux = 'laborieux2023improving';
  const cases: [string, string, DocumentKind?][] = [
    ['as shown in Improving equilibrium propagation without weight symmetry through Jacobian homeostasis.', 'case as in the title'],
    ['IMPROVING EQUILIBRIUM PROPAGATION WITHOUT WEIGHT SYMMETRY THROUGH JACOBIAN HOMEOSTASIS', 'upper case'],
    ['Improving equilibrium propagation without weight\n  symmetry through Jacobian homeostasis', 'a line break and spaces'],
    ['Improving   equilibrium propagation, without weight symmetry: through Jacobian homeostasis', 'punctuation and repeated spaces'],
    ['\\emph{Improving equilibrium propagation} without weight symmetry through~Jacobian homeostasis', 'LaTeX emphasis and a tie'],
    ['*Improving equilibrium propagation* without weight symmetry through _Jacobian_ homeostasis', 'Markdown emphasis', 'markdown'],
    ['Improving equilibrium propagation without weight symmetry through Jacobian homeostasis--a follow-up', 'an en dash after'],
  ];
  for (const [text, why, kind] of cases) {
    it(`finds the title with ${why}`, () => {
      assert.deepEqual(titlesIn(text, kind ?? 'latex'), [laborieux]);
    });
  }

  it('reads through accents written in LaTeX', () => {
    const matcher2 = new TitleMatcher([{ id: 0, title: 'Über die Schätzung von Zuständen' }]);
    const found = scanDocument('In {\\"U}ber die Sch\\"{a}tzung von Zust\\"anden we', 'latex', { titles: matcher2 });
    assert.equal(found.length, 1);
  });

  it('matches hyphenated words written with a space or a dash', () => {
    assert.deepEqual(titlesIn('Scaling physics informed hard constraints with mixture of experts'), ['chalapathi2024scaling']);
    assert.deepEqual(titlesIn('Scaling physics–informed hard constraints with mixture-of-experts'), ['chalapathi2024scaling']);
  });

  it('does not light up part of a title or a near miss', () => {
    assert.deepEqual(titlesIn('Improving equilibrium propagation without weight symmetry'), []);
    assert.deepEqual(titlesIn('Improving equilibrium propagation with weight symmetry through Jacobian homeostasis'), []);
  });

  it('does not detect short titles that are common phrases', () => {
    // "Learners' Languages" has two words: too likely to be ordinary prose.
    assert.deepEqual(titlesIn("the learners' languages were"), []);
    assert.ok(matcher.size < bundledPapers().length);
  });

  it('matches whole words only', () => {
    const m = new TitleMatcher([{ id: 0, title: 'Deep Conjugate Direction Method' }]);
    assert.equal(scanDocument('a deep conjugate direction methods', 'latex', { titles: m }).length, 0);
    assert.equal(scanDocument('xdeep conjugate direction method', 'latex', { titles: m }).length, 0);
  });

  it('never reports a title inside a citation key or a comment', () => {
    assert.deepEqual(titlesIn('% Improving equilibrium propagation without weight symmetry through Jacobian homeostasis'), []);
    const inKey = scanDocument('See \\cite{gradients-without-backpropagation}.', 'latex', { titles: matcher });
    assert.deepEqual(inKey.map((m) => m.kind), ['citation'], 'a key spelling out a title is a key, not a title');
    const inPandocKey = scanDocument('See [@gradients-without-backpropagation].', 'markdown', { titles: matcher });
    assert.deepEqual(inPandocKey.map((m) => m.kind), ['citation']);
  });

  it('finds several mentions in order and one at a cursor', () => {
    const text = 'Gradients without Backpropagation \\cite{a} arXiv:2202.08587';
    const ms = scanDocument(text, 'latex', { titles: matcher });
    assert.deepEqual(ms.map((m) => m.kind), ['title', 'citation', 'arxiv']);
    assert.equal(mentionAt(ms, text.indexOf('{a}') + 1)?.kind, 'citation');
    assert.equal(mentionAt(ms, text.indexOf('{a}') + 2)?.kind, 'citation'); // just after the key
    assert.equal(mentionAt(ms, text.indexOf('\\cite')), undefined);
  });
});

describe('masking', () => {
  it('keeps offsets and line breaks (\\n, \\r\\n, \\r)', () => {
    const text = 'a % comment\r\n```\rcode\n```\n`x` b <!-- c\r\n d -->';
    for (const kind of ['latex', 'markdown'] as const) {
      const masked = maskDocument(text, kind);
      assert.equal(masked.length, text.length);
      assert.deepEqual(masked.match(/[\r\n]/g), text.match(/[\r\n]/g));
    }
  });

  it('masks everything after an unclosed verbatim environment, once', () => {
    const text = `\\cite{a}\n${'\\begin{verbatim} x \\cite{b}\n'.repeat(1000)}`;
    assert.deepEqual(keysIn(text), ['a']);
  });

  it('reads a comment only after an even number of backslashes', () => {
    assert.deepEqual(keysIn('50\\% \\cite{a} \\\\% \\cite{b}\n\\cite{c}'), ['a', 'c']);
  });
});
