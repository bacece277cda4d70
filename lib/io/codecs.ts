// The codecs a TextIOWrapper needs (UTF-8, UTF-16, UTF-32, Latin-1, ASCII), as incremental decoders and encoders
// with Python's names, aliases, error handlers and error messages.
import { Buffer } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { LookupError, UnicodeDecodeError, UnicodeEncodeError, UnicodeError, ValueError } from '../errors.js';

/** A decoder's state as Python's IncrementalDecoder.getstate() gives it: the bytes it holds back, and a number. */
export type DecoderState = [buffered: Uint8Array, flags: number];

export interface IncrementalDecoder {
  decode(input: Uint8Array, final: boolean): string;
  /** getstate(): what TextIOWrapper.tell() snapshots (the held bytes, and the codec's flags: 'utf-16'/'utf-32' say there whether the byte order is known). */
  getstate(): DecoderState;
  /** setstate((buffered, flags)): back to a state getstate() gave (TextIOWrapper.seek()). */
  setstate(state: DecoderState): void;
  /** reset(): as new. */
  reset(): void;
}

/** The state methods of a decoder whose only state is the bytes it holds back (BufferedIncrementalDecoder's). */
abstract class PendingDecoder implements IncrementalDecoder {
  protected pending: Uint8Array = EMPTY;
  abstract decode(input: Uint8Array, final: boolean): string;
  getstate(): DecoderState {
    return [this.pending, 0];
  }
  setstate(state: DecoderState): void {
    this.pending = Uint8Array.prototype.slice.call(state[0]);
  }
  reset(): void {
    this.pending = EMPTY;
  }
}

export interface Codec {
  /** The name Python's codec reports, used in error messages. */
  readonly name: string;
  /**
   * A decoder: codecs.getincrementaldecoder(name)(errors) when `incremental`
   * (what TextIOWrapper uses), else bytes.decode's rules. They differ only for
   * 'utf-16' without a BOM, which only the incremental decoder refuses.
   */
  decoder(errors: string, incremental?: boolean): IncrementalDecoder;
  /** Encodes one write's text; `first` is true for the stream's first write (the BOM goes there). */
  encode(text: string, errors: string, first: boolean): Buffer;
}

const ERROR_HANDLERS = new Set([
  'strict',
  'replace',
  'ignore',
  'surrogateescape',
  'backslashreplace',
  'xmlcharrefreplace',
]);

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/**
 * What a decoding error handler puts in place of the bad bytes b[start..end)
 * (not 'strict': the caller raises for that), and where decoding resumes.
 * surrogateescape, as CPython's, escapes at most 4 bytes of the range and
 * stops before a byte below 128, resuming there (a UTF-16 error's range may
 * hold one: b'\xda\x49\xde' is '\udcda\u49de'); it raises the error itself
 * when the range starts with one.
 */
function decodeReplacement(
  errors: string,
  b: Uint8Array,
  start: number,
  end: number,
  err: () => Error,
): { text: string; resume: number } {
  if (errors === 'replace') return { text: '\ufffd', resume: end };
  if (errors === 'ignore') return { text: '', resume: end };
  let out = '';
  if (errors === 'surrogateescape') {
    let k = start;
    for (; k < end && k - start < 4 && (b[k] as number) >= 128; k++)
      out += String.fromCharCode(0xdc00 + (b[k] as number));
    if (k === start) throw err();
    return { text: out, resume: k };
  }
  if (errors === 'backslashreplace') {
    for (let k = start; k < end; k++) out += `\\x${hex2(b[k] as number)}`;
    return { text: out, resume: end };
  }
  if (errors === 'xmlcharrefreplace')
    throw new TypeError("don't know how to handle UnicodeDecodeError in error callback");
  throw err();
}

/**
 * What an encoding error handler gives for the characters `bad` (code
 * points) that the codec cannot encode: text for `good` to encode, or, for
 * surrogateescape, the bytes themselves (never in UTF-16 or UTF-32, as in
 * CPython). `err(k)` is the error for the run from its k-th character on:
 * surrogateescape's failure names the run from the first character it
 * cannot carry, as CPython's encoders report it.
 */
