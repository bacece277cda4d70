// time against CPython 3.11: sleep's errors, and clocks that are CPython's
// own (a timestamp taken in python3 falls between two taken here).
import { describe, expect, it } from 'vitest';
import { time } from '../../lib/index.js';
import { loose, pythonJson } from '../helpers/python.js';
import { differential } from '../signal/differential.js';

const f = loose;

describe('time.sleep', () => {
  it("raises CPython's errors for bad durations", () => {
    differential(
      [
        ['time.sleep(-1)', () => time.sleep(-1)],
        ['time.sleep(-1e-10)', () => time.sleep(-1e-10)],
        ['time.sleep(-0.0)', () => time.sleep(-0)],
        ['time.sleep(0)', () => time.sleep(0)],
        ['time.sleep(0.001)', () => time.sleep(0.001)],
        ["time.sleep(float('nan'))", () => time.sleep(Number.NaN)],
        ["time.sleep(float('inf'))", () => time.sleep(Number.POSITIVE_INFINITY)],
        ["time.sleep(float('-inf'))", () => time.sleep(Number.NEGATIVE_INFINITY)],
        ['time.sleep(2**63)', () => f(time.sleep)(2n ** 63n)],
        ['time.sleep(10**10)', () => time.sleep(1e10)],
        ['time.sleep(1e20)', () => time.sleep(1e20)],
        ['time.sleep(1e10)', () => time.sleep(1e10 + 0.5)],
        ["time.sleep('x')", () => f(time.sleep)('x')],
        ['time.sleep(None)', () => f(time.sleep)(null)],
        ['time.sleep([])', () => f(time.sleep)([])],
        ["time.sleep(b'1')", () => f(time.sleep)(Buffer.from('1'))],
        ['time.sleep()', () => f(time.sleep)()],
        ['time.sleep(1, 2)', () => f(time.sleep)(1, 2)],
        ['time.sleep(secs=0)', () => f(time.sleep)({ secs: 0 })],
        ['time.monotonic(1)', () => f(time.monotonic)(1)],
        ['time.time(1)', () => f(time.time)(1)],
        ['time.perf_counter(1)', () => f(time.perf_counter)(1)],
        ['time.monotonic_ns(1)', () => f(time.monotonic_ns)(1)],
        ['time.time_ns(1)', () => f(time.time_ns)(1)],
        ['time.perf_counter_ns(1)', () => f(time.perf_counter_ns)(1)],
      ],
      'import time',
    );
  });

  it('sleeps at least as long as asked (bounded above generously: the machine is shared)', () => {
    for (const s of [0.001, 0.05, 0.2]) {
      const t0 = time.monotonic();
      time.sleep(s);
      const took = time.monotonic() - t0;
      expect(took).toBeGreaterThanOrEqual(s);
      expect(took).toBeLessThan(s + 0.5);
    }
  });
});

describe('the clocks', () => {
  it("monotonic, perf_counter and time are CPython's clocks; the _ns twins are BigInts on the same clocks", () => {
    const before = [time.monotonic(), time.perf_counter(), time.time()];
    const nsBefore = [time.monotonic_ns(), time.perf_counter_ns(), time.time_ns()];
    const py = pythonJson<number[]>(
      'import json, time; print(json.dumps([time.monotonic(), time.perf_counter(), time.time(), time.monotonic_ns(), time.perf_counter_ns(), time.time_ns()]))',
    );
    const after = [time.monotonic(), time.perf_counter(), time.time()];
    const nsAfter = [time.monotonic_ns(), time.perf_counter_ns(), time.time_ns()];
    for (let i = 0; i < 3; i++) {
      expect(py[i]).toBeGreaterThanOrEqual(before[i] as number);
      expect(py[i]).toBeLessThanOrEqual(after[i] as number);
      expect(typeof nsBefore[i]).toBe('bigint');
      // JSON's doubles lose the last digits of a ns count: compare in microseconds.
      expect(Math.floor((py[i + 3] as number) / 1e3)).toBeGreaterThanOrEqual(Number((nsBefore[i] as bigint) / 1000n));
      expect(Math.floor((py[i + 3] as number) / 1e3)).toBeLessThanOrEqual(Number((nsAfter[i] as bigint) / 1000n));
    }
    expect(Math.abs(Number(time.time_ns()) / 1e9 - Date.now() / 1e3)).toBeLessThan(1);
  });

  it('monotonic() is the _ns clock in seconds, as CPython converts it', () => {
    const a = time.monotonic_ns();
    const s = time.monotonic();
    const b = time.monotonic_ns();
    expect(s).toBeGreaterThanOrEqual(Number(a) / 1e9);
    expect(s).toBeLessThanOrEqual(Number(b) / 1e9);
  });
});
