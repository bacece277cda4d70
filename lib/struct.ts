// Python's `struct` module: the framing IPC code uses (`struct.pack('<i', n)`),
// with CPython 3.11's sizes, alignment, results and errors word for word.
// Integers come back as numbers, or BigInts for 8-byte formats ('q', 'Q', 'n',
// 'N', 'P' and native 'l'/'L') beyond 2**53. For 'e', 'f' and 'd' a JS number
// is a Python float and a BigInt a Python int (the two overflow differently).
//
// A format compiles once into a plan (cached as CPython does: at most 100
// formats, then the cache starts over); packing and unpacking walk the plan
// with plain byte stores and loads, no DataView or BigInt for the common sizes.
import { Buffer, constants as bufferConstants } from 'node:buffer';
import {
  arityError,
  bind,
  isKwargs,
  pyTruth,
  pyTypeName,
  signature,
  toBuffer,
  toBytes,
  toInt,
  toWritableBytes,
} from './convert.js';
import {
  Exception,
  IndexError,
  MemoryError,
  OverflowError,
  SystemError,
  UnicodeEncodeError,
  ValueError,
} from './errors.js';
import { IntEnumMember } from './intenum.js';
import { pyclass } from './pyclass.js';
import { tupleOf } from './tuple.js';

/** struct.error */
class error extends Exception {}
Object.defineProperty(error.prototype, 'name', { value: 'struct.error' });

/** A format: a str, or bytes (a Uint8Array). */
export type Format = string | Uint8Array;

// What unpack returns, read from a literal format by TypeScript: every code
// of the format maps to the type of its values, and the result is an array
// of their union (struct.unpack('<ihd', b) is number[]). Integers of 8 bytes
// ('q', 'Q', 'n', 'N', 'P', and native 'l'/'L') are BigInts past 2**53, so
// a format with one is (number | bigint)[]; a format TypeScript cannot read
// (a string variable, bytes) is unknown[].
type NativeOnlyWide = 'l' | 'L';
type CodeValue<C extends string, Native extends boolean> = C extends 'b' | 'B' | 'h' | 'H' | 'i' | 'I' | 'e' | 'f' | 'd'
  ? number
  : C extends NativeOnlyWide
    ? Native extends true
      ? number | bigint
      : number
    : C extends 'q' | 'Q' | 'n' | 'N' | 'P'
      ? number | bigint
      : C extends '?'
        ? boolean
        : C extends 'c' | 's' | 'p'
          ? Buffer
          : C extends
                | 'x'
                | ' '
                | '\t'
                | '\n'
                | '\r'
                | '\v'
                | '\f'
                | '0'
                | '1'
                | '2'
                | '3'
                | '4'
                | '5'
                | '6'
                | '7'
                | '8'
                | '9'
            ? never
            : unknown;
// Tail-recursive, so formats of up to ~1000 characters are read.
type Values<F extends string, Native extends boolean, Acc = never> = F extends `${infer C}${infer Rest}`
  ? Values<Rest, Native, Acc | CodeValue<C, Native>>
  : Acc;
/** The type of each value struct.unpack(format, ...) returns, where TypeScript can read the format; else unknown. */
export type Unpacked<F> = F extends string
  ? string extends F
    ? unknown
    : F extends `${'<' | '>' | '!' | '='}${infer R}`
      ? Values<R, false>
      : F extends `@${infer R}`
        ? Values<R, true>
        : Values<F, true>
  : unknown;
/** What CPython's buffer protocol accepts: any view or ArrayBuffer. */
export type BytesLike = ArrayBufferView | ArrayBuffer | SharedArrayBuffer;

// What a plan item does.
const CHAR = 0;
const STR = 1; // 's'
const PSTR = 2; // 'p'
const BOOL = 3;
const INT = 4;
const HALF = 5; // 'e'
const FLOAT = 6; // 'f' in standard mode: overflow is an error (PyFloat_Pack4)
const NFLOAT = 7; // native 'f': a C cast, so overflow gives inf
const DOUBLE = 8;
const PAD = 9; // 'x': no item, only size

/**
 * How CPython's pack function for an integer code checks its value: first the
 * C conversion (get_long, get_ulong, _PyLong_AsByteArray, PyLong_AsVoidPtr),
 * then the field's own range. Each failure has its own message.
 */
interface IntRule {
  convLo: bigint;
  convHi: bigint;
  convMsg: string;
  lo: bigint;
  hi: bigint;
  rangeMsg: string;
}

interface Entry {
  kind: number;
  size: number;
  align: number;
  signed: boolean;
  rule: IntRule | null;
}

interface Item {
  kind: number;
  /** Repeat count; for 's' and 'p' the field's byte length. */
  count: number;
  offset: number;
  size: number;
  little: boolean;
  signed: boolean;
  /** Numbers in [fastLo, fastHi] with no fraction pack without further checks. */
  fastLo: number;
  fastHi: number;
  rule: IntRule | null;
}

interface Plan {
  /** Struct.format: always a str. */
  format: string;
  /** calcsize; exact unless huge. */
  size: number;
  sizeText: string;
  /** How many values pack takes and unpack returns. */
  nvalues: number;
  nvaluesText: string;
  items: Item[];
  /** pack must zero its output first (pad bytes, 's'/'p' fields). */
  zero: boolean;
  /**
   * The item of a format that is one integer of at most 4 bytes ('<i', '!I',
   * 'H'): a framed message's length prefix, packed and unpacked once per
   * message, so pack() and unpack() take it on a short path of their own.
   */
  int1: Item | null;
}

const LITTLE_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const SSIZE_MAX = 2n ** 63n - 1n;
const LONG: [bigint, bigint] = [-(2n ** 63n), 2n ** 63n - 1n];
const ULONG: [bigint, bigint] = [0n, 2n ** 64n - 1n];
const OUT_OF_RANGE = 'argument out of range';
const TOO_LARGE = 'int too large to convert';

