import { isKwargs, pyList, pyTypeName, toBuffer, toBytes, toCInt } from './convert.js';
import { isDetached } from './detached.js';
import { EOFError, OverflowError, RuntimeError, ValueError } from './errors.js';
import { lookupCodec } from './io/codecs.js';
import { pyRepr, pyStr, pyValueRepr } from './repr.js';
import * as sys from './sys.js';
import { isTuple, tuple as markTuple } from './tuple.js';

export { isTuple };

/** What print() writes to: a file object, or anything with write() (a Node stream too). */
export interface PrintFile {
  write(s: string): unknown;
  flush?(): unknown;
}

/** print()'s keyword arguments. */
export interface PrintOptions {
  sep?: string | null;
  end?: string | null;
  file?: PrintFile | null;
  flush?: boolean;
}

const PRINT_KEYWORDS = ['sep', 'end', 'file', 'flush'];

/**
 * Whether print()'s last argument is its keywords: a plain object whose
 * keys are all print's keywords (at least one). Any other plain object is a
 * dict to print, so print({}) prints {} as in Python.
 */
function isPrintOptions(v: unknown): v is PrintOptions {
  if (!isKwargs(v)) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => PRINT_KEYWORDS.includes(k));
}

function separator(v: unknown, name: 'sep' | 'end', dflt: string): string {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'string') throw new TypeError(`${name} must be None or a string, not ${pyTypeName(v)}`);
  return v;
}

/**
 * print(*objects, sep=' ', end='\n', file=None, flush=False), keywords in a
 * trailing object: `print('a', 1, { sep: '' })`. Each object is written as
 * str() makes it (b'abc' for bytes, [1, 2] for a list, None, True, 0.5),
 * separated by sep and followed by end, to sys.stdout unless file says
 * otherwise; nothing happens when that is null, as with sys.stdout None.
 */
export function print(...args: unknown[]): void {
  const last = args[args.length - 1];
  const kw: PrintOptions = isPrintOptions(last) ? last : {};
  const values = isPrintOptions(last) ? args.slice(0, -1) : args;
  const sep = separator(kw.sep, 'sep', ' ');
  const end = separator(kw.end, 'end', '\n');
  const file = (kw.file ?? sys.stdout) as PrintFile | null | undefined;
  if (file === null || file === undefined || !sys._stdioValid(file)) return;
  if (typeof file.write !== 'function') {
    throw new TypeError(`'${pyTypeName(file)}' object has no attribute 'write'`);
  }
  // One write per piece, as CPython's print calls file.write.
  values.forEach((v, i) => {
    if (i > 0) file.write(sep);
    file.write(pyStr(v));
  });
  file.write(end);
  if (kw.flush) file.flush?.();
}

/**
 * input(prompt=None): writes the prompt to sys.stdout, flushes it, and
 * returns one line of sys.stdin without its newline; EOFError at end of
 * input. As CPython does when stdin is not a terminal (pipefork never uses
 * GNU readline, so on a terminal the line is edited by the terminal only).
 */
export function input(prompt?: unknown): string;
export function input(...args: unknown[]): string {
  if (args.length > 1) throw new TypeError(`input expected at most 1 argument, got ${args.length}`);
  const fin = sys.stdin as { readline?(): unknown } | null;
  const fout = sys.stdout as PrintFile | null;
  const ferr = sys.stderr as PrintFile | null;
  if (fin === null || fin === undefined) throw new RuntimeError('input(): lost sys.stdin');
  if (fout === null || fout === undefined) throw new RuntimeError('input(): lost sys.stdout');
  if (ferr === null || ferr === undefined) throw new RuntimeError('input(): lost sys.stderr');
  try {
    ferr.flush?.();
  } catch {
    // CPython ignores a failure to flush stderr here.
  }
  if (args.length > 0 && args[0] !== undefined) fout.write(pyStr(args[0]));
  try {
    fout.flush?.();
  } catch {
    // and to flush stdout.
  }
  const line = (fin.readline as () => unknown).call(fin);
  if (typeof line !== 'string') throw new TypeError('object.readline() returned non-string');
  if (line.length === 0) throw new EOFError('EOF when reading a line');
  return line.endsWith('\n') ? line.slice(0, -1) : line;
}

/** repr(object): Python's repr() of a value pipefork returns: "b'abc'", "(3, 4)", "None". */
export function repr(obj: unknown): string;
export function repr(...args: unknown[]): string {
  if (args.length !== 1) throw new TypeError(`repr() takes exactly one argument (${args.length} given)`);
  return pyValueRepr(args[0]);
}

/**
 * str(object='') as print() shows it, or str(bytes, encoding, errors='strict')
 * decoding bytes as Python does: `str(data, 'utf-8')`.
 */
