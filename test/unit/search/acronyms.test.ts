import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { acronymsOf } from '../../../src/core/search/acronyms';

const acronyms = (title: string, abstract = ''): string[] => acronymsOf({ title, abstract }).sort();

describe('acronyms a paper is known by', () => {
  it('takes the initials of the content-word runs that begin or end each phrase of the title', () => {
    assert.deepEqual(acronyms('Trust Region Policy Optimization'), ['po', 'rpo', 'tr', 'trp', 'trpo']);
    // Two phrases; function words skipped ("to", "and"); an apostrophe inside its word.
    assert.deepEqual(acronyms("Don't Stop Pretraining: Adapt Language Models to Domains and Tasks"), ['al', 'alm', 'almd', 'almdt', 'ds', 'dsp', 'dt', 'lmdt', 'mdt', 'sp']);
    // Accents folded (ß too), hyphens and slashes part words ("a" is a function word).
    assert.deepEqual(acronyms('Über-große Netze'), ['gn', 'ug', 'ugn']);
    assert.deepEqual(acronyms('A/B Testing'), ['bt']);
    // Runs of six at most, from either end.
    assert.deepEqual(acronyms('one two three four five six seven eight'), ['ffsse', 'fsse', 'ot', 'ott', 'ottf', 'ottff', 'ottffs', 'se', 'sse', 'tffsse']);
    assert.deepEqual(acronyms('Word'), []);
  });

  it('takes the acronyms the title and the abstract define in parentheses, and only those', () => {
    assert.deepEqual(acronyms('Word', 'We propose Generalized Advantage Estimation (GAE), (Multi-Agent) things and (RL-SAC).'), ['gae', 'rlsac']);
    assert.deepEqual(acronyms('Proximal Policy Optimization (PPO)'), ['po', 'pp', 'ppo']);
    assert.deepEqual(acronyms('Word', 'No parentheses here, GAE or TRPO.'), []);
    assert.deepEqual(acronyms('Word', `${'x'.repeat(4000)} (TRPO)`), [], 'read up to 4,000 characters');
  });
});