function encodeReplacement(
  errors: string,
  bad: number[],
  good: (s: string) => Buffer,
  wide: boolean,
  err: (k: number) => Error,
): Buffer | null {
  let text = '';
  switch (errors) {
    case 'replace':
      text = '?'.repeat(bad.length);
      break;
    case 'ignore':
      return null;
    case 'surrogateescape': {
      if (wide) throw err(0);
      const k = bad.findIndex((c) => c < 0xdc80 || c > 0xdcff);
      if (k >= 0) throw err(k);
      return Buffer.from(bad.map((c) => c - 0xdc00));
    }
    case 'backslashreplace':
      for (const c of bad) {
        text +=
          c < 0x100
            ? `\\x${hex2(c)}`
            : c < 0x10000
              ? `\\u${c.toString(16).padStart(4, '0')}`
              : `\\U${c.toString(16).padStart(8, '0')}`;
      }
      break;
    case 'xmlcharrefreplace':
      for (const c of bad) text += `&#${c};`;
      break;
    default:
      throw err(0);
  }
  return good(text);
}

// CPython looks an error handler up only when an error needs it: an unknown
// name decodes valid input fine and raises LookupError at the first bad byte.
function checkHandler(errors: string): void {
  if (!ERROR_HANDLERS.has(errors)) throw new LookupError(`unknown error handler name '${errors}'`);
}

function lazyHandler<T extends (...a: never[]) => unknown>(errors: string, f: T): T {
  if (ERROR_HANDLERS.has(errors)) return f;
  return ((...a: never[]) => {
    try {
      return f(...a);
    } catch (e) {
      if (e instanceof UnicodeDecodeError || e instanceof UnicodeEncodeError) checkHandler(errors);
      throw e;
    }
  }) as T;
}

// ---- UTF-8 ----

/** The first malformed sequence in b[from..], as CPython's UTF-8 decoder reports it; null if none (an incomplete tail is not an error unless final). */
function utf8Error(b: Uint8Array, from: number, final: boolean): { start: number; end: number; reason: string } | null {
  const n = b.length;
  let i = from;
  while (i < n) {
    const c = b[i] as number;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      else if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      else if (c === 0xf4) hi = 0x8f;
    } else return { start: i, end: i + 1, reason: 'invalid start byte' };
    for (let k = 1; k <= need; k++) {
      if (i + k >= n) return final ? { start: i, end: n, reason: 'unexpected end of data' } : null;
      const d = b[i + k] as number;
      const ok = k === 1 ? d >= lo && d <= hi : d >= 0x80 && d <= 0xbf;
      if (!ok) {
        // CPython holds back a surrogate's first two bytes (ED A0..BF) at the end of a non-final chunk.
        if (!final && c === 0xed && k === 1 && d >= 0xa0 && d <= 0xbf && i + 2 === n) return null;
        return { start: i, end: i + k, reason: 'invalid continuation byte' };
      }
    }
    i += need + 1;
  }
  return null;
}

/**
 * UTF-8 with Python's surrogateescape handler: each byte of a malformed
 * sequence becomes a lone surrogate U+DC80..U+DCFF (os.fsdecode).
 */
export function utf8DecodeEscape(b: Uint8Array): string {
  const buf = Buffer.from(b.buffer, b.byteOffset, b.byteLength);
  let out = '';
  let p = 0;
  for (;;) {
    const e = utf8Error(buf, p, true);
    if (e === null) return out + buf.toString('utf8', p);
    out += buf.toString('utf8', p, e.start);
    for (let i = e.start; i < e.end; i++) out += String.fromCharCode(0xdc00 + (buf[i] as number));
    p = e.end;
  }
}

