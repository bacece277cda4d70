// The differential helper of the signal, select and selectors tests: each
// case is a Python expression and its JS twin, run in python3 and here,
// with the values made comparable (enum members as their repr, sets as
// sorted lists of ints (pipefork's hold plain numbers), functions as
// '<function>', itimer_error by its Python name).
import { expect } from 'vitest';
import { IntEnumMember } from '../../lib/intenum.js';
import { runCases } from '../helpers/scenario.js';

export type Case = readonly [py: string, js: () => unknown];

/** A JS value as the Python prelude's norm() makes the Python one. */
export function norm(v: unknown): unknown {
  if (v instanceof IntEnumMember) return v.repr();
  if (v instanceof Set) return [...v].map(norm).sort((a, b) => Number(a) - Number(b));
  if (typeof v === 'function') return '<function>';
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(norm);
  return v;
}

export const PY_NORM = `
import enum, types
def norm(r):
    if isinstance(r, enum.Enum): return repr(r)
    if isinstance(r, (set, frozenset)): return sorted(int(x) for x in r)
    if callable(r): return '<function>'
    if isinstance(r, (list, tuple)): return [norm(x) for x in r]
    return r
`;

/** Runs the cases in python3 and here, and expects the same outcome for each, case by case. */
export function differential(cases: readonly Case[], prelude = ''): void {
  const { python, pipefork } = runCases(
    cases.map(([p, f]) => [`norm(${p})`, () => norm(f())] as const),
    `${PY_NORM}\n${prelude}`,
  );
  const js = pipefork.map((o) =>
    Array.isArray(o) && o[1] === 'ItimerError' ? [o[0], 'itimer_error', ...o.slice(2)] : o,
  );
  cases.forEach(([p], i) => {
    expect([p, js[i]]).toEqual([p, python[i]]);
  });
}
