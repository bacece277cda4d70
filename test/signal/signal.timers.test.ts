// alarm, setitimer and getitimer: the values CPython returns (a tuple of
// floats, tv_sec + tv_usec / 1e6), timers that repeat, and SIGALRM and
// SIGVTALRM handled where pipefork can run a handler.
import { describe, expect, it } from 'vitest';
import { builtins, signal, time } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';

describe('setitimer / getitimer', () => {
  it("return the previous and current timer as CPython's float tuples", () => {
    const py = pythonJson<number[][]>(`import json, signal
a = signal.setitimer(signal.ITIMER_REAL, 100, 0.5)
b = signal.getitimer(signal.ITIMER_REAL)
c = signal.setitimer(signal.ITIMER_REAL, 0)
d = signal.getitimer(signal.ITIMER_REAL)
signal.signal(signal.SIGALRM, lambda s, f: None)
e = signal.setitimer(signal.ITIMER_REAL, 0.0000001)
f = signal.setitimer(signal.ITIMER_REAL, 0)
print(json.dumps([a, b, c, d, f]))`);
    const a = signal.setitimer(signal.ITIMER_REAL, 100, 0.5);
    const b = signal.getitimer(signal.ITIMER_REAL);
    const c = signal.setitimer(signal.ITIMER_REAL, 0);
    const d = signal.getitimer(signal.ITIMER_REAL);
    // 1e-7 s rounds up to one microsecond: SIGALRM comes at once.
    signal.signal(signal.SIGALRM, () => {});
    const e = signal.setitimer(signal.ITIMER_REAL, 0.0000001);
    const f = signal.setitimer(signal.ITIMER_REAL, 0);
    signal.signal(signal.SIGALRM, signal.SIG_DFL);
    expect([a, d, e]).toEqual([py[0], py[3], [0, 0]]);
    for (const [js, p] of [
      [b, py[1]],
      [c, py[2]],
    ] as const) {
      expect(js[1]).toBe(p?.[1]);
      expect(Math.abs(js[0] - (p?.[0] as number))).toBeLessThan(1);
      expect(js[0]).toBeLessThanOrEqual(100);
    }
    expect(f[1]).toBe(0);
    // A tuple, as CPython's (whole floats print as ints in JS: (0, 0)).
    expect(builtins.repr(signal.setitimer(signal.ITIMER_VIRTUAL, 0))).toBe('(0, 0)');
  });

  it('an interval timer fires repeatedly; each SIGALRM runs the handler during time.sleep', () => {
    const at: number[] = [];
    const t0 = time.monotonic();
    signal.signal(signal.SIGALRM, () => at.push(time.monotonic() - t0));
    signal.setitimer(signal.ITIMER_REAL, 0.1, 0.1);
    try {
      time.sleep(0.55);
    } finally {
      signal.setitimer(signal.ITIMER_REAL, 0);
      signal.signal(signal.SIGALRM, signal.SIG_DFL);
    }
    expect(at.length).toBeGreaterThanOrEqual(3);
    expect(at.length).toBeLessThanOrEqual(5);
    expect(at.every((t, i) => i === 0 || t > (at[i - 1] as number))).toBe(true);
  });

  it('ITIMER_VIRTUAL counts CPU time: SIGVTALRM after busy JavaScript runs at the next pipefork call', () => {
    let ran = 0;
    signal.signal(signal.SIGVTALRM, () => ran++);
    signal.setitimer(signal.ITIMER_VIRTUAL, 0.05);
    try {
      const t0 = performance.now();
      let x = 0;
      while (ran === 0 && performance.now() - t0 < 10_000) {
        for (let i = 0; i < 1e6; i++) x += Math.sqrt(i);
        time.sleep(0); // a pipefork call: the pending handler runs here
      }
      expect(x).toBeGreaterThan(0);
      expect(ran).toBe(1);
    } finally {
      signal.setitimer(signal.ITIMER_VIRTUAL, 0);
      signal.signal(signal.SIGVTALRM, signal.SIG_DFL);
    }
  });
});

describe('alarm', () => {
  it('returns the seconds left of the previous alarm; SIGALRM runs the handler in signal.pause()', () => {
    let ran = 0;
    signal.signal(signal.SIGALRM, () => ran++);
    try {
      expect(signal.alarm(10)).toBe(0);
      expect(signal.alarm(1)).toBe(10);
      const t0 = time.monotonic();
      signal.pause();
      expect(ran).toBe(1);
      expect(time.monotonic() - t0).toBeGreaterThan(0.5);
      expect(signal.alarm(0)).toBe(0);
    } finally {
      signal.alarm(0);
      signal.signal(signal.SIGALRM, signal.SIG_DFL);
    }
  });
});