/** Where an incomplete UTF-8 sequence at the end of b starts (b.length if none). */
function utf8Boundary(b: Uint8Array): number {
  const n = b.length;
  for (let k = 1; k <= 3 && k <= n; k++) {
    const c = b[n - k] as number;
    if (c < 0x80) return n;
    if (c >= 0xc0) {
      const len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
      return len > k ? n - k : n;
    }
  }
  return n;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Buffer {
  const out = Buffer.allocUnsafe(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

const EMPTY = new Uint8Array(0);

// errors='strict': the platform's fatal decoder does the work (ICU, through
// `stream: true`: faster than Node's one-shot path on mixed text), fed only
// whole characters so that it never holds bytes itself; our own scan words
// the error. Like CPython's BufferedIncrementalDecoder, a failed call keeps
// the bytes held back from before (its input is lost), so the same error
// comes again at EOF, as it does in CPython.
const newStrictUtf8 = () => new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const STREAM = { stream: true };
const FLUSH = { stream: false };

class Utf8StrictDecoder extends PendingDecoder {
  private td = newStrictUtf8();
  // pending: an incomplete character from the end of the last input (a valid prefix).

  override setstate(state: DecoderState): void {
    super.setstate(state);
    this.td = newStrictUtf8();
  }

  override reset(): void {
    super.reset();
    this.td = newStrictUtf8();
  }

  decode(input: Uint8Array, final: boolean): string {
    let head = '';
    let body = input;
    const p = this.pending;
    if (p.length > 0) {
      // Complete the character split across calls from the first bytes of input.
      const lead = p[0] as number;
      const need = (lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : 2) - p.length;
      if (input.length < need) {
        const all = concatBytes(p, input);
        if (final || utf8Error(all, 0, false) !== null) throw utf8DecodeError(all, final);
        this.pending = all;
        return '';
      }
      const first = concatBytes(p, input.subarray(0, need));
      if (utf8Error(first, 0, true) !== null) throw utf8DecodeError(concatBytes(p, input), final);
      head = first.toString('utf8');
      body = input.subarray(need);
    }
    const cut = final ? body.length : utf8Boundary(body);
    const whole = cut === body.length ? body : body.subarray(0, cut);
    // What goes to the decoder must end on a whole character, and a held-back
    // tail that can already be seen to be malformed fails now, as in CPython.
    if (cut < body.length && (utf8Boundary(whole) !== cut || utf8Error(body, cut, false) !== null)) {
      throw utf8DecodeError(concatBytes(p, input), final);
    }
    let s: string;
    try {
      s = this.td.decode(whole, final ? FLUSH : STREAM);
    } catch {
      this.td = newStrictUtf8();
      throw utf8DecodeError(concatBytes(p, input), final);
    }
    this.pending = cut === body.length ? EMPTY : Uint8Array.prototype.slice.call(body, cut);
    return head.length > 0 ? head + s : s;
  }
}

function utf8DecodeError(b: Uint8Array, final: boolean): UnicodeDecodeError {
  const e = utf8Error(b, 0, final) ?? { start: 0, end: b.length, reason: 'invalid data' };
  return new UnicodeDecodeError('utf-8', Buffer.from(b), e.start, e.end, e.reason);
}

// errors='replace' / 'ignore': decode the valid runs, and one U+FFFD (or
// nothing) per malformed sequence, exactly where CPython puts them.
class Utf8LenientDecoder extends PendingDecoder {
  constructor(private readonly errors: string) {
    super();
  }

  decode(input: Uint8Array, final: boolean): string {
    const b = this.pending.length
      ? concatBytes(this.pending, input)
      : Buffer.from(input.buffer, input.byteOffset, input.length);
    this.pending = EMPTY;
    let out = '';
    let p = 0;
    for (;;) {
      const e = utf8Error(b, p, final);
      if (e === null) {
        const cut = final ? b.length : Math.max(p, utf8Boundary(b));
        out += b.toString('utf8', p, cut);
        if (cut < b.length) this.pending = b.slice(cut);
        return out;
      }
      out += b.toString('utf8', p, e.start);
      const rep = decodeReplacement(
        this.errors,
        b,
        e.start,
        e.end,
        () => new UnicodeDecodeError('utf-8', b, e.start, e.end, e.reason),
      );
      out += rep.text;
      p = rep.resume;
    }
  }
}

// ---- encoding errors ----

// A surrogate that is not half of a pair: what Python sees as a surrogate
// character (a JS pair is one astral character to Python).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The slow path of an encoder whose input has characters it cannot encode:
 * `good` encodes the stretches between them, and each run of them goes to
 * the error handler, with positions in characters (code points) as Python
 * counts them. `wholeRun`: the error names the run (latin-1, ascii, UTF-8),
 * else only its first character (UTF-16, whose surrogateescape cannot
 * give bytes back either).
 */
function encodeAround(
  text: string,
  encoding: string,
  errors: string,
  reason: string,
  isBad: (cp: number) => boolean,
  wholeRun: boolean,
  good: (s: string) => Buffer,
): Buffer {
  const parts: Buffer[] = [];
  const n = text.length;
  let i = 0;
  let from = 0;
  let pos = 0;
  while (i < n) {
    const c = text.codePointAt(i) as number;
    if (!isBad(c)) {
      i += c > 0xffff ? 2 : 1;
      pos++;
      continue;
    }
    let j = i;
    let end = pos;
    while (j < n) {
      const d = text.codePointAt(j) as number;
      if (!isBad(d)) break;
      j += d > 0xffff ? 2 : 1;
      end++;
    }
    const err = (k: number) => new UnicodeEncodeError(encoding, text, pos + k, wholeRun ? end : pos + k + 1, reason);
    if (errors === 'strict') throw err(0);
    const bad: number[] = [];
    for (let k = i; k < j; ) {
      const d = text.codePointAt(k) as number;
      bad.push(d);
      k += d > 0xffff ? 2 : 1;
    }
    const rep = encodeReplacement(errors, bad, good, !wholeRun, err);
    if (from < i) parts.push(good(text.slice(from, i)));
    if (rep !== null) parts.push(rep);
    i = from = j;
    pos = end;
  }
  if (from < n) parts.push(good(from === 0 ? text : text.slice(from)));
  return Buffer.concat(parts);
}

const isSurrogate = (cp: number) => cp >= 0xd800 && cp <= 0xdfff;
const utf8Good = (s: string) => Buffer.from(s, 'utf8');

const utf8: Codec = {
  name: 'utf-8',
  decoder(errors) {
    return errors === 'strict' ? new Utf8StrictDecoder() : new Utf8LenientDecoder(errors);
  },
  encode(text, errors) {
    const b = Buffer.from(text, 'utf8');
    // Node writes a lone surrogate as U+FFFD (EF BF BD): look closer only when an EF byte shows up.
    if (b.length === text.length || b.indexOf(0xef) < 0 || !LONE_SURROGATE.test(text)) return b;
    return encodeAround(text, 'utf-8', errors, 'surrogates not allowed', isSurrogate, true, utf8Good);
  },
};

// ---- single-byte codecs ----

function singleByte(name: string, limit: number): Codec {
  const bad = limit === 128 ? /[\x80-\xff]/ : null;
  const badText = limit === 128 ? /[^\x00-\x7f]/ : /[^\x00-\xff]/;
  const reason = `ordinal not in range(${limit})`;
  const isBad = (cp: number) => cp >= limit;
  const good = (s: string) => Buffer.from(s, 'latin1');
  return {
    name,
    decoder(errors) {
      return {
        // Stateless: every byte is a character.
        getstate: (): DecoderState => [EMPTY, 0],
        setstate() {},
        reset() {},
        decode(input) {
          const b = Buffer.from(input.buffer, input.byteOffset, input.length);
          const s = b.toString('latin1');
          if (bad === null || !bad.test(s)) return s;
          let out = '';
          for (let i = 0; i < b.length; i++) {
            const c = b[i] as number;
            if (c < limit) out += String.fromCharCode(c);
            else if (errors === 'strict') throw new UnicodeDecodeError(name, b, i, i + 1, reason);
            else {
              out += decodeReplacement(
                errors,
                b,
                i,
                i + 1,
                () => new UnicodeDecodeError(name, b, i, i + 1, reason),
              ).text;
            }
          }
          return out;
        },
      };
    },
    encode(text, errors) {
      if (!badText.test(text)) return Buffer.from(text, 'latin1');
      return encodeAround(text, name, errors, reason, isBad, true, good);
    },
  };
}

// ---- UTF-16 ----

const TD16 = {
  le: new TextDecoder('utf-16le', { ignoreBOM: true }),
  be: new TextDecoder('utf-16be', { ignoreBOM: true }),
};
const FATAL16 = {
  le: new TextDecoder('utf-16le', { fatal: true, ignoreBOM: true }),
  be: new TextDecoder('utf-16be', { fatal: true, ignoreBOM: true }),
};

/**
 * CPython's UTF-16 decoder (PyUnicode_DecodeUTF16Stateful) over b[from..]:
 * the text and where decoding stopped. Unless `final`, an odd last byte and
 * a high surrogate at the end (with or without one more byte) wait for more
 * input. Errors are CPython's: 'illegal encoding' (a lone low surrogate),
 * 'illegal UTF-16 surrogate' (a high one followed by no low one), 'unexpected
 * end of data', 'truncated data', with CPython's positions in b.
 */
function utf16Decode(
  b: Uint8Array,
  from: number,
  le: boolean,
  errors: string,
  final: boolean,
): { text: string; consumed: number } {
  const n = b.length;
  const order = le ? 'le' : 'be';
  // Fast path: everything but a tail that may wait is valid UTF-16.
  let stop = n;
  if (!final) {
    stop = n - ((n - from) & 1);
    if (stop - from >= 2) {
      const u = le
        ? (b[stop - 2] as number) | ((b[stop - 1] as number) << 8)
        : ((b[stop - 2] as number) << 8) | (b[stop - 1] as number);
      if (u >= 0xd800 && u <= 0xdbff) stop -= 2;
    }
  }
  if ((stop - from) % 2 === 0) {
    try {
      return { text: FATAL16[order].decode(b.subarray(from, stop)), consumed: stop };
    } catch {
      // an error somewhere: the exact scan below finds it
    }
  }
  const name = le ? 'utf-16-le' : 'utf-16-be';
  const unit = (k: number) =>
    le ? (b[k] as number) | ((b[k + 1] as number) << 8) : ((b[k] as number) << 8) | (b[k + 1] as number);
  let out = '';
  let i = from;
  let run = from;
  const fail = (start: number, end: number, reason: string) => {
    const err = () => new UnicodeDecodeError(name, Buffer.from(b), start, end, reason);
    if (errors === 'strict') throw err();
    const rep = decodeReplacement(errors, b, start, end, err);
    if (run < start) out += TD16[order].decode(b.subarray(run, start));
    out += rep.text;
    i = run = rep.resume;
  };
  for (;;) {
    if (n - i < 2) {
      if (i === n || !final) break;
      fail(i, n, 'truncated data');
      continue;
    }
    const u = unit(i);
    if (u < 0xd800 || u > 0xdfff) {
      i += 2;
    } else if (u >= 0xdc00) {
      fail(i, i + 2, 'illegal encoding');
    } else if (n - i < 4) {
      if (!final) break;
      fail(i, n, 'unexpected end of data');
    } else {
      const u2 = unit(i + 2);
      if (u2 >= 0xdc00 && u2 <= 0xdfff) i += 4;
      else fail(i, i + 2, 'illegal UTF-16 surrogate');
    }
  }
  if (run < i) out += TD16[order].decode(b.subarray(run, i));
  return { text: out, consumed: i };
}

/**
 * The flags of a 'utf-16'/'utf-32' decoder's state, as encodings/utf_16.py
 * and utf_32.py give them on a little-endian host: 0 the native (little)
 * order, 1 big-endian, 2 not known yet (the BOM is still to come).
 */
function orderFlags(order: 'le' | 'be' | undefined): number {
  return order === undefined ? 2 : order === 'le' ? 0 : 1;
}

function orderOfFlags(flags: number): 'le' | 'be' | undefined {
  return flags === 0 ? 'le' : flags === 1 ? 'be' : undefined;
}

class Utf16Decoder extends PendingDecoder {
  /** The byte order; undefined for 'utf-16' until its BOM is read. */
  private order: 'le' | 'be' | undefined;

  constructor(
    private readonly fixed: 'le' | 'be' | 'bom',
    private readonly errors: string,
    private readonly incremental: boolean,
  ) {
    super();
    this.order = fixed === 'bom' ? undefined : fixed;
  }

  override getstate(): DecoderState {
    return [this.pending, this.fixed === 'bom' ? orderFlags(this.order) : 0];
  }

  override setstate(state: DecoderState): void {
    super.setstate(state);
    if (this.fixed === 'bom') this.order = orderOfFlags(state[1]);
  }

  override reset(): void {
    super.reset();
    if (this.fixed === 'bom') this.order = undefined;
  }

  decode(input: Uint8Array, final: boolean): string {
    const b = this.pending.length ? concatBytes(this.pending, input) : input;
    let r: { text: string; consumed: number };
    if (this.order !== undefined) {
      r = utf16Decode(b, 0, this.order === 'le', this.errors, final);
    } else {
      // utf_16_ex_decode: a BOM picks the byte order; without one, the
      // native (little-endian) order, which only bytes.decode accepts.
      let bom: 'le' | 'be' | undefined;
      if (b.length >= 2) {
        if (b[0] === 0xff && b[1] === 0xfe) bom = 'le';
        else if (b[0] === 0xfe && b[1] === 0xff) bom = 'be';
      }
      r = utf16Decode(b, bom === undefined ? 0 : 2, bom !== 'be', this.errors, final);
      if (bom !== undefined) this.order = bom;
      else if (this.incremental && r.consumed >= 2) throw new UnicodeError('UTF-16 stream does not start with BOM');
    }
    this.pending = r.consumed === b.length ? EMPTY : Uint8Array.prototype.slice.call(b, r.consumed);
    return r.text;
  }
}

function utf16(name: string, order: 'le' | 'be' | 'bom'): Codec {
  const be = order === 'be';
  const good = be ? (s: string) => Buffer.from(s, 'utf16le').swap16() : (s: string) => Buffer.from(s, 'utf16le');
  return {
    name,
    decoder(errors, incremental = false) {
      return new Utf16Decoder(order, errors, incremental);
    },
    encode(text, errors, first) {
      // CPython names the codec 'utf-16' only for the call that writes the BOM.
      const bom = order === 'bom' && first;
      const b = LONE_SURROGATE.test(text)
        ? encodeAround(
            text,
            bom ? 'utf-16' : be ? 'utf-16-be' : 'utf-16-le',
            errors,
            'surrogates not allowed',
            isSurrogate,
            false,
            good,
          )
        : good(text);
      return bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), b]) : b;
    },
  };
}

