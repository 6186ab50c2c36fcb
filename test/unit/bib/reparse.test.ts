// Re-parsing an edited .bib where it changed gives what a parse of the whole new text
// gives: entries, errors and their positions, line starts, the first entry of each key.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseBibtex, parseBibtexInSlices, type BibParseResult } from '../../../src/core/bib/parser';
import { LibraryModel } from '../../../src/core/library/libraryModel';
import { decodeText } from '../../../src/core/text/decode';
import { reparseBibtexInSlices } from '../../../src/core/bib/reparse';
import { PiecedText } from '../../../src/core/text/pieces';
import { generateBib, generateCorpus } from '../../../bench/corpus';
import { bundledIndex, bundledPapers } from '../helpers';

const SEED = 20261130;
const fixture = (...path: string[]) => readFileSync(join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', ...path), 'utf8');
const none = async () => undefined;

/** Shaped like real files: a Google Scholar export, CRLF, `}%`, comments and junk between entries, an entry left open. */
const MESSY = [
  '% Encoding: UTF-8\r\n',
  '@article{vaswani2017attention,\r\n  title={Attention is all you need},\r\n  author={Vaswani, Ashish and Shazeer, Noam},\r\n  journal={Advances in neural information processing systems},\r\n  volume={30},\r\n  year={2017}\r\n}%\r\n',
  'http://stray.example/url-between-entries\r\n',
  '@inproceedings{copilot2021,\n  title = "Evaluating Large Language Models Trained on Code",\n  booktitle = {29th $\\{$USENIX$\\}$ Security Symposium},\n  month = dec # "~3",\n  year = 2021,\n}\n',
  '@comment{ @article{commented, title={Not an entry}} }\n',
  '@misc{open2022, title = {An entry never closed,\n  year = 2022\n\n',
  '@book{knuth1984, title={The {\\TeX}book}, author="Knuth, Donald E.", publisher={Addison-Wesley}, year=1984}\n',
  'Contact: someone@example.org\n',
  '@article{Vaswani2017Attention, title={Attention Is All You Need (again, another key case)}, year={2017}}\n',
  '@article{tab,\ttitle\t=\t{Tabs},\tyear\t=\t2019}\n',
].join('');

function generated(n: number): string {
  return generateBib(generateCorpus(n, bundledIndex().papers, 7));
}

const BASES = [
  MESSY,
  generated(40),
  fixture('hostile', 'hostile.bib'),
  fixture('workspace', 'lib', 'broken.bib') + fixture('workspace', 'lib', 'mine.bib'),
  '@string{icml = "International Conference on Machine Learning"}\n\n' + generated(15), // the @string before every entry
  generated(10) + '\n@string{late = "Defined late"}\n@article{uses, title={T}, journal=late}\n' + generated(5), // a late @string: parsed whole
  '@inproceedings{p, title={Paper}, crossref={proc}}\n@proceedings{proc, title={Proceedings of X}, year=1999}\n' + generated(10), // crossrefs: parsed whole
];

/** What a parse gives, in comparable form. */
function view(r: BibParseResult) {
  return {
    entries: r.entries.map((e) => ({ ...e, fields: { ...e.fields } })),
    errors: r.errors,
    strings: { ...r.strings },
    preambles: r.preambles,
    lineStarts: [...r.lineStarts],
    byKey: [...r.byKey].map(([k, e]) => [k, e.start]),
    definitions: r.state?.lastDefinitionAt,
    crossrefs: r.state?.crossrefs,
  };
}

const piece = fc.constantFrom(
  '@', '{', '}', '"', ',', '=', '#', '%', '\n', '\r\n', '\r', ' ', '\t', 'a', 'Z', '9', '(', ')', '\\',
  '@article{k,', '@misc{x, title={T}}\n', '}\n@book{b,', 'title = {', 'year = 2020,', '@string{m = "x"}', '@preamble{"p"}',
  'crossref = {proc},', '@comment{', 'month = jan,', 'journal = icml,', '\n  author = {A and B},', 'é',
);
const edit = fc.record({ at: fc.nat(), cut: fc.nat({ max: 40 }), insert: fc.array(piece, { maxLength: 6 }).map((p) => p.join('')) });

describe('re-parsing an edited .bib where it changed', () => {
  it('gives what a parse of the whole new text gives, edit after edit, on real-shaped files', async () => {
    let reused = 0;
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 4 }), async (which, edits) => {
        let text = BASES[which];
        let result = parseBibtex(text);
        for (const { at, cut, insert } of edits) {
          const from = at % (text.length + 1);
          const next = text.slice(0, from) + insert + text.slice(Math.min(text.length, from + cut));
          const again = await reparseBibtexInSlices(text, result, next, none, { itemsPerCheck: 3, sliceMs: 0 });
          assert.deepEqual(view(again), view(parseBibtex(next)), JSON.stringify({ before: text, after: next }));
          runs++;
          if (again.entries.length > 0 && result.entries.includes(again.entries[0])) {
            reused++;
          }
          text = next;
          result = again;
        }
      }),
      { seed: SEED, numRuns: 1500 },
    );
    // The point is to re-parse little: most edits keep the entries before them as they were.
    assert.ok(reused > runs / 3, `${reused} of ${runs} edits kept the first entry`);
  });

  it('keeps the entries before the edit as they were and moves the ones after it', async () => {
    const text = generated(200);
    const before = parseBibtex(text);
    const at = before.entries[100].start + 20;
    const edited = `${text.slice(0, at)}Zyx\nwv ${text.slice(at)}`;
    const after = await reparseBibtexInSlices(text, before, edited, none);
    assert.deepEqual(view(after), view(parseBibtex(edited)));
    assert.equal(after.entries[50], before.entries[50], 'an entry before the edit is the same object');
    assert.notEqual(after.entries[100], before.entries[100]);
    assert.equal(after.entries[150].line, before.entries[150].line + 1);
    assert.equal(after.entries[150].fields, before.entries[150].fields, 'an entry after the edit is moved, not read again');
    assert.equal(await reparseBibtexInSlices(text, before, text, none), before, 'no change: the same parse');
  });
});

