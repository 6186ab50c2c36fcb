import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { matchesFilters, parseQuery } from '../../../src/core/search/query';

describe('query syntax', () => {
  it('keeps plain words as text', () => {
    assert.deepEqual(parseQuery('  equilibrium   propagation '), {
      text: 'equilibrium propagation',
      authors: [],
      venues: [],
      years: undefined,
    });
  });

  it('reads author, year, venue and free text together', () => {
    const q = parseQuery('author:Laborieux equilibrium year:2023 venue:ICLR');
    assert.equal(q.text, 'equilibrium');
    assert.deepEqual(q.authors, ['laborieux']);
    assert.deepEqual(q.venues, ['iclr']);
    assert.deepEqual(q.years, { from: 2023, to: 2023 });
  });

  it('reads year ranges in either order and quoted values', () => {
    assert.deepEqual(parseQuery('year:2020-2022').years, { from: 2020, to: 2022 });
    assert.deepEqual(parseQuery('year:2022-2020').years, { from: 2020, to: 2022 });
    assert.deepEqual(parseQuery('year:2020..2022').years, { from: 2020, to: 2022 });
    assert.deepEqual(parseQuery('author:"de Bezenac" pde').authors, ['de bezenac']);
    assert.equal(parseQuery('author:"de Bezenac" pde').text, 'pde');
  });

  it('treats unknown fields, malformed ranges and empty values as text', () => {
    assert.equal(parseQuery('title:diffusion').text, 'title:diffusion');
    assert.equal(parseQuery('year:20x2').text, 'year:20x2');
    assert.equal(parseQuery('year:2020-').text, 'year:2020-');
    assert.equal(parseQuery('author:').text, 'author:');
    assert.equal(parseQuery('year:2020-20222').years, undefined);
  });

  it('intersects repeated year filters', () => {
    assert.deepEqual(parseQuery('year:2018-2022 year:2021-2025').years, { from: 2021, to: 2022 });
  });

  it('matches author fragments at word starts, accent- and case-insensitively', () => {
    const paper = { authors: ['Ralf Möller', 'Lise Le Boudec'], year: 2024, venue: 'ICLR 2024' };
    assert.ok(matchesFilters(parseQuery('author:moller'), paper));
    assert.ok(matchesFilters(parseQuery('author:möl'), paper));
    assert.ok(matchesFilters(parseQuery('author:"le boudec"'), paper));
    assert.ok(!matchesFilters(parseQuery('author:oller'), paper));
    assert.ok(matchesFilters(parseQuery('venue:iclr year:2023-2024'), paper));
    assert.ok(!matchesFilters(parseQuery('venue:icml'), paper));
    assert.ok(!matchesFilters(parseQuery('year:2025'), paper));
    assert.ok(!matchesFilters(parseQuery('year:2024'), { authors: [] }));
  });
});

describe('venue filter', () => {
  it('matches a venue as written and by the venue it is', () => {
    const paper = { authors: [], venue: 'International Conference on Machine Learning', year: 2019 };
    assert.ok(matchesFilters(parseQuery('venue:icml'), paper));
    assert.ok(matchesFilters(parseQuery('venue:"machine learning"'), paper));
    assert.ok(!matchesFilters(parseQuery('venue:neurips'), paper));
  });
});