// ---- UTF-32 ----

/**
 * CPython's UTF-32 decoder (PyUnicode_DecodeUTF32Stateful) over b[from..]:
 * the text and where decoding stopped. Unless `final`, 1-3 bytes at the end
 * wait for more input. Errors are CPython's, each over one 4-byte unit: 'code
 * point in surrogate code point range(0xd800, 0xe000)', 'code point not in
 * range(0x110000)', and 'truncated data' for a final tail of 1-3 bytes.
 */
function utf32Decode(
  b: Uint8Array,
  from: number,
  le: boolean,
  errors: string,
  final: boolean,
): { text: string; consumed: number } {
  const n = b.length;
  const name = le ? 'utf-32-le' : 'utf-32-be';
  const units: number[] = [];
  let out = '';
  const flush = () => {
    for (let k = 0; k < units.length; k += 4096) out += String.fromCodePoint(...units.slice(k, k + 4096));
    units.length = 0;
  };
  let i = from;
  while (i < n) {
    if (n - i < 4) {
      if (!final) break;
      const err = () => new UnicodeDecodeError(name, Buffer.from(b), i, n, 'truncated data');
      if (errors === 'strict') throw err();
      flush();
      const rep = decodeReplacement(errors, b, i, n, err);
      out += rep.text;
      i = rep.resume;
      continue;
    }
    const c = le
      ? ((b[i] as number) |
          ((b[i + 1] as number) << 8) |
          ((b[i + 2] as number) << 16) |
          ((b[i + 3] as number) << 24)) >>>
        0
      : (((b[i] as number) << 24) |
          ((b[i + 1] as number) << 16) |
          ((b[i + 2] as number) << 8) |
          (b[i + 3] as number)) >>>
        0;
    const reason =
      c >= 0xd800 && c <= 0xdfff
        ? 'code point in surrogate code point range(0xd800, 0xe000)'
        : c >= 0x110000
          ? 'code point not in range(0x110000)'
          : null;
    if (reason === null) {
      units.push(c);
    } else {
      const start = i;
      const err = () => new UnicodeDecodeError(name, Buffer.from(b), start, start + 4, reason);
      if (errors === 'strict') throw err();
      flush();
      const rep = decodeReplacement(errors, b, start, start + 4, err);
      out += rep.text;
      // surrogateescape may resume inside the four bytes (decodeReplacement).
      i = rep.resume;
      continue;
    }
    i += 4;
  }
  flush();
  return { text: out, consumed: i };
}