/** `text` cut where `cuts` say (offsets taken modulo its length). */
function cutAt(text: string, cuts: readonly number[]): PiecedText {
  const at = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
  const pieces: string[] = [];
  let from = 0;
  for (const c of [...at, text.length]) {
    if (c > from) {
      pieces.push(text.slice(from, c));
      from = c;
    }
  }
  return new PiecedText(pieces);
}

describe('a .bib text in pieces', () => {
  it('reads as the string it makes: slices, characters, searches', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '@', '\n', 'é', '\r') }), fc.array(fc.nat()), fc.integer({ min: -3, max: 60 }), fc.integer({ min: -3, max: 60 }), (text, cuts, a, b) => {
        const p = cutAt(text, cuts);
        assert.equal(p.length, text.length);
        assert.equal(p.slice(a, b), text.slice(a, b));
        assert.equal(p.slice(a), text.slice(a));
        assert.equal(p.charCodeAt(a), text.charCodeAt(a));
        assert.equal(p.indexOf('@', a), text.indexOf('@', a));
        const [from, to] = [Math.max(0, a), Math.max(0, a, b)];
        assert.equal(p.piecesOf(from, to).join(''), text.slice(from, to));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('parses as the one string would, wherever the pieces are cut and however short the window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: BASES.length - 1 }), fc.array(fc.nat(), { maxLength: 12 }), fc.integer({ min: 1, max: 300 }), async (which, cuts, lookahead) => {
        const text = BASES[which];
        const parsed = await parseBibtexInSlices(cutAt(text, cuts), none, { itemsPerCheck: 3, sliceMs: 0, lookahead });
        const flat = parseBibtex(text);
        assert.deepEqual(view(parsed), view(flat));
        assert.deepEqual(parsed.state, flat.state, 'how far each item read, where errors belong');
        assert.equal(parsed.text.slice(0), text, 'the kept text is the text');
      }),
      { seed: SEED, numRuns: 600 },
    );
  });

  it('an item that reads past the window is read again with a longer one: an unclosed @comment swallows the rest of a long file', async () => {
    const text = `${generated(30)}@comment{ left open\n${generated(300)}`;
    const flat = parseBibtex(text);
    const parsed = await parseBibtexInSlices(cutAt(text, [...Array(80).keys()].map((i) => i * 1000)), none, { itemsPerCheck: 3, sliceMs: 0, lookahead: 64 });
    assert.deepEqual(view(parsed), view(flat));
    assert.deepEqual(parsed.state, flat.state);
    assert.ok(flat.errors.some((e) => e.message.includes('@comment: unbalanced "{" reaches the end of the file')), 'the @comment read to the end');
  });

  it('re-parses an edit of pieces as a parse of the new text, and keeps the unchanged pieces', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.nat({ max: BASES.length - 1 }),
        fc.array(fc.record({ edit, cuts: fc.array(fc.nat(), { maxLength: 8 }) }), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 300 }),
        async (which, edits, lookahead) => {
          let text = BASES[which];
          let result = parseBibtex(cutAt(text, [text.length >> 1]));
          for (const { edit: { at, cut, insert }, cuts } of edits) {
            const from = at % (text.length + 1);
            const next = text.slice(0, from) + insert + text.slice(Math.min(text.length, from + cut));
            const again = await reparseBibtexInSlices(result.text, result, cutAt(next, cuts), none, { itemsPerCheck: 3, sliceMs: 0, lookahead });
            assert.deepEqual(view(again), view(parseBibtex(next)), JSON.stringify({ before: text, after: next }));
            assert.equal(again.text.slice(0), next);
            text = next;
            result = again;
          }
        },
      ),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('a save of a large file in pieces keeps the pieces before and after the edit, not a second text', async () => {
    const text = generated(400);
    const size = 16_384;
    const every = (n: number, plus = 0) => [...Array(Math.ceil(n / size)).keys()].map((i) => i * size + plus);
    const pieces = cutAt(text, every(text.length));
    const before = await parseBibtexInSlices(pieces, none);
    const at = before.entries[200].start + 20;
    const edited = `${text.slice(0, at)}Zyx ${text.slice(at)}`;
    const after = await reparseBibtexInSlices(before.text, before, cutAt(edited, every(edited.length, 7)), none);
    assert.deepEqual(view(after), view(parseBibtex(edited)));
    const kept = (after.text as PiecedText).pieces;
    const old = new Set((before.text as PiecedText).pieces);
    const reused = kept.filter((p) => old.has(p)).reduce((n, p) => n + p.length, 0);
    // All but the two pieces the edit's part was cut from, and that part (copied).
    assert.ok(reused > text.length - 3 * size - 5000, `${reused} of ${text.length} characters are the first read's pieces`);
    assert.ok((before.text as PiecedText).pieces.length > 30);
  });
});

