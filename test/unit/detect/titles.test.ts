import assert from 'node:assert/strict';
import fc from 'fast-check';
import { describe, it } from 'node:test';
import { scanDocument, type DocumentKind } from '../../../src/core/detect/detect';
import { TitleMatcher } from '../../../src/core/detect/titleMatcher';
import { americanSpelling, spellingVariants } from '../../../src/core/text/spelling';
import { bundledPapers } from '../helpers';

const papers = bundledPapers();
const matcher = new TitleMatcher(papers);
const titlesIn = (text: string, kind: DocumentKind = 'markdown') =>
  scanDocument(text, kind, { titles: matcher }).flatMap((m) => (m.kind === 'title' ? [papers[m.paperId].key] : []));

// The shapes in which real READMEs, paper notes and reference lists mention these papers
// (collected from public repositories' Markdown and LaTeX; reworded around the titles).
const mentions: [string, string][] = [
  ['Implementation of ["Trust Region Policy Optimization (TRPO)"](https://arxiv.org/abs/1502.05477) and variants.', 'schulman2015trust'],
  ['algorithms like [Trust Region Policy Optimization](https://arxiv.org/abs/1502.05477), a gradient-based method', 'schulman2015trust'],
  ['# Trust Region Policy Optimization\n\nA TensorFlow take on [Trust Region Policy\nOptimization](https://arxiv.org/abs/1502.05477).', 'schulman2015trust'],
  ['## Trust Region Policy Optimization\n\n- Trust Region Policy Optimization (https://arxiv.org/abs/1502.05477)', 'schulman2015trust'],
  ['An implementation of Trust Region Policy Optimization (Schulman 2015) with GAE.', 'schulman2015trust'],
  ['- Trust Region Policy Optimization, an improvement of the first item.', 'schulman2015trust'],
  ['methods: Policy-Gradient, Actor-Critic, Trust Region Policy Optimization. (More soon)', 'schulman2015trust'],
  ['tags : [[On-Policy RL]] [[Trust Region Policy Optimization]] [[PPO]]', 'schulman2015trust'],
  ['- ![High-Dimensional Continuous Control Using Generalized Advantage Estimation.pdf](../assets/gae.pdf)', 'schulman2015high'],
  ['| [High-Dimensional Continuous Control Using Generalized Advantage Estimation](https://arxiv.org/abs/1506.02438) | notes |', 'schulman2015high'],
  ['# High-Dimensional Continuous Control Using Generalized Advantage Estimation (GAE)', 'schulman2015high'],
  ['## HIGH-DIMENSIONAL CONTINUOUS CONTROL USING GENERALIZED ADVANTAGE ESTIMATION', 'schulman2015high'],
  ['Pieter Abbeel:\nHigh-Dimensional Continuous Control Using Generalized Advantage Estimation. ICLR 2016', 'schulman2015high'],
  ['P. Abbeel. High-dimensional\ncontinuous control using generalized advantage estimation. CoRR, 2015.', 'schulman2015high'],
  ['# [On the difficulty of training Recurrent Neural Networks](https://arxiv.org/pdf/1211.5063v2.pdf)', 'pascanu2012difficulty'],
  ['#### Brief Review - On the Difficulty of Training Recurrent Neural Networks', 'pascanu2012difficulty'],
  ['references:\n - "[On the difficulty of training Recurrent Neural Networks](https://arxiv.org/abs/1211.5063)"', 'pascanu2012difficulty'],
  ['suggested by Baydin et al. in the paper [_Gradients without backpropagation_](https://arxiv.org/abs/2202.08587).', 'baydin2022gradients'],
  ['# MNIST with forward gradients, following "Gradients without Backpropagation"', 'baydin2022gradients'],
  ['Gradients without Backpropagation (2022)\n\nPaper: https://arxiv.org/abs/2202.08587', 'baydin2022gradients'],
  ['the techniques of [Liquid Time-constant Networks - Ramin Hasani, Mathias Lechner : (MIT)]', 'hasani2020liquid'],
  ['[Liquid Time-Constant Networks](https://arxiv.org/pdf/2006.04439)\nWe introduce a new class', 'hasani2020liquid'],
  ['the approximation capability of Liquid Time-Constant Networks (LTCs) compared to RNNs', 'hasani2020liquid'],
  ['as described in the paper "Liquid Time-Constant Networks" by Ramin Hasani', 'hasani2020liquid'],
  ['# Hasani et al. (2021) --- Liquid Time-Constant Networks', 'hasani2020liquid'],
  ['2. **Hasani et al. (2021)** --- *Liquid Time-Constant Networks* (AAAI-21)', 'hasani2020liquid'],
  ['Rus, D. & Grosu, R. Liquid time-constant\nnetworks. 2020.', 'hasani2020liquid'],
  ['Paper: "Liquid Time-constant Networks"\narXiv: 2006.04439', 'hasani2020liquid'],
  ['\\section{Trust Region Policy Optimization}', 'schulman2015trust'],
  ['as in \\emph{Trust Region Policy Optimization}~\\cite{schulman2015trust}', 'schulman2015trust'],
];

