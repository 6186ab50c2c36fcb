import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseBibtex, resolveMacros, type BibEntry } from '../../../src/core/bib/parser';
import { latexToText } from '../../../src/core/text/latexText';

const keys = (text: string) => parseBibtex(text).entries.map((e) => e.key);
const errors = (text: string) => parseBibtex(text).errors.map((e) => `${e.line} ${e.severity}: ${e.message}`);

describe('BibTeX parser', () => {
  it('reads entries with braces, quotes, numbers and nested braces', () => {
    const { entries, errors: errs } = parseBibtex(
      '@article{a,\n  title = {A {Nested} Title},\n  author = "Doe, J. and {R}oe, K.",\n  year = 2020\n}\n',
    );
    assert.deepEqual(errs, []);
    assert.equal(entries[0].type, 'article');
    assert.deepEqual({ ...entries[0].fields }, { title: 'A {Nested} Title', author: 'Doe, J. and {R}oe, K.', year: '2020' });
    assert.equal(entries[0].line, 1);
  });

  it('keeps the first and third entries when the second has no closing brace, and says where; the second keeps what it has', () => {
    const text = '@article{first, title={One}}\n@article{second, title={Two}\n\n@article{third, title={Three}}\n';
    assert.deepEqual(keys(text), ['first', 'second', 'third']);
    assert.deepEqual(errors(text), ['2 error: @article{second: missing closing "}" before the next entry']);
    const [first, second, third] = parseBibtex(text).entries;
    // No hint at a field when none ran on (a long abstract over lines is no sign).
    assert.deepEqual(errors('@article{a, abstract={One\nTwo\nThree}\n@article{b, title={B}}'), ['1 error: @article{a: missing closing "}" before the next entry']);
    assert.deepEqual({ ...second.fields }, { title: 'Two' });
    assert.equal(second.incomplete, true);
    assert.equal(text.slice(second.start, second.end), '@article{second, title={Two}\n\n');
    assert.equal(first.incomplete, undefined);
    assert.equal(third.fields.title, 'Three');
  });

  it('keeps a real paper\'s entry whose address closes with ")": its fields up to the damage, the entries after it whole', () => {
    // From a public paper's bibliography.bib: the brace value runs on to the entry's
    // closing brace, so the entry itself has none before the next one.
    const text = [
      '@inproceedings{krizhevsky2012imagenet,',
      '  title={Imagenet classification with deep convolutional neural networks},',
      '  author={Krizhevsky, Alex and Sutskever, Ilya and Hinton, Geoffrey E},',
      '  address ={Lake Tahoe, NV),',
      '  pages={1097--1105},',
      '  year={2012}',
      '}',
      '',
      '@misc{deng2012imagenet,',
      '  title={Imagenet large scale visual recognition competition (ILSVRC)},',
      '  year={2012}',
      '}',
    ].join('\n');
    const r = parseBibtex(text);
    assert.deepEqual(r.entries.map((e) => [e.key, e.fields.title, e.incomplete ?? false]), [
      ['krizhevsky2012imagenet', 'Imagenet classification with deep convolutional neural networks', true],
      ['deng2012imagenet', 'Imagenet large scale visual recognition competition (ILSVRC)', false],
    ]);
    assert.deepEqual(errors(text), [
      '1 error: @inproceedings{krizhevsky2012imagenet: missing closing "}" before the next entry (the value of address, line 4, takes in the fields after it: is a brace in it not closed?)',
    ]);
  });

  it('recovers from an unbalanced brace inside a field value, keeping the broken entry\'s key and the fields before it', () => {
    const text = '@article{first, title={One}}\n@article{second, year = 2020, title={Two\n@article{third, title={Three}}\n';
    assert.deepEqual(keys(text), ['first', 'second', 'third']);
    const r = parseBibtex(text);
    assert.equal(r.errors[0].line, 2);
    assert.deepEqual([{ ...r.entries[1].fields }, r.entries[1].incomplete], [{ year: '2020' }, true]);
    assert.deepEqual({ ...r.entries[2].fields }, { title: 'Three' });
    // At the end of the file too.
    const last = parseBibtex('@article{first, title={One}}\n@article{second, title={Two}, note={never closed\n');
    assert.deepEqual(last.entries.map((e) => [e.key, e.fields.title, e.incomplete ?? false]), [['first', 'One', false], ['second', 'Two', true]]);
    assert.match(last.errors[0].message, /reaches the end of the file/);
  });

  it('keeps an entry with a missing comma between fields, with a warning', () => {
    const r = parseBibtex('@article{a,\n  title = {T}\n  author = {X}\n}');
    assert.deepEqual({ ...r.entries[0].fields }, { title: 'T', author: 'X' });
    assert.deepEqual(errors('@article{a,\n  title = {T}\n  author = {X}\n}'), ['3 warning: @article{a: missing comma before field']);
  });

  it('survives an unterminated quote', () => {
    const text = '@article{a, title = "never closed}\n@article{b, title={ok}}';
    assert.deepEqual(keys(text), ['a', 'b']);
    assert.deepEqual({ ...parseBibtex(text).entries[0].fields }, {});
    assert.match(errors(text)[0], /^1 error: .*unterminated quoted value/);
  });

  it('survives a missing closing brace at the end of the file', () => {
    const text = '@article{a, title={ok}}\n@article{b, title={ok}';
    assert.deepEqual(keys(text), ['a', 'b']);
    assert.equal(parseBibtex(text).entries[1].incomplete, true);
    assert.match(errors(text)[0], /^2 error: .*end of file/);
  });

  it('skips % comments between fields', () => {
    const r = parseBibtex('@article{a,\n  % a comment, with = signs {\n  title = {T}, % trailing\n}');
    assert.deepEqual({ ...r.entries[0].fields }, { title: 'T' });
    assert.deepEqual(r.errors, []);
  });

  it('reads @article(...) with parentheses', () => {
    const r = parseBibtex('@article(a, title = {T (with parens)}, year = 2020)');
    assert.deepEqual({ ...r.entries[0].fields }, { title: 'T (with parens)', year: '2020' });
  });

  it('expands @string macros with # concatenation and month names', () => {
    const r = parseBibtex(
      '@string{pub-ieee = {IEEE}}\n@STRING{press = " Press"}\n@article{a, publisher = pub-ieee # press, month = jan}',
    );
    assert.deepEqual({ ...r.entries[0].fields }, { publisher: 'IEEE Press', month: 'January' });
  });

  it('shows an undefined macro by its name and keeps it for resolving with other files', () => {
    const r = parseBibtex('@article{a, title = {T}, journal = nosuchmacro, year = 2020}');
    assert.deepEqual({ ...r.entries[0].fields }, { title: 'T', journal: 'nosuchmacro', year: '2020' });
    assert.match(errors('@article{a, journal = nosuchmacro}')[0], /warning: .*undefined macro nosuchmacro/);
    assert.equal(r.errors[0].macro, 'nosuchmacro');
    const resolved = resolveMacros(r.entries[0], (name) => (name === 'nosuchmacro' ? 'Journal of X' : undefined));
    assert.equal(resolved.fields.journal, 'Journal of X');
    assert.equal(resolved.unresolved, undefined);
    assert.equal(resolveMacros(r.entries[0], () => undefined).fields.journal, 'nosuchmacro');
  });

  it('does not loop on a macro that refers to itself', () => {
    const r = parseBibtex('@string{a = a # "x"}\n@string{b = b}\n@article{k, title = a # b}');
    assert.equal(r.entries.length, 1);
    assert.ok(r.errors.length >= 2);
  });

  it('reads @comment, @preamble and unknown entry types', () => {
    const r = parseBibtex(
      '@comment{anything {nested} here}\n@preamble{"\\newcommand{\\noop}[1]{}"}\n@software{s, title={S}}\n@online{o, url={https://x.org}}',
    );
    assert.deepEqual(
      r.entries.map((e) => `${e.type}:${e.key}`),
      ['software:s', 'online:o'],
    );
    assert.equal(r.preambles.length, 1);
    assert.deepEqual(r.errors, []);
  });

  it('fills fields from crossref', () => {
    const r = parseBibtex('@inproceedings{p, title={Paper}, crossref={proc}}\n@proceedings{proc, title={Proceedings of X}, year=1999}');
    assert.deepEqual({ ...r.entries[0].fields }, { title: 'Paper', crossref: 'proc', booktitle: 'Proceedings of X', year: '1999' });
  });

  it('names the key of a crossref this file lacks, so that one in another file can answer for it', () => {
    const r = parseBibtex('@inproceedings{p, title={Paper}, crossref="EMO2003"}');
    assert.deepEqual(
      r.errors.map((e) => [e.message, e.severity, e.crossref]),
      [['@inproceedings{p: crossref EMO2003 not found', 'warning', 'EMO2003']],
    );
  });

  it('does not lose the first entry after a byte-order mark', () => {
    assert.deepEqual(keys('\uFEFF@article{first, title={T}}'), ['first']);
  });

  it('ignores an @ in free text between entries', () => {
    const text = 'Contact jane@example.org about this file.\n@article{a, title={T}}';
    assert.deepEqual(keys(text), ['a']);
    assert.deepEqual(errors(text), []);
  });

  it('parses the same in slices, pausing between them', async () => {
    const { parseBibtexInSlices } = await import('../../../src/core/bib/parser');
    const text = Array.from({ length: 50 }, (_, i) => `@misc{k${i}, title={T${i}}}${i === 20 ? '\n@misc{bad, title={x}\n' : ''}`).join('\n');
    let pauses = 0;
    // A slice of 0 ms: a pause at every check, every 7 items.
    const sliced = await parseBibtexInSlices(text, async () => void pauses++, { itemsPerCheck: 7, sliceMs: 0 });
    assert.deepEqual(JSON.stringify(sliced), JSON.stringify(parseBibtex(text)));
    assert.ok(pauses >= 6);
  });

  it('tells what it has read as it goes: final entries, in the text the result will have', async () => {
    const { parseBibtexInSlices } = await import('../../../src/core/bib/parser');
    const { PiecedText } = await import('../../../src/core/text/pieces');
    const flat = Array.from({ length: 60 }, (_, i) => `@misc{k${i}, title={Title ${i}}, abstract={${'word '.repeat(i * 7)}}}`).join('\n');
    // Pieces cut mid-entry and a small window: entries lie in bridges and in kept windows.
    const pieces = Array.from({ length: Math.ceil(flat.length / 300) }, (_, i) => flat.slice(i * 300, (i + 1) * 300));
    const seen: { count: number; read: BibEntry[]; slices: string[] }[] = [];
    const result = await parseBibtexInSlices(new PiecedText(pieces), async () => undefined, { itemsPerCheck: 3, sliceMs: 0, lookahead: 64 }, async (entries, text) => {
      const read = text();
      seen.push({ count: entries.length, read: [...entries], slices: entries.map((e) => read.slice(e.start, e.end)) });
    });
    assert.ok(seen.length >= 20, `told after each step (${seen.length})`);
    for (const { count, read, slices } of seen) {
      read.forEach((entry, i) => assert.equal(entry, result.entries[i], `the very entry ${i} of ${count}`));
      slices.forEach((slice, i) => assert.equal(slice, result.text.slice(result.entries[i].start, result.entries[i].end), `entry ${i} of ${count}`));
    }
    assert.deepEqual(
      seen.map((s) => s.count),
      [...seen.map((s) => s.count)].sort((a, b) => a - b),
      'entries only added',
    );
    assert.equal(seen.at(-1)!.count, 60);
  });

  it('treats Object’s own names as nothing special (no prototype lookups)', () => {
    const r = parseBibtex('@article{k, month = constructor, note = toString # __proto__, __proto__ = {x}, title = {\\constructor{} \\toString}}');
    assert.equal(r.entries[0].fields.month, 'constructor');
    assert.equal(r.entries[0].fields.note, 'toString__proto__');
    assert.equal(r.entries[0].fields.__proto__, 'x');
    assert.equal(latexToText(r.entries[0].fields.title), 'toString');
    assert.ok(r.errors.every((e) => /undefined macro/.test(e.message)));
  });

  it('reads a file with old Mac line endings (\\r only), with errors on their own lines', () => {
    const text = ['@article{a, title={A}}', '@article{b, title={B}', '', '@article{c, title={C}}', '@article{d,', '  title = {D}}'].join('\r');
    const r = parseBibtex(text);
    assert.deepEqual(r.entries.map((e) => `${e.key}:${e.line}`), ['a:1', 'b:2', 'c:4', 'd:5']);
    assert.equal(r.errors[0].line, 2);
    assert.deepEqual(keys(text.replace(/\r/g, '\r\n')), ['a', 'b', 'c', 'd']);
  });

  it('reports columns as well as lines', () => {
    const r = parseBibtex('@article{a,\n  title = {T}\n  author = {X}\n}');
    assert.deepEqual([r.errors[0].line, r.errors[0].column], [3, 2]);
  });

  it('skips a multi-line @comment around entries without a false error', () => {
    const text = '@comment{\n@article{old, title={Old}}\n}\n@article{new, title={New}}';
    assert.deepEqual(keys(text), ['new']);
    assert.deepEqual(parseBibtex(text).errors, []);
  });

  it('counts escaped braces as BibTeX and biber do', () => {
    const r = parseBibtex('@article{a, author = {Garneau, Marie-\\{}Eve}, title = {Horse, wagon \\{\\&} chariot}}\n@article{b, title={B}}');
    assert.deepEqual(r.entries.map((e) => e.key), ['a', 'b']);
    assert.equal(r.entries[0].fields.author, 'Garneau, Marie-\\{}Eve');
    assert.deepEqual(r.errors, []);
  });

  it('keeps an entry whose field holds a macro name BibTeX accepts, or something no value starts with', () => {
    const r = parseBibtex("@article{a, journal = 'TCS, title = {T}}\n@article{b, note = (x), title = {U}}");
    assert.deepEqual(r.entries.map((e) => e.key), ['a', 'b']);
    assert.equal(r.entries[0].fields.journal, "'TCS");
    assert.equal(r.entries[1].fields.title, 'U');
    assert.equal(r.entries[1].fields.note, undefined);
    assert.ok(r.errors.every((e) => e.severity === 'warning'));
  });

  it('caps macro expansion: strings that double thirty times cost one field, not the file', () => {
    const lines = ['@string{s0 = "xxxxxxxxxxxxxxxx"}'];
    for (let i = 1; i <= 30; i++) {
      lines.push(`@string{s${i} = s${i - 1} # s${i - 1}}`);
    }
    lines.push('@article{a, title = s30, year = 2020}', '@article{b, title = {fine}}');
    const r = parseBibtex(lines.join('\n'));
    assert.deepEqual(r.entries.map((e) => e.key), ['a', 'b']);
    assert.ok((r.entries[0].fields.title ?? '').length <= 1_000_000);
    assert.equal(r.entries[0].fields.year, '2020');
  });

  it('recovers at the next @type{ wherever it is, so a one-line file keeps the entries after an error', () => {
    const text = '@article{a, title={A}} @article{b, title={B} @article{c, title={C}} @misc{d, title={D}}';
    assert.deepEqual(keys(text), ['a', 'b', 'c', 'd']);
  });

  it('reads a line of stray @words without taking them for entries', () => {
    const text = `${'@word '.repeat(20000)}\n@article{a, title={A}}`;
    assert.deepEqual(keys(text), ['a']);
  });

  it('keeps duplicate keys (reporting is the caller’s concern)', () => {
    assert.deepEqual(keys('@article{a, title={1}}\n@article{a, title={2}}'), ['a', 'a']);
  });

  it('keeps the entry’s offsets for going to it', () => {
    const text = 'junk\n@article{a, title={T}}\n';
    const e = parseBibtex(text).entries[0];
    assert.equal(text.slice(e.start, e.end), '@article{a, title={T}}');
    assert.equal(text.slice(e.keyStart, e.keyStart + 1), 'a');
    assert.equal(e.line, 2);
  });

  for (const [name, text] of [
    ['a million opening braces', '{'.repeat(1_000_000)],
    ['an entry of a million opening braces', `@article{${'{'.repeat(1_000_000)}`],
    ['a million @', '@'.repeat(1_000_000)],
    ['a million quotes in a field', `@article{a, title="${'"'.repeat(1_000_000)}}`],
    ['Latin-1 mojibake', '@article{a, title={Caf\u00e9 \ufffd\ufffd}}'],
  ]) {
    it(`returns on ${name}`, () => {
      const r = parseBibtex(text);
      assert.ok(Array.isArray(r.entries));
    });
  }
});