class Utf32Decoder extends PendingDecoder {
  /** The byte order; undefined for 'utf-32' until its BOM is read. */
  private order: 'le' | 'be' | undefined;

  constructor(
    private readonly fixed: 'le' | 'be' | 'bom',
    private readonly errors: string,
    private readonly incremental: boolean,
  ) {
    super();
    this.order = fixed === 'bom' ? undefined : fixed;
  }

  decode(input: Uint8Array, final: boolean): string {
    const b = this.pending.length ? concatBytes(this.pending, input) : input;
    let r: { text: string; consumed: number };
    if (this.order !== undefined) {
      r = utf32Decode(b, 0, this.order === 'le', this.errors, final);
    } else {
      // utf_32_ex_decode: a BOM (looked for once 4 bytes are there) picks
      // the byte order; without one, the native (little-endian) order, which
      // only bytes.decode accepts.
      let bom: 'le' | 'be' | undefined;
      if (b.length >= 4) {
        if (b[0] === 0xff && b[1] === 0xfe && b[2] === 0 && b[3] === 0) bom = 'le';
        else if (b[0] === 0 && b[1] === 0 && b[2] === 0xfe && b[3] === 0xff) bom = 'be';
      }
      r = utf32Decode(b, bom === undefined ? 0 : 4, bom !== 'be', this.errors, final);
      if (bom !== undefined) this.order = bom;
      else if (this.incremental && r.consumed >= 4) throw new UnicodeError('UTF-32 stream does not start with BOM');
    }
    this.pending = r.consumed === b.length ? EMPTY : Uint8Array.prototype.slice.call(b, r.consumed);
    return r.text;
  }

