// Python tuples as marked arrays (lib/tuple.ts).
import { describe, expect, it } from 'vitest';
import { isTuple, tuple } from '../../lib/tuple.js';

describe('tuple marks', () => {
  it('marks an array in place without changing what it holds or how it compares', () => {
    const a = [1, 2];
    expect(tuple(a)).toBe(a);
    expect(isTuple(a)).toBe(true);
    expect(isTuple([1, 2])).toBe(false);
    expect(a).toEqual([1, 2]);
    expect(Object.keys(a)).toEqual(['0', '1']);
    expect(JSON.stringify(a)).toBe('[1,2]');
    expect(isTuple({ length: 0 })).toBe(false);
  });
});
