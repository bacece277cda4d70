// pickle: CPython 3.11's pickle for the values a program exchanges with a
// Python process (docs/pickle.md): None, bool, int, float, str, bytes,
// bytearray, list, tuple, dict, set and frozenset. dumps() writes CPython's
// bytes exactly; loads() reads protocols 0-5 and never imports, calls or
// builds anything a pickle names (lib/pickle/loads.ts says what it refuses).
import type { Buffer } from 'node:buffer';
import { isKwargs, pyTruth, toBytes, toInt } from './convert.js';
import { LookupError, OverflowError, RecursionError, ValueError } from './errors.js';
import { DEFAULT_PROTOCOL, HIGHEST_PROTOCOL, PickleError, PicklingError, UnpicklingError } from './pickle/common.js';
import { Pickler } from './pickle/dumps.js';
import { Unpickler } from './pickle/loads.js';
import { pyclass } from './pyclass.js';

// tuple() as builtins has it: Python's tuple(iterable), which takes any iterable.
export { tuple } from './builtins.js';
export { DEFAULT_PROTOCOL, frozenset, HIGHEST_PROTOCOL, isFrozenset } from './pickle/common.js';
export { isTuple } from './tuple.js';

/** One pickler reused across calls (its output buffer and memo tables); a nested call gets its own. */
let idle: Pickler | null = new Pickler();

/**
 * pickle.dumps(obj, protocol=None, *, fix_imports=True, buffer_callback=None).
 * The first argument is always the value (a dict such as { protocol: 2 } is
 * pickled, never read as keywords); keywords come in a trailing plain object.
 */
export function dumps(obj: unknown, protocol?: unknown, kwargs?: unknown, ...extra: unknown[]): Buffer {
  let proto = DEFAULT_PROTOCOL;
  let fixImports = true;
  if (typeof protocol === 'number' && protocol >= 0 && protocol <= HIGHEST_PROTOCOL && protocol % 1 === 0) {
    if (kwargs !== undefined || extra.length > 0) [proto, fixImports] = dumpsArgs([protocol, kwargs, ...extra]);
    else proto = protocol;
  } else if (protocol !== undefined || kwargs !== undefined || extra.length > 0) {
    [proto, fixImports] = dumpsArgs([protocol, kwargs, ...extra]);
  }
  const p = idle ?? new Pickler();
  idle = null;
  try {
    return p.dump(obj, proto, fixImports);
  } catch (e) {
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      // CPython's RecursionError, where V8's stack ran out (its depth differs from Python's limit).
      throw new RecursionError('maximum recursion depth exceeded while pickling an object');
    }
    throw e;
  } finally {
    idle = p;
  }
}

/** dumps()'s arguments after the value, bound as Argument Clinic binds them. */
function dumpsArgs(args: unknown[]): [number, boolean] {
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  let kw: Record<string, unknown> = {};
  if (args.length > 0 && isKwargs(args[args.length - 1])) kw = args.pop() as Record<string, unknown>;
  if (args.length > 1) throw new TypeError(`dumps() takes at most 2 positional arguments (${args.length + 1} given)`);
  for (const k of Object.keys(kw)) {
    if (!['protocol', 'fix_imports', 'buffer_callback'].includes(k)) {
      throw new TypeError(`'${k}' is an invalid keyword argument for dumps()`);
    }
  }
  if (args.length === 1 && 'protocol' in kw) {
    throw new TypeError("argument for dumps() given by name ('protocol') and position (2)");
  }
  const given = args.length === 1 ? args[0] : kw.protocol;
  let proto = DEFAULT_PROTOCOL;
  if (given !== undefined && given !== null) {
    const n = typeof given === 'boolean' ? Number(given) : toInt(given);
    if (n > 2n ** 63n - 1n || n < -(2n ** 63n)) throw new OverflowError('Python int too large to convert to C long');
    proto = n < 0 ? HIGHEST_PROTOCOL : Number(n);
    if (proto > HIGHEST_PROTOCOL) throw new ValueError(`pickle protocol must be <= ${HIGHEST_PROTOCOL}`);
  }
  const cb = kw.buffer_callback;
  if (cb !== undefined && cb !== null && proto < 5) throw new ValueError('buffer_callback needs protocol >= 5');
  return [proto, kw.fix_imports === undefined ? true : pyTruth(kw.fix_imports)];
}

const ENCODINGS: Record<string, string> = {
  ascii: 'ascii',
  'us-ascii': 'ascii',
  latin1: 'latin1',
  'latin-1': 'latin1',
  'iso-8859-1': 'latin1',
  'iso8859-1': 'latin1',
  l1: 'latin1',
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  bytes: 'bytes',
};

const DEFAULT_LOAD = { fixImports: true, encoding: 'ascii', buffers: null };

/**
 * pickle.loads(data, /, *, fix_imports=True, encoding='ASCII',
 * errors='strict', buffers=None): data is any bytes-like object; encoding
 * decides what Python 2 str opcodes become ('ASCII', 'latin1', 'utf-8', or
 * 'bytes' for a Buffer); errors may only be 'strict'; buffers is an
 * iterable of the out-of-band buffers a protocol 5 pickle refers to.
 */
export function loads(data: unknown, kwargs?: unknown, ...extra: unknown[]): unknown {
  const bytes = toBytes(data);
  if (kwargs === undefined && extra.length === 0) return new Unpickler(bytes, DEFAULT_LOAD).load();
  if (!isKwargs(kwargs) || extra.length > 0) {
    throw new TypeError(`loads() takes exactly 1 positional argument (${2 + extra.length} given)`);
  }
  for (const k of Object.keys(kwargs)) {
    if (!['fix_imports', 'encoding', 'errors', 'buffers'].includes(k)) {
      throw new TypeError(`'${k}' is an invalid keyword argument for loads()`);
    }
  }
  const { fix_imports, encoding = 'ASCII', errors = 'strict', buffers = null } = kwargs;
  if (typeof encoding !== 'string')
    throw new TypeError(`loads() argument 'encoding' must be str, not ${typeof encoding}`);
  const enc = ENCODINGS[encoding.toLowerCase().replace(/_/g, '-')];
  if (enc === undefined) throw new LookupError(`unknown encoding: ${encoding}`);
  if (errors !== 'strict') throw new ValueError("pipefork's pickle.loads supports only errors='strict'");
  let it: Iterator<unknown> | null = null;
  if (buffers !== null && buffers !== undefined) {
    const iter = (buffers as { [Symbol.iterator]?: () => Iterator<unknown> })[Symbol.iterator];
    if (typeof iter !== 'function') throw new TypeError(`'${typeof buffers}' object is not iterable`);
    it = iter.call(buffers);
  }
  const opts = { fixImports: fix_imports === undefined ? true : pyTruth(fix_imports), encoding: enc, buffers: it };
  return new Unpickler(bytes, opts).load();
}

// The errors as pyclass twins (lib/pyclass.ts): callable without new, as in Python.
const PickleError_ = pyclass(PickleError);
type PickleError_ = PickleError;
const PicklingError_ = pyclass(PicklingError);
type PicklingError_ = PicklingError;
const UnpicklingError_ = pyclass(UnpicklingError);
type UnpicklingError_ = UnpicklingError;

export { PickleError_ as PickleError, PicklingError_ as PicklingError, UnpicklingError_ as UnpicklingError };
