// Long loops over a library share one rule for giving the thread back.

/**
 * Gives the thread back to the event loop, so the editor's messages are handled before
 * the loop goes on. `setImmediate` where the host has it (Node: it runs right after
 * pending I/O, where `setTimeout(0)` waits at least a millisecond each time), else a
 * zero timeout (the browser's worker host).
 */
export function giveBack(): Promise<void> {
  const immediate = (globalThis as { setImmediate?: (callback: () => void) => unknown }).setImmediate;
  return new Promise<void>((resolve) => (immediate ? immediate(resolve) : setTimeout(resolve, 0)));
}

/**
 * When the thread was last given back by any ticker. Shared: when one long loop hands
 * over to the next (parse → model → lookups → full text), the second must not start a
 * fresh slice on top of what the first has already used.
 */
let sliceStart = Date.now();

/**
 * How long a long loop on the extension host holds the thread before giving it back, ms
 * (every loop over a library: parse, model, lookups, full text). A young-generation
 * collection of 15–31 ms landing in a slice makes the longest block: at 20,000 entries
 * (out/tmp/blk.ts, alternating) slices of 20 ms gave blocks of 37–60 ms (median 44), 15
 * ms 34–56 ms (median 38) at the same load and edit times, 10 ms 26–49 ms (median 34)
 * but a first start 10 % and an edit 7 % longer (ARCHITECTURE.md, "Never blocking").
 */
export const SLICE_MS = 15;

/**
 * A check to await in every step of a long loop: it awaits `pause` whenever `sliceMs`
 * have passed since the thread was last given back (looking at the clock every `every`
 * steps), so a 20,000-entry library never holds the thread much longer than a slice.
 * Without `pause` it never waits.
 */
export function ticker(pause: (() => Promise<void>) | undefined, sliceMs = SLICE_MS, every = 16): () => Promise<void> {
  let steps = 0;
  // Not an async function: most steps do not wait, and each call of an async one made a
  // promise and its context (69 MB of a 20,000-entry first start's 846 MB on the host,
  // sampled with collected objects: out/tmp/alloc.ts). A step that does not wait gives
  // the one promise already resolved.
  return () => {
    if (pause && ++steps % every === 0 && Date.now() - sliceStart >= sliceMs) {
      return pause().then(resumed);
    }
    return RESOLVED;
  };
}

const RESOLVED: Promise<void> = Promise.resolve();

function resumed(): void {
  sliceStart = Date.now();
}

/** Thrown by a superseded run's pause (see `Latest`). */
const SUPERSEDED = Symbol('superseded');

/**
 * Runs of a long loop where only the latest counts (a title matcher rebuilt at each
 * change of the library): a run started later stops the earlier ones at their next
 * pause, instead of every one running to its end to be thrown away — three .bib files
 * read at start were three whole builds at once.
 */
export class Latest {
  private runs = 0;

  /** `work`'s result, or undefined when a later run superseded it (it stopped at a pause). */
  async run<T>(work: (pause: () => Promise<void>) => Promise<T>, pause: () => Promise<void> = giveBack): Promise<T | undefined> {
    const run = ++this.runs;
    try {
      return await work(async () => {
        await pause();
        if (run !== this.runs) {
          throw SUPERSEDED;
        }
      });
    } catch (err) {
      if (err === SUPERSEDED) {
        return undefined;
      }
      throw err;
    }
  }

  /** Stops every run at its next pause. */
  cancel(): void {
    this.runs++;
  }
}
