// When an index worker stores a new index: a second after the last change (or as long
// as the write asks: ten seconds for an index changed in a session), in short
// steps with the thread given back between them (searches are answered meanwhile), a
// change stopping the steps (the index must not change under them) and starting the
// wait again, and everything finished at once when the host is stopping.
//
// Storing 20,000 papers is seconds of work (freezing, packing, writing). Waiting for a
// quiet second *without searches* meant that typing (a search every few hundred ms)
// kept a large index from ever being stored, and a window reloaded soon after indexed
// again; so searches do not delay its start, only changes do. A search only holds the
// steps under way back for a moment (`searched`): slices run back to back otherwise, and
// the next keystroke would most likely wait for the one under way.
import { finish } from './frozenIndex';

/** The clock the steps run on (the worker's timers; a test's own). */
export interface StepClock {
  now(): number;
  /** Calls `run` after `ms`; the returned function cancels it. */
  after(ms: number, run: () => void): () => void;
  /** Calls `run` once the thread has been given back (messages waiting are handled first). */
  soon(run: () => void): void;
}

/** A worker's own clock: its timers, and `soon` as its platform gives the thread back (Node's setImmediate; a browser's zero timeout). */
export function timerClock(soon: (run: () => void) => void): StepClock {
  return {
    now: () => performance.now(),
    after: (ms, run) => {
      const timer = setTimeout(run, ms);
      return () => clearTimeout(timer);
    },
    soon,
  };
}

/** Steps of a write: each short; the write is done when the generator is. */
export type Write = () => Generator<void, void>;

export class QuietSteps {
  /** The write to run, until it has run to its end. */
  private waiting: Write | undefined;
  /** How long the waiting write waits for quiet, ms. */
  private waitingQuietMs = 0;
  /** The write under way, and its steps. */
  private running: { readonly write: Write; readonly steps: Generator<void, void> } | undefined;
  private cancelWait: (() => void) | undefined;
  /** Until when (clock time) steps are held back after a search. */
  private heldUntil = -Infinity;

  constructor(
    private readonly clock: StepClock,
    /** How long after the last change (or the write's arrival) the steps start, ms. */
    private readonly quietMs = 1000,
    /**
     * How long steps run before the thread is given back, ms: a search that comes
     * meanwhile waits for the slice (and the step under way when it ends).
     */
    private readonly sliceMs = 8,
    /** How long a search holds the steps back, ms. */
    private readonly holdMs = 100,
  ) {}

  /** A search came: the steps under way wait a moment, so that the next keystroke is answered at once. */
  searched(): void {
    this.heldUntil = this.clock.now() + this.holdMs;
  }

  /**
   * Runs `write` once no change has come for `quietMs` (the default unless given); a newer
   * write supersedes one waiting or under way.
   */
  later(write: Write, quietMs = this.quietMs): void {
    this.waiting = write;
    this.waitingQuietMs = quietMs;
    this.drop();
    this.waitForQuiet();
  }

  /** The index changes: a write under way stops, and waits again (from its beginning). */
  changed(): void {
    this.drop();
    this.waitForQuiet();
  }

  /** Gives up the steps under way: their `finally` blocks run (a file half written is removed). */
  private drop(): void {
    const run = this.running;
    this.running = undefined;
    run?.steps.return();
  }

  /** Runs the waiting write to its end now, from where it is if under way (the host is stopping). */
  flush(): void {
    this.cancelWait?.();
    const write = this.waiting;
    const run = this.running;
    this.waiting = undefined;
    this.running = undefined;
    if (write) {
      finish(run?.write === write ? run.steps : write());
    }
  }

  private waitForQuiet(): void {
    this.cancelWait?.();
    this.cancelWait = undefined;
    const write = this.waiting;
    if (write && !this.running) {
      this.cancelWait = this.clock.after(this.waitingQuietMs, () => {
        this.cancelWait = undefined;
        this.running = { write, steps: write() };
        this.step();
      });
    }
  }

  /** Runs steps of the write under way for a slice, then gives the thread back. */
  private step(): void {
    const run = this.running;
    if (!run) {
      return;
    }
    const held = this.heldUntil - this.clock.now();
    if (held > 0) {
      this.clock.after(held, () => {
        if (this.running === run) {
          this.step();
        }
      });
      return;
    }
    for (const end = this.clock.now() + this.sliceMs; this.clock.now() < end; ) {
      if (run.steps.next().done) {
        this.running = undefined;
        if (this.waiting === run.write) {
          this.waiting = undefined;
        }
        return;
      }
    }
    this.clock.soon(() => {
      if (this.running === run) {
        this.step();
      }
    });
  }
}