function intEntry(
  size: number,
  align: number,
  conv: [bigint, bigint],
  convMsg: string,
  field: [bigint, bigint] | null,
  rangeMsg: string,
  signed = (field ?? conv)[0] < 0n,
): Entry {
  const [lo, hi] = field ?? conv;
  const rule: IntRule = { convLo: conv[0], convHi: conv[1], convMsg, lo, hi, rangeMsg: field ? rangeMsg : convMsg };
  return { kind: INT, size, align, signed, rule };
}

function plain(kind: number, size: number, align = 0): Entry {
  return { kind, size, align, signed: false, rule: null };
}

const S8: [bigint, bigint] = [-128n, 127n];
const U8: [bigint, bigint] = [0n, 255n];
const S16: [bigint, bigint] = [-32768n, 32767n];
const U16: [bigint, bigint] = [0n, 65535n];
const S32: [bigint, bigint] = [-(2n ** 31n), 2n ** 31n - 1n];
const U32: [bigint, bigint] = [0n, 2n ** 32n - 1n];

/** _range_error's wording, used by the lp_/bp_ functions and np_int/np_uint. */
function rangeError(ch: string, [lo, hi]: [bigint, bigint]): string {
  return `'${ch}' format requires ${lo} <= number <= ${hi}`;
}

// The native table ('@' or no prefix), x86_64/arm64 LP64 sizes and alignment.
const NATIVE: Record<string, Entry> = {
  x: plain(PAD, 1),
  b: intEntry(1, 0, LONG, OUT_OF_RANGE, S8, 'byte format requires -128 <= number <= 127'),
  B: intEntry(1, 0, LONG, OUT_OF_RANGE, U8, 'ubyte format requires 0 <= number <= 255'),
  c: plain(CHAR, 1),
  s: plain(STR, 1),
  p: plain(PSTR, 1),
  h: intEntry(2, 2, LONG, OUT_OF_RANGE, S16, 'short format requires -32768 <= number <= 32767'),
  H: intEntry(2, 2, LONG, OUT_OF_RANGE, U16, 'ushort format requires 0 <= number <= 65535'),
  i: intEntry(4, 4, LONG, OUT_OF_RANGE, S32, rangeError('i', S32)),
  I: intEntry(4, 4, ULONG, OUT_OF_RANGE, U32, rangeError('I', U32)),
  l: intEntry(8, 8, LONG, OUT_OF_RANGE, null, ''),
  L: intEntry(8, 8, ULONG, OUT_OF_RANGE, null, ''),
  q: intEntry(8, 8, LONG, OUT_OF_RANGE, null, ''),
  Q: intEntry(8, 8, ULONG, OUT_OF_RANGE, null, ''),
  n: intEntry(8, 8, LONG, OUT_OF_RANGE, null, ''),
  N: intEntry(8, 8, ULONG, OUT_OF_RANGE, null, ''),
  // PyLong_AsVoidPtr: PyLong_AsLong below 0, PyLong_AsUnsignedLong above;
  // unpacked unsigned.
  P: intEntry(8, 8, [LONG[0], ULONG[1]], TOO_LARGE, null, '', false),
  '?': plain(BOOL, 1),
  e: plain(HALF, 2, 2),
  f: plain(NFLOAT, 4, 4),
  d: plain(DOUBLE, 8, 8),
};

/**
 * A standard-size table ('<', '>', '!', '='). At import CPython swaps the
 * native pack functions into the table of the host's byte order wherever the
 * sizes agree (all but 'l'/'L', and never 'f', 'd', '?'), so the messages for
 * 'h H i I q Q' depend on the byte order; 'b'/'B' are native in both tables.
 */
function standard(little: boolean): Record<string, Entry> {
  const asNative = little === LITTLE_HOST;
  const t: Record<string, Entry> = {
    x: plain(PAD, 1),
    b: { ...(NATIVE.b as Entry), align: 0 },
    B: { ...(NATIVE.B as Entry), align: 0 },
    c: plain(CHAR, 1),
    s: plain(STR, 1),
    p: plain(PSTR, 1),
    // lp_int / bp_int and lp_uint / bp_uint.
    h: intEntry(2, 0, LONG, OUT_OF_RANGE, S16, rangeError('h', S16)),
    H: intEntry(2, 0, ULONG, OUT_OF_RANGE, U16, rangeError('H', U16)),
    i: intEntry(4, 0, LONG, OUT_OF_RANGE, S32, rangeError('i', S32)),
    I: intEntry(4, 0, ULONG, OUT_OF_RANGE, U32, rangeError('I', U32)),
    l: intEntry(4, 0, LONG, OUT_OF_RANGE, S32, rangeError('l', S32)),
    L: intEntry(4, 0, ULONG, OUT_OF_RANGE, U32, rangeError('L', U32)),
    // lp_longlong / bp_longlong: _PyLong_AsByteArray's OverflowError, which
    // pack turns into struct.error('int too large to convert').
    q: intEntry(8, 0, LONG, TOO_LARGE, null, ''),
    Q: intEntry(8, 0, ULONG, TOO_LARGE, null, ''),
    '?': plain(BOOL, 1),
    e: plain(HALF, 2),
    f: plain(FLOAT, 4),
    d: plain(DOUBLE, 8),
  };
  if (asNative) {
    for (const ch of 'hHiIqQ') t[ch] = { ...(NATIVE[ch] as Entry), align: 0 };
  }
  return t;
}

const LITTLE = standard(true);
const BIG = standard(false);

// ---------------------------------------------------------------------------
// Formats and the cache

const MAXCACHE = 100;
const cache = new Map<string, Plan>();

/** Thrown by compileSmall when a size or count leaves exact double range. */
const HUGE = Symbol('huge');

