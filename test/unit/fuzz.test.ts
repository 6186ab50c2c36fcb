// Property-based tests, seeded so that a failure reproduces: the detector, the BibTeX
// writer and the query parser never throw, always return, and keep their invariants.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bibtexEntry, escapeBibtexValue } from '../../src/core/bib/writer';
import { parseBibtex } from '../../src/core/bib/parser';
import { citationInsertion } from '../../src/core/cite/citeContext';
import { scanDocument } from '../../src/core/detect/detect';
import { paperHoverMarkdown } from '../../src/core/display/hoverCard';
import { latexToText } from '../../src/core/text/latexText';
import { parseQuery } from '../../src/core/search/query';
import { TitleMatcher } from '../../src/core/detect/titleMatcher';
import { bundledIndex, makePaper } from './helpers';

const SEED = 20261128;
/** Text made of the characters that matter to the parsers, plus ordinary ones. */
const markup = (maxLength: number) =>
  fc.string({
    unit: fc.constantFrom('\\', '{', '}', '[', ']', '(', ')', '@', ',', ';', '%', '$', '`', '*', '_', '~', '-', '"', "'", '\n', ' ', 'a', 'B', '1', '.', ':', '/', 'é', 'cite', 'arXiv:', '2309.02214', 'v2', 'equilibrium', 'propagation'),
    maxLength,
  });

describe('fuzzing (fast-check, seeded)', () => {
  const matcher = new TitleMatcher(bundledIndex().papers);

  it('detection returns sorted, in-bounds, non-overlapping-by-kind mentions for any text', () => {
    fc.assert(
      fc.property(markup(300), fc.constantFrom('latex' as const, 'markdown' as const), (text, kind) => {
        const mentions = scanDocument(text, kind, { titles: matcher });
        let last = -1;
        for (const m of mentions) {
          assert.ok(m.start >= 0 && m.end <= text.length && m.start < m.end, JSON.stringify(m));
          assert.ok(m.start >= last);
          last = m.start;
          if (m.kind === 'citation') {
            assert.equal(text.slice(m.start, m.end), m.key);
          }
        }
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('a citation snippet always re-detects the inserted keys', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9]{0,10}$/);
    fc.assert(
      fc.property(markup(80), fc.nat(), fc.uniqueArray(key, { minLength: 1, maxLength: 3 }), (text, at, keys) => {
        const offset = at % (text.length + 1);
        const ins = citationInsertion(text, offset, 'latex', keys);
        assert.ok(ins.start <= ins.end && ins.end <= text.length);
        // Outside any group, the inserted text alone is a full citation of exactly these keys.
        if (ins.text.startsWith('\\cite{')) {
          const found = scanDocument(ins.text, 'latex').map((m) => (m.kind === 'citation' ? m.key : ''));
          assert.deepEqual(found, keys);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('inserting into an existing group, at any offset inside it, keeps every key whole and adds the new one', () => {
    const key = fc.stringMatching(/^[a-z][a-z0-9:_-]{0,10}$/);
    fc.assert(
      fc.property(
        fc.uniqueArray(key, { minLength: 1, maxLength: 4 }),
        fc.constantFrom('\\cite', '\\citep', '\\parencite', '\\cites'),
        fc.constantFrom('', '[p.~3]', '[see][]'),
        fc.constantFrom(',', ', ', ' , '),
        fc.nat(),
        (existing, command, optional, sep, at) => {
          const group = `${command}${optional}{${existing.join(sep)}}`;
          const text = `Before ${group} after.`;
          const open = text.indexOf('{', text.indexOf(command)) + 1;
          const close = text.indexOf('}', open);
          const offset = open + (at % (close - open + 1));
          const fresh = 'newkey2024';
          const ins = citationInsertion(text, offset, 'latex', [fresh]);
          const after = text.slice(0, ins.start) + ins.text + text.slice(ins.end);
          const keys = scanDocument(after, 'latex').flatMap((m) => (m.kind === 'citation' ? [m.key] : []));
          assert.deepEqual([...keys].sort(), [...existing, fresh].sort(), `${text} @${offset} → ${after}`);
        },
      ),
      { seed: SEED, numRuns: 2000 },
    );
  });

  it('a generated BibTeX entry re-parses to the same fields, whatever the paper holds', () => {
    const text = fc.string({ minLength: 1, maxLength: 60 }).filter((s) => s.trim() !== '');
    fc.assert(
      fc.property(
        fc.record({
          title: text,
          authors: fc.array(text, { maxLength: 4 }),
          venue: fc.option(text, { nil: undefined }),
          year: fc.option(fc.integer({ min: 1000, max: 2999 }), { nil: undefined }),
        }),
        (fields) => {
          const paper = makePaper({ key: 'fuzz2024key', ...fields, authors: fields.authors.map((a) => a.replace(/\s+/g, ' ').trim()).filter(Boolean) });
          const { entries, errors } = parseBibtex(bibtexEntry(paper));
          assert.deepEqual(errors, []);
          assert.equal(entries.length, 1);
          assert.equal(entries[0].key, 'fuzz2024key');
          // The field holds exactly the escaped title, protected by braces…
          assert.equal(entries[0].fields.title, `{${escapeBibtexValue(paper.title)}}`);
          // …which reads back as the title wherever LaTeX has no ligature for it (--, ``, '').
          if (!/--|``|''/.test(paper.title)) {
            assert.equal(latexToText(entries[0].fields.title), paper.title.replace(/\s+/g, ' ').trim());
          }
          if (paper.year !== undefined) {
            assert.equal(entries[0].fields.year, String(paper.year));
          }
        },
      ),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('the query parser never throws and loses no plain word', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (input) => {
        const q = parseQuery(input);
        assert.equal(typeof q.text, 'string');
        if (q.years) {
          // Years come only from four-digit values; one year filter is an ordered range.
          assert.ok(q.years.from >= 1000 && q.years.to <= 9999, JSON.stringify(q.years));
          if ((input.match(/year:/gi) ?? []).length === 1) {
            assert.ok(q.years.from <= q.years.to, JSON.stringify(q.years));
          }
        }
        for (const word of input.split(/\s+/).filter((w) => w && !w.includes(':') && !w.includes('"'))) {
          assert.ok(q.text.includes(word), `${word} lost from ${JSON.stringify(input)}`);
        }
        bundledIndex().search(q, { limit: 5 });
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('a hover card from any data links only to our commands', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.string({ maxLength: 40 }), (title, author) => {
        const md = paperHoverMarkdown(makePaper({ title: title || 'x', authors: [author || 'y'], abstract: title }), { abstractLength: 100 });
        for (const m of md.matchAll(/(?<!\\)\]\(([^)\s]*)\)/g)) {
          assert.match(m[1], /^(command:paperscope\.(openPaper|insertCitation|copyBibtex)\?|https:\/\/arxiv\.org\/abs\/)/, md);
        }
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });
});
