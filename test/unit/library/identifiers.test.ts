import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { arxivIdOfDoi, isArxivId, normalizeArxivId, normalizeDoi } from '../../../src/core/library/identifiers';
import { LineScanner, lineStartsOf, positionIn } from '../../../src/core/text/lines';

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

  it('finds the same line starts as a character-by-character scan, whatever the mix of line ends', () => {
    const scan = (text: string): number[] => {
      const out = [0];
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || c === 13) {
          i += c === 13 && text.charCodeAt(i + 1) === 10 ? 1 : 0;
          out.push(i + 1);
        }
      }
      return out;
    };
    const ends = ['\n', '\r\n', '\r', '\n\r', '\r\r\n\n', ''];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const texts = ['', 'x', '\n', '\r', '\r\n', 'x\r', 'x\r\n'];
    // Line ends further apart than a `\r` is looked ahead for at a time (64 Ki characters).
    const far = 'x'.repeat(70_000);
    texts.push(`${far}\r\n${far}\n${far}\r${far}`, `a\n${far}${far}\r`, `${far}\n\n${far}\r\r\n`);
    for (let n = 0; n < 200; n++) {
      texts.push(Array.from({ length: 1 + Math.floor(random() * 30) }, () => 'ab'.slice(0, Math.floor(random() * 3)) + ends[Math.floor(random() * ends.length)]).join(''));
    }
    for (const text of texts) {
      assert.deepEqual([...lineStartsOf(text)], scan(text), JSON.stringify(text));
      // Found as far as needed: positions asked for in any order agree with the whole table.
      const scanner = new LineScanner(text);
      const starts = scan(text);
      for (const offset of [0, text.length, Math.floor(text.length / 2), 1, text.length - 1].filter((o) => o >= 0)) {
        assert.deepEqual(scanner.position(offset), positionIn(Int32Array.from(starts), offset), `${JSON.stringify(text)} at ${offset}`);
      }
      const walker = new LineScanner(text); // as a parser asks: forward (long texts in longer strides: 45 s of the unit tier went to them)
      for (let offset = 0; offset <= text.length; offset += text.length > 10_000 ? 97 : 3) {
        assert.deepEqual(walker.position(offset), positionIn(Int32Array.from(starts), offset), `${JSON.stringify(text)} walking, at ${offset}`);
      }
      assert.deepEqual([...walker.finish()], starts);
    }
  });
});