const overflow = () => new error('total struct size too long');

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** prepare_s: the plan for an ASCII format (or bytes decoded as latin1). */
function compile(fmt: string, display: string): Plan {
  if (fmt.includes('\0')) throw new error('embedded null character');
  try {
    return compileSmall(fmt, display);
  } catch (e) {
    if (e !== HUGE) throw e;
    return compileHuge(fmt, display);
  }
}

function whichTable(fmt: string): [Record<string, Entry>, number, boolean] {
  switch (fmt[0]) {
    case '<':
      return [LITTLE, 1, true];
    case '>':
    case '!':
      return [BIG, 1, false];
    case '=':
      return [LITTLE_HOST ? LITTLE : BIG, 1, LITTLE_HOST];
    case '@':
      return [NATIVE, 1, LITTLE_HOST];
    default:
      return [NATIVE, 0, LITTLE_HOST];
  }
}

/**
 * The next [code, count, index after it] from fmt[i] on, spaces skipped, or
 * null at the end. Counts past 15 digits are BigInts.
 */
function token(fmt: string, i: number, table: Record<string, Entry>): [Entry, number | bigint, number] | null {
  let c: number;
  do {
    if (i >= fmt.length) return null;
    c = fmt.charCodeAt(i++);
  } while (isSpace(c));
  let num: number | bigint = 1;
  if (isDigit(c)) {
    const first = i - 1;
    while (i < fmt.length && isDigit(fmt.charCodeAt(i))) i++;
    const digits = fmt.slice(first, i);
    num = digits.length <= 15 ? Number(digits) : BigInt(digits);
    if (typeof num === 'bigint' && num > SSIZE_MAX) throw overflow();
    if (i >= fmt.length) throw new error('repeat count given without format specifier');
    c = fmt.charCodeAt(i++);
  }
  const ch = String.fromCharCode(c);
  if (!Object.hasOwn(table, ch)) throw new error('bad char in struct format');
  return [table[ch] as Entry, num, i];
}

const BIGGEST = 2 ** 52;

function compileSmall(fmt: string, display: string): Plan {
  const [table, start, little] = whichTable(fmt);
  const native = table === NATIVE;
  const items: Item[] = [];
  let size = 0;
  let nvalues = 0;
  let zero = false;
  let covered = 0;
  for (let t = token(fmt, start, table); t !== null; t = token(fmt, t[2], table)) {
    const [e, num] = t;
    if (typeof num === 'bigint') throw HUGE;
    if (native && e.align > 0 && size > 0) {
      const aligned = Math.ceil(size / e.align) * e.align;
      if (aligned !== size) zero = true;
      size = aligned;
    }
    if (num * e.size + size > BIGGEST) throw HUGE;
    if (e.kind === STR || e.kind === PSTR) {
      nvalues++;
      zero = true;
      items.push(item(e, num, size, little));
    } else if (e.kind === PAD) {
      zero = true;
    } else if (num > 0) {
      nvalues += num;
      covered += num * e.size;
      items.push(item(e, num, size, little));
    }
    size += num * e.size;
  }
  if (covered !== size) zero = true;
  const only = items.length === 1 ? (items[0] as Item) : null;
  const int1 =
    only !== null && only.kind === INT && only.count === 1 && only.size <= 4 && size === only.size ? only : null;
  return { format: display, size, sizeText: String(size), nvalues, nvaluesText: String(nvalues), items, zero, int1 };
}

function item(e: Entry, count: number, offset: number, little: boolean): Item {
  const r = e.rule;
  return {
    kind: e.kind,
    count,
    offset,
    size: e.size,
    little,
    signed: e.signed,
    fastLo: r ? Math.max(Number(r.lo), Number.MIN_SAFE_INTEGER) : 0,
    fastHi: r ? Math.min(Number(r.hi), Number.MAX_SAFE_INTEGER) : 0,
    rule: r,
  };
}

/**
 * The same walk with exact integers, for counts and sizes past 2**52: only
 * calcsize and error messages can use such a plan (no buffer is that big).
 */
function compileHuge(fmt: string, display: string): Plan {
  const [table, start] = whichTable(fmt);
  const native = table === NATIVE;
  let size = 0n;
  let nvalues = 0n;
  for (let t = token(fmt, start, table); t !== null; t = token(fmt, t[2], table)) {
    const e = t[0];
    const num = BigInt(t[1]);
    if (e.kind === STR || e.kind === PSTR) nvalues++;
    else if (e.kind !== PAD) nvalues += num;
    const align = BigInt(e.align);
    if (native && align > 0n && size > 0n) {
      const extra = align - 1n - ((size - 1n) % align);
      if (extra > SSIZE_MAX - size) throw overflow();
      size += extra;
    }
    const itemsize = BigInt(e.size);
    if (num > (SSIZE_MAX - size) / itemsize) throw overflow();
    size += num * itemsize;
  }
  return {
    format: display,
    size: Number(size),
    sizeText: String(size),
    nvalues: Number(nvalues),
    nvaluesText: String(nvalues),
    items: [],
    zero: true,
    int1: null,
  };
}

/** PyUnicode_AsASCIIString's check: the format as ASCII, or UnicodeEncodeError. */
function asciiFormat(s: string): string {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 127) {
      const cps = [...s.slice(i)];
      let end = 0;
      while (end < cps.length && (cps[end] as string).codePointAt(0)! > 127) end++;
      throw new UnicodeEncodeError('ascii', s, i, i + end, 'ordinal not in range(128)');
    }
  }
  return s;
}

/** Struct.__init__: a str (ASCII) or bytes format. */
function structPlan(format: unknown): Plan {
  if (typeof format === 'string') return cached(asciiFormat(format), format);
  if (format instanceof Uint8Array) {
    const text = toBuffer(format).toString('latin1');
    return cached(text, text);
  }
  throw new TypeError(`Struct() argument 1 must be a str or bytes object, not ${pyTypeName(format)}`);
}

