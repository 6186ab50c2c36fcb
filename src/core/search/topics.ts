// Topic groups for the library: TF-IDF vectors over titles and abstracts, spherical
// k-means with a deterministic farthest-first start, each group named by the terms
// that set it apart. Same papers in, same groups out.
import { fold } from '../text/text';

const STOP = new Set(
  (
    'a about above across after again against all almost also although always among an and another any are around as at ' +
    'based be because been before being below between both but by can cannot could do does doing done due during each ' +
    'either even ever every few for from further given has have having here how however if in into is it its itself ' +
    'just known large less like made make makes many may more most much must new not novel now of often on once one ' +
    'only or other our out over paper per present propose proposed provide provides recent recently results same several ' +
    'should show shows significant significantly since so some such than that the their them then there these they this ' +
    'those through thus to two under up upon use used uses using very via was we well were what when where whether which ' +
    'while who whose why will with within without work works would yet approach approaches method methods problem problems ' +
    'study studies existing demonstrate first second three different various important key general able achieve ' +
    'improve improved improves improving performance state art effective efficient efficiently framework learning model models ' +
    'experiments empirical empirically theoretical analysis number set specific prior particular terms case cases order way ' +
    'across better high higher low lower standard task tasks data training result non'
  ).split(' '),
);

/** Words whose plural is their singular. */
const SAME_IN_PLURAL = new Set(['series', 'species']);
/** Plurals in -ies of singulars in -ie (the rest are -y: categories, policies). */
const IE_PLURALS = new Set(['movies', 'cookies', 'calories', 'zombies', 'rookies', 'selfies', 'goalies']);

/**
 * A plural as its singular, so "policy" and "policies" are one term and a topic is
 * named "category", not "categorie": -ies → -y, -sses → -ss, -xes → -x, else the s
 * goes (not from -ss, -us, -is, -ics). Short words stay.
 */
function singular(w: string): string {
  if (w.length <= 4 || !w.endsWith('s') || SAME_IN_PLURAL.has(w)) {
    return w;
  }
  if (w.endsWith('ies')) {
    return IE_PLURALS.has(w) ? w.slice(0, -1) : `${w.slice(0, -3)}y`;
  }
  if (w.endsWith('sses') || w.endsWith('xes')) {
    return w.slice(0, -2);
  }
  return w.endsWith('ss') || w.endsWith('us') || w.endsWith('is') || w.endsWith('ics') ? w : w.slice(0, -1);
}

/** Content words of a text: folded, stop words and short or numeric tokens dropped, plurals made singular. */
export function contentWords(text: string): string[] {
  const out: string[] = [];
  for (const raw of fold(text).split(/[^a-z0-9]+/)) {
    if (raw.length < 3 || STOP.has(raw) || /^\d+$/.test(raw)) {
      continue;
    }
    const w = singular(raw);
    if (!STOP.has(w)) {
      out.push(w);
    }
  }
  return out;
}

/** A topic: a name from its top terms and the ids of its papers. */
export interface Topic {
  readonly name: string;
  readonly terms: readonly string[];
  readonly paperIds: number[];
}

type Vec = Map<number, number>;

function normalize(v: Vec): Vec {
  let norm = 0;
  v.forEach((x) => (norm += x * x));
  norm = Math.sqrt(norm) || 1;
  v.forEach((x, k) => v.set(k, x / norm));
  return v;
}

function dot(a: Vec, b: Vec): number {
  let s = 0;
  const [small, big] = a.size < b.size ? [a, b] : [b, a];
  small.forEach((x, k) => {
    const y = big.get(k);
    if (y !== undefined) {
      s += x * y;
    }
  });
  return s;
}

const RESTARTS = 12;
/** Papers handled between two yields. */
const SLICE = 250;
/** Libraries larger than this are clustered on a sample of this many papers. */
const SAMPLE = 600;

/** A small deterministic PRNG (mulberry32), so groups are the same on every run. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The centre most like a vector, and how alike they are. */
function nearest(v: Vec, centres: readonly Vec[]): [number, number] {
  let bi = 0;
  let bs = -Infinity;
  centres.forEach((c, ci) => {
    const s = dot(v, c);
    if (s > bs) {
      bs = s;
      bi = ci;
    }
  });
  return [bi, bs];
}

function* kmeans(vectors: Vec[], k: number, random: () => number): Generator<void, { assign: number[]; centres: Vec[]; score: number }> {
  const n = vectors.length;
  const centres: Vec[] = [new Map(vectors[Math.floor(random() * n)])];
  const best = vectors.map((v) => dot(v, centres[0]));
  while (centres.length < k) {
    // k-means++: pick far papers with probability growing with their distance.
    const weights = best.map((b) => Math.max(0, 1 - b) ** 2);
    const total = weights.reduce((a, b) => a + b, 0);
    let r = random() * total;
    let pick = 0;
    for (; pick < n - 1 && r > weights[pick]; pick++) {
      r -= weights[pick];
    }
    centres.push(new Map(vectors[pick]));
    vectors.forEach((v, i) => (best[i] = Math.max(best[i], dot(v, centres[centres.length - 1]))));
  }
  let assign = new Array<number>(n).fill(-1);
  let score = 0;
  for (let iter = 0; iter < 40; iter++) {
    yield;
    score = 0;
    const next = vectors.map((v) => {
      const [bi, bs] = nearest(v, centres);
      score += bs;
      return bi;
    });
    const changed = next.some((a, i) => a !== assign[i]);
    assign = next;
    if (!changed) {
      break;
    }
    centres.forEach((_c, ci) => {
      const sum: Vec = new Map();
      vectors.forEach((v, i) => {
        if (assign[i] === ci) {
          v.forEach((x, t) => sum.set(t, (sum.get(t) ?? 0) + x));
        }
      });
      if (sum.size > 0) {
        centres[ci] = normalize(sum);
      }
    });
  }
  return { assign, centres, score };
}

