// Argument conversion with CPython's exact messages (what Argument Clinic's
// converters raise), so a ported program fails the way it did in Python.
import { Buffer } from 'node:buffer';
import { OverflowError, ValueError } from './errors.js';
import { Signal } from './signal.js';

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
  // A signal.Signals member is an int, as CPython's IntEnum members are.
  if (v instanceof Signal) return v.value;
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

/**
 * A writable bytes-like object as a view (every JS buffer is writable);
 * `what` names it in CPython's TypeError: 'readinto() argument 2'.
 */
export function toWritableBytes(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array) return v;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return toBytes(v);
  const type = v === null || v === undefined ? 'None' : pyTypeName(v);
  throw new TypeError(`${what} must be read-write bytes-like object, not ${type}`);
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

/** Is this the trailing keyword-arguments object (docs/arguments.md)? */
export function isKwargs(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Whether the trailing plain object `o`, the argument at position `pos`, is
 * keyword arguments (docs/arguments.md). Where a mapping parameter goes it is
 * that mapping, never keywords: execve's env takes plain objects as its
 * value, even { env: 'prod' }. Anywhere else, once every required argument
 * is given it is keywords; before that only if every key names a parameter
 * (WIFEXITED({ status: 0 }), execve(path, { argv, env })): an object of
 * other keys, or an empty one, is the positional value itself, a dict, as
 * WIFEXITED({}) is in Python.
 */
function readsAsKwargs(
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
 * A positional-only function (METH_O, or Argument Clinic's `/`) given a
 * trailing object that reads as keywords by bindArgs' rule (readsAsKwargs:
 * WCOREDUMP({ status }), execv(path, { argv }), or any object after all the
 * arguments): CPython's TypeError, which comes before the count; an empty one
 * is `**{}` and is dropped. Any other plain object is a positional value (a dict).
 */
function positionalOnly(qualified: string, names: readonly string[], args: readonly unknown[]): readonly unknown[] {
  const last = args[args.length - 1];
  if (!isKwargs(last) || !readsAsKwargs(last, names, args.length - 1, names.length, [])) return args;
  if (Object.keys(last).length > 0) throw new TypeError(`${qualified}() takes no keyword arguments`);
  return args.slice(0, -1);
}

/**
 * The arguments of a positional-only C function whose call was not the
 * plain one (a wrong count, or a plain object last): positionalOnly's
 * keyword check, then the count as CPython words it for this function.
 */
export function positionalArgs(
  qualified: string,
  names: readonly string[],
  args: ArrayLike<unknown>,
  arityName = qualified,
  exactly = false,
): unknown[] {
  const a = positionalOnly(qualified, names, Array.from(args));
  if (a.length !== names.length) throw arityError(arityName, names.length, a.length, exactly);
  return a as unknown[];
}

/** Python's list of names in an error: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function pyNameList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  const last = quoted.pop() as string;
  return quoted.length === 0 ? last : `${quoted.join(', ')}${quoted.length > 1 ? ',' : ''} and ${last}`;
}

/**
 * Argument binding for a C function (Argument Clinic: `os.dup2`, `io.open`):
 * positional values in order, then an optional trailing object of keyword
 * arguments (readsAsKwargs), with CPython's TypeErrors in its order.
 */
export function bindArgs(
  func: string,
  names: readonly string[],
  args: readonly unknown[],
  required = 0,
  /** Parameters whose values are mappings (plain objects): see readsAsKwargs. */
  mappings: readonly string[] = [],
  /** How many may be given by position; the rest are keyword-only (os.open's dir_fd). */
  maxPositional = names.length,
): Record<string, unknown> {
  let positional = args;
  let kwargs: Record<string, unknown> | undefined;
  const last = args[args.length - 1];
  if (args.length > 0 && isKwargs(last) && readsAsKwargs(last, names, args.length - 1, required, mappings)) {
    kwargs = last as Record<string, unknown>;
    positional = args.slice(0, -1);
  }
  // Argument Clinic counts keywords too, before looking at their names.
  const total = positional.length + (kwargs ? Object.keys(kwargs).length : 0);
  if (total > names.length) {
    throw new TypeError(
      `${func}() takes at most ${names.length} argument${names.length === 1 ? '' : 's'} (${total} given)`,
    );
  }
  if (positional.length > maxPositional) {
    const s = maxPositional === 1 ? '' : 's';
    throw new TypeError(
      `${func}() takes at most ${maxPositional} positional argument${s} (${positional.length} given)`,
    );
  }
  const out: Record<string, unknown> = {};
  positional.forEach((v, i) => {
    out[names[i] as string] = v;
  });
  const absent = names.slice(positional.length, required).find((n) => !(kwargs && Object.hasOwn(kwargs, n)));
  if (absent !== undefined) {
    throw new TypeError(`${func}() missing required argument '${absent}' (pos ${names.indexOf(absent) + 1})`);
  }
  if (kwargs) {
    // Then one given by name and position (the first by position), then an unknown name.
    const kw = kwargs;
    const twice = positional.findIndex((_, i) => Object.hasOwn(kw, names[i] as string));
    if (twice !== -1) {
      throw new TypeError(`argument for ${func}() given by name ('${names[twice]}') and position (${twice + 1})`);
    }
    const unknown = Object.keys(kw).find((k) => !names.includes(k));
    if (unknown !== undefined) throw new TypeError(`'${unknown}' is an invalid keyword argument for ${func}()`); // 3.11
    Object.assign(out, kw);
  }
  return out;
}

/** How a function written in Python takes its arguments (bindPy). */
export interface PySignature {
  /** How many of `names` come first and are required. */
  required?: number;
  /** How many may be given by position; the rest are keyword-only. All by default. */
  maxPositional?: number;
  /** 1 for a method: Python counts `self` in its messages. */
  self?: number;
  /** Parameters whose values are mappings: a plain object there is the value, not keywords (execvpe's env). */
  mappings?: readonly string[];
  /** undefined is None, as for every os function (os.execvp), not an argument left out (subprocess). */
  keepUndefined?: boolean;
}

/**
 * Argument binding for a function or method written in Python
 * (`Popen.__init__`, `Popen.wait`, `os.execvp`), with the TypeErrors Python
 * raises for one, in its order. A trailing plain object is keyword arguments
 * unless it sits where a mapping parameter goes; a keyword given as undefined
 * counts as not given, and so do trailing undefined arguments (unless
 * keepUndefined). Returns the
 * bound values and the positional arguments as given (what
 * BaseException.args keeps).
 */
export function bindPy(
  func: string,
  names: readonly string[],
  a: readonly unknown[],
  { required = 0, maxPositional = names.length, self = 0, mappings = [], keepUndefined = false }: PySignature = {},
): [Record<string, unknown>, unknown[]] {
  // A trailing undefined is an optional argument not given (getoutput(cmd,
  // options) called with options undefined), as a keyword given as undefined is.
  let end = a.length;
  while (!keepUndefined && end > 0 && a[end - 1] === undefined) end--;
  const last = a[end - 1];
  const kwargs =
    end > 0 && isKwargs(last) && !mappings.includes(names[end - 1] as string)
      ? (last as Record<string, unknown>)
      : null;
  const positional = a.slice(0, kwargs ? end - 1 : end);
  const out: Record<string, unknown> = {};
  positional.slice(0, maxPositional).forEach((v, i) => {
    out[names[i] as string] = v;
  });
  for (const [k, v] of Object.entries(kwargs ?? {})) {
    if (!names.includes(k)) throw new TypeError(`${func}() got an unexpected keyword argument '${k}'`);
    if (v === undefined && !keepUndefined) continue;
    if (k in out) throw new TypeError(`${func}() got multiple values for argument '${k}'`);
    out[k] = v;
  }
  if (positional.length > maxPositional) {
    const lo = required + self;
    const hi = maxPositional + self;
    const given = positional.length + self;
    const takes =
      lo === hi ? `${hi} positional argument${hi === 1 ? '' : 's'}` : `from ${lo} to ${hi} positional arguments`;
    throw new TypeError(`${func}() takes ${takes} but ${given} ${given === 1 ? 'was' : 'were'} given`);
  }
  const missing = names.slice(0, required).filter((n) => !(n in out));
  if (missing.length > 0) {
    throw new TypeError(
      `${func}() missing ${missing.length} required positional argument${missing.length === 1 ? '' : 's'}: ${pyNameList(missing)}`,
    );
  }
  return [out, positional];
}
