// signal.Signals against CPython 3.11: lookup by value, aliases, the ValueError.
import { describe, expect, it } from 'vitest';
import { signal } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');
const self = process.pid;

type Case = [py: string, js: () => unknown];

/** Each Python expression's outcome next to its JS twin's; Signals members compared by repr. */
function differential(cases: Case[]): void {
  const { python, pipefork } = runCases(
    cases.map(([p, f]) => [
      `sig_repr(${p})`,
      () => {
        const r = f();
        return r instanceof signal.Signal ? r.repr() : r;
      },
    ]),
    `import signal, stat
SELF = ${self}
def sig_repr(r): return repr(r) if isinstance(r, signal.Signals) else r`,
  );
  cases.forEach(([p], i) => {
    expect([p, pipefork[i]]).toEqual([p, python[i]]);
  });
}

describe('signal.Signals: lookup by value, aliases', () => {
  it('lookup by value, aliases, and the ValueError repr', () => {
    const S = loose(signal.Signals);
    differential([
      ['signal.Signals(9)', () => S(9)],
      ['signal.Signals(9)', () => S(9n)],
      ['signal.Signals(9.0)', () => S(9.0)],
      ['signal.Signals(True)', () => S(true)],
      ['signal.Signals(signal.Signals.SIGTERM)', () => S(signal.Signals.SIGTERM)],
      ['signal.Signals.SIGCLD', () => signal.Signals.SIGCLD],
      ['signal.Signals.SIGIOT', () => signal.Signals.SIGIOT],
      ['signal.Signals.SIGPOLL', () => signal.Signals.SIGPOLL],
      ['signal.Signals()', () => S()],
      ['signal.Signals(None)', () => S(null)],
      ["signal.Signals(float('nan'))", () => S(Number.NaN)],
      ["signal.Signals(float('inf'))", () => S(Number.POSITIVE_INFINITY)],
      ["signal.Signals(float('-inf'))", () => S(Number.NEGATIVE_INFINITY)],
      ['signal.Signals({})', () => S({})],
      ['signal.Signals([])', () => S([])],
      ["signal.Signals([1, 'a'])", () => S([1, 'a'])],
      ["signal.Signals({'a': None})", () => S({ a: null })],
      ["signal.Signals('x')", () => S('x')],
      ['signal.Signals("it\'s")', () => S("it's")],
      ['signal.Signals(1.5)', () => S(1.5)],
      ["signal.Signals(b'x\\x00')", () => S(B('x\0'))],
      ['signal.Signals(100)', () => S(100)],
      ['signal.Signals(2**70)', () => S(2n ** 70n)],
      ['signal.Signals(-1)', () => S(-1)],
      ['signal.Signals(9, 1)', () => S(9, 1)],
    ]);
  });
});
