import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CorpusError, parseCorpusJsonl } from '../../../src/core/library/corpus';
import { isArxivId } from '../../../src/core/library/identifiers';
import { bundledPapers } from '../helpers';

const good = JSON.stringify({
  title: 'A title',
  abstract: 'Text.',
  authors: ['A B'],
  year: 2020,
  arxiv: '2001.00001',
  venue: null,
  url: 'https://arxiv.org/abs/2001.00001',
});

function errorOf(text: string): CorpusError {
  try {
    parseCorpusJsonl(text);
  } catch (err) {
    assert.ok(err instanceof CorpusError);
    return err;
  }
  assert.fail('expected a CorpusError');
}

describe('corpus import', () => {
  it('reads valid lines and skips blank ones', () => {
    const records = parseCorpusJsonl(`\uFEFF${good}\n\n${good.replace('2001.00001', '2001.00002')}\n`);
    assert.equal(records.length, 2);
    assert.equal(records[0].venue, null);
  });

  it('names the line of invalid JSON', () => {
    const err = errorOf(`${good}\n{"title": oops}\n`);
    assert.equal(err.line, 2);
    assert.match(err.message, /line 2: invalid JSON/);
  });

  it('names the line and field of an invalid record', () => {
    assert.match(errorOf(`${good}\n${good}`.replace(/2001\.00001/g, 'x')).message, /line 1: "arxiv"/);
    assert.match(errorOf(good.replace('"year":2020', '"year":"2020"')).message, /line 1: "year"/);
    assert.match(errorOf(good.replace('["A B"]', '[""]')).message, /"authors"/);
    assert.match(errorOf(good.replace('"A title"', '""')).message, /"title"/);
    assert.match(errorOf(good.replace('https://', 'javascript://')).message, /"url"/);
    assert.match(errorOf('[1,2]').message, /line 1: expected a JSON object/);
  });

  it('rejects the same arXiv id twice, naming both lines', () => {
    assert.match(errorOf(`${good}\n${good}`).message, /line 2: arXiv id 2001.00001 already appears on line 1/);
  });

  it('recognises new- and old-style arXiv ids', () => {
    assert.ok(isArxivId('2309.02214'));
    assert.ok(isArxivId('math/0601001'));
    assert.ok(isArxivId('hep-th/9901001'));
    assert.ok(!isArxivId('2309.02214v2'));
    assert.ok(!isArxivId('arXiv:2309.02214'));
  });

  it('bundles 119 papers, one without authors and two with low-confidence metadata', () => {
    const papers = bundledPapers();
    assert.equal(papers.length, 119);
    assert.equal(papers.filter((p) => p.authors.length === 0).length, 1);
    assert.equal(papers.filter((p) => p.lowConfidence).length, 2);
    assert.ok(papers.every((p) => p.source === 'bundled' && p.url?.startsWith('https://')));
  });
});
