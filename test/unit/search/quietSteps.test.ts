import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { QuietSteps, type StepClock } from '../../../src/core/search/quietSteps';

/** A clock the test moves: timers fire when it passes them, given-back work runs on `drain`. */
class FakeClock implements StepClock {
  time = 0;
  private timers: { at: number; run: () => void }[] = [];
  private queue: (() => void)[] = [];
  /** Each step of a write costs this many ms. */
  stepMs = 5;

  now(): number {
    return this.time;
  }

  after(ms: number, run: () => void): () => void {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  soon(run: () => void): void {
    this.queue.push(run);
  }

  /** Moves time on by `ms`, firing the timers due. */
  pass(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) {
        break;
      }
      this.timers = this.timers.filter((t) => t !== due);
      this.time = Math.max(this.time, due.at);
      due.run();
    }
    this.time = until;
  }

  /** Runs what was given back once (one turn of the event loop); how many ran. */
  turn(): number {
    const now = this.queue;
    this.queue = [];
    now.forEach((run) => run());
    return now.length;
  }
}

/** A write of `count` steps that logs each step as `name:i`, its end as `name:done`, and `name:given up` when stopped midway. */
function write(clock: FakeClock, log: string[], name: string, count: number) {
  return function* (): Generator<void, void> {
    let done = false;
    try {
      for (let i = 0; i < count; i++) {
        log.push(`${name}:${i}`);
        clock.time += clock.stepMs;
        yield;
      }
      done = true;
      log.push(`${name}:done`);
    } finally {
      if (!done) {
        log.push(`${name}:given up`); // a write cleans up after itself (folderCache removes its half-written file)
      }
    }
  };
}

/** A scheduler (a second's wait, 20 ms slices) on a fake clock, with a write `a` of `count` steps handed to it. */
function withWrite(count: number) {
  const clock = new FakeClock();
  const log: string[] = [];
  const steps = new QuietSteps(clock, 1000, 20);
  steps.later(write(clock, log, 'a', count));
  return { clock, log, steps };
}

describe('storing an index when changes are quiet', () => {
  it('starts a second after the last change, in slices that give the thread back', () => {
    const { clock, log, steps } = withWrite(10);
    clock.pass(600);
    steps.changed(); // a change: the wait starts again
    clock.pass(900);
    assert.deepEqual(log, []);
    clock.pass(100);
    // A slice of 20 ms: four steps of 5 ms, then the thread is given back.
    assert.deepEqual(log, ['a:0', 'a:1', 'a:2', 'a:3']);
    let turns = 0;
    while (clock.turn() > 0) {
      turns++;
    }
    assert.equal(turns, 2, 'steps 4–7, then 8, 9 and the end');
    assert.equal(log.at(-1), 'a:done');
    assert.equal(log.length, 11);
  });

  it('stops at a change and starts over a second later; searches (no change) do not delay it', () => {
    const { clock, log, steps } = withWrite(10);
    clock.pass(1000);
    assert.equal(log.length, 4);
    steps.changed();
    assert.equal(log.at(-1), 'a:given up', 'given up at once, and told so');
    clock.turn(); // the given-back slice finds the write stopped
    assert.equal(log.length, 5);
    clock.pass(1000);
    assert.deepEqual(log.slice(5), ['a:0', 'a:1', 'a:2', 'a:3'], 'from its beginning');
    while (clock.turn() > 0) {
      // searches would be answered between these turns
    }
    assert.equal(log.at(-1), 'a:done');
    clock.pass(5000);
    assert.equal(log.filter((l) => l === 'a:done').length, 1, 'once');
  });

  it('a write given its own quiet waits that long after the last change (an index changed in a session: ten seconds)', () => {
    const clock = new FakeClock();
    const log: string[] = [];
    const steps = new QuietSteps(clock, 1000, 20);
    steps.later(write(clock, log, 's', 2), 10_000);
    clock.pass(9000);
    steps.changed();
    clock.pass(9999);
    assert.deepEqual(log, [], 'the change started the ten seconds again');
    clock.pass(1);
    assert.deepEqual(log, ['s:0', 's:1', 's:done']);
    // The next write without its own quiet waits the default second again.
    steps.later(write(clock, log, 't', 1));
    clock.pass(1000);
    assert.deepEqual(log.slice(3), ['t:0', 't:done']);
  });

  it('a newer write replaces one waiting or under way', () => {
    const { clock, log, steps } = withWrite(10);
    clock.pass(1000);
    steps.later(write(clock, log, 'b', 2));
    while (clock.turn() > 0) {
      // nothing of a runs any more
    }
    clock.pass(1000);
    assert.deepEqual(log, ['a:0', 'a:1', 'a:2', 'a:3', 'a:given up', 'b:0', 'b:1', 'b:done']);
  });

  it('flush finishes the write under way from where it is, or runs a waiting one at once', () => {
    const { clock, log, steps } = withWrite(10);
    clock.pass(1000);
    steps.flush();
    assert.deepEqual(log, ['a:0', 'a:1', 'a:2', 'a:3', 'a:4', 'a:5', 'a:6', 'a:7', 'a:8', 'a:9', 'a:done']);
    clock.turn();
    clock.pass(5000);
    assert.equal(log.length, 11, 'nothing runs after');

    const waiting: string[] = [];
    steps.later(write(clock, waiting, 'b', 2));
    steps.flush();
    assert.deepEqual(waiting, ['b:0', 'b:1', 'b:done']);
    clock.pass(5000);
    assert.equal(waiting.length, 3);
    steps.flush();
    assert.equal(waiting.length, 3, 'a flush with nothing waiting does nothing');
  });

  it('a search holds the steps under way back for a moment, and typing never stops them for good', () => {
    const { clock, log, steps } = withWrite(40);
    clock.pass(1000);
    assert.equal(log.length, 4, 'the first slice');
    steps.searched(); // a keystroke, answered between two slices
    assert.equal(clock.turn(), 1);
    assert.equal(log.length, 4, 'the next slice waits');
    clock.pass(99);
    assert.equal(log.length, 4);
    clock.pass(1);
    assert.equal(log.length, 8, 'then goes on');
    // A keystroke every 150 ms: the steps run in the gaps and finish.
    for (let i = 0; i < 40 && log.at(-1) !== 'a:done'; i++) {
      steps.searched();
      clock.pass(150);
      while (clock.turn() > 0) {
        // slices between keystrokes
      }
    }
    assert.equal(log.at(-1), 'a:done');
  });
});