describe('LaTeX to text', () => {
  const cases: [string, string][] = [
    ['{\\"u}ber', 'über'],
    ['\\"{u}ber', 'über'],
    ["Sch{\\\"o}lkopf and Erd\\H{o}s", 'Schölkopf and Erdős'],
    ["\\'{e}t\\'e na\\\"{\\i}ve", 'été naïve'],
    ['\\c{c}a \\v{c} \\v c', 'ça č č'],
    ['R\\&D 50\\% \\$5 a\\_b \\#1', 'R&D 50% $5 a_b #1'],
    ['\\emph{bold} and \\textit{it} and {Braces}', 'bold and it and Braces'],
    ['a -- b --- c ``q\'\'', 'a – b — c “q”'],
    ['\\ss{} {\\o} \\AA', 'ß ø Å'],
    ['x~y', 'x y'],
    ['$\\alpha$-divergence', 'α-divergence'],
    ['$x^2$ and $a_i$', 'x^2 and a_i'],
    ['$(warning) $(check) costs $5', '$(warning) $(check) costs $5'],
    // Math as pandoc reads it (Zotero's `{$<$}`), and dollars that are not math.
    ['aerial duels (p{$<$} .10), $n=3$ runs, {$\\geq$}3', 'aerial duels (p< .10), n=3 runs, ≥3'],
    ['costs $5 and $6, a $ sign, $ x$, $x $ and $x$5', 'costs $5 and $6, a $ sign, $ x$, $x $ and $x$5'],
    // Google Scholar's protected capitals, `$\{$USENIX$\}$`, read as the word; a set in math keeps its braces.
    ['29th $\\{$USENIX$\\}$ Security Symposium ($\\{$USENIX$\\}$ Security 20)', '29th USENIX Security Symposium (USENIX Security 20)'],
    ['$\\{$BERT$\\}$: pre-training, the set $\\{x\\}$ and \\{a\\}', 'BERT: pre-training, the set {x} and {a}'],
    // Text-companion symbols as Zotero exports them.
    ['Ond{\\textasciicaron}rej Huba{\\textasciicaron}cek, 5{\\textdollar}, 10{\\textohm}, 1{\\textordfeminine}', 'Ondˇrej Hubaˇcek, 5$, 10Ω, 1ª'],
    ['  many   \n spaces ', 'many spaces'],
    ['\\url{https://x.org} text', 'https://x.org text'],
    ['{\\LaTeX}: a document preparation system', 'LaTeX: a document preparation system'],
    ['The {\\TeX}book', 'The TeXbook'],
    ['\\LaTeX\\ and \\BibTeX{} files', 'LaTeX and BibTeX files'],
    ['10\\,\\textmu m and a\\slash b\\Dash c', '10 µm and a/b—c'],
    ['\\href{https://x.org}{the site}', 'the site'],
    // Quotations as csquotes and biblatex write them (biblatex-examples.bib's titles): marks, not nothing.
    ['Abhandlung: \\mkbibquote{{\\"U}ber die M{\\"o}glichkeit} oder \\mkbibquote{den Intellekt}', 'Abhandlung: “Über die Möglichkeit” oder “den Intellekt”'],
    ['\\enquote{a \\enquote{b} c}, \\enquote*{d} and \\textquote[{Smith}][.]{e} f', '“a ‘b’ c”, ‘d’ and “e” f'],
    ['{\\noopsort{1973b}}1973', '1973'],
    ['\\unknowncommand{kept} and \\unknownalone here', 'kept and unknownalone here'],
    ['{\\bf Bold} {\\em em}', 'Bold em'],
    // An accent before a run of plain letters, quotes and hyphens inside plain text.
    ["\\'ecole normale sup\\'erieure", 'école normale supérieure'],
    ["it's a pre-print, isn't it", "it's a pre-print, isn't it"],
    // Lone hyphens and quotes are plain text; only doubled ones are ligatures, wherever they fall.
    ["Bayes' rule, state-of-the-art, pages 1--2, `a' -- ``b'' -x' '''", "Bayes' rule, state-of-the-art, pages 1–2, `a' – “b” -x' ”'"],
    // Fields exported HTML-escaped (ACM, Crossref): character references are decoded; a bare & stays.
    ['Morgan \\&\\#38; Claypool', 'Morgan & Claypool'],
    ['Science &amp; Society, caf&#233; &#xE9;t&eacute;', 'Science & Society, café ét&eacute;'],
    ['R\\&D, AT\\&T; Tom \\& Jerry;', 'R&D, AT&T; Tom & Jerry;'],
    // Every kind of white space becomes one space, a lone tab or no-break space too.
    ['a\tb\u00a0c\r\nd  e', 'a b c d e'],
    // Plain text takes a quicker test of whether it needs tidying: each case alone.
    ['a lone\ttab', 'a lone tab'],
    ['two  spaces only', 'two spaces only'],
    ['a\u2003wide space', 'a wide space'],
    [' padded, nothing else ', 'padded, nothing else'],
  ];
  for (const [latex, text] of cases) {
    it(`${JSON.stringify(latex)} → ${JSON.stringify(text)}`, () => {
      assert.equal(latexToText(latex), text);
    });
  }
});
