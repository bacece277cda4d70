// Argument conversion with CPython's exact messages (what Argument Clinic's
// converters raise), so a ported program fails the way it did in Python.
import { Buffer } from 'node:buffer';
import { isDetached } from './detached.js';
import { OverflowError, pyRepr, ValueError } from './errors.js';
import { IntEnumMember } from './intenum.js';
import { lookupCodec, utf8DecodeEscape } from './io/codecs.js';
import { pyTypeName } from './repr.js';

export { pyTypeName };

/** An integer argument (Python's `__index__`): numbers with no fraction, or BigInts. */
export function toInt(v: unknown): number | bigint {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'bigint') return v;
  // A signal.Signals (Handlers, Sigmasks) member is an int, as CPython's IntEnum members are.
  if (v instanceof IntEnumMember) return v.value;
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

/** A pid_t or a C int given to an old-style (PyArg 'i') parser: its own overflow wording. */
export function toPid(v: unknown): number {
  if (typeof v === 'number' && (v | 0) === v) return v;
  const n = toInt(v);
  // CPython reads a C long first, then narrows it to an int.
  if (n >= 2 ** 63 || n < -(2 ** 63)) throw new OverflowError('Python int too large to convert to C long');
  if (n > 2 ** 31 - 1) throw new OverflowError('signed integer is greater than maximum');
  if (n < -(2 ** 31)) throw new OverflowError('signed integer is less than minimum');
  return Number(n);
}

/** A size argument of read()/readline()/readlines(): an int or None (CPython's _Py_convert_optional_to_ssize_t). */
export function sizeArg(v: unknown, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (typeof v === 'number' && (v | 0) === v) return v;
  if ((typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint') {
    // Beyond 64 bits this converter has its own wording; between 2**53 and
    // 2**63 toSsize's OverflowError is the documented JS-number limit.
    if (v >= 2 ** 63 || v < -(2 ** 63)) throw new OverflowError("cannot fit 'int' into an index-sized integer");
    return toSsize(v);
  }
  throw new TypeError(`argument should be integer or None, not '${pyTypeName(v)}'`);
}

/** A buffer_size argument of the buffered classes: dflt when not given, else a positive Py_ssize_t. */
export function toBufferSize(v: unknown, dflt: number): number {
  const n = v === undefined ? dflt : toSsize(v);
  if (n <= 0) throw new ValueError('buffer size must be strictly positive');
  return n;
}

/** A JS number that is an integer (what a Python int arrives as, BigInts aside). */
export function isPyInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/** A Python int carried by any JS type (a bool is an int too): its exact value, or null. */
export function pyIntValue(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  return null;
}

/** A BigInt as the number it is (an int is an int, whichever JS type carries it). */
export function bigToNumber(v: unknown): unknown {
  return typeof v === 'bigint' ? Number(v) : v;
}

/** Python's int(v) (as Popen applies it to each of pass_fds): floats truncate, str and bytes are parsed; a C long. */
export function pyInt(v: unknown): number {
  let n: number;
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new ValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(v)) throw new OverflowError('cannot convert float infinity to integer');
    n = Math.trunc(v);
  } else if (typeof v === 'bigint' || typeof v === 'boolean') {
    n = Number(v);
  } else if (typeof v === 'string' || v instanceof Uint8Array) {
    const text = typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
    if (!m) throw new ValueError(`invalid literal for int() with base 10: ${pyRepr(v)}`);
    n = Number(`${m[1]}${(m[2] as string).replaceAll('_', '')}`);
  } else {
    throw new TypeError(
      `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(v)}'`,
    );
  }
  return n;
}

/**
 * Python's bool(v) for the JS values that stand for Python ones: None, False,
 * zero (but not NaN: bool(float('nan')) is True), '' and empty sequences,
 * bytes, Maps, Sets and plain objects (dicts) are false; everything else is true.
 */
export function pyTruth(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v)) return v.length !== 0;
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) {
    if (v.byteLength !== 0) return true;
    // bool() of a released memoryview is len() of it: CPython's ValueError.
    if (isDetached(v)) throw releasedBuffer();
    return false;
  }
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

// --- buffers ---------------------------------------------------------------------

/** CPython's error for using a released memoryview: what a detached buffer is here (detached.ts). */
export function releasedBuffer(): ValueError {
  return new ValueError('operation forbidden on released memoryview object');
}

/** An empty Uint8Array as it is, unless it is a view of a detached buffer. */
function emptyOrReleased(v: Uint8Array): Uint8Array {
  if (isDetached(v)) throw releasedBuffer();
  return v;
}