function cached(text: string, display: string): Plan {
  let plan = cache.get(text);
  if (plan === undefined) {
    plan = compile(text, display);
    if (cache.size >= MAXCACHE) cache.clear();
    cache.set(text, plan);
  }
  return plan;
}

/** cache_struct_converter: the module functions look the format up in a dict first. */
function planOf(format: unknown): Plan {
  const plan = cache.get(format as string);
  if (plan !== undefined) return plan;
  const t = pyTypeName(format);
  if (t === 'list' || t === 'dict' || t === 'set' || t === 'bytearray') {
    throw new TypeError(`unhashable type: '${t}'`);
  }
  if (t === 'memoryview') throw new ValueError('cannot hash writable memoryview object');
  return structPlan(format);
}

// ---------------------------------------------------------------------------
// Arguments

const SSIZE_MIN = -(2n ** 63n);

/**
 * An offset as a Py_ssize_t: a number, or a BigInt when beyond 2**53 (no
 * buffer reaches that far, so such an offset only ever ends in an error).
 * `overflow` builds the error for values beyond 64 bits.
 */
function ssize(v: unknown, overflow: () => Error): number | bigint {
  if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  const n = toInt(v);
  if (typeof n === 'number' && Number.isSafeInteger(n)) return n;
  const b = BigInt(n);
  if (b > SSIZE_MAX || b < SSIZE_MIN) throw overflow();
  return Number.isSafeInteger(Number(b)) ? Number(b) : b;
}

const indexOverflow = () => new IndexError("cannot fit 'int' into an index-sized integer");
const ssizeOverflow = () => new OverflowError('Python int too large to convert to C ssize_t');

/**
 * The start of a struct in a buffer of `len` bytes, for pack_into
 * (`verb` 'pack') and unpack_from ('unpack'), with CPython's checks and words.
 */
function place(plan: Plan, len: number, offset: number | bigint, verb: 'pack' | 'unpack'): number {
  if (typeof offset === 'number' && offset >= 0 && len - offset >= plan.size) return offset;
  const size = BigInt(plan.sizeText);
  let off = BigInt(offset);
  if (off < 0n) {
    if (off + size > 0n) {
      const what = verb === 'pack' ? 'no space to pack' : 'not enough data to unpack';
      throw new error(`${what} ${size} bytes at offset ${off}`);
    }
    if (off + BigInt(len) < 0n) throw new error(`offset ${off} out of range for ${len}-byte buffer`);
    off += BigInt(len);
  }
  if (BigInt(len) - off < size) {
    const func = verb === 'pack' ? 'pack_into' : 'unpack_from';
    throw new error(
      `${func} requires a buffer of at least ${size + off} bytes for ${verb}ing ${size} bytes at offset ${off} (actual buffer size is ${len})`,
    );
  }
  return Number(off);
}

// ---------------------------------------------------------------------------
// Packing

const f64 = new Float64Array(1);
const f32 = new Float32Array(f64.buffer, 0, 1);
const scratch = new Uint8Array(f64.buffer);

/** Copies n scratch bytes to buf at off in the wanted byte order. */
function putScratch(buf: Uint8Array, off: number, n: number, little: boolean): void {
  if (little === LITTLE_HOST) for (let k = 0; k < n; k++) buf[off + k] = scratch[k] as number;
  else for (let k = 0; k < n; k++) buf[off + n - 1 - k] = scratch[k] as number;
}

function getScratch(buf: Uint8Array, off: number, n: number, little: boolean): void {
  if (little === LITTLE_HOST) for (let k = 0; k < n; k++) scratch[k] = buf[off + k] as number;
  else for (let k = 0; k < n; k++) scratch[k] = buf[off + n - 1 - k] as number;
}

/** Stores an integer-valued number (|v| < 2**53) in two's complement. */
function putInt(buf: Uint8Array, off: number, v: number, size: number, little: boolean): void {
  switch (size) {
    case 1:
      buf[off] = v;
      return;
    case 2:
      if (little) {
        buf[off] = v;
        buf[off + 1] = v >> 8;
      } else {
        buf[off] = v >> 8;
        buf[off + 1] = v;
      }
      return;
    case 4:
      if (little) {
        buf[off] = v;
        buf[off + 1] = v >> 8;
        buf[off + 2] = v >> 16;
        buf[off + 3] = v >> 24;
      } else {
        buf[off] = v >> 24;
        buf[off + 1] = v >> 16;
        buf[off + 2] = v >> 8;
        buf[off + 3] = v;
      }
      return;
    default: {
      const hi = Math.floor(v / 4294967296);
      const lo = v - hi * 4294967296;
      putInt(buf, little ? off : off + 4, lo, 4, little);
      putInt(buf, little ? off + 4 : off, hi, 4, little);
    }
  }
}

/** Everything but a number in the fast range: CPython's checks, in its order. */
function putIntSlow(buf: Uint8Array, off: number, it: Item, v: unknown): void {
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isInteger(v)) n = BigInt(v);
  else if (typeof v === 'boolean') n = v ? 1n : 0n;
  else if (v instanceof IntEnumMember) n = BigInt(v.value);
  else throw new error('required argument is not an integer');
  const r = it.rule as IntRule;
  if (n < r.convLo || n > r.convHi) throw new error(r.convMsg);
  if (n < r.lo || n > r.hi) throw new error(r.rangeMsg);
  if (it.size < 8) {
    putInt(buf, off, Number(n), it.size, it.little);
    return;
  }
  const u = BigInt.asUintN(64, n);
  const lo = Number(u & 0xffffffffn);
  const hi = Number(u >> 32n);
  putInt(buf, it.little ? off : off + 4, lo, 4, it.little);
  putInt(buf, it.little ? off + 4 : off, hi, 4, it.little);
}

