// Deterministic synthetic corpora with a realistic shape, drawn from the bundled
// corpus: Zipf-distributed words over a vocabulary that grows with the corpus
// (Heaps' law, new pseudo-words beyond the real ones), titles of 5-15 words,
// abstracts of 120-250 words, 1-8 authors, years, venues.
import type { Paper } from '../src/core/library/paper';
import { seededRandom } from '../src/core/search/topics';

export interface Source {
  readonly papers: readonly Paper[];
}

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z][a-z-]{1,}/g) ?? [];
}

/** Builds the generator's material from the bundled corpus. */
export function material(bundled: readonly Paper[]) {
  const freq = new Map<string, number>();
  for (const p of bundled) {
    for (const w of [...words(p.title), ...words(p.abstract)]) {
      freq.set(w, (freq.get(w) ?? 0) + 1);
    }
  }
  const vocabulary = [...freq.entries()].sort((a, b) => b[1] - a[1]).map(([w]) => w);
  const given = new Set<string>();
  const family = new Set<string>();
  for (const p of bundled) {
    for (const a of p.authors) {
      const parts = a.split(/\s+/);
      family.add(parts[parts.length - 1]);
      given.add(parts[0]);
    }
  }
  const venues = [...new Set(bundled.map((p) => p.venue?.replace(/\s*\d{4}.*$/, '')).filter(Boolean) as string[])];
  return { vocabulary, given: [...given], family: [...family], venues: [...venues, 'JMLR', 'TMLR', 'AISTATS', 'COLT', 'UAI', 'CVPR', 'ACL', 'EMNLP'] };
}

const SYLLABLES = 'ka lo mi nu pe ra si to vu xe zo bri cla dre flo gra pli tro sta spe'.split(' ');

function pseudoWord(i: number): string {
  let s = '';
  let k = i + 7;
  do {
    s += SYLLABLES[k % SYLLABLES.length];
    k = Math.floor(k / SYLLABLES.length);
  } while (k > 0);
  return s;
}

/** `n` papers, always the same for the same n and seed. */
export function generateCorpus(n: number, bundled: readonly Paper[], seed = 1): Paper[] {
  const random = seededRandom(seed);
  const m = material(bundled);
  // Heaps' law: the vocabulary grows like K·tokens^β.
  const tokens = n * 200;
  const vocabSize = Math.max(m.vocabulary.length, Math.round(40 * Math.pow(tokens, 0.55)));
  const vocab = [...m.vocabulary];
  for (let i = 0; vocab.length < vocabSize; i++) {
    vocab.push(pseudoWord(i));
  }
  // Zipf: P(rank r) ∝ 1/r^s; sample by inverting the cumulative sum.
  const s = 1.05;
  const cumulative = new Float64Array(vocab.length);
  let total = 0;
  for (let r = 0; r < vocab.length; r++) {
    total += 1 / Math.pow(r + 1, s);
    cumulative[r] = total;
  }
  const word = () => {
    const x = random() * total;
    let lo = 0;
    let hi = vocab.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return vocab[lo];
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const between = (a: number, b: number) => a + Math.floor(random() * (b - a + 1));
  const papers: Paper[] = [];
  for (let id = 0; id < n; id++) {
    const title = Array.from({ length: between(5, 15) }, word).join(' ');
    const abstract = Array.from({ length: between(120, 250) }, word).join(' ');
    const authors = Array.from({ length: between(1, 8) }, () => `${pick(m.given)} ${pick(m.family)}`);
    const year = between(2000, 2026);
    const venue = random() < 0.55 ? `${pick(m.venues)} ${year}` : undefined;
    const family = authors[0].split(' ').pop()!.toLowerCase().replace(/[^a-z]/g, '');
    papers.push({
      id,
      key: `${family}${year}${title.split(' ')[0].replace(/[^a-z]/g, '')}${id}`,
      title: title[0].toUpperCase() + title.slice(1),
      authors,
      year,
      venue,
      arxiv: `${String(year % 100).padStart(2, '0')}${String(between(1, 12)).padStart(2, '0')}.${String(10000 + id).slice(-5)}`,
      abstract,
      source: 'bundled',
    });
  }
  return papers;
}

/** A .bib file of `n` @article entries with abstracts (the LaTeX Workshop case: 17,576). */
export function generateBib(papers: readonly Paper[]): string {
  return papers
    .map(
      (p) =>
        `@article{${p.key},\n  title = {${p.title}},\n  author = {${p.authors.join(' and ')}},\n  journal = {${p.venue ?? 'arXiv preprint'}},\n  year = {${p.year}},\n  eprint = {${p.arxiv}},\n  abstract = {${p.abstract}}\n}\n`,
    )
    .join('\n');
}

/**
 * A LaTeX document of about `bytes` characters that cites, names titles and gives
 * arXiv ids at a realistic density: a citation every ~400 characters, a title every
 * ~3,000, an arXiv id every ~5,000.
 */
export function generateLatex(bytes: number, papers: readonly Paper[], seed = 2): string {
  const random = seededRandom(seed);
  const m = material(papers.slice(0, 500));
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const parts: string[] = ['\\documentclass{article}\n\\begin{document}\n'];
  let size = parts[0].length;
  let sentence = 0;
  while (size < bytes) {
    const n = 8 + Math.floor(random() * 20);
    let text = Array.from({ length: n }, () => pick(m.vocabulary)).join(' ');
    sentence++;
    if (sentence % 3 === 0) {
      text += ` \\cite{${pick(papers).key}${random() < 0.3 ? `, ${pick(papers).key}` : ''}}`;
    }
    if (sentence % 25 === 0) {
      text += ` as in ${pick(papers).title}`;
    }
    if (sentence % 40 === 0) {
      text += ` (arXiv:${pick(papers).arxiv})`;
    }
    text += sentence % 8 === 0 ? '.\n\n' : '. ';
    parts.push(text);
    size += text.length;
  }
  parts.push('\\end{document}\n');
  return parts.join('');
}
