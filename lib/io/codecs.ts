// The few codecs a TextIOWrapper needs, as incremental decoders and encoders
// with Python's names, aliases, error handlers and error messages.
import { TextDecoder } from 'node:util';
import { LookupError, UnicodeDecodeError, UnicodeEncodeError, ValueError } from '../errors.js';

export interface IncrementalDecoder {
  decode(input: Uint8Array, final: boolean): string;
}

export interface Codec {
  /** The name Python's codec reports, used in error messages. */
  readonly name: string;
  decoder(errors: string): IncrementalDecoder;
  /** Encodes one write's text; `first` is true for the stream's first write (the BOM goes there). */
  encode(text: string, errors: string, first: boolean): Buffer;
}

const ERROR_HANDLERS = new Set(['strict', 'replace', 'ignore']);

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
      if (e instanceof ValueError) checkHandler(errors);
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
      if (!ok) return { start: i, end: i + k, reason: 'invalid continuation byte' };
    }
    i += need + 1;
  }
  return null;
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

// errors='strict': the platform's fatal decoder does the work (it keeps a
// split character between calls); our own scan only words the error.
class Utf8StrictDecoder implements IncrementalDecoder {
  private td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  private pending: Uint8Array = EMPTY;

  decode(input: Uint8Array, final: boolean): string {
    try {
      const s = this.td.decode(input, { stream: !final });
      const cut = final ? input.length : utf8Boundary(input);
      this.pending = cut === input.length ? EMPTY : input.slice(cut);
      return s;
    } catch {
      const all = concatBytes(this.pending, input);
      this.td = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
      this.pending = EMPTY;
      const e = utf8Error(all, 0, final) ?? { start: 0, end: all.length, reason: 'invalid data' };
      throw new UnicodeDecodeError('utf-8', all, e.start, e.end, e.reason);
    }
  }
}

// errors='replace' / 'ignore': decode the valid runs, and one U+FFFD (or
// nothing) per malformed sequence, exactly where CPython puts them.
class Utf8LenientDecoder implements IncrementalDecoder {
  private pending: Uint8Array = EMPTY;
  constructor(private readonly replace: boolean) {}

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
      if (this.replace) out += '\ufffd';
      p = e.end;
    }
  }
}

const utf8: Codec = {
  name: 'utf-8',
  decoder(errors) {
    return errors === 'strict' ? new Utf8StrictDecoder() : new Utf8LenientDecoder(errors === 'replace');
  },
  encode(text) {
    return Buffer.from(text, 'utf8');
  },
};

// ---- single-byte codecs ----

function singleByte(name: string, limit: number): Codec {
  const bad = limit === 128 ? /[\x80-\xff]/ : null;
  const badText = limit === 128 ? /[^\x00-\x7f]/ : /[^\x00-\xff]/;
  return {
    name,
    decoder(errors) {
      return {
        decode(input) {
          const b = Buffer.from(input.buffer, input.byteOffset, input.length);
          const s = b.toString('latin1');
          if (bad === null || !bad.test(s)) return s;
          let out = '';
          for (let i = 0; i < b.length; i++) {
            const c = b[i] as number;
            if (c < limit) out += String.fromCharCode(c);
            else if (errors === 'strict')
              throw new UnicodeDecodeError(name, b, i, i + 1, `ordinal not in range(${limit})`);
            else if (errors === 'replace') out += '\ufffd';
          }
          return out;
        },
      };
    },
    encode(text, errors) {
      if (!badText.test(text)) return Buffer.from(text, 'latin1');
      const bytes: number[] = [];
      let pos = 0;
      for (const ch of text) {
        const c = ch.codePointAt(0) as number;
        if (c < limit) bytes.push(c);
        else if (errors === 'strict') {
          throw new UnicodeEncodeError(name, text, pos, pos + 1, `ordinal not in range(${limit})`);
        } else if (errors === 'replace') bytes.push(0x3f);
        pos++;
      }
      return Buffer.from(bytes);
    },
  };
}