describe('titles in real prose', () => {
  for (const [text, key] of mentions) {
    it(`finds ${key} in ${JSON.stringify(text.slice(0, 60))}…`, () => {
      const found = titlesIn(text, /\\(section|emph)/.test(text) ? 'latex' : 'markdown');
      assert.ok(found.length > 0 && found.every((k) => k === key), found.join(', '));
    });
  }

  it('finds every one of them: recall on these real shapes stays whole', () => {
    const found = mentions.filter(([text, key]) => titlesIn(text, /\\(section|emph)/.test(text) ? 'latex' : 'markdown').includes(key));
    assert.equal(found.length, mentions.length);
  });
});

describe('a title inside a longer title is not claimed', () => {
  const longer: [string, string][] = [
    ['Model-Ensemble Trust-Region Policy Optimization', 'hyphen-joined words before it'],
    ['we use Model-Ensemble Trust Region Policy Optimization here', 'a hyphen-joined compound before it'],
    ['see Using Model Ensemble Trust Region Policy Optimization for Robots', 'capitalised words glued to it'],
    ['Trust Region Policy Optimization-based methods', 'a hyphen-joined word after it'],
    ['We cite Trust Region Policy Optimization Revisited today', 'a capitalised word after it'],
    ['[Stable Trust Region Policy Optimization for robots](https://example.org)', 'a link whose text is a longer title'],
    ['https://medium.com/brief-review-on-the-difficulty-of-training-recurrent-neural-networks-debccaa3f024', 'a URL slug'],
  ];
  for (const [text, why] of longer) {
    it(`with ${why}`, () => {
      assert.deepEqual(titlesIn(text), []);
    });
  }

  it('still finds a title at a sentence start, after a function word or a bullet', () => {
    assert.deepEqual(titlesIn('Done. Trust Region Policy Optimization was next.'), ['schulman2015trust']);
    assert.deepEqual(titlesIn('Using Trust Region Policy Optimization, we train'), ['schulman2015trust']);
    assert.deepEqual(titlesIn('* Trust Region Policy Optimization'), ['schulman2015trust']);
    assert.deepEqual(titlesIn('In Trust Region Policy Optimization Schulman et al.'), []);
  });
});

describe('British and American spellings', () => {
  it('folds the common patterns to the American form', () => {
    for (const [british, american] of [
      ['generalised', 'generalized'],
      ['optimisation', 'optimization'],
      ['regularisation', 'regularization'],
      ['analyse', 'analyze'],
      ['behaviour', 'behavior'],
      ['behavioural', 'behavioral'],
      ['neighbourhood', 'neighborhood'],
      ['modelling', 'modeling'],
      ['labelled', 'labeled'],
      ['levelling', 'leveling'],
      ['centre', 'center'],
      ['analogue', 'analog'],
      ['programme', 'program'],
      ['towards', 'toward'],
    ]) {
      assert.equal(americanSpelling(british), american, british);
      assert.ok(spellingVariants(american).includes(british), `${american} → ${british}`);
      // The matcher reads a word's American form as its first variant, either way round.
      assert.equal(spellingVariants(british)[0], american, british);
      assert.equal(spellingVariants(american)[0], american, american);
      assert.deepEqual([...spellingVariants(british)].sort(), [...spellingVariants(american)].sort(), `${british}, ${american}: the same variants`);
    }
  });

  it('leaves other words alone', () => {
    for (const word of ['wise', 'rise', 'analysis', 'basis', 'four', 'tell', 'center', 'learning']) {
      assert.equal(americanSpelling(word), word);
    }
  });

  it('matches a title written in the other spelling, both ways', () => {
    assert.deepEqual(titlesIn('Sound matching an analog leveling amplifier using the Newton-Raphson method'), ['yu2025sound']);
    assert.deepEqual(titlesIn('Generalised-Smooth Nonconvex Optimisation is As Efficient As Smooth Nonconvex Optimisation'), ['chen2023generalized']);
    const british = new TitleMatcher([{ id: 7, title: 'Generalised Policy Iteration for Optimal Behaviour' }]);
    const found = scanDocument('in generalized policy iteration for optimal behavior we', 'markdown', { titles: british });
    assert.deepEqual(found.map((m) => m.kind === 'title' && m.paperId), [7]);
  });
});

