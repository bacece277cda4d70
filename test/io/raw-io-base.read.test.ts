// RawIOBase.read() converts what readinto() returns as CPython does
// (PyNumber_AsSsize_t, then 3.12's range check): found by
// test/io/buffered.model.fuzz.test.ts, where 1.5 read one byte, NaN read
// none (EOF) and '3' or 2**70 raised the range error's ValueError.
import { describe, expect, it } from 'vitest';
import { io } from '../../lib/index.js';
import { runCases } from '../helpers/scenario.js';

function rawReturning(v: unknown): () => unknown {
  class R extends io.RawIOBase {
    override readable(): boolean {
      return true;
    }
    override readinto(_b: Uint8Array): number {
      return v as number;
    }
  }
  return () => new R().read(4);
}

describe('RawIOBase.read', () => {
  it("a count from readinto() that is not an int is CPython's TypeError or ValueError", () => {
    const values: [string, unknown][] = [
      ['1.5', 1.5],
      ["'3'", '3'],
      ["float('nan')", Number.NaN],
      ['2**70', 2n ** 70n],
      ['None', null],
    ];
    const { python, pipefork } = runCases(
      values.map(([py, js]) => [
        `(lambda: type('R', (io.RawIOBase,), {'readable': lambda s: True, 'readinto': lambda s, b: ${py}})().read(4))()`,
        rawReturning(js),
      ]),
      'import io',
    );
    expect(pipefork).toEqual(python);
  });

  it('True is no count (a JS boolean is no int, docs/differences.md); CPython 3.11 reads it as 1', () => {
    expect(rawReturning(true)).toThrow(new TypeError("'bool' object cannot be interpreted as an integer"));
  });
});