/** A bytes-like object as a Uint8Array view (no copy). */
export function toBytes(v: unknown): Uint8Array {
  if (v instanceof Uint8Array) return v.byteLength !== 0 ? v : emptyOrReleased(v);
  if (ArrayBuffer.isView(v)) return emptyOrReleased(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  if (v instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && v instanceof SharedArrayBuffer)) {
    if (isDetached(v)) throw releasedBuffer();
    return new Uint8Array(v);
  }
  throw new TypeError(`a bytes-like object is required, not '${pyTypeName(v)}'`);
}

/** A bytes-like object as a Buffer over the same bytes (for its toString), with toBytes's checks. */
export function toBuffer(v: unknown): Buffer {
  const b = toBytes(v);
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * A writable bytes-like object as a view (every JS buffer is writable);
 * `what` names it in CPython's TypeError: 'readinto() argument 2'.
 */
export function toWritableBytes(v: unknown, what: string): Uint8Array {
  if (v instanceof Uint8Array && v.byteLength !== 0) return v;
  // CPython's 'w*' converter reports a released memoryview as one it cannot write to.
  if (isDetached(v)) throw new TypeError(`${what} must be read-write bytes-like object, not ${pyTypeName(v)}`);
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return toBytes(v);
  const type = v === null || v === undefined ? 'None' : pyTypeName(v);
  throw new TypeError(`${what} must be read-write bytes-like object, not ${type}`);
}

/**
 * Python's iter(v) for the JS values that stand for Python ones: an array,
 * a str's characters, bytes' ints, a dict's (Map's, plain object's) keys,
 * any JS iterable; CPython's "'int' object is not iterable" for anything
 * else (V8 would say "x is not iterable"). A hole in an array is None.
 */
export function pyIter(v: unknown): Iterable<unknown> {
  if (Array.isArray(v) || typeof v === 'string') return v;
  if (v instanceof Map) return v.keys();
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer) return toBytes(v);
  if (isKwargs(v)) return Object.keys(v);
  if (isPyIterable(v)) return v as Iterable<unknown>;
  throw new TypeError(`'${pyTypeName(v)}' object is not iterable`);
}

/** Whether pyIter takes v. */
export function isPyIterable(v: unknown): boolean {
  if (typeof v === 'string') return true;
  if (v === null || typeof v !== 'object') return false;
  return v instanceof ArrayBuffer || isKwargs(v) || typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function';
}

/** Python's list(v): pyIter's items in a new array. */
export function pyList(v: unknown): unknown[] {
  return [...pyIter(v)];
}

/**
 * obj.name() for a method CPython looks up on an object it was given (a
 * raw stream's readable()): where there is none, CPython's AttributeError,
 * a TypeError here as every missing attribute is ("'dict' object has no
 * attribute 'readable'"), not V8's "raw.readable is not a function".
 */