  override getstate(): DecoderState {
    return [this.pending, this.fixed === 'bom' ? orderFlags(this.order) : 0];
  }

  override setstate(state: DecoderState): void {
    super.setstate(state);
    if (this.fixed === 'bom') this.order = orderOfFlags(state[1]);
  }

  override reset(): void {
    super.reset();
    if (this.fixed === 'bom') this.order = undefined;
  }
}

/** UTF-32 of text with no lone surrogates, in the byte order asked for. */
function utf32Encode(text: string, le: boolean): Buffer {
  const cps: number[] = [];
  for (let i = 0; i < text.length; ) {
    const c = text.codePointAt(i) as number;
    cps.push(c);
    i += c > 0xffff ? 2 : 1;
  }
  const out = Buffer.allocUnsafe(cps.length * 4);
  cps.forEach((c, k) => {
    if (le) out.writeUInt32LE(c, k * 4);
    else out.writeUInt32BE(c, k * 4);
  });
  return out;
}

function utf32(name: string, order: 'le' | 'be' | 'bom'): Codec {
  const le = order !== 'be';
  const good = (s: string) => utf32Encode(s, le);
  return {
    name,
    decoder(errors, incremental = false) {
      return new Utf32Decoder(order, errors, incremental);
    },
    encode(text, errors, first) {
      // CPython names the codec 'utf-32' only for the call that writes the
      // BOM (TextIOWrapper's later writes are utf-32-le's, without one).
      const bom = order === 'bom' && first;
      const b = LONE_SURROGATE.test(text)
        ? encodeAround(
            text,
            bom ? 'utf-32' : le ? 'utf-32-le' : 'utf-32-be',
            errors,
            'surrogates not allowed',
            isSurrogate,
            false,
            good,
          )
        : good(text);
      return bom ? Buffer.concat([Buffer.from([0xff, 0xfe, 0, 0]), b]) : b;
    },
  };
}

