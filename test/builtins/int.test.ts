// builtins.int against CPython: the literals it reads, the bases, the
// conversions of numbers, and its errors.
import { describe, expect, it } from 'vitest';
import { builtins } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const { int } = builtins;

describe('int()', () => {
  it('reads str and bytes literals as CPython, with every base', () => {
    const cases: [string, unknown[]][] = [
      ["' 42 '", [' 42 ']],
      ["'+5'", ['+5']],
      ["'-0'", ['-0']],
      ["'1_000'", ['1_000']],
      ["'_1'", ['_1']],
      ["'1__0'", ['1__0']],
      ["'1_'", ['1_']],
      ["'0x10'", ['0x10']],
      ["'0x10', 16", ['0x10', 16]],
      ["'0X_1f', 16", ['0X_1f', 16]],
      ["'0x10', 0", ['0x10', 0]],
      ["'010', 0", ['010', 0]],
      ["'0o17', 0", ['0o17', 0]],
      ["'-0b101', 0", ['-0b101', 0]],
      ["'1_0', 0", ['1_0', 0]],
      ["'0_1', 0", ['0_1', 0]],
      ["'0_0', 0", ['0_0', 0]],
      ["'z', 36", ['z', 36]],
      ["'12', 2", ['12', 2]],
      ["''", ['']],
      ["'  '", ['  ']],
      ["'4.5'", ['4.5']],
      ["'12\\n'", ['12\n']],
      ["'0x', 16", ['0x', 16]],
      ["'99999999999999999999'", ['99999999999999999999']],
      ["b' 12 '", [Buffer.from(' 12 ')]],
      ["b'x'", [Buffer.from('x')]],
      ["'5', 1", ['5', 1]],
      ["'5', 37", ['5', 37]],
      ["'5', '10'", ['5', '10']],
      ["'ff', base=16", ['ff', { base: 16 }]],
      ['', []],
    ];
    const { python, pipefork } = runCases(cases.map(([p, a]) => [`int(${p})`, () => loose(int)(...a)] as const));
    // A BigInt beyond 2**53 is the Python int; JSON cannot hold it, so compare its digits.
    expect(pipefork.map((o) => JSON.stringify(o, (_, v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual(
      python.map((o) => JSON.stringify(o)),
    );
    expect(int('99999999999999999999')).toBe(99999999999999999999n);
  });

  it('converts numbers and bools as CPython, and refuses what it cannot', () => {
    const cases: [string, unknown[]][] = [
      ['4.7', [4.7]],
      ['-4.7', [-4.7]],
      ["float('nan')", [Number.NaN]],
      ["float('inf')", [Number.POSITIVE_INFINITY]],
      ['True', [true]],
      ['None', [null]],
      ['[1]', [[1]]],
      ['5, 10', [5, 10]],
      ["x='5'", [{ x: '5' }]],
    ];
    const { python, pipefork } = runCases(cases.map(([p, a]) => [`int(${p})`, () => loose(int)(...a)] as const));
    expect(pipefork).toEqual(python);
    expect([int(1e20), int(2n ** 70n)]).toEqual([100000000000000000000n, 2n ** 70n]);
  });

  it("reads ASCII digits only (a documented difference: CPython also reads other scripts' decimal digits)", () => {
    const { python, pipefork } = runCases([["int('\\u0663')", () => int('\u0663')]]);
    expect(python).toEqual([['ok', 3]]);
    expect(pipefork).toEqual([['raise', 'ValueError', "invalid literal for int() with base 10: '\u0663'", null]]);
  });
});
