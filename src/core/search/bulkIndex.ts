// Adding many documents to a MiniSearch index at once, faster than `addAll`; renaming
// documents; and an index put together from its own Maps (a kept index thawed).
//
// `MiniSearch.add` files every token of every field under its term in the radix tree
// (`SearchableMap.fetch` walks and extends the tree once per token): at 20,000 papers
// that is 1.1 million walks for 226,000 distinct terms. Here the same `add` runs (its
// tokenizer, term processing, field lengths and ids are MiniSearch's own), but each
// posting is first collected in a hash map by term; the tree is then walked once per
// distinct term. The resulting index is the same, posting for posting and in the same
// order: a unit test compares its `toJSON()` with `addAll`'s.
import MiniSearch, { type Options } from 'minisearch';

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

/**
 * A MiniSearch index as its own Maps and numbers — what `loadJS` rebuilds from JSON,
 * given as it is (frozenIndex.ts's `thaw` makes one from a frozen index).
 */
export interface MiniSearchState {
  /** The radix tree (SearchableMap's `_tree`): edges to nodes, '' to a term's postings. */
  readonly tree: Map<string, unknown>;
  readonly documentIds: Map<number, unknown>;
  readonly fieldLength: Map<number, number[]>;
  readonly storedFields: Map<number, unknown>;
  readonly fieldIds: Record<string, number>;
  readonly averageFieldLength: number[];
  readonly documentCount: number;
  readonly nextId: number;
  readonly dirtCount: number;
}

/** The parts of MiniSearch 7's instance a state is taken from and put back into. */
interface StateInternals {
  _index: { _tree: Map<string, unknown>; _size?: number };
  _documentIds: Map<number, unknown>;
  _idToShortId: Map<unknown, number>;
  _fieldLength: Map<number, number[]>;
  _storedFields: Map<number, unknown>;
  _fieldIds: Record<string, number>;
  _avgFieldLength: number[];
  _documentCount: number;
  _nextId: number;
  _dirtCount: number;
}

function stateInternalsOf<T>(mini: MiniSearch<T>): StateInternals {
  const m = mini as unknown as StateInternals;
  if (!(m._index?._tree instanceof Map) || !(m._documentIds instanceof Map) || !(m._idToShortId instanceof Map) || !(m._fieldLength instanceof Map)) {
    throw new Error('MiniSearch internals changed: bulkIndex.ts must follow the new version');
  }
  return m;
}

/**
 * An index from a state (which it takes over). Throws when the state is not one: wrong
 * types, or fields other than `options` give (a state kept by another version).
 */
export function fromState<T>(state: MiniSearchState, options: Options<T>): MiniSearch<T> {
  const numbers = [state?.documentCount, state?.nextId, state?.dirtCount];
  if (
    !(state?.tree instanceof Map) ||
    !(state.documentIds instanceof Map) ||
    !(state.fieldLength instanceof Map) ||
    !(state.storedFields instanceof Map) ||
    !Array.isArray(state.averageFieldLength) ||
    !numbers.every((n) => Number.isInteger(n) && n >= 0) ||
    state.documentIds.size !== state.documentCount
  ) {
    throw new Error('not a kept index');
  }
  const mini = new MiniSearch<T>(options);
  const m = stateInternalsOf(mini);
  if (JSON.stringify(m._fieldIds) !== JSON.stringify(state.fieldIds)) {
    throw new Error('a kept index of other fields');
  }
  m._index._tree = state.tree;
  m._index._size = undefined;
  m._documentIds = state.documentIds;
  m._idToShortId = new Map();
  for (const [shortId, id] of state.documentIds) {
    m._idToShortId.set(id, shortId);
  }
  m._fieldLength = state.fieldLength;
  m._storedFields = state.storedFields;
  m._avgFieldLength = state.averageFieldLength;
  m._documentCount = state.documentCount;
  m._nextId = state.nextId;
  m._dirtCount = state.dirtCount;
  return mini;
}