const latin1 = singleByte('latin-1', 256);
const ascii = singleByte('ascii', 128);
const utf16bom = utf16('utf-16', 'bom');
const utf16le = utf16('utf-16-le', 'le');
const utf16be = utf16('utf-16-be', 'be');
const utf32bom = utf32('utf-32', 'bom');
const utf32le = utf32('utf-32-le', 'le');
const utf32be = utf32('utf-32-be', 'be');

// encodings.aliases for the codecs pipefork has, plus their module names
// (utf_8, latin_1, ...), all in normalizeEncoding's form.
const ALIASES: Record<string, Codec> = {
  utf_8: utf8,
  utf8: utf8,
  u8: utf8,
  utf: utf8,
  cp65001: utf8,
  utf8_ucs2: utf8,
  utf8_ucs4: utf8,
  latin_1: latin1,
  latin1: latin1,
  latin: latin1,
  l1: latin1,
  iso_8859_1: latin1,
  iso8859_1: latin1,
  iso8859: latin1,
  iso_8859_1_1987: latin1,
  iso_ir_100: latin1,
  '8859': latin1,
  cp819: latin1,
  ibm819: latin1,
  csisolatin1: latin1,
  ascii: ascii,
  us_ascii: ascii,
  us: ascii,
  '646': ascii,
  'ansi_x3.4_1968': ascii,
  ansi_x3_4_1968: ascii,
  'ansi_x3.4_1986': ascii,
  cp367: ascii,
  csascii: ascii,
  ibm367: ascii,
  iso646_us: ascii,
  'iso_646.irv_1991': ascii,
  iso_ir_6: ascii,
  utf_16: utf16bom,
  utf16: utf16bom,
  u16: utf16bom,
  utf_16_le: utf16le,
  utf_16le: utf16le,
  unicodelittleunmarked: utf16le,
  utf_16_be: utf16be,
  utf_16be: utf16be,
  unicodebigunmarked: utf16be,
  utf_32: utf32bom,
  u32: utf32bom,
  utf32: utf32bom,
  utf_32_le: utf32le,
  utf_32le: utf32le,
  utf_32_be: utf32be,
  utf_32be: utf32be,
};