describe('a matcher built in slices', () => {
  it('matches as one built at once', async () => {
    const papers = bundledPapers();
    const titles = Array.from({ length: 3000 }, (_, i) => ({ id: 10_000 + i, title: `${papers[i % papers.length].title} ${'and more words '.repeat(40)}${i}` }));
    titles.push(...papers.map((p) => ({ id: p.id, title: p.title })));
    const sliced = await TitleMatcher.buildInSlices(titles, async () => undefined);
    const whole = new TitleMatcher(titles.map((t) => ({ ...papers[0], id: t.id, title: t.title })));
    const text = `As ${papers[3].title} and ${papers[40].title} show, ${titles[7].title}.`;
    assert.deepEqual(sliced.find(text), whole.find(text));
    assert.ok(sliced.find(text).length >= 3);
  });
});

describe('a matcher updated where the papers changed', () => {
  const pool = [
    ...papers.slice(0, 24).map((p) => p.title),
    // The same title twice, a longer title around a shorter one, one word changed, a
    // British spelling, LaTeX markup, titles too short to detect.
    papers[0].title,
    `${papers[1].title} Revisited in Depth`,
    `${papers[2].title.replace(/\s\S+$/, '')} Everywhere`,
    'Generalised Policy Iteration for Optimal Behaviour',
    'Generalized Policy Iteration for Optimal Behavior',
    'Sch{\\"o}lkopf Kernels {and} {\\em Their} Friends',
    'Attention',
    'Short Title',
  ];
  const text = pool.map((t) => `We read ${t}.\n\n${t}, again.\n\n`).join('') + 'and generalized policy iteration for optimal behavior, Schölkopf kernels and their friends.';
  const library = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: pool.length - 1 })), { maxLength: 40 }).map((pairs) => {
    const byId = new Map(pairs.map(([id, t]) => [id, pool[t]]));
    return [...byId].map(([id, title]) => ({ id, title }));
  });

  it('finds what a matcher built from the same papers finds, after any sequence of changes (fast-check, seeded)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(library, fc.nat({ max: 4 })), { minLength: 1, maxLength: 6 }), async (steps) => {
        const updated = new TitleMatcher();
        for (const [titles, stopAt] of steps) {
          // Some updates stop part-way at a pause (a later one came), as the scanner's do.
          let pauses = 0;
          const stopping = async () => {
            if (++pauses === stopAt) {
              throw new Error('superseded');
            }
          };
          await updated.updateInSlices(titles, stopping, 0).catch(() => undefined);
          await updated.updateInSlices(titles, async () => undefined);
          const fresh = new TitleMatcher(titles);
          assert.deepEqual(updated.find(text), fresh.find(text));
          assert.equal(updated.size, fresh.size);
        }
      }),
      { seed: 20261202, numRuns: 200 },
    );
  });

  it('stops part-way at a pause and completes at the next update', async () => {
    const before = papers.slice(0, 60).map((p) => ({ id: p.id, title: p.title }));
    const after = papers.slice(30, 119).map((p) => ({ id: p.id, title: p.title }));
    const matcher = await TitleMatcher.buildInSlices(before, async () => undefined);
    // Every step pauses (no slice length is waited for) once its slice ran out.
    let pauses = 0;
    await assert.rejects(
      matcher.updateInSlices(
        after,
        async () => {
          if (++pauses === 2) {
            throw new Error('superseded');
          }
        },
        0,
      ),
    );
    assert.equal(pauses, 2);
    await matcher.updateInSlices(after, async () => undefined);
    const all = papers.map((p) => `${p.title}.`).join('\n\n');
    const found = matcher.find(all);
    assert.deepEqual(found, new TitleMatcher(after).find(all));
    assert.ok(found.length > 60, `${found.length} titles found`);
    assert.ok(found.every((m) => m.id >= 30));
  });

  it('gives the lower id where two papers have the same title, whichever came first', async () => {
    const title = 'Trust Region Policy Optimization';
    const a = new TitleMatcher([{ id: 9, title }, { id: 4, title }]);
    const b = await new TitleMatcher([{ id: 9, title }]).updateInSlices([{ id: 9, title }, { id: 4, title }], async () => undefined);
    assert.deepEqual(a.find(`See ${title}.`).map((m) => m.id), [4]);
    assert.deepEqual(b.find(`See ${title}.`).map((m) => m.id), [4]);
    await b.updateInSlices([{ id: 9, title }], async () => undefined);
    assert.deepEqual(b.find(`See ${title}.`).map((m) => m.id), [9]);
  });
});