// ---- UTF-16 ----

class Utf16Decoder implements IncrementalDecoder {
  private td: TextDecoder | undefined;
  private head: Uint8Array = EMPTY;

  constructor(
    private readonly name: string,
    readonly order: 'le' | 'be' | 'bom',
    private readonly errors: string,
  ) {
    if (order !== 'bom') this.td = this.make(order);
  }

  private make(order: 'le' | 'be'): TextDecoder {
    return new TextDecoder(`utf-16${order}`, { fatal: this.errors === 'strict', ignoreBOM: true });
  }

  decode(input: Uint8Array, final: boolean): string {
    if (this.td === undefined) {
      // 'utf-16' reads a BOM to learn the byte order; without one, little-endian as CPython on x86.
      const b = concatBytes(this.head, input);
      if (b.length < 2 && !final) {
        this.head = b;
        return '';
      }
      this.head = EMPTY;
      let order: 'le' | 'be' = 'le';
      let skip = 0;
      if (b[0] === 0xfe && b[1] === 0xff) {
        order = 'be';
        skip = 2;
      } else if (b[0] === 0xff && b[1] === 0xfe) skip = 2;
      this.td = this.make(order);
      input = b.subarray(skip);
    }
    try {
      const s = this.td.decode(input, { stream: !final });
      return this.errors === 'ignore' ? s.replace(/\ufffd/g, '') : s;
    } catch {
      const b = Buffer.from(input);
      throw new UnicodeDecodeError(this.name, b, 0, b.length, final ? 'truncated data' : 'illegal UTF-16 surrogate');
    }
  }
}

function utf16(name: string, order: 'le' | 'be' | 'bom'): Codec {
  return {
    name,
    decoder(errors) {
      return new Utf16Decoder(name, order, errors);
    },
    encode(text, _errors, first) {
      const le = Buffer.from(text, 'utf16le');
      if (order === 'be') return le.swap16();
      if (order === 'bom' && first) return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
      return le;
    },
  };
}

const latin1 = singleByte('latin-1', 256);
const ascii = singleByte('ascii', 128);
const utf16bom = utf16('utf-16', 'bom');
const utf16le = utf16('utf-16-le', 'le');
const utf16be = utf16('utf-16-be', 'be');

const ALIASES: Record<string, Codec> = {
  utf_8: utf8,
  utf8: utf8,
  u8: utf8,
  utf: utf8,
  cp65001: utf8,
  latin_1: latin1,
  latin1: latin1,
  latin: latin1,
  l1: latin1,
  iso_8859_1: latin1,
  iso8859_1: latin1,
  '8859': latin1,
  cp819: latin1,
  ascii: ascii,
  us_ascii: ascii,
  '646': ascii,
  utf_16: utf16bom,
  utf16: utf16bom,
  u16: utf16bom,
  utf_16_le: utf16le,
  utf_16le: utf16le,
  utf_16_be: utf16be,
  utf_16be: utf16be,
};

/** codecs.lookup(encoding), for the codecs pipefork has: LookupError for the rest. */
export function lookupCodec(encoding: string): Codec {
  const key = encoding.toLowerCase().replace(/[-\s]/g, '_');
  const codec = ALIASES[key];
  if (codec === undefined) throw new LookupError(`unknown encoding: ${encoding}`);
  return {
    name: codec.name,
    decoder(errors) {
      if (ERROR_HANDLERS.has(errors)) return codec.decoder(errors);
      const d = codec.decoder('strict');
      return { decode: lazyHandler(errors, d.decode.bind(d)) };
    },
    encode(text, errors, first) {
      if (ERROR_HANDLERS.has(errors)) return codec.encode(text, errors, first);
      return lazyHandler(errors, codec.encode)(text, 'strict', first);
    },
  };
}