/**
 * The lookup key of an encoding name, as codecs.lookup makes it: lower
 * case, then encodings.normalize_encoding (each run of characters other than
 * ASCII letters, digits and '.' becomes one '_', none at either end).
 */
function normalizeEncoding(encoding: string): string {
  return encoding
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/** codecs.lookup(encoding), for the codecs pipefork has: LookupError for the rest. */
export function lookupCodec(encoding: string): Codec {
  if (encoding.includes('\0')) throw new ValueError('embedded null character');
  const key = normalizeEncoding(encoding);
  const codec = ALIASES[key] ?? ALIASES[key.replace(/\./g, '_')];
  if (codec === undefined) throw new LookupError(`unknown encoding: ${encoding}`);
  return {
    name: codec.name,
    decoder(errors, incremental) {
      if (ERROR_HANDLERS.has(errors)) return codec.decoder(errors, incremental);
      const d = codec.decoder('strict', incremental);
      return {
        decode: lazyHandler(errors, d.decode.bind(d)),
        getstate: () => d.getstate(),
        setstate: (state) => d.setstate(state),
        reset: () => d.reset(),
      };
    },
    encode(text, errors, first) {
      if (ERROR_HANDLERS.has(errors)) return codec.encode(text, errors, first);
      return lazyHandler(errors, codec.encode)(text, 'strict', first);
    },
  };
}