/** PyFloat_AsDouble, failing as struct's float packers do. */
function floatArg(v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof IntEnumMember) return v.value;
  if (typeof v === 'bigint') {
    const x = Number(v);
    if (Number.isFinite(x)) return x;
  }
  throw new error('required argument is not a float');
}

/** The OverflowError of PyFloat_Pack2/4, which pack rewords when the value was an int. */
function floatOverflow(v: unknown, code: string): Error {
  if (typeof v === 'bigint') return new error(TOO_LARGE);
  return new OverflowError(`float too large to pack with ${code} format`);
}

function signBit(x: number): number {
  f64[0] = x;
  return (scratch[LITTLE_HOST ? 7 : 0] as number) >> 7;
}

/** PyFloat_Pack2: IEEE half precision, rounding half to even, from the double. */
function toHalf(x: number, v: unknown): number {
  let sign = 0;
  let e = 0;
  let bits = 0;
  if (x === 0) {
    sign = Object.is(x, -0) ? 1 : 0;
  } else if (x === Number.POSITIVE_INFINITY || x === Number.NEGATIVE_INFINITY) {
    sign = x < 0 ? 1 : 0;
    e = 0x1f;
  } else if (Number.isNaN(x)) {
    sign = signBit(x);
    e = 0x1f;
    bits = 512;
  } else {
    if (x < 0) {
      sign = 1;
      x = -x;
    }
    if (x >= 65536) throw floatOverflow(v, 'e');
    let f = 0;
    if (x >= 2 ** -25) {
      // frexp, normalized to [1, 2).
      e = Math.floor(Math.log2(x));
      f = x / 2 ** e;
      if (f >= 2) {
        f /= 2;
        e++;
      } else if (f < 1) {
        f *= 2;
        e--;
      }
      if (e < -14) {
        f *= 2 ** (14 + e); // gradual underflow
        e = 0;
      } else {
        e += 15;
        f -= 1;
      }
    }
    f *= 1024;
    bits = Math.trunc(f);
    if (f - bits > 0.5 || (f - bits === 0.5 && bits % 2 === 1)) {
      bits++;
      if (bits === 1024) {
        bits = 0;
        e++;
        if (e === 31) throw floatOverflow(v, 'e');
      }
    }
  }
  return bits | (e << 10) | (sign << 15);
}

/**
 * -NaN as a double, for 'e' (PyFloat_Unpack2 keeps a NaN's sign). Made at
 * each call through the typed-array scratch, as 'd' reads its values: as a
 * module constant, TurboFan folded it into the plain NaN once unpack was
 * optimized, and the sign was lost after a few thousand calls.
 */
function negNaN(): number {
  f64[0] = Number.NaN;
  scratch[LITTLE_HOST ? 7 : 0] = 0xff;
  return f64[0] as number;
}

function fromHalf(h: number): number {
  const neg = (h & 0x8000) !== 0;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  let x: number;
  if (exp === 31) {
    if (mant !== 0) return neg ? negNaN() : Number.NaN;
    x = Number.POSITIVE_INFINITY;
  } else if (exp === 0) x = mant * 2 ** -24;
  else x = (1024 + mant) * 2 ** (exp - 25);
  return neg ? -x : x;
}

/** s_pack_internal: the values from values[first] on, into buf at base (zeroed if it must be). */
function packItems(plan: Plan, buf: Uint8Array, base: number, values: ArrayLike<unknown>, first: number): void {
  const items = plan.items;
  let vi = first;
  for (let k = 0; k < items.length; k++) {
    const it = items[k] as Item;
    let off = base + it.offset;
    switch (it.kind) {
      case INT: {
        const { size, little, fastLo, fastHi } = it;
        for (let r = it.count; r > 0; r--, off += size) {
          const v = values[vi++];
          if (typeof v === 'number' && v >= fastLo && v <= fastHi && Number.isInteger(v)) {
            putInt(buf, off, v, size, little);
          } else putIntSlow(buf, off, it, v);
        }
        break;
      }
      case STR:
      case PSTR: {
        const v = values[vi++];
        // bytes or bytearray (an ArrayBuffer), not other views (memoryview).
        let src: Uint8Array;
        if (v instanceof Uint8Array || v instanceof ArrayBuffer) src = toBytes(v);
        else throw new error(`argument for '${it.kind === STR ? 's' : 'p'}' must be a bytes object`);
        if (it.kind === STR) {
          buf.set(src.length > it.count ? src.subarray(0, it.count) : src, off);
        } else {
          // CPython writes the length byte even for '0p' (one byte past the field).
          const n = Math.min(src.length, it.count - 1);
          if (n > 0) buf.set(src.subarray(0, n), off + 1);
          if (off < buf.length) buf[off] = n < 0 ? 0xff : Math.min(n, 255);
        }
        break;
      }
      case CHAR:
        for (let r = it.count; r > 0; r--, off++) {
          const v = values[vi++];
          if (!(v instanceof Uint8Array) || v.length !== 1) {
            throw new error('char format requires a bytes object of length 1');
          }
          buf[off] = v[0] as number;
        }
        break;
      case BOOL:
        for (let r = it.count; r > 0; r--, off++) buf[off] = pyTruth(values[vi++]) ? 1 : 0;
        break;
      case DOUBLE:
        for (let r = it.count; r > 0; r--, off += 8) {
          f64[0] = floatArg(values[vi++]);
          putScratch(buf, off, 8, it.little);
        }
        break;
      case FLOAT:
      case NFLOAT:
        for (let r = it.count; r > 0; r--, off += 4) {
          const v = values[vi++];
          const x = floatArg(v);
          f32[0] = x;
          if (it.kind === FLOAT && !Number.isFinite(f32[0] as number) && Number.isFinite(x)) {
            throw floatOverflow(v, 'f');
          }
          putScratch(buf, off, 4, it.little);
        }
        break;
      case HALF:
        for (let r = it.count; r > 0; r--, off += 2) {
          const v = values[vi++];
          putInt(buf, off, toHalf(floatArg(v), v), 2, it.little);
        }
        break;
    }
  }
}