describe('saves do not keep earlier texts alive', () => {
  it('a file saved again and again holds its first text and its current one, not one more per save (parser and model)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = () => {
      gc();
      gc();
      return process.memoryUsage().heapUsed;
    };
    const none = async () => undefined;
    let bib = Buffer.from(generateBib(generateCorpus(3000, bundledPapers(), 9)));
    let text = await decodeText(bib, none);
    let result = await parseBibtexInSlices(text, none);
    const model = new LibraryModel([]);
    const file = 'file:///w/lib.bib';
    const feed = () => model.setFile({ file, text, entries: result.entries, strings: result.strings, byKey: result.byKey });
    await feed();
    const heaps: number[] = [];
    for (let k = 1; k <= 5; k++) {
      // A save that edits one title further down each time.
      let at = 0;
      for (let i = 0; i < k * 500; i++) {
        at = bib.indexOf('title = {', at + 1);
      }
      at += 'title = {'.length;
      bib = Buffer.concat([bib.subarray(0, at), Buffer.from(`Saved ${k} `), bib.subarray(at)]);
      const next = await decodeText(bib, none);
      result = await reparseBibtexInSlices(text, result, next, none);
      text = next;
      await feed();
      assert.equal(model.entryByKey(result.entries[k * 500 - 1].key)?.fields.title.startsWith(`Saved ${k} `), true);
      heaps.push(heap());
    }
    // Each text is about 2 bytes a character here; keeping one per save grew the heap by that much each time.
    const grown = heaps[4] - heaps[0];
    assert.ok(grown < text.length / 2, `the heap grew ${(grown / 1e6).toFixed(1)} MB over four saves of a ${(text.length / 1e6).toFixed(1)} M-character file`);
  });
});
