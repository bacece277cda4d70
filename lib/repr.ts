// Python's repr() and str() of the JS values that stand for Python ones: one
// place for the rules, used by error messages (errors.ts) and by builtins'
// print/repr/str. What stands for what is docs/builtins.md's table: strings
// are str, any Uint8Array is bytes, null and undefined are
// None, arrays are lists (tuples when marked by lib/tuple.ts), Maps and plain
// objects are dicts, Sets are sets, errors are exceptions.
import { Buffer } from 'node:buffer';
import { isDetached } from './detached.js';
import { isTuple } from './tuple.js';

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
  // A detached buffer is a released memoryview (detached.ts).
  if ((ArrayBuffer.isView(v) || v instanceof ArrayBuffer) && isDetached(v)) return 'memoryview';
  if (Buffer.isBuffer(v) || v instanceof Uint8Array) return 'bytes';
  if (ArrayBuffer.isView(v)) return 'memoryview';
  if (v instanceof ArrayBuffer) return 'bytearray';
  if (v instanceof Map) return 'dict';
  if (v instanceof Set) return 'set';
  const proto = Object.getPrototypeOf(v);
  if (proto === Object.prototype || proto === null) return 'dict';
  return (v as object).constructor?.name ?? 'object';
}

/** The characters repr() escapes in a str: Python's non-printable categories (see pyRepr). */
const HIDDEN = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

/**
 * Python's repr() of a str or of bytes (a Uint8Array): single quotes unless
 * the text holds one and no double quote. A str keeps the characters
 * str.isprintable() accepts and escapes the rest (\xNN, \uNNNN,
 * \UNNNNNNNN); bytes keep printable ASCII and escape every other byte as
 * \xNN. Python's non-printable categories are Cc, Cf, Cs, Co, Cn, Zl, Zp and
 * Zs but ' ' (Node's Unicode tables may be a version newer than 3.11's).
 */
export function pyRepr(s: string | Uint8Array): string {
  const bytes = typeof s !== 'string';
  const text = bytes ? Buffer.from(s.buffer, s.byteOffset, s.byteLength).toString('latin1') : s;
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0) as number;
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c >= 0x20 && c < 0x7f) out += ch;
    else if (!bytes && c > 0x7f && !HIDDEN.test(ch)) out += ch;
    else out += escapeCodePoint(c);
  }
  return (bytes ? 'b' : '') + quote + out + quote;
}

/** Python's \xNN / \uNNNN / \UNNNNNNNN escape of one code point, as repr() and codec errors write it. */
export function escapeCodePoint(c: number): string {
  if (c <= 0xff) return `\\x${c.toString(16).padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${c.toString(16).padStart(4, '0')}`;
  return `\\U${c.toString(16).padStart(8, '0')}`;
}

/**
 * repr(float): the shortest digits that read back as the same number (what
 * JS prints too), in exponent form when the exponent is below -4 or at
 * least 16, as Python writes it: 1e-05, 0.0001, 1e+16, 1.0, nan, inf.
 */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa = '', expText = ''] = x.toExponential().split('e');
  const sign = mantissa.startsWith('-') ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  const exp = Number(expText);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  return `${sign}${digits.slice(0, exp + 1).padEnd(exp + 1, '0')}.${digits.slice(exp + 1) || '0'}`;
}

/**
 * str() of a JS number as Python would print it. JS cannot tell 1 from 1.0:
 * a safe integer prints as a Python int ('1'), anything else as a float
 * ('0.5', '1e-05', '1e+16', and '-0.0', which no int is).
 */
export function pyNumStr(v: number): string {
  return Number.isSafeInteger(v) && !Object.is(v, -0) ? String(v) : pyFloatRepr(v);
}

/** The arguments an exception was made with, as BaseException.args keeps them. */
function exceptionArgs(e: Error): readonly unknown[] {
  const args = (e as { args?: unknown }).args;
  if (Array.isArray(args)) return args;
  // A JS error (TypeError, RangeError) keeps only its message.
  return e.message === '' ? [] : [e.message];
}

/** The Python class name of an exception: its class's name (OSError(2, ...) is a FileNotFoundError). */
function exceptionName(e: Error): string {
  const ctor = (e as { constructor?: { name?: unknown } }).constructor;
  return typeof ctor?.name === 'string' && ctor.name !== '' ? ctor.name : e.name;
}

function isPlainObject(v: object): boolean {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

function pairsRepr(pairs: Iterable<[unknown, unknown]>): string {
  const parts: string[] = [];
  for (const [k, x] of pairs) parts.push(`${pyValueRepr(k)}: ${pyValueRepr(x)}`);
  return `{${parts.join(', ')}}`;
}

/** The containers being printed: one met again inside itself prints as `[...]`, as CPython's Py_ReprEnter does. */
const active = new Set<object>();

function containerRepr(v: object): string {
  const tuple = isTuple(v);
  if (active.has(v)) return Array.isArray(v) ? (tuple ? '(...)' : '[...]') : '{...}';
  active.add(v);
  try {
    if (Array.isArray(v)) {
      const items = Array.from(v, pyValueRepr); // a hole is None
      if (!tuple) return `[${items.join(', ')}]`;
      return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    }
    if (v instanceof Map) return pairsRepr(v);
    if (v instanceof Set) return v.size === 0 ? 'set()' : `{${[...v].map(pyValueRepr).join(', ')}}`;
    return pairsRepr(Object.entries(v));
  } finally {
    active.delete(v);
  }
}

/**
 * Python's repr() of the JS values that stand for Python ones: str and bytes
 * (pyRepr), None, bools, ints and floats (pyNumStr), lists, tuples (arrays
 * marked by tuple()), dicts (Map or a plain object), sets, exceptions
 * (`FileNotFoundError(2, 'No such file or directory')`), and anything with
 * its own `__repr__()` or `repr()` (a signal.Signals member) or its own
 * toString (the io classes print as CPython's reprs do).
 */
export function pyValueRepr(v: unknown): string {
  if (typeof v === 'string') return pyRepr(v);
  // CPython prints a released memoryview as <released memory at 0x...>.
  if (ArrayBuffer.isView(v) && v.byteLength === 0 && isDetached(v)) return '<released memory>';
  if (v instanceof Uint8Array) return pyRepr(v);
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return pyNumStr(v);
  if (typeof v === 'function') return `<function ${v.name || '<anonymous>'}>`;
  if (typeof v !== 'object') return String(v);
  const own = (v as { __repr__?: unknown; repr?: unknown }).__repr__ ?? (v as { repr?: unknown }).repr;
  if (typeof own === 'function') return String(own.call(v));
  if (Array.isArray(v) || v instanceof Map || v instanceof Set || isPlainObject(v)) return containerRepr(v);
  if (v instanceof Error) {
    const args = exceptionArgs(v);
    const inner = args.length === 1 ? pyValueRepr(args[0]) : args.map(pyValueRepr).join(', ');
    return `${exceptionName(v)}(${inner})`;
  }
  if (v.toString === Object.prototype.toString) return `<${v.constructor?.name ?? 'object'} object>`;
  return String(v);
}

/**
 * Python's str(v), which print() and "%s" use: a str as it is, an exception
 * its message (what str(e) is in Python; pipefork's errors build it as
 * CPython does), an object with its own `__str__()` that, anything else
 * (True, bytes, a list) its repr.
 */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v !== null && typeof v === 'object') {
    const own = (v as { __str__?: unknown }).__str__;
    if (typeof own === 'function') return String(own.call(v));
    if (v instanceof Error) return v.message;
  }
  return pyValueRepr(v);
}
