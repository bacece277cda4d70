// Python's tuple as pipefork carries it: a JS array with a mark. Arrays stand
// for Python lists; where CPython returns a tuple (os.pipe(), os.waitpid(),
// struct.unpack(), Popen.communicate()) or pickle receives one, the array is
// marked, so print()/repr() show `(3, 4)` and pickle sends it back as a tuple.
// The mark is a non-enumerable property under a registered symbol: arrays
// stay plain arrays to every other piece of code, and two copies of pipefork
// in one process agree on it.

const TUPLE: unique symbol = Symbol.for('pipefork.tuple') as never;

/** Marks an array as a Python tuple and returns it (the same array). */
export function tuple<T extends unknown[]>(items: T): T {
  Object.defineProperty(items, TUPLE, { value: true });
  return items;
}

/** Is this array marked as a Python tuple? */
export function isTuple(v: unknown): v is readonly unknown[] {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}
