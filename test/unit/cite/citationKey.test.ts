import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assignCitationKeys, baseCitationKey, keyTitleWord } from '../../../src/core/cite/citationKey';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundledPapers, ROOT } from '../helpers';

describe('citation keys', () => {
  it('builds family name + year + first content word of the title', () => {
    assert.equal(
      baseCitationKey(
        ['Axel Laborieux', 'Friedemann Zenke'],
        2023,
        'Improving equilibrium propagation without weight symmetry through Jacobian homeostasis',
      ),
      'laborieux2023improving',
    );
  });

  it('skips function words and keeps only lower-case letters and digits', () => {
    assert.equal(keyTitleWord('On the hardness of learning under symmetries'), 'hardness');
    assert.equal(keyTitleWord('Are We Really Learning the Score Function?'), 'really');
    assert.equal(keyTitleWord("Revisiting Peng's Q(λ) for Modern RL"), 'revisiting');
    assert.equal(keyTitleWord('Towards a 3D-aware Model'), '3d');
    assert.equal(keyTitleWord('Can Forward Gradient Match Backpropagation?'), 'forward');
  });

  it('folds accents and drops non-letters from the family name', () => {
    assert.equal(baseCitationKey(['Ralf Möller'], 2026, 'Exploring'), 'moller2026exploring');
    assert.equal(baseCitationKey(['Jack Richter-Powell'], 2021, 'Input Convex'), 'richterpowell2021input');
    assert.equal(baseCitationKey(['Marin Soljačić'], 2024, 'TENG'), 'soljacic2024teng');
    assert.equal(baseCitationKey(['Atılım Güneş Baydin'], 2022, 'Gradients'), 'baydin2022gradients');
  });

  it('uses anon when there are no authors', () => {
    assert.equal(baseCitationKey([], 2022, 'Cyclic Block Coordinate Descent'), 'anon2022cyclic');
  });

  it('suffixes collisions with a, b, … in order, the first keeping the bare key', () => {
    const p = { authors: ['Jane Smith'], year: 2020, title: 'Deep nets' };
    assert.deepEqual(assignCitationKeys([p, p, p]), ['smith2020deep', 'smith2020deepa', 'smith2020deepb']);
  });

  it('never hands out a key that is already taken', () => {
    const papers = [
      { authors: ['Jane Smith'], year: 2020, title: 'Deep nets' },
      { authors: ['Jane Smith'], year: 2020, title: 'Deepa nets' },
      { authors: ['Jane Smith'], year: 2020, title: 'Deep nets' },
    ];
    const keys = assignCitationKeys(papers);
    assert.equal(new Set(keys).size, 3);
    assert.deepEqual(keys, ['smith2020deep', 'smith2020deepa', 'smith2020deepb']);
    assert.deepEqual(assignCitationKeys([papers[0]], new Set(['smith2020deep'])), ['smith2020deepa']);
  });

  it('gives every bundled paper a unique key, the same as the keys recorded in test/unit/fixtures (keys users cite must not move)', () => {
    const first = bundledPapers().map((p) => p.key);
    const recorded = JSON.parse(readFileSync(join(ROOT, 'test', 'unit', 'fixtures', 'bundled-keys.json'), 'utf8')) as string[];
    assert.equal(first.length, 119);
    assert.equal(new Set(first).size, 119);
    assert.deepEqual(first, recorded);
    for (const key of first) {
      assert.match(key, /^[a-z]+\d{4}[a-z0-9]*$/);
    }
    assert.equal(first[0], 'laborieux2023improving');
    assert.ok(first.includes('anon2022cyclic'));
  });
});
