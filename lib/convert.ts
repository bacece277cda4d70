// Argument conversion with CPython's exact messages (what Argument Clinic's
// converters raise), so a ported program fails the way it did in Python.
import { Buffer } from 'node:buffer';
import { OverflowError, ValueError } from './errors.js';

/** The Python type name a JS value stands for, for error messages. */
export function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  switch (typeof v) {
    case 'string':
      return 'str';
    case 'boolean':
      return 'bool';
    case 'number':
      return Number.isInteger(v) ? 'int' : 'float';
    case 'bigint':
      return 'int';
    case 'function':
      return 'function';
    case 'symbol':
      return 'symbol';
  }
  if (Array.isArray(v)) return 'list';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return 'bytes';
  if (ArrayBuffer.isView(v)) return 'memoryview';
  if (v instanceof ArrayBuffer) return 'bytearray';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** An integer argument (Python's `__index__`): numbers with no fraction, or BigInts. */
export function toInt(v: unknown): number | bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return v;
  throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
}

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

/** A C int (fds, flags, modes): CPython's 'i' converter. */
export function toCInt(v: unknown): number {
  if (typeof v === 'number' && (v | 0) === v) return v; // fast path: an int32
  const n = toInt(v);
  if (n > INT_MAX) throw new OverflowError('Python int too large to convert to C int');
  // CPython 3.11 says "too large" below the range as well.
  if (n < INT_MIN) throw new OverflowError('Python int too large to convert to C int');
  return Number(n);
}

/**
 * CPython's TypeError for a positional-only function given the wrong number
 * of arguments, worded as its C calling convention words it: METH_NOARGS and
 * METH_O name the module ("posix.pipe() takes no arguments (1 given)"),
 * Argument Clinic does not ("read expected 2 arguments, got 1"). JS would
 * otherwise drop an extra argument or pass undefined for a missing one.
 */
export function arityError(qualified: string, n: number, got: number, parseTuple = false): TypeError {
  if (n === 0) return new TypeError(`${qualified}() takes no arguments (${got} given)`);
  if (n === 1) return new TypeError(`${qualified}() takes exactly one argument (${got} given)`);
  // Functions still parsed with PyArg_ParseTuple (os.kill, os.waitpid, ...) word it the old way.
  if (parseTuple) return new TypeError(`${qualified}() takes exactly ${n} arguments (${got} given)`);
  return new TypeError(`${qualified.slice(qualified.lastIndexOf('.') + 1)} expected ${n} arguments, got ${got}`);
}

/** An fd. Negative values go on to the syscall, which gives EBADF as in CPython. */
export const toFd = toCInt;

/**
 * A C ssize_t (counts). JS numbers are exact only up to 2**53 - 1, so
 * anything beyond that cannot be a count we could honour: OverflowError.
 */
export function toSsize(v: unknown): number {
  if (typeof v === 'number' && (v | 0) === v) return v;
  const n = toInt(v);
  if (typeof n === 'bigint') {
    if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new OverflowError('Python int too large to convert to C ssize_t');
    if (n < BigInt(Number.MIN_SAFE_INTEGER)) throw new OverflowError('Python int too large to convert to C ssize_t');
    return Number(n);
  }
  if (n > Number.MAX_SAFE_INTEGER) throw new OverflowError('Python int too large to convert to C ssize_t');
  if (n < Number.MIN_SAFE_INTEGER) throw new OverflowError('Python int too large to convert to C ssize_t');
  return n;
}

/** A file offset (C off_t, 64 bits): wider than a count, as CPython's Py_off_t. */
export function toOffT(v: unknown): number {
  const n = toInt(v);
  if (n >= 2 ** 63 || n >= 2n ** 63n) throw new OverflowError('Python int too large to convert to C long');
  if (n < -(2 ** 63) || n < -(2n ** 63n)) throw new OverflowError('Python int too large to convert to C long');
  return Number(n);
}

/**
 * Python's bool(v) for the JS values that stand for Python ones: None, False,
 * zero (but not NaN: bool(float('nan')) is True), '' and empty sequences,
 * bytes, Maps, Sets and plain objects (dicts) are false; everything else is true.
 */
export function pyTruth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v)) return v.length !== 0;
  if (ArrayBuffer.isView(v)) return v.byteLength !== 0;
  if (v instanceof ArrayBuffer) return v.byteLength !== 0;
  if (v instanceof Map || v instanceof Set) return v.size !== 0;
  // A plain object stands for a dict: empty is false.
  if (typeof v === 'object' && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null)) {
    return Object.keys(v).length !== 0;
  }
  return true;
}

/** A truth value where CPython takes `bool(accept={int})`: any int, its truth. */
export function toBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  const n = toInt(v);
  return n !== 0 && n !== 0n;
}

/** A truth value where CPython takes a C int ('i'), so 2**31 overflows. */
export function toIntBool(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  return toCInt(v) !== 0;
}

/** A bytes-like object as a Uint8Array view (no copy). */
export function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v)) return new Uint8Array(v.buffer, v.byteOffset, v.byteLength);
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
    return new Uint8Array(v);
  }
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
}

