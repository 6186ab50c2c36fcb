import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { generateCorpus } from '../../../bench/corpus';
import { compareNewestFirst, filtersInSteps, newestPassing, passingIds, type FilterSource } from '../../../src/core/search/passing';
import { matchesFilters, parseQuery } from '../../../src/core/search/query';
import { PaperIndex, type SerializedLibrary } from '../../../src/core/search/searchIndex';
import { ROOT } from '../helpers';

const bundled = (JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary).papers;

/** Every prefix of each query, as typed, then backspaced back to the start. */
const typed = (queries: readonly string[]) =>
  queries.flatMap((q) => {
    const prefixes = Array.from({ length: q.length }, (_, i) => q.slice(0, i + 1));
    return [...prefixes, ...[...prefixes].reverse()];
  });

describe('papers passing the field filters', () => {
  const index = PaperIndex.load(JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary);
  // Some papers without a year (sorted as year 0), and one of year 0.
  index.apply({ removed: [], upserted: generateCorpus(2000, bundled, 7).map((p, i) => ({ ...p, id: 10_000 + i, year: i % 97 === 0 ? undefined : i === 5 ? 0 : p.year })) });

  it('are the papers the filters pass, newest first, however the filters were typed', () => {
    const queries = typed(['author:smith', 'author:zhang', 'author:lin', 'venue:iclr year:2019-2021', 'year:2018-2022 author:li', 'author:"de b" venue:neur', 'venue:icml author:z']);
    // And jumps between unrelated filters.
    queries.push('author:smith', 'author:sm', 'venue:iclr', 'author:smit', 'year:2020', 'year:2019-2021', 'year:2020');
    queries.push('year:0000', 'year:0000-2000', 'year:1000-9999', 'author:"-"', 'venue:"neural information" year:2017-2022', 'author:l author:i');
    const expectedFor = (input: string) => {
      const q = parseQuery(input);
      return { q, expected: index.papers.filter((p) => matchesFilters(q, p)).sort(compareNewestFirst) };
    };
    // As the picker asks while filters are typed: a few papers each time (the later ones
    // not yet tested when the next keystroke narrows the filters).
    for (const input of queries) {
      const { q, expected } = expectedFor(input);
      assert.deepEqual(
        newestPassing(index, q, 3).map((p) => p.id),
        expected.slice(0, 3).map((p) => p.id),
        `"${input}", 3`,
      );
    }
    // With words after them: every paper that passes.
    for (const input of queries) {
      const { q, expected } = expectedFor(input);
      const ids = passingIds(index, q);
      assert.deepEqual(ids && [...ids].sort(), q.authors.length + q.venues.length > 0 || q.years ? expected.map((p) => p.id).sort() : undefined, `"${input}": ids`);
      assert.deepEqual(
        newestPassing(index, q, 50).map((p) => p.id),
        expected.slice(0, 50).map((p) => p.id),
        `"${input}", 50`,
      );
    }
  });

  it('are tested again when the papers change', () => {
    const q = parseQuery(`author:"${index.papers[200].authors[0]}"`);
    const before = passingIds(index, q)!;
    const smith = index.papers.find((p) => before.has(p.id))!;
    index.remove(smith.id);
    assert.ok(!passingIds(index, q)!.has(smith.id));
    assert.ok(!newestPassing(index, q, Infinity).includes(smith));
    index.upsert(smith);
    assert.ok(passingIds(index, q)!.has(smith.id));
  });

  it('made ahead in steps (filtersInSteps): the first filter reads no paper again; papers changed meanwhile, made for the new ones at the next', () => {
    let reads = 0;
    const counted = (source: PaperIndex): FilterSource => ({
      get filterKey() {
        return source.filterKey;
      },
      get size() {
        return source.size;
      },
      filterFieldsAt: (i) => (reads++, source.filterFieldsAt(i)),
      paperAt: (i) => source.paperAt(i),
    });
    const fresh = PaperIndex.load(JSON.parse(readFileSync(join(ROOT, 'dist', 'library.json'), 'utf8')) as SerializedLibrary);
    fresh.apply({ removed: [], upserted: generateCorpus(2400, bundled, 9).map((p, i) => ({ ...p, id: 20_000 + i })) });
    const source = counted(fresh);
    let steps = 0;
    for (const _ of filtersInSteps(source)) {
      steps++;
    }
    assert.equal(reads, fresh.size, 'each paper read once');
    assert.ok(steps > fresh.size / 250, `in steps (${steps})`);
    const q = parseQuery('author:s venue:i');
    const expected = fresh.papers.filter((p) => matchesFilters(q, p)).sort(compareNewestFirst);
    assert.ok(expected.length > 3);
    assert.deepEqual(newestPassing(source, q, 50).map((p) => p.id), expected.slice(0, 50).map((p) => p.id));
    assert.equal(reads, fresh.size, 'the filter read no paper');

    // The papers change half-way: the steps end there; the next filter reads the papers as they are.
    fresh.upsert({ ...fresh.papers[300], authors: ['Zyx Wvutsr'] });
    reads = 0;
    const steps2 = filtersInSteps(source);
    for (let k = 0; k < 3; k++) {
      steps2.next();
    }
    fresh.remove(fresh.papers[5].id);
    assert.equal(steps2.next().done, true, 'ends once the papers changed');
    assert.ok(reads < fresh.size / 2, `ended early (${reads} read)`);
    assert.deepEqual(
      newestPassing(source, parseQuery('author:zyx'), 5).map((p) => p.id),
      [fresh.papers.find((p) => p.authors[0] === 'Zyx Wvutsr')!.id],
    );
  });

  it('without filters: every paper, newest first', () => {
    assert.deepEqual(
      newestPassing(index, parseQuery(''), 10).map((p) => p.id),
      [...index.papers].sort(compareNewestFirst).slice(0, 10).map((p) => p.id),
    );
  });
});