const MAX_BYTES = bufferConstants.MAX_LENGTH;

function countError(func: string, plan: Plan, got: number): error {
  return new error(`${func} expected ${plan.nvaluesText} items for packing (got ${got})`);
}

function packPlan(plan: Plan, values: unknown[]): Buffer {
  // The short path for one small integer (see Plan.int1). Keeping the
  // per-message call this small matters more than the microseconds: a
  // framed exchange is over in about a second, and TurboFan compiling the
  // general packItems into it took ~30 ms of that on a shared CPU.
  const it = plan.int1;
  if (it !== null && values.length === 1) {
    const v = values[0];
    if (typeof v === 'number' && v >= it.fastLo && v <= it.fastHi && Number.isInteger(v)) {
      const out = Buffer.allocUnsafe(it.size);
      putInt(out, 0, v, it.size, it.little);
      return out;
    }
  }
  if (values.length !== plan.nvalues) throw countError('pack', plan, values.length);
  // Pooled like Buffer.from; only formats with pad bytes or strings need zeroing.
  const out = plan.size <= 4096 ? Buffer.allocUnsafe(plan.size) : allocLarge(plan.size);
  if (plan.zero) out.fill(0);
  packItems(plan, out, 0, values, 0);
  return out;
}

/** What PyBytes_FromStringAndSize fails with when the memory is not there. */
function allocLarge(size: number): Buffer {
  if (size > MAX_BYTES) throw new MemoryError();
  try {
    return Buffer.allocUnsafe(size);
  } catch {
    throw new MemoryError();
  }
}

function packIntoPlan(plan: Plan, args: unknown[]): void {
  if (args.length !== plan.nvalues + 2) {
    if (args.length === 0) throw new error('pack_into expected buffer argument');
    if (args.length === 1) throw new error('pack_into expected offset argument');
    throw countError('pack_into', plan, args.length - 2);
  }
  const buf = toWritableBytes(args[0], 'argument');
  const off = place(plan, buf.length, ssize(args[1], indexOverflow), 'pack');
  buf.fill(0, off, off + plan.size);
  packItems(plan, buf, off, args, 2);
}

// ---------------------------------------------------------------------------
// Unpacking

function getInt(buf: Uint8Array, off: number, size: number, signed: boolean, little: boolean): number | bigint {
  switch (size) {
    case 1: {
      const b = buf[off] as number;
      return signed ? (b << 24) >> 24 : b;
    }
    case 2: {
      const v = little
        ? (buf[off] as number) | ((buf[off + 1] as number) << 8)
        : ((buf[off] as number) << 8) | (buf[off + 1] as number);
      return signed ? (v << 16) >> 16 : v;
    }
    case 4: {
      const v = little
        ? (buf[off] as number) |
          ((buf[off + 1] as number) << 8) |
          ((buf[off + 2] as number) << 16) |
          ((buf[off + 3] as number) << 24)
        : ((buf[off] as number) << 24) |
          ((buf[off + 1] as number) << 16) |
          ((buf[off + 2] as number) << 8) |
          (buf[off + 3] as number);
      return signed ? v : v >>> 0;
    }
    default: {
      const lo = getInt(buf, little ? off : off + 4, 4, false, little) as number;
      const hi = getInt(buf, little ? off + 4 : off, 4, signed, little) as number;
      const v = hi * 4294967296 + lo;
      if (hi >= -0x200000 && hi < 0x200000 && v >= Number.MIN_SAFE_INTEGER) return v;
      return (BigInt(hi) << 32n) + BigInt(lo);
    }
  }
}

/** s_unpack_internal: the values of one struct at buf[base]. */
function unpackItems(plan: Plan, buf: Uint8Array, base: number): unknown[] {
  // A tuple, as CPython's unpack returns, made at its size and filled in
  // place (lib/tuple.ts: as cheap as a plain array).
  const out = tupleOf(plan.nvalues);
  let vi = 0;
  const items = plan.items;
  for (let k = 0; k < items.length; k++) {
    const it = items[k] as Item;
    let off = base + it.offset;
    switch (it.kind) {
      case INT:
        for (let r = it.count; r > 0; r--, off += it.size) out[vi++] = getInt(buf, off, it.size, it.signed, it.little);
        break;
      case STR:
        out[vi++] = Buffer.from(buf.subarray(off, off + it.count));
        break;
      case PSTR: {
        let n = buf[off] ?? 0;
        if (n >= it.count) n = it.count - 1;
        if (n < 0) throw new SystemError('Negative size passed to PyBytes_FromStringAndSize');
        out[vi++] = Buffer.from(buf.subarray(off + 1, off + 1 + n));
        break;
      }
      case CHAR:
        for (let r = it.count; r > 0; r--, off++) out[vi++] = Buffer.from(buf.subarray(off, off + 1));
        break;
      case BOOL:
        for (let r = it.count; r > 0; r--, off++) out[vi++] = buf[off] !== 0;
        break;
      case DOUBLE:
        for (let r = it.count; r > 0; r--, off += 8) {
          getScratch(buf, off, 8, it.little);
          out[vi++] = f64[0];
        }
        break;
      case FLOAT:
      case NFLOAT:
        for (let r = it.count; r > 0; r--, off += 4) {
          getScratch(buf, off, 4, it.little);
          out[vi++] = f32[0];
        }
        break;
      case HALF:
        for (let r = it.count; r > 0; r--, off += 2)
          out[vi++] = fromHalf(getInt(buf, off, 2, false, it.little) as number);
        break;
    }
  }
  return out;
}