export function str(object?: unknown, encoding?: string, errors?: string): string;
export function str(...args: unknown[]): string {
  if (args.length > 3) throw new TypeError(`str() takes at most 3 arguments (${args.length} given)`);
  if (args.length === 0) return '';
  const [obj, encoding, errors] = args;
  if (args.length === 1) return pyStr(obj);
  if (typeof encoding !== 'string') {
    throw new TypeError(`str() argument 'encoding' must be str, not ${pyTypeName(encoding)}`);
  }
  if (errors !== undefined && typeof errors !== 'string') {
    throw new TypeError(`str() argument 'errors' must be str, not ${pyTypeName(errors)}`);
  }
  if (typeof obj === 'string') throw new TypeError('decoding str is not supported');
  // A detached buffer is a released memoryview, which CPython cannot decode either.
  if ((!ArrayBuffer.isView(obj) && !(obj instanceof ArrayBuffer)) || isDetached(obj)) {
    throw new TypeError(`decoding to str: need a bytes-like object, ${pyTypeName(obj)} found`);
  }
  const bytes = toBytes(obj);
  return lookupCodec(encoding)
    .decoder(errors ?? 'strict')
    .decode(bytes, true);
}

/** tuple(iterable=()): a Python tuple of the items (an Array of class Tuple, lib/tuple.ts), so print() shows (1, 2); a tuple itself as it is. */
export function tuple<T>(iterable: Iterable<T> = []): T[] {
  if (isTuple(iterable)) return iterable as T[];
  return markTuple(pyList(iterable) as T[]);
}

/** The digits of an int literal in base (2-36) as Python reads them: '_' only between digits. */
function parseDigits(digits: string, base: number): bigint | null {
  if (digits === '' || digits.startsWith('_') || digits.endsWith('_') || digits.includes('__')) return null;
  let n = 0n;
  const b = BigInt(base);
  for (const ch of digits) {
    if (ch === '_') continue;
    const d = Number.parseInt(ch, 36);
    if (Number.isNaN(d) || d >= base) return null;
    n = n * b + BigInt(d);
  }
  return n;
}

const PREFIX: Record<string, number> = { '0x': 16, '0o': 8, '0b': 2 };

/** int(str, base) as CPython parses it (ASCII digits; Python also takes other scripts' decimal digits). */
function parseIntLiteral(text: string, base: number): bigint | null {
  let t = text.trim();
  let sign = 1n;
  if (t.startsWith('+') || t.startsWith('-')) {
    if (t.startsWith('-')) sign = -1n;
    t = t.slice(1);
  }
  const prefix = PREFIX[t.slice(0, 2).toLowerCase()];
  if (prefix !== undefined && (base === 0 || base === prefix)) {
    // An underscore may follow the prefix: 0x_ff.
    const rest = t.slice(2);
    const n = parseDigits(rest.startsWith('_') ? rest.slice(1) : rest, prefix);
    return n === null ? null : sign * n;
  }
  if (base === 0) {
    // A decimal literal may not start with 0 unless it is all zeros (010 is an error, 0_0 is 0).
    const n = parseDigits(t, 10);
    if (n === null || (n !== 0n && t.startsWith('0'))) return null;
    return sign * n;
  }
  const n = parseDigits(t, base);
  return n === null ? null : sign * n;
}

/** A Python int as pipefork returns one: a number when it is exact as one, else a BigInt. */
function pyInt(n: bigint): number {
  const safe = n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER);
  return (safe ? Number(n) : n) as number;
}

/**
 * int(x=0, base=10), for `int(sys.argv[1])`: a str or bytes literal as
 * Python reads it (spaces around, a sign, '_' between digits, 0x/0o/0b with
 * base 16/8/2 or 0), a number truncated toward zero, a bool. The type says
 * number, as ports use it for fds, pids and counts; a result beyond 2**53
 * is a BigInt, as every Python int that large is in pipefork.
 */
export function int(x?: string | number | bigint | boolean | Uint8Array, base?: number | { base?: number }): number;
export function int(...args: unknown[]): number {
  const last = args[args.length - 1];
  let baseArg: unknown;
  if (args.length > 0 && isKwargs(last)) {
    for (const k of Object.keys(last)) {
      if (k !== 'base') throw new TypeError(`'${k}' is an invalid keyword argument for int()`);
    }
    baseArg = last.base;
    args = args.slice(0, -1);
  }
  if (args.length > 2) throw new TypeError(`int() takes at most 2 arguments (${args.length} given)`);
  if (args.length === 2) baseArg = args[1];
  const x = args.length === 0 ? 0 : args[0];
  if (baseArg === undefined) {
    if (typeof x === 'bigint') return x as unknown as number;
    if (typeof x === 'boolean') return x ? 1 : 0;
    if (typeof x === 'number') {
      if (Number.isNaN(x)) throw new ValueError('cannot convert float NaN to integer');
      if (!Number.isFinite(x)) throw new OverflowError('cannot convert float infinity to integer');
      return pyInt(BigInt(Math.trunc(x)));
    }
  }
  const base = baseArg === undefined ? 10 : toCInt(baseArg);
  let text: string;
  if (typeof x === 'string') text = x;
  else if (x instanceof Uint8Array && !isDetached(x)) text = toBuffer(x).toString('latin1');
  else if (baseArg !== undefined) throw new TypeError("int() can't convert non-string with explicit base");
  else {
    throw new TypeError(
      `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(x)}'`,
    );
  }
  if (base !== 0 && (base < 2 || base > 36)) throw new ValueError('int() base must be >= 2 and <= 36, or 0');
  const n = parseIntLiteral(text, base);
  if (n === null) {
    const shown = typeof x === 'string' ? pyRepr(x) : pyRepr(x as Uint8Array);
    throw new ValueError(`invalid literal for int() with base ${base}: ${shown}`);
  }
  return pyInt(n);
}
