import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Latest, ticker } from '../../../src/core/text/slices';

/** A loop of `steps` steps that pauses between them, counting the steps it did. */
const loop = (steps: number, done: number[], i: number) => async (pause: () => Promise<void>) => {
  for (let k = 0; k < steps; k++) {
    await pause();
    done[i]++;
  }
  return `run ${i}`;
};

describe('Latest (only the latest run of a long loop counts)', () => {
  it('stops the earlier runs at their next pause: one run does all its steps, the others none past the newer start', async () => {
    const latest = new Latest();
    const done = [0, 0, 0];
    const pause = () => new Promise<void>((resolve) => setImmediate(resolve));
    const first = latest.run(loop(50, done, 0), pause);
    await pause();
    await pause();
    const second = latest.run(loop(50, done, 1), pause);
    const third = latest.run(loop(50, done, 2), pause);
    assert.deepEqual(await Promise.all([first, second, third]), [undefined, undefined, 'run 2']);
    assert.equal(done[2], 50);
    assert.ok(done[0] <= 2, `the first run did ${done[0]} steps`);
    assert.equal(done[1], 0);
  });

  it('lets a run that nothing superseded finish, passes its errors on, and stops every run on cancel', async () => {
    const latest = new Latest();
    const done = [0, 0];
    assert.equal(await latest.run(loop(5, done, 0)), 'run 0');
    await assert.rejects(
      latest.run(async () => {
        throw new Error('broken');
      }),
      /broken/,
    );
    const cancelled = latest.run(loop(5, done, 1));
    latest.cancel();
    assert.equal(await cancelled, undefined);
    assert.equal(done[1], 0);
  });
});

describe('ticker (a check awaited in every step of a long loop)', () => {
  it('gives the thread back once a slice has passed, looking at the clock every `every` steps; a step that does not wait makes no promise', async () => {
    let paused = 0;
    const pause = () => {
      paused++;
      return new Promise<void>((resolve) => setImmediate(resolve));
    };
    const always = ticker(pause, 0, 4);
    for (let i = 0; i < 12; i++) {
      await always();
    }
    assert.equal(paused, 3, 'every fourth step, a slice of 0 ms having passed each time');
    const never = ticker(pause, 60_000, 1);
    const steps = [never(), never(), never()];
    assert.equal(paused, 3, 'within its slice: no pause');
    assert.ok(steps[0] === steps[1] && steps[1] === steps[2], 'one promise, already resolved, for every step that does not wait');
    await Promise.all(steps);
    const without = ticker(undefined, 0, 1);
    await without();
    assert.equal(paused, 3, 'without a pause it never waits');
  });
});
