// The text the unpickler decodes: UTF-8 with surrogatepass (BINUNICODE),
// raw-unicode-escape (protocol 0's UNICODE), bytes escapes (Python 2's
// STRING), and the numbers of the text opcodes (INT, LONG, FLOAT, GET, PUT),
// each parsed as CPython's C code parses it (strtol, PyLong_FromString,
// PyOS_string_to_double), with CPython's messages. Every error is an
// UnpicklingError carrying CPython's message.
import { Buffer } from 'node:buffer';
import { pyRepr, UnicodeDecodeError } from '../errors.js';
import { UnpicklingError } from './common.js';
import { INT_MAX_STR_DIGITS } from './dumps.js';

/** A CPython UnicodeDecodeError's message, as an UnpicklingError. */
function decodeError(encoding: string, buf: Buffer, start: number, end: number, reason: string): UnpicklingError {
  return new UnpicklingError(new UnicodeDecodeError(encoding, buf, start, end, reason).message);
}

/** PyUnicode_DecodeUTF8(s, size, "surrogatepass"). */
export function decodeUtf8(buf: Buffer, start: number, end: number): string {
  if (end - start <= 16) {
    // Short (keys, names): a JS loop beats the native call.
    let s = '';
    for (let i = start; i < end; i++) {
      const c = buf[i] as number;
      if (c >= 0x80) return decodeUtf8Native(buf, start, end);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decodeUtf8Native(buf, start, end);
}

function decodeUtf8Native(buf: Buffer, start: number, end: number): string {
  const s = buf.toString('utf8', start, end);
  // Node replaces what is not UTF-8 (and surrogates) with U+FFFD; CPython
  // keeps surrogates and raises for the rest. Only then is the slow path taken.
  return s.includes('\uFFFD') ? decodeUtf8Strict(buf, start, end) : s;
}

const isCont = (b: number | undefined) => b !== undefined && (b & 0xc0) === 0x80;

/** The UTF-8 decoder byte by byte: CPython's errors and positions, surrogates passed. */
function decodeUtf8Strict(buf: Buffer, start: number, end: number): string {
  const units: number[] = [];
  let out = '';
  const fail = (i: number, j: number, reason: string) =>
    decodeError('utf-8', buf.subarray(start, end), i - start, j - start, reason);
  for (let i = start; i < end; ) {
    const c = buf[i] as number;
    let cp: number;
    if (c < 0x80) {
      cp = c;
      i += 1;
    } else if (c < 0xc2 || c > 0xf4) {
      throw fail(i, i + 1, 'invalid start byte');
    } else if (c < 0xe0) {
      if (i + 1 >= end) throw fail(i, end, 'unexpected end of data');
      if (!isCont(buf[i + 1])) throw fail(i, i + 1, 'invalid continuation byte');
      cp = ((c & 0x1f) << 6) | ((buf[i + 1] as number) & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      const b1 = buf[i + 1];
      if (c === 0xed && b1 !== undefined && i + 1 < end && b1 >= 0xa0 && b1 <= 0xbf) {
        // A surrogate: strict UTF-8 refuses it at the first byte; surrogatepass takes three good bytes.
        if (i + 2 >= end || !isCont(buf[i + 2])) throw fail(i, i + 1, 'invalid continuation byte');
      } else {
        const lo = c === 0xe0 ? 0xa0 : 0x80;
        if (i + 1 >= end) throw fail(i, end, 'unexpected end of data');
        if (b1 === undefined || b1 < lo || b1 > 0xbf) throw fail(i, i + 1, 'invalid continuation byte');
        if (i + 2 >= end) throw fail(i, end, 'unexpected end of data');
        if (!isCont(buf[i + 2])) throw fail(i, i + 2, 'invalid continuation byte');
      }
      cp = ((c & 0x0f) << 12) | (((b1 as number) & 0x3f) << 6) | ((buf[i + 2] as number) & 0x3f);
      i += 3;
    } else {
      const b1 = buf[i + 1];
      const lo = c === 0xf0 ? 0x90 : 0x80;
      const hi = c === 0xf4 ? 0x8f : 0xbf;
      if (i + 1 >= end) throw fail(i, end, 'unexpected end of data');
      if (b1 === undefined || b1 < lo || b1 > hi) throw fail(i, i + 1, 'invalid continuation byte');
      if (i + 2 >= end) throw fail(i, end, 'unexpected end of data');
      if (!isCont(buf[i + 2])) throw fail(i, i + 2, 'invalid continuation byte');
      if (i + 3 >= end) throw fail(i, end, 'unexpected end of data');
      if (!isCont(buf[i + 3])) throw fail(i, i + 3, 'invalid continuation byte');
      cp =
        ((c & 0x07) << 18) |
        ((b1 & 0x3f) << 12) |
        (((buf[i + 2] as number) & 0x3f) << 6) |
        ((buf[i + 3] as number) & 0x3f);
      i += 4;
    }
    if (cp > 0xffff) {
      cp -= 0x10000;
      units.push(0xd800 + (cp >> 10), 0xdc00 + (cp & 0x3ff));
    } else units.push(cp);
    if (units.length > 4096) out += String.fromCharCode(...units.splice(0));
  }
  return out + String.fromCharCode(...units);
}

/** Python 2's str (STRING, BINSTRING, SHORT_BINSTRING) decoded with the unpickler's encoding. */
export function decodeLegacyStr(buf: Buffer, encoding: string): string | Buffer {
  switch (encoding) {
    case 'bytes':
      return buf;
    case 'latin1':
      return buf.toString('latin1');
    case 'utf-8':
      return decodeUtf8(buf, 0, buf.length);
    default: {
      const bad = buf.findIndex((b) => b >= 0x80);
      if (bad !== -1) throw decodeError('ascii', buf, bad, bad + 1, 'ordinal not in range(128)');
      return buf.toString('latin1');
    }
  }
}

const hexValue = (c: number): number =>
  c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1;

/** raw-unicode-escape decoding (UNICODE): latin-1 bytes, \uXXXX and \UXXXXXXXX. */
export function decodeRawUnicodeEscape(buf: Buffer, start: number, end: number): string {
  let out = '';
  let from = start;
  for (let i = start; i < end; ) {
    if (buf[i] !== 0x5c || i + 1 >= end) {
      i++;
      continue;
    }
    const kind = buf[i + 1];
    if (kind !== 0x75 && kind !== 0x55) {
      i += 2; // a backslash and what follows it stay as they are
      continue;
    }
    out += buf.toString('latin1', from, i);
    const count = kind === 0x75 ? 4 : 8;
    let cp = 0;
    let j = i + 2;
    for (; j < i + 2 + count; j++) {
      const d = j < end ? hexValue(buf[j] as number) : -1;
      if (d < 0) {
        const what = count === 4 ? 'truncated \\uXXXX escape' : 'truncated \\UXXXXXXXX escape';
        throw decodeError('rawunicodeescape', buf.subarray(start, end), i - start, j - start, what);
      }
      cp = cp * 16 + d;
    }
    if (cp > 0x10ffff) {
      throw decodeError('rawunicodeescape', buf.subarray(start, end), i - start, j - start, '\\Uxxxxxxxx out of range');
    }
    out += String.fromCodePoint(cp);
    i = from = j;
  }
  return out + buf.toString('latin1', from, end);
}

/** PyBytes_DecodeEscape: the escapes of a bytes literal (STRING's quoted text). */
export function decodeEscape(src: Buffer): Buffer {
  const out: number[] = [];
  const n = src.length;
  for (let i = 0; i < n; ) {
    const c = src[i++] as number;
    if (c !== 0x5c) {
      out.push(c);
      continue;
    }
    if (i === n) throw new UnpicklingError('Trailing \\ in string');
    const e = src[i++] as number;
    switch (e) {
      case 0x0a: // \<newline>: a line continuation
        break;
      case 0x5c:
      case 0x27:
      case 0x22:
        out.push(e);
        break;
      case 0x62: // b
        out.push(8);
        break;
      case 0x66: // f
        out.push(12);
        break;
      case 0x74: // t
        out.push(9);
        break;
      case 0x6e: // n
        out.push(10);
        break;
      case 0x72: // r
        out.push(13);
        break;
      case 0x76: // v
        out.push(11);
        break;
      case 0x61: // a
        out.push(7);
        break;
      case 0x78: {
        // x
        const d1 = i + 1 < n ? hexValue(src[i] as number) : -1;
        const d2 = i + 1 < n ? hexValue(src[i + 1] as number) : -1;
        if (d1 < 0 || d2 < 0) throw new UnpicklingError(`invalid \\x escape at position ${i - 2}`);
        out.push(d1 * 16 + d2);
        i += 2;
        break;
      }
      default:
        if (e >= 0x30 && e <= 0x37) {
          let v = e - 0x30;
          for (let k = 0; k < 2 && i < n && (src[i] as number) >= 0x30 && (src[i] as number) <= 0x37; k++) {
            v = v * 8 + (src[i++] as number) - 0x30;
          }
          out.push(v & 0xff);
        } else {
          out.push(0x5c);
          i--;
        }
    }
  }
  return Buffer.from(out);
}

/** A line up to a NUL, as C string functions see CPython's copy of it. */
function cString(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString('latin1', start, nul === -1 || nul >= end ? end : nul);
}

const isSpace = (c: string | undefined) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';

/** An int as a JS value: a number when exact, else a BigInt. */
export function intValue(v: bigint): number | bigint {
  return v >= -0x1fffffffffffffn && v <= 0x1fffffffffffffn ? Number(v) : v;
}

/**
 * PyLong_FromString(s, NULL, base) for base 0 or 10: whitespace around,
 * a sign, 0x/0o/0b prefixes (base 0), single underscores between digits,
 * no leading zeros in a non-zero base-0 decimal, CPython 3.11's 4 300-digit
 * limit; an UnpicklingError with CPython's message where CPython raises.
 */
export function pyLongFromString(text: string, base0: boolean): bigint {
  let i = 0;
  while (isSpace(text[i])) i++;
  let neg = false;
  if (text[i] === '+' || text[i] === '-') neg = text[i++] === '-';
  let base = 10;
  let reportBase = 10;
  let zeroOnly = false;
  if (base0) {
    const p = text[i + 1]?.toLowerCase();
    if (text[i] === '0' && p === 'x') base = 16;
    else if (text[i] === '0' && p === 'o') base = 8;
    else if (text[i] === '0' && p === 'b') base = 2;
    else if (text[i] === '0') {
      zeroOnly = true;
      reportBase = 0;
    }
    if (base !== 10) {
      reportBase = base;
      i += 2;
      if (text[i] === '_') i++;
    }
  }
  const invalid = () =>
    new UnpicklingError(`invalid literal for int() with base ${reportBase}: ${pyRepr(text.slice(0, 200))}`);
  let digits = '';
  let lastUnderscore = true;
  for (; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '_') {
      if (lastUnderscore) throw invalid();
      lastUnderscore = true;
      continue;
    }
    const d = hexValue(ch.charCodeAt(0));
    if (d < 0 || d >= base) break;
    digits += ch;
    lastUnderscore = false;
  }
  if (digits === '' || lastUnderscore) throw invalid();
  while (isSpace(text[i])) i++;
  if (i !== text.length) throw invalid();
  if (zeroOnly && /[^0]/.test(digits)) throw invalid();
  if (base === 10 && digits.length > INT_MAX_STR_DIGITS) {
    throw new UnpicklingError(
      `Exceeds the limit (${INT_MAX_STR_DIGITS} digits) for integer string conversion: value has ${digits.length} digits; use sys.set_int_max_str_digits() to increase the limit`,
    );
  }
  const prefix = base === 16 ? '0x' : base === 8 ? '0o' : base === 2 ? '0b' : '';
  const v = BigInt(prefix + digits);
  return neg ? -v : v;
}

const LONG_MAX = 2n ** 63n - 1n;
const LONG_MIN = -(2n ** 63n);

/** C's strtol(s, &end, 0) on a 64-bit long: the value, where it stopped, whether it overflowed. */
function strtol(s: string): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (isSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') neg = s[i++] === '-';
  let base = 10;
  if (s[i] === '0' && (s[i + 1] === 'x' || s[i + 1] === 'X') && hexValue(s.charCodeAt(i + 2)) >= 0) {
    base = 16;
    i += 2;
  } else if (s[i] === '0') base = 8;
  const first = i;
  let v = 0n;
  let overflow = false;
  for (; i < s.length; i++) {
    const d = hexValue(s.charCodeAt(i));
    if (d < 0 || d >= base) break;
    if (!overflow) {
      v = v * BigInt(base) + BigInt(d);
      if ((neg ? -v : v) > LONG_MAX || (neg ? -v : v) < LONG_MIN) overflow = true;
    }
  }
  if (i === first) return { value: 0n, end: 0, overflow: false };
  return { value: neg ? -v : v, end: i, overflow };
}

/** INT's line (with its newline): an int, or a bool for CPython's "I00"/"I01". */
export function parseIntLine(buf: Buffer, start: number, end: number): number | bigint | boolean {
  const s = cString(buf, start, end);
  const r = strtol(s);
  if (r.overflow || (r.end !== s.length && s[r.end] !== '\n')) {
    try {
      return intValue(pyLongFromString(s, true));
    } catch {
      throw new UnpicklingError('could not convert string to int');
    }
  }
  if (end - start === 3 && (r.value === 0n || r.value === 1n)) return r.value === 1n;
  return intValue(r.value);
}

/** LONG's line: the digits, a trailing L dropped, as PyLong_FromString(s, NULL, 0) reads them. */
export function parseLongLine(buf: Buffer, start: number, end: number): number | bigint {
  const hasL = end - start >= 2 && buf[end - 2] === 0x4c;
  return intValue(pyLongFromString(cString(buf, start, hasL ? end - 2 : end), true));
}

const FLOAT_PREFIX = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)/i;

/** FLOAT's line, as PyOS_string_to_double with OverflowError (its messages quote the line with '%.200s', newline and all). */
export function parseFloatLine(buf: Buffer, start: number, end: number): number {
  const s = cString(buf, start, end);
  const m = FLOAT_PREFIX.exec(s);
  if (!m) throw new UnpicklingError(`could not convert string to float: '${s.slice(0, 200)}'`);
  const rest = s[m[0].length];
  if (rest !== undefined && rest !== '\n') throw new UnpicklingError('could not convert string to float');
  const t = m[0].toLowerCase().replace(/^([+-]?)inf(inity)?$/, '$1Infinity');
  const v = /nan$/.test(t) ? Number.NaN : Number(t);
  if (!Number.isFinite(v) && !/inf/i.test(m[0]) && !Number.isNaN(v)) {
    throw new UnpicklingError(`value too large to convert to float: '${s.slice(0, 200)}'`);
  }
  return v;
}

/** GET's and PUT's memo index: PyLong_FromString(s, NULL, 10), then a C ssize_t. */
export function parseMemoIndex(buf: Buffer, start: number, end: number): number {
  const v = pyLongFromString(cString(buf, start, end), false);
  if (v > LONG_MAX || v < LONG_MIN) throw new UnpicklingError('Python int too large to convert to C ssize_t');
  return Number(v);
}