function unpackPlan(plan: Plan, buffer: unknown): unknown[] {
  // One small integer: its own short path, as in packPlan.
  const it = plan.int1;
  if (it !== null && buffer instanceof Uint8Array && buffer.length === it.size) {
    const out = tupleOf(1);
    out[0] = getInt(buffer, 0, it.size, it.signed, it.little);
    return out;
  }
  const bytes = toBytes(buffer);
  if (bytes.length !== plan.size) throw new error(`unpack requires a buffer of ${plan.sizeText} bytes`);
  return unpackItems(plan, bytes, 0);
}

function unpackFromPlan(plan: Plan, buffer: unknown, offset: unknown): unknown[] {
  const bytes = toBytes(buffer);
  const off = typeof offset === 'number' && (offset | 0) === offset ? offset : ssize(offset, ssizeOverflow);
  return unpackItems(plan, bytes, place(plan, bytes.length, off, 'unpack'));
}

let newIterator: (plan: Plan, buf: Uint8Array) => unpack_iterator;

/**
 * Argument Clinic's binding for unpack_from(buffer, offset=0) (after the
 * positional-only format when `before` is 1): positional values, then an
 * optional trailing object of keywords; CPython's messages for misuse.
 */
function unpackFromArgs(args: unknown[], before: number): [unknown, unknown] {
  const names = ['buffer', 'offset'];
  let pos = args;
  let kw: Record<string, unknown> = {};
  // A buffer is never a plain object, so a trailing one is keywords, even alone: unpack_from(fmt, { buffer }).
  if (args.length > 0 && isKwargs(args[args.length - 1])) {
    kw = args[args.length - 1] as Record<string, unknown>;
    pos = args.slice(0, -1);
  }
  const keys = Object.keys(kw);
  const total = before + pos.length + keys.length;
  if (total > before + 2) throw new TypeError(`unpack_from() takes at most ${before + 2} arguments (${total} given)`);
  if (pos.length === 0 && !('buffer' in kw)) {
    throw new TypeError(`unpack_from() missing required argument 'buffer' (pos ${before + 1})`);
  }
  for (const k of keys) {
    const i = names.indexOf(k);
    if (i >= 0 && i < pos.length) {
      throw new TypeError(`argument for unpack_from() given by name ('${k}') and position (${before + i + 1})`);
    }
  }
  for (const k of keys) {
    if (!names.includes(k)) throw new TypeError(`'${k}' is an invalid keyword argument for unpack_from()`);
  }
  // An explicit undefined by position is None, a TypeError as in CPython (docs/errors.md); a keyword left undefined is not given.
  const offset = pos.length > 1 ? pos[1] : kw.offset === undefined ? 0 : kw.offset;
  return [pos.length > 0 ? pos[0] : kw.buffer, offset];
}

/** The iterator struct.iter_unpack returns (CPython's unpack_iterator). */
/** What only iter_unpack passes to unpack_iterator's constructor: a program cannot make one, as in CPython. */
const CREATE: unique symbol = Symbol('unpack_iterator');

class unpack_iterator<T = unknown> implements IterableIterator<T[]> {
  #plan!: Plan;
  #buf!: Uint8Array;
  #len = 0;
  #index = 0;

  private constructor(token?: typeof CREATE) {
    // CPython 3.11's words, typo included.
    if (token !== CREATE) throw new TypeError("Cannot create 'unpack_iterator objects");
  }

  static {
    newIterator = (plan, buf) => {
      const it = new unpack_iterator(CREATE);
      it.#plan = plan;
      it.#buf = buf;
      it.#len = buf.length;
      return it;
    };
  }

