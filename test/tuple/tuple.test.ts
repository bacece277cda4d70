// Python tuples as Arrays of class Tuple (lib/tuple.ts).
import assert from 'node:assert';
import { describe, expect, it } from 'vitest';
import { builtins, os, struct } from '../../lib/index.js';
import { pyValueRepr as repr } from '../../lib/repr.js';
import { isTuple, Tuple, tuple } from '../../lib/tuple.js';

describe('tuple()', () => {
  it('makes a Tuple of the items, an Array in every other way', () => {
    const a = [1, 2];
    const t = tuple(a);
    expect(isTuple(t)).toBe(true);
    expect(isTuple(a)).toBe(false);
    expect(isTuple([1, 2])).toBe(false);
    expect(isTuple({ length: 0 })).toBe(false);
    expect(Array.isArray(t)).toBe(true);
    expect(t).toBeInstanceOf(Tuple);
    expect(t).toBeInstanceOf(Array);
    expect(t.length).toBe(2);
    expect(Object.keys(t)).toEqual(['0', '1']);
    expect(JSON.stringify(t)).toBe('[1,2]');
    const [x, y] = t;
    expect([x, y]).toEqual([1, 2]);
    expect([...t]).toEqual([1, 2]);
    expect(tuple(t)).toBe(t); // tuple(t) is t, as in CPython
    expect(builtins.tuple(t)).toBe(t);
    expect(isTuple(tuple([]))).toBe(true);
    expect(repr(tuple([]))).toBe('()');
    expect(repr(tuple([1]))).toBe('(1,)');
  });

  it('what map, filter, slice and concat derive from a tuple is a list (a plain array)', () => {
    const t = tuple([1, 2, 3]);
    for (const derived of [t.map((v) => v * 2), t.filter((v) => v > 1), t.slice(1), t.concat([4])]) {
      expect(Array.isArray(derived)).toBe(true);
      expect(isTuple(derived)).toBe(false);
      expect(Object.getPrototypeOf(derived)).toBe(Array.prototype);
    }
    expect(repr(t.slice(0, 2))).toBe('[1, 2]');
  });

  it("is told from a list by node 20's deepStrictEqual (prototypes differ), not by node 22+'s (constructors match); vitest's toEqual and toStrictEqual compare contents", () => {
    const t = tuple([1, 2]);
    expect(t).toEqual([1, 2]);
    // toStrictEqual compares constructors, and a Tuple's is Array (what makes map() give a list).
    expect(t).toStrictEqual([1, 2]);
    expect(t.constructor).toBe(Array);
    expect(t).toStrictEqual(tuple([1, 2]));
    // Node 22 compares arrays by constructor, not by prototype (measured: 22.23, 24.22, 26.12).
    const nodeMajor = Number(process.versions.node.split('.')[0]);
    if (nodeMajor <= 20) expect(() => assert.deepStrictEqual(t, [1, 2])).toThrow();
    else assert.deepStrictEqual(t, [1, 2]);
    assert.deepStrictEqual(t, tuple([1, 2]));
    assert.deepStrictEqual([...t], [1, 2]);
    assert.deepEqual(t, [1, 2]);
  });

  it('is recognised across copies of pipefork: the mark is a registered symbol on the prototype', () => {
    class OtherCopysTuple extends Array {}
    Object.defineProperty(OtherCopysTuple.prototype, Symbol.for('pipefork.tuple'), { value: true });
    const foreign = new OtherCopysTuple();
    foreign.push(1, 2);
    expect(isTuple(foreign)).toBe(true);
    expect(repr(foreign)).toBe('(1, 2)');
  });

  it('is what os.pipe(), os.waitpid() and struct.unpack() return', () => {
    const fds = os.pipe();
    try {
      expect(isTuple(fds)).toBe(true);
    } finally {
      for (const fd of fds) os.close(fd);
    }
    for (const fmt of ['<i', '<ihd', '3s?x2H', '<q']) {
      const values = struct.unpack(fmt, Buffer.alloc(struct.calcsize(fmt)));
      expect(isTuple(values), fmt).toBe(true);
      expect(values.length, fmt).toBe(fmt === '<ihd' ? 3 : fmt === '3s?x2H' ? 4 : 1);
    }
    expect([...struct.iter_unpack('<h', Buffer.alloc(4))].every(isTuple)).toBe(true);
    expect(isTuple(struct.unpack_from('<h', Buffer.alloc(4), 2))).toBe(true);
  });
});
