import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CheckedRows } from '../../../src/core/display/checkedRows';

interface ToWindow {
  readonly list: boolean;
  readonly keys: ReadonlySet<string>;
}

/**
 * The window and the extension host as two queues of messages, as VS Code has them: the
 * host sends a new list with its checks, or checks alone; the window unchecks every row
 * of a new list, checks the rows it is sent, and reports its checks when they changed
 * (the echo); the user's ticks are reported too. The host is the picker: it takes every
 * report as its chosen papers and sends back what `CheckedRows` calls a tick.
 */
function session() {
  const rows = new CheckedRows();
  let host = new Set<string>();
  let screen = new Set<string>();
  const toWindow: ToWindow[] = [];
  const toHost: Set<string>[] = [];
  let sendings = 0;
  const send = (list: boolean) => {
    sendings++;
    rows.sent(host);
    toWindow.push({ list, keys: new Set(host) });
  };
  const same = (a: ReadonlySet<string>, b: ReadonlySet<string>) => a.size === b.size && [...a].every((k) => b.has(k));
  const s = {
    /** A service answered: the host sends a new list with its checks. */
    newList: () => send(true),
    /** The user ticks or unticks a row on screen. */
    toggle: (key: string) => {
      screen = new Set(screen);
      if (!screen.delete(key)) {
        screen.add(key);
      }
      toHost.push(new Set(screen));
    },
    pending: () => toWindow.length + toHost.length,
    /** The window reads its next message. */
    windowReads: () => {
      const m = toWindow.shift();
      if (!m) {
        return;
      }
      const before = m.list ? new Set<string>() : screen;
      screen = new Set(m.keys);
      if (!same(before, screen)) {
        toHost.push(new Set(screen));
      }
    },
    /** The host reads its next message. */
    hostReads: () => {
      const m = toHost.shift();
      if (!m) {
        return;
      }
      host = m;
      if (rows.reported(host)) {
        send(false);
      }
    },
    /**
     * Enter: with nothing checked the window first reports no checks (VS Code does, so
     * that the extension's selection is up to date); the host reads what came before.
     */
    enter: () => {
      if (screen.size === 0) {
        toHost.push(new Set());
      }
      while (toHost.length > 0) {
        s.hostReads();
      }
    },
    /** Both read until nothing is on its way (and say if that never happens). */
    settle: () => {
      for (let i = 0; i < 1000 && s.pending() > 0; i++) {
        s.windowReads();
        s.hostReads();
      }
      assert.equal(s.pending(), 0, 'messages still on their way after 1000 rounds');
    },
    get host() {
      return [...host].sort();
    },
    get screen() {
      return [...screen].sort();
    },
    get sendings() {
      return sendings;
    },
  };
  return s;
}

describe('checked rows while the host replaces the list', () => {
  it('shows again a tick that a list on its way undid, and the host keeps it', () => {
    const s = session();
    s.newList(); // nothing checked yet, on its way
    s.toggle('x'); // the tick, before the window reads the list
    s.windowReads(); // the list: x unchecked on screen
    s.settle();
    assert.deepEqual(s.screen, ['x']);
    assert.deepEqual(s.host, ['x']);
  });

  it('keeps a tick made while a list with other checks is on its way, that list’s echo arriving after it', () => {
    const s = session();
    s.toggle('a');
    s.settle();
    s.newList(); // a checked, on its way
    s.toggle('x'); // reported as a, x
    s.windowReads(); // the list: a checked again, x not — echoed as a
    s.settle();
    assert.deepEqual(s.screen, ['a', 'x']);
    assert.deepEqual(s.host, ['a', 'x']);
  });

  it('takes an untick as it is, and sends nothing back for it', () => {
    const s = session();
    s.toggle('a');
    s.toggle('b');
    s.settle();
    const before = s.sendings;
    s.toggle('a');
    s.settle();
    assert.deepEqual(s.screen, ['b']);
    assert.deepEqual(s.host, ['b']);
    assert.equal(s.sendings, before);
  });

  // A small deterministic generator (mulberry32): the same interleavings every run.
  const generator = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  /** Thirty random steps: lists sent, ticks and unticks, messages read on either side. */
  const interleave = (s: ReturnType<typeof session>, random: () => number) => {
    for (let step = 0; step < 30; step++) {
      const r = random();
      if (r < 0.25) {
        s.newList();
      } else if (r < 0.45) {
        s.toggle('abcde'[Math.floor(random() * 5)]);
      } else if (r < 0.75) {
        s.windowReads();
      } else {
        s.hostReads();
      }
    }
  };

  it('always ends: an echo never makes the host send again, however lists, ticks and unticks interleave', () => {
    const random = generator(20261203);
    for (let run = 0; run < 2000; run++) {
      const s = session();
      interleave(s, random);
      s.settle();
    }
  });

  it('cites what the window shows when Enter is pressed, however lists, ticks and unticks interleave', () => {
    const random = generator(7);
    for (let run = 0; run < 2000; run++) {
      const s = session();
      interleave(s, random);
      s.enter();
      assert.deepEqual(s.host, s.screen, `run ${run}`);
    }
  });
});
