// Adding many documents to a MiniSearch index at once, faster than `addAll`.
//
// `MiniSearch.add` files every token of every field under its term in the radix tree
// (`SearchableMap.fetch` walks and extends the tree once per token): at 20,000 papers
// that is 1.1 million walks for 226,000 distinct terms. Here the same `add` runs (its
// tokenizer, term processing, field lengths and ids are MiniSearch's own), but each
// posting is first collected in a hash map by term; the tree is then walked once per
// distinct term. The resulting index is the same, posting for posting and in the same
// order: a unit test compares its `toJSON()` with `addAll`'s.
import type MiniSearch from 'minisearch';

type Postings = Map<number, Map<number, number>>; // fieldId → shortId → term frequency

/** The parts of MiniSearch 7's instance used here (checked before use). */
interface Internals {
  addTerm(fieldId: number, documentId: number, term: string): void;
  _index: {
    /** The term's value, `initial()`'s if it had none: one walk of the tree. */
    fetch(term: string, initial: () => Postings): Postings;
  };
}

function internalsOf<T>(mini: MiniSearch<T>): Internals {
  const m = mini as unknown as Internals;
  if (typeof m.addTerm !== 'function' || typeof m._index?.fetch !== 'function') {
    throw new Error('MiniSearch internals changed: bulkIndex.ts must follow the new version');
  }
  return m;
}

/**
 * Adds `documents` (none already in the index) as `mini.addAll` would. Terms already in
 * the index get the new postings after their existing ones, as `addAll` appends them.
 */
export function addAllStaged<T>(mini: MiniSearch<T>, documents: readonly T[]): void {
  const m = internalsOf(mini);
  const staged = new Map<string, Postings>();
  const stage = (fieldId: number, documentId: number, term: string): void => {
    let postings = staged.get(term);
    if (postings === undefined) {
      postings = new Map();
      staged.set(term, postings);
    }
    let docs = postings.get(fieldId);
    if (docs === undefined) {
      docs = new Map();
      postings.set(fieldId, docs);
    }
    docs.set(documentId, (docs.get(documentId) ?? 0) + 1);
  };
  // The instance's own method shadows the prototype's while documents are added.
  m.addTerm = stage;
  try {
    for (const doc of documents) {
      mini.add(doc);
    }
  } finally {
    delete (m as Partial<Internals>).addTerm;
  }
  for (const [term, postings] of staged) {
    const existing = m._index.fetch(term, () => postings);
    if (existing === postings) {
      continue;
    }
    for (const [fieldId, docs] of postings) {
      const old = existing.get(fieldId);
      if (old === undefined) {
        existing.set(fieldId, docs);
      } else {
        docs.forEach((tf, id) => old.set(id, tf));
      }
    }
  }
}

/**
 * Gives documents of the index other ids (`moves`: old id → new id), their postings
 * unchanged. The new ids must not name another document left in the index.
 */
export function renameDocuments<T>(mini: MiniSearch<T>, moves: ReadonlyMap<number, number>): void {
  const m = mini as unknown as { _idToShortId: Map<unknown, number>; _documentIds: Map<number, unknown> };
  if (!(m._idToShortId instanceof Map) || !(m._documentIds instanceof Map)) {
    throw new Error('MiniSearch internals changed: bulkIndex.ts must follow the new version');
  }
  const shortIds = new Map<number, number>();
  for (const oldId of moves.keys()) {
    const shortId = m._idToShortId.get(oldId);
    if (shortId === undefined) {
      throw new Error(`no document ${oldId} to rename`);
    }
    shortIds.set(oldId, shortId);
    m._idToShortId.delete(oldId);
  }
  for (const [oldId, newId] of moves) {
    const shortId = shortIds.get(oldId)!;
    m._idToShortId.set(newId, shortId);
    m._documentIds.set(shortId, newId);
  }
}
