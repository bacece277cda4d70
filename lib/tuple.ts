// Python's tuple as pipefork carries it: an array whose class says so. Arrays
// stand for Python lists; where CPython returns a tuple (os.pipe(),
// os.waitpid(), struct.unpack(), Popen.communicate()) or pickle receives one,
// the result is a Tuple, so print()/repr() show `(3, 4)` and pickle sends it
// back as a tuple.
//
// A Tuple is an Array in every other way (Array.isArray, indexing,
// destructuring, iteration, JSON), and what its methods derive from it
// (map, filter, slice, concat) is a plain array, a list. Equality: vitest's
// toEqual and toStrictEqual see a Tuple and a plain array with the same
// items as equal (its `constructor` is Array, see below). node:assert's
// deepStrictEqual tells them apart on Node 20 (it compares prototypes, as
// Python's == tells (1, 2) from [1, 2]) but not on Node 22 and later, which
// compare arrays by constructor; comparing with tuple([...]) or a spread
// copy is right on every line (docs/builtins.md).
//
// The mark is the class, not a property: V8 makes defining a property on an
// array a runtime call (~100 ns per struct.unpack against ~13 ns unmarked,
// Node 20-26), while a Tuple made at its size and filled costs what a plain
// array does (BENCHMARKS.md, "struct results as tuples"). Hot paths (struct's
// unpack) build Tuples directly: `const t = tupleOf(n)`, then t[i] = ...
//
// isTuple() looks for a registered symbol on the prototype, so two copies
// of pipefork in one process agree on what a tuple is.

const TUPLE: unique symbol = Symbol.for('pipefork.tuple') as never;

/** A Python tuple: an Array of its own class (see the top of this file). */
export class Tuple<T = unknown> extends Array<T> {}
Object.defineProperty(Tuple.prototype, TUPLE, { value: true });
// What map/filter/slice/concat make of a tuple is a plain array (a list):
// ArraySpeciesCreate looks at the array's `constructor` first, and finds
// Array. A `static get [Symbol.species]` on Tuple says the same but made
// every `new Tuple(n)` take V8's slow path: struct.unpack('<ihd') went from
// 13 ns to 400 ns (Node 20; BENCHMARKS.md).
Object.defineProperty(Tuple.prototype, 'constructor', { value: Array, writable: true, configurable: true });

/**
 * A Tuple of n slots for the caller to fill, t[0] to t[n - 1]: made at its
 * size, the shape V8 makes cheapest. Its elements start generic (the first
 * slot is written once): V8 stores a number into a Tuple's double elements
 * through its runtime until the store is optimized, and the runtime makes
 * every NaN the plain NaN, so struct.unpack('>f', b'\xff\xc0\0\0') lost -nan's
 * sign on its first calls; generic elements keep each number as it is.
 */
export function tupleOf<T = unknown>(n: number): Tuple<T> {
  const t = new Tuple<T>(n);
  if (n > 0) t[0] = undefined as T;
  return t;
}

/**
 * Python's tuple(items): a Tuple of the items (items itself when it is one
 * already: a tuple is immutable in Python, so nothing can tell the two apart).
 */
export function tuple<T extends unknown[]>(items: T): T {
  if (isTuple(items as unknown)) return items;
  const a: unknown[] = items;
  const n = a.length;
  const t = tupleOf(n);
  for (let i = 0; i < n; i++) t[i] = a[i];
  return t as unknown as T;
}

/** Is this array a Python tuple (a Tuple, of this copy of pipefork or another)? */
export function isTuple(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}