type TopicInput = readonly { id: number; title: string; abstract: string }[];

/** Groups papers by topic. `k` defaults to about √(n/1.5), at most 12. */
export function topicGroups(papers: TopicInput, k?: number): Topic[] {
  const steps = topicSteps(papers, k);
  for (;;) {
    const r = steps.next();
    if (r.done) {
      return r.value;
    }
  }
}

/** The same grouping, awaiting `pause` between slices of work so a large library never holds the thread. */
export async function topicGroupsInSlices(papers: TopicInput, pause: () => Promise<void>, k?: number): Promise<Topic[]> {
  const steps = topicSteps(papers, k);
  for (;;) {
    const r = steps.next();
    if (r.done) {
      return r.value;
    }
    await pause();
  }
}

/** The grouping as a generator: it yields after each slice of a few hundred papers. */
function* topicSteps(papers: TopicInput, k?: number): Generator<void, Topic[]> {
  const n = papers.length;
  if (n === 0) {
    return [];
  }
  const clusters = Math.max(1, Math.min(k ?? Math.round(Math.sqrt(n / 1.5)), 12, n));
  // Term ids and document frequencies.
  const termId = new Map<string, number>();
  const terms: string[] = [];
  const df: number[] = [];
  const counts: Map<number, number>[] = [];
  for (const p of papers) {
    if (counts.length % SLICE === SLICE - 1) {
      yield;
    }
    const c = new Map<number, number>();
    const add = (w: string, weight: number) => {
      let id = termId.get(w);
      if (id === undefined) {
        id = terms.length;
        termId.set(w, id);
        terms.push(w);
        df.push(0);
      }
      c.set(id, (c.get(id) ?? 0) + weight);
    };
    const addAll = (words: string[], weight: number) => {
      words.forEach((w, i) => {
        add(w, weight);
        if (i > 0) {
          add(`${words[i - 1]} ${w}`, weight);
        }
      });
    };
    addAll(contentWords(p.title), 3);
    addAll(contentWords(p.abstract), 1);
    c.forEach((_x, id) => df[id]++);
    counts.push(c);
  }
  // Terms in one paper only say nothing about groups; terms in most papers neither.
  const vectors: Vec[] = counts.map((c) => {
    const v: Vec = new Map();
    c.forEach((tf, id) => {
      if (df[id] >= 2 && df[id] <= n * 0.5) {
        v.set(id, (1 + Math.log(tf)) * Math.log(n / df[id]));
      }
    });
    return normalize(v);
  });
  // Spherical k-means from several seeded k-means++ starts; the tightest run wins. A
  // large library clusters an evenly spread sample and then places every paper at its
  // nearest centre, so the cost stays near that of a few hundred papers.
  const sample = n <= SAMPLE ? vectors : Array.from({ length: SAMPLE }, (_, i) => vectors[Math.floor((i * n) / SAMPLE)]);
  const restarts = n <= SAMPLE ? RESTARTS : 4;
  let bestRun: { assign: number[]; centres: Vec[]; score: number } | undefined;
  for (let run = 0; run < restarts; run++) {
    const result = yield* kmeans(sample, clusters, seededRandom(run + 1));
    if (!bestRun || result.score > bestRun.score + 1e-12) {
      bestRun = result;
    }
  }
  const centres = bestRun!.centres;
  const assign: number[] = [];
  for (const v of vectors) {
    if (assign.length % SLICE === SLICE - 1) {
      yield;
    }
    assign.push(nearest(v, centres)[0]);
  }
  // Name each group by the terms most over-represented in it.
  const overall: Vec = new Map();
  vectors.forEach((v) => v.forEach((x, t) => overall.set(t, (overall.get(t) ?? 0) + x / n)));
  const topics: Topic[] = [];
  centres.forEach((c, ci) => {
    const paperIds = papers.filter((_p, i) => assign[i] === ci).map((p) => p.id);
    if (paperIds.length === 0) {
      return;
    }
    const ranked = [...c.entries()]
      .map(([t, x]) => [terms[t], x - (overall.get(t) ?? 0)] as const)
      .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    // Up to three names that share no word ("offline reinforcement", not also "offline").
    const top: string[] = [];
    const used = new Set<string>();
    for (const [term] of ranked) {
      const words = term.split(' ');
      if (words.some((w) => used.has(w))) {
        continue;
      }
      words.forEach((w) => used.add(w));
      top.push(term);
      if (top.length === 3) {
        break;
      }
    }
    topics.push({ name: top.length > 0 ? top.join(' · ') : 'Other', terms: top, paperIds });
  });
  return topics.sort((a, b) => b.paperIds.length - a.paperIds.length || a.name.localeCompare(b.name));
}