/** A filesystem path: str, bytes or a file: URL (os.PathLike). */
export function toPath(v: unknown, func: string, arg = 'path'): string {
  let s: string;
  if (typeof v === 'string') s = v;
  else if (Buffer.isBuffer(v)) s = v.toString('utf8');
  else if (v instanceof URL && v.protocol === 'file:') s = decodeURIComponent(v.pathname);
  else throw new TypeError(`${func}: ${arg} should be string, bytes or os.PathLike, not ${pyTypeName(v)}`);
  if (s.includes('\0')) throw new ValueError('embedded null byte');
  return s;
}

/** Is this the trailing keyword-arguments object of API.md section 1? */
export function isKwargs(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether the trailing plain object `o`, the argument at position `pos`, is
 * keyword arguments (API.md section 1). Where a mapping parameter goes it is
 * that mapping, never keywords: execve's env takes plain objects as its
 * value, even { env: 'prod' }. Anywhere else, once every required argument
 * is given it is keywords; before that only if every key names a parameter
 * (WIFEXITED({ status: 0 }), execve(path, { argv, env })): an object of
 * other keys, or an empty one, is the positional value itself, a dict, as
 * WIFEXITED({}) is in Python.
 */
export function readsAsKwargs(
  o: object,
  names: readonly string[],
  pos: number,
  required: number,
  mappings: readonly string[],
): boolean {
  if (mappings.length > 0 && mappings.includes(names[pos] as string)) return false;
  if (pos >= required) return true;
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => names.includes(k));
}

/**
 * Python-style argument binding: positional values in order, then an
 * optional trailing object of keyword arguments. Unknown keywords and
 * duplicates raise TypeError worded as CPython's: as for a C function
 * (`os.dup2`, the default), or as for a function or method written in
 * Python (`Popen.__init__`, `Popen.wait`), whose messages differ and count
 * `self`.
 */
export function bindArgs(
  func: string,
  names: readonly string[],
  args: readonly unknown[],
  required = 0,
  style: 'c' | 'function' | 'method' = 'c',
  /** Parameters whose values are mappings (plain objects): see readsAsKwargs. */
  mappings: readonly string[] = [],
): Record<string, unknown> {
  let positional = args;
  let kwargs: Record<string, unknown> | undefined;
  const last = args[args.length - 1];
  if (args.length > 0 && isKwargs(last) && readsAsKwargs(last, names, args.length - 1, required, mappings)) {
    kwargs = last as Record<string, unknown>;
    positional = args.slice(0, -1);
  }
  const self = style === 'method' ? 1 : 0;
  if (style === 'c') {
    // Argument Clinic counts keywords too, before looking at their names.
    const total = positional.length + (kwargs ? Object.keys(kwargs).length : 0);
    if (total > names.length) {
      throw new TypeError(
        `${func}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${total} given)`,
      );
    }
  } else if (positional.length > names.length) {
    const lo = required + self;
    const hi = names.length + self;
    const given = positional.length + self;
    const takes = lo === hi ? `${hi}` : `from ${lo} to ${hi}`;
    throw new TypeError(
      `${func}() takes ${takes} positional argument${hi === 1 ? '' : 's'} but ${given} ${given === 1 ? 'was' : 'were'} given`,
    );
  }
  const out: Record<string, unknown> = {};
  positional.forEach((v, i) => {
    out[names[i] as string] = v;
  });
  if (kwargs && style === 'c') {
    // Argument Clinic's order: a missing required argument, then one given
    // by name and position (the first by position), then an unknown name.
    const kw = kwargs;
    const absent = names.slice(positional.length, required).find((n) => !Object.hasOwn(kw, n));
    if (absent !== undefined) {
      throw new TypeError(`${func}() missing required argument '${absent}' (pos ${names.indexOf(absent) + 1})`);
    }
    const twice = positional.findIndex((_, i) => Object.hasOwn(kw, names[i] as string));
    if (twice !== -1) {
      throw new TypeError(`argument for ${func}() given by name ('${names[twice]}') and position (${twice + 1})`);
    }
    const unknown = Object.keys(kw).find((k) => !names.includes(k));
    if (unknown !== undefined) throw new TypeError(`'${unknown}' is an invalid keyword argument for ${func}()`); // 3.11
    Object.assign(out, kw);
  } else if (kwargs) {
    for (const [k, v] of Object.entries(kwargs)) {
      if (!names.includes(k)) throw new TypeError(`${func}() got an unexpected keyword argument '${k}'`);
      if (k in out && positional.length > names.indexOf(k)) {
        throw new TypeError(`${func}() got multiple values for argument '${k}'`);
      }
      out[k] = v;
    }
  }
  const missing = names.slice(0, required).filter((n) => !(n in out));
  if (missing.length > 0) {
    if (style === 'c') {
      const n = missing[0] as string;
      throw new TypeError(`${func}() missing required argument '${n}' (pos ${names.indexOf(n) + 1})`);
    }
    const quoted = missing.map((n) => `'${n}'`);
    // Python's own list: 'a', 'a' and 'b', 'a', 'b', and 'c'.
    const last = quoted.pop() as string;
    const list = quoted.length === 0 ? last : `${quoted.join(', ')}${quoted.length > 1 ? ',' : ''} and ${last}`;
    throw new TypeError(
      `${func}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${list}`,
    );
  }
  return out;
}