export function callMethod(obj: unknown, name: string, ...args: unknown[]): unknown {
  const f = obj === null || obj === undefined ? undefined : (obj as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new TypeError(`'${pyTypeName(obj)}' object has no attribute '${name}'`);
  return f.apply(obj, args);
}

// A surrogate that is not half of a pair: what Python sees as a surrogate
// character (a JS pair is one astral character to Python as well).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * os.fsencode of a str: UTF-8 with surrogateescape, so a name read from the
 * system as bytes (os.fsdecode turned byte 0xff into U+DCFF) goes back as the
 * same bytes. A string without lone surrogates is returned as it is (the
 * addon writes it as UTF-8); one with only U+DC80..U+DCFF becomes a Buffer of
 * its bytes; any other lone surrogate is CPython's UnicodeEncodeError
 * ('surrogates not allowed'): the addon would write it as U+FFFD, and
 * os.open('\ud800') would open the same file as os.open('\udfff').
 */
export function fsencode(s: string): string | Buffer {
  if (!LONE_SURROGATE.test(s)) return s;
  return lookupCodec('utf-8').encode(s, 'surrogateescape', false);
}

/** os.fsencode's bytes: a str through fsencode, bytes as they are. */
export function fsbytes(v: string | Uint8Array): Buffer {
  if (typeof v === 'string') return Buffer.from(fsencode(v));
  return toBuffer(v);
}

/** A file: URL's path: its percent-decoded bytes, as os.fsdecode would give them back (a str). */
function urlPath(u: URL): string {
  const bytes: number[] = [];
  const p = u.pathname;
  for (let i = 0; i < p.length; i++) {
    const c = p.charCodeAt(i);
    if (c === 0x25 && /^[0-9a-fA-F]{2}$/.test(p.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(p.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      // A URL's pathname is ASCII: everything else comes percent-encoded.
      bytes.push(c);
    }
  }
  return utf8DecodeEscape(Uint8Array.from(bytes));
}

/**
 * A filesystem path argument, as the syscall takes it: a str through
 * fsencode (a Buffer when it holds escaped bytes), bytes as their exact
 * bytes, a file: URL as its path. `nul` says how a NUL in bytes is worded:
 * 'path' is os's path_converter (`open: embedded null character in path`),
 * 'fs' is PyUnicode_FSConverter (`embedded null byte`, as for a str).
 */
export function toPath(v: unknown, func: string, arg = 'path', nul: 'path' | 'fs' = 'path'): string | Buffer {
  let s: string;
  if (typeof v === 'string') s = v;
  // A detached buffer is a released memoryview, which no path converter takes (detached.ts).
  else if (v instanceof Uint8Array && !isDetached(v)) {
    if (v.includes(0))
      throw new ValueError(nul === 'path' ? `${func}: embedded null character in ${arg}` : 'embedded null byte');
    return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  } else if (v instanceof URL && v.protocol === 'file:') s = urlPath(v);
  else throw new TypeError(`${func}: ${arg} should be string, bytes or os.PathLike, not ${pyTypeName(v)}`);
  const out = fsencode(s);
  if (s.includes('\0')) throw new ValueError('embedded null byte');
  return out;
}

/**
 * For the types of a trailing keywords object taken as a type parameter O
 * (so that a result type can depend on what was given, as text: true makes
 * Popen's pipes text): O's keys that Allowed lacks are `never`, so a
 * misspelt keyword (`{ pass_fd: [3] }`) is a type error, as excess
 * properties are for a plain parameter type. Used as `options?: O & OnlyKeys<O, Allowed>`.
 */
export type OnlyKeys<O, Allowed> = { [K in Exclude<keyof O, keyof Allowed>]: never };

/** The keywords of a call that gives none: the default of such a type parameter. */
export type NoKeywords = Record<never, never>;

/** Is this the trailing keyword-arguments object (docs/arguments.md)? */
export function isKwargs(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

// --- binding arguments ----------------------------------------------------------
//
// One way to bind Python-style arguments: each function declares its
// Signature once (signature(), next to the function, reading like its
// Python signature), and bind(sig, args) binds a call to it. Positional
// values come in order; keyword arguments come as a trailing plain object
// (docs/arguments.md). The TypeErrors are CPython's, in its order and in the
// wording of the calling convention CPython uses for that function, which is
// what `kind` says:
//
//   'positional'  a C function that takes no keywords (METH_O, Argument
//                 Clinic's `/`, PyArg_ParseTuple): os.read, os.kill;
//   'clinic'      a C function whose parameters may be named (Argument
//                 Clinic): os.dup2, io.open, FileIO;
//   'python'      a function written in Python: Popen.__init__, os.execvp.
//
// The hot functions check the plain call themselves (a count and no
// trailing object) and call bind() only when it is not that.

/** How a Python callable takes its arguments (see signature()). */
export interface Signature {
  readonly kind: 'positional' | 'clinic' | 'python';
  /** As CPython's messages name it: 'posix.read', 'open', 'Popen.__init__'. */
  readonly name: string;
  readonly params: readonly string[];
  /** How many of params come first and are required. */
  readonly required: number;
  /** How many may be given by position; the rest are keyword-only. */
  readonly maxPositional: number;
  /** Parameters whose values are mappings: a plain object there is the value, never keywords (execve's env). */
  readonly mappings: readonly string[];
  /** 'positional': the name in "read expected 2 arguments, got 1" (Argument Clinic drops the module). */
  readonly arityName: string;
  /** 'positional': the function is parsed by PyArg_ParseTuple ("takes exactly 2 arguments (1 given)"). */
  readonly parseTuple: boolean;
  /** 'python': 1 for a method, whose messages count `self`. */
  readonly self: number;
  /** 'python': undefined is None (as os's functions take it), not an argument left out. */
  readonly keepUndefined: boolean;
}

export type SignatureOptions = Partial<Omit<Signature, 'kind' | 'name' | 'params'>>;

/** Declares how a function takes its arguments: all required and by position unless the options say otherwise. */
export function signature(
  kind: Signature['kind'],
  name: string,
  params: readonly string[],
  options: SignatureOptions = {},
): Signature {
  return {
    kind,
    name,
    params,
    required: options.required ?? (kind === 'python' ? 0 : params.length),
    maxPositional: options.maxPositional ?? params.length,
    mappings: options.mappings ?? [],
    arityName: options.arityName ?? name,
    parseTuple: options.parseTuple ?? false,
    self: options.self ?? 0,
    keepUndefined: options.keepUndefined ?? false,
  };
}

/** The bound arguments by parameter name; a parameter not given is absent. */
export type Bound = Record<string, unknown> & { readonly [POSITIONAL]?: unknown[] };

/** Where bind() keeps the positional arguments as given (what BaseException.args holds), for 'python' signatures. */
export const POSITIONAL: unique symbol = Symbol('positional arguments');

/** Binds a call's arguments to sig, raising CPython's TypeError for a call that does not fit. */
export function bind(sig: Signature, args: ArrayLike<unknown>): Bound {
  const a = Array.from(args);
  if (sig.kind === 'positional') return bindPositional(sig, a);
  if (sig.kind === 'clinic') return bindClinic(sig, a);
  return bindPython(sig, a);
}

/**
 * A function that takes no arguments, given some: CPython's TypeError for
 * it. 'positional' is a C function (METH_NOARGS: "posix.getpid() takes no
 * arguments (1 given)"; a trailing {} counts, as JS cannot tell **{} from
 * a dict there); 'python' a method of a Python class taking only self
 * ("Popen.poll() takes 1 positional argument but 2 were given").
 */
export function noArgs(kind: 'positional' | 'python', name: string, args: ArrayLike<unknown>): void {
  if (args.length === 0) return;
  if (kind === 'positional') throw arityError(name, 0, args.length);
  bind(signature('python', name, [], { self: 1 }), args);
}

/** bind(), as the list of values in parameter order (undefined where not given): `[fd, n] = bindList(READ_ARGS, arguments)`. */
export function bindList(sig: Signature, args: ArrayLike<unknown>): unknown[] {
  const b = bind(sig, args);
  return sig.params.map((p) => b[p]);
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
function readsAsKwargs(o: object, sig: Signature, pos: number, required: number): boolean {
  if (sig.mappings.includes(sig.params[pos] as string)) return false;
  if (pos >= required) return true;
  const keys = Object.keys(o);
  return keys.length > 0 && keys.every((k) => sig.params.includes(k));
}

/**
 * A C function that takes no keywords: a trailing object that reads as
 * keywords by readsAsKwargs (WCOREDUMP({ status }), execv(path, { argv }),
 * or any object after the required arguments) is CPython's TypeError, which comes
 * before the count; an empty one is `**{}` and is dropped. Any other plain
 * object is a positional value (a dict). Then the count, as CPython words it
 * for this function.
 */
function bindPositional(sig: Signature, args: unknown[]): Bound {
  const last = args[args.length - 1];
  if (isKwargs(last) && readsAsKwargs(last, sig, args.length - 1, sig.required)) {
    if (Object.keys(last).length > 0) throw new TypeError(`${sig.name}() takes no keyword arguments`);
    args = args.slice(0, -1);
  }
  const n = sig.params.length;
  if (args.length < sig.required || args.length > n) {
    if (sig.required === n) throw arityError(sig.arityName, n, args.length, sig.parseTuple);
    // _PyArg_CheckPositional, for optional positional-only parameters.
    const [bound, which] = args.length < sig.required ? [sig.required, 'at least'] : [n, 'at most'];
    throw new TypeError(
      `${sig.arityName} expected ${which} ${bound} argument${bound === 1 ? '' : 's'}, got ${args.length}`,
    );
  }
  const out: Bound = {};
  args.forEach((v, i) => {
    out[sig.params[i] as string] = v;
  });
  return out;
}

/** Python's list of names in an error: 'a', 'a' and 'b', 'a', 'b', and 'c'. */
function pyNameList(names: readonly string[]): string {
  const quoted = names.map((n) => `'${n}'`);
  const last = quoted.pop() as string;
  return quoted.length === 0 ? last : `${quoted.join(', ')}${quoted.length > 1 ? ',' : ''} and ${last}`;
}

/** Argument Clinic's binding (os.dup2, io.open): its TypeErrors in its order. */
function bindClinic(sig: Signature, args: unknown[]): Bound {
  const { name: func, params: names, required, maxPositional } = sig;
  let positional = args;
  let kwargs: Record<string, unknown> | undefined;
  const last = args[args.length - 1];
  if (args.length > 0 && isKwargs(last) && readsAsKwargs(last, sig, args.length - 1, required)) {
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
  const out: Bound = {};
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

/**
 * A function or method written in Python (Popen.__init__, os.execvp), with
 * the TypeErrors Python raises for one, in its order. A trailing plain
 * object is keyword arguments unless it sits where a mapping parameter goes;
 * a keyword given as undefined counts as not given, and so do trailing
 * undefined arguments (unless keepUndefined). The positional arguments as
 * given are kept under POSITIONAL.
 */
function bindPython(sig: Signature, a: unknown[]): Bound {
  const { name: func, params: names, required, maxPositional, self, mappings, keepUndefined } = sig;
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
  const out: Bound = {};
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
  Object.defineProperty(out, POSITIONAL, { value: positional });
  return out;
}
