import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arxivIdOfDoi, isArxivId, normalizeArxivId, normalizeDoi } from '../../../src/core/library/identifiers';
import { lineStartsOf, positionIn } from '../../../src/core/text/lines';

describe('arXiv identifiers (the one rule)', () => {
  it('knows bare ids of both shapes, and nothing else', () => {
    for (const id of ['2309.02214', '1501.00001', '0704.0001', 'math/0601001', 'math.AG/0601001', 'hep-th/9901001']) {
      assert.ok(isArxivId(id), id);
    }
    for (const id of ['2313.02214', '2309.022', '2309.02214v2', 'foo/0601001', 'arXiv:2309.02214', '']) {
      assert.ok(!isArxivId(id), id);
    }
  });

  it('finds the bare id in everything people and services write', () => {
    const cases: [string, string | undefined][] = [
      ['2309.02214v3', '2309.02214'],
      ['arXiv:2309.02214', '2309.02214'],
      ['ARXIV: hep-th/9901001v1', 'hep-th/9901001'],
      ['https://arxiv.org/abs/2309.02214v2', '2309.02214'],
      ['http://arxiv.org/pdf/2309.02214.pdf', '2309.02214'],
      ['https://doi.org/10.48550/arXiv.2309.02214', '2309.02214'],
      ['10.48550/ARXIV.2309.02214', '2309.02214'],
      ['10.1234/not-arxiv', undefined],
      ['version 2', undefined],
    ];
    for (const [raw, id] of cases) {
      assert.equal(normalizeArxivId(raw), id, raw);
    }
  });
});

describe('DOIs (the one rule)', () => {
  it('normalises the forms DOIs are written in', () => {
    const cases: [string, string | undefined][] = [
      ['10.1126/science.169.3946.635', '10.1126/science.169.3946.635'],
      ['doi:10.1126/Science.169.3946.635', '10.1126/science.169.3946.635'],
      ['https://doi.org/10.1007/11880561_13', '10.1007/11880561_13'],
      ['http://dx.doi.org/10.1371/journal.pone.0033693.', '10.1371/journal.pone.0033693'],
      ['https://doi.org/10.1002%2F(SICI)1097-4571', '10.1002/(sici)1097-4571'],
      ['not a doi', undefined],
      ['10.12/short', undefined],
    ];
    for (const [raw, doi] of cases) {
      assert.equal(normalizeDoi(raw), doi, raw);
    }
    assert.equal(arxivIdOfDoi('10.48550/arxiv.2309.02214'), '2309.02214');
  });
});

describe('line starts and positions', () => {
  it('counts \\n, \\r\\n and a lone \\r as line ends, as VS Code does', () => {
    const text = 'a\nbb\r\nccc\rd';
    const starts = lineStartsOf(text);
    assert.deepEqual([...starts], [0, 2, 6, 10]);
    assert.deepEqual(positionIn(starts, text.indexOf('d')), { line: 3, character: 0 });
    assert.deepEqual(positionIn(starts, text.indexOf('c') + 2), { line: 2, character: 2 });
  });
});