  next(): IteratorResult<T[]> {
    if (this.#index >= this.#len) return { done: true, value: undefined };
    const values = unpackItems(this.#plan, this.#buf, this.#index);
    this.#index += this.#plan.size;
    return { done: false, value: values as T[] };
  }

  [Symbol.iterator](): this {
    return this;
  }

  /** How many structs are left. */
  __length_hint__(...args: unknown[]): number {
    if (args.length !== 0) throw arityError('unpack_iterator.__length_hint__', 0, args.length);
    return (this.#len - this.#index) / this.#plan.size;
  }
}

function iterUnpackPlan(plan: Plan, buffer: unknown): unpack_iterator {
  if (plan.size === 0) throw new error('cannot iteratively unpack with a struct of length 0');
  const bytes = toBytes(buffer);
  if (bytes.length % plan.size !== 0) {
    throw new error(`iterative unpacking requires a buffer of a multiple of ${plan.sizeText} bytes`);
  }
  return newIterator(plan, bytes);
}

// ---------------------------------------------------------------------------
// The module's functions

/** struct._clearcache(): forget the compiled formats. */
export function _clearcache(...args: unknown[]): void {
  if (args.length !== 0) throw arityError('_struct._clearcache', 0, args.length);
  cache.clear();
}

/** struct.calcsize(format). Sizes past 2**53 (no buffer holds them) are rounded to a double. */
export function calcsize(format: Format): number;
export function calcsize(...args: unknown[]): number {
  if (args.length !== 1) throw arityError('_struct.calcsize', 1, args.length);
  return planOf(args[0]).size;
}

/** struct.pack(format, v1, v2, ...) */
export function pack(format: Format, ...values: unknown[]): Buffer {
  let plan = cache.get(format as string);
  if (plan === undefined) {
    if (format === undefined && values.length === 0) throw new TypeError('missing format argument');
    plan = planOf(format);
  }
  return packPlan(plan, values);
}

/** struct.pack_into(format, buffer, offset, v1, v2, ...) */
export function pack_into(format: Format, buffer: BytesLike, offset: number | bigint, ...values: unknown[]): void;
export function pack_into(format: Format, ...args: unknown[]): void {
  if (format === undefined && args.length === 0) throw new TypeError('missing format argument');
  packIntoPlan(planOf(format), args);
}

/** struct.unpack(format, buffer): the buffer must be exactly calcsize(format) bytes. */
export function unpack<F extends Format>(format: F, buffer: BytesLike): Unpacked<F>[];
export function unpack(...args: unknown[]): unknown[] {
  if (args.length !== 2) throw arityError('unpack', 2, args.length);
  const plan = planOf(args[0]);
  return unpackPlan(plan, args[1]);
}

/** struct.unpack_from(format, buffer, offset=0), keywords as a trailing object. */
export function unpack_from<F extends Format>(format: F, buffer: BytesLike, offset?: number | bigint): Unpacked<F>[];
export function unpack_from<F extends Format>(
  format: F,
  buffer: BytesLike,
  kwargs: { offset?: number | bigint },
): Unpacked<F>[];
export function unpack_from(format: Format, ...args: unknown[]): unknown[] {
  const n = args.length;
  // The format is positional-only: nothing, or only keywords, is no format.
  if (n === 0 && (format === undefined || isKwargs(format))) {
    throw new TypeError('unpack_from() takes at least 1 positional argument (0 given)');
  }
  if ((n === 2 && typeof args[1] === 'number') || (n === 1 && args[0] instanceof Uint8Array)) {
    return unpackFromPlan(planOf(format), args[0], n === 2 ? args[1] : 0);
  }
  const [buffer, offset] = unpackFromArgs(args, 1);
  return unpackFromPlan(planOf(format), buffer, offset);
}

/** struct.iter_unpack(format, buffer): an iterator of arrays, one per struct. */
export function iter_unpack<F extends Format>(format: F, buffer: BytesLike): unpack_iterator<Unpacked<F>>;
export function iter_unpack(...args: unknown[]): unpack_iterator {
  if (args.length !== 2) throw arityError('iter_unpack', 2, args.length);
  return iterUnpackPlan(planOf(args[0]), args[1]);
}

const STRUCT_ARGS = signature('clinic', 'Struct', ['format']);

/** struct.Struct(format): a compiled format. */
/** Struct<V>: V is the type of each value unpack returns (the exported Struct reads it from the format). */
class Struct<V = unknown> {
  #plan: Plan;

  constructor(format: Format);
  constructor(...args: unknown[]) {
    // Struct(format) or Struct({ format }), Argument Clinic's binding.
    this.#plan = structPlan(bind(STRUCT_ARGS, args).format);
  }

  // Read-only as in CPython (an assignment would leave size wrong and pack unchanged).
  /** The format as a str. */
  get format(): string {
    return this.#plan.format;
  }
  set format(_v: string) {
    throw new TypeError("attribute 'format' of '_struct.Struct' objects is not writable");
  }
  /** calcsize(format). */
  get size(): number {
    return this.#plan.size;
  }
  set size(_v: number) {
    throw new TypeError("attribute 'size' of '_struct.Struct' objects is not writable");
  }

  pack(...values: unknown[]): Buffer {
    return packPlan(this.#plan, values);
  }

  pack_into(buffer: BytesLike, offset: number | bigint, ...values: unknown[]): void;
  pack_into(...args: unknown[]): void {
    packIntoPlan(this.#plan, args);
  }

  unpack(buffer: BytesLike): V[];
  unpack(...args: unknown[]): unknown[] {
    if (args.length !== 1) throw arityError('Struct.unpack', 1, args.length);
    return unpackPlan(this.#plan, args[0]);
  }

  unpack_from(buffer: BytesLike, offset?: number | bigint): V[];
  unpack_from(buffer: BytesLike, kwargs: { offset?: number | bigint }): V[];
  unpack_from(...args: unknown[]): unknown[] {
    const n = args.length;
    if ((n === 2 && typeof args[1] === 'number') || (n === 1 && args[0] instanceof Uint8Array)) {
      return unpackFromPlan(this.#plan, args[0], n === 2 ? args[1] : 0);
    }
    const [buffer, offset] = unpackFromArgs(args, 0);
    return unpackFromPlan(this.#plan, buffer, offset);
  }

  iter_unpack(buffer: BytesLike): unpack_iterator<V>;
  iter_unpack(...args: unknown[]): unpack_iterator {
    if (args.length !== 1) {
      throw arityError('Struct.iter_unpack', 1, args.length);
    }
    return iterUnpackPlan(this.#plan, args[0]);
  }
}

// struct.Struct and struct.error as pyclass twins (lib/pyclass.ts): callable without new.
/** The exported Struct's type: generic in its format, so unpack's result type follows it. */
interface StructClass {
  new <F extends Format = Format>(format: F): Struct<Unpacked<F>>;
  new <F extends Format = Format>(kwargs: { format: F }): Struct<Unpacked<F>>;
  <F extends Format = Format>(format: F): Struct<Unpacked<F>>;
  <F extends Format = Format>(kwargs: { format: F }): Struct<Unpacked<F>>;
  readonly prototype: Struct;
}
const Struct_ = pyclass(Struct) as unknown as StructClass;
type Struct_<V = unknown> = Struct<V>;
const error_ = pyclass(error);
type error_ = error;

/**
 * unpack_iterator, for instanceof and its type: made only by iter_unpack;
 * calling or constructing it is CPython's TypeError.
 */
const unpack_iterator_ = pyclass(
  unpack_iterator as unknown as new () => unpack_iterator,
) as unknown as (abstract new () => unpack_iterator) & { readonly prototype: unpack_iterator };
type unpack_iterator_<T = unknown> = unpack_iterator<T>;

export { error_ as error, Struct_ as Struct, unpack_iterator_ as unpack_iterator };
