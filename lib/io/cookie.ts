// TextIOWrapper.tell() and seek()'s positions: CPython's opaque cookies
// (Modules/_io/textio.c, whose algorithm Lib/_pyio.py spells out in Python).
//
// A text file's position is not a byte offset: the decoder may hold bytes
// of a character not yet complete, a '\r' waiting to see whether '\n'
// follows, or know a byte order read from a BOM. So each chunk the wrapper
// reads records a snapshot, the decoder's flags and the bytes it has still
// to see, from a point where it held nothing. tell() walks a scratch decode
// from there to the characters handed out, and finds the last point before
// them where the decoder held nothing ("a safe start point"). The cookie
// says: seek to start_pos, set the decoder's flags to dec_flags, read
// bytes_to_feed bytes and decode them (with EOF when need_eof), and skip
// chars_to_skip of the characters they give. For most text it is just the
// byte offset.
//
// The five fields are packed as CPython's C TextIOWrapper packs them, so a
// cookie is the same number in both: start_pos (64 bits), then dec_flags,
// bytes_to_feed and chars_to_skip (32 bits each) and need_eof (8 bits), the
// first field in the lowest bits. A cookie past 2**53 is a BigInt.

import { pyTypeName } from '../convert.js';
import { OSError, OverflowError, pyValueRepr, ValueError } from '../errors.js';
import type { DecoderState } from './codecs.js';
import { pyLen } from './common.js';

export interface Cookie {
  startPos: number;
  decFlags: number;
  bytesToFeed: number;
  charsToSkip: number;
  needEof: boolean;
}

/** The decoder a TextIOWrapper reads with (its IncrementalNewlineDecoder, when it has one), as tell() drives it. */
export interface CookieDecoder {
  decode(input: Uint8Array, final: boolean): string;
  getstate(): DecoderState;
  setstate(state: DecoderState): void;
  reset(): void;
}

/** What the last chunk read recorded: the decoder's flags, and the bytes it had still to see then (ending at the buffer's position). */
export interface Snapshot {
  flags: number;
  next: Uint8Array;
}

const EMPTY = new Uint8Array(0);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** textiowrapper_build_cookie: the fields as one unsigned int. */
export function packCookie(c: Cookie): number | bigint {
  const v =
    BigInt.asUintN(64, BigInt(c.startPos)) |
    (BigInt.asUintN(32, BigInt(c.decFlags)) << 64n) |
    (BigInt.asUintN(32, BigInt(c.bytesToFeed)) << 96n) |
    (BigInt.asUintN(32, BigInt(c.charsToSkip)) << 128n) |
    (BigInt(c.needEof ? 1 : 0) << 160n);
  return v <= MAX_SAFE ? Number(v) : v;
}

/**
 * textiowrapper_parse_cookie: int(cookie) (a float truncates), which must
 * fit in the 21 bytes of the fields (the caller has refused a negative one).
 */
export function parseCookie(cookie: unknown): Cookie {
  let v: bigint;
  if (typeof cookie === 'bigint') v = cookie;
  else if (typeof cookie === 'boolean') v = cookie ? 1n : 0n;
  else if (typeof cookie === 'number') {
    if (Number.isNaN(cookie)) throw new ValueError('cannot convert float NaN to integer');
    if (!Number.isFinite(cookie)) throw new OverflowError('cannot convert float infinity to integer');
    v = BigInt(Math.trunc(cookie));
  } else {
    throw new TypeError(
      `int() argument must be a string, a bytes-like object or a real number, not '${pyTypeName(cookie)}'`,
    );
  }
  if (v >= 1n << 168n) throw new OverflowError('int too big to convert');
  const field = (shift: bigint, bits: number) => Number(BigInt.asIntN(bits, v >> shift));
  return {
    startPos: field(0n, 64),
    decFlags: field(64n, 32),
    bytesToFeed: field(96n, 32),
    charsToSkip: field(128n, 32),
    needEof: (v >> 160n) % 256n !== 0n,
  };
}

/** Python's `cookie == 0`, for seek()'s relative whences: 0, 0n, -0 and false. */
export function isZero(cookie: unknown): boolean {
  return cookie === 0 || cookie === 0n || cookie === false;
}

/** Python's `cookie < 0` for seek(): numbers compare, anything else is CPython's TypeError. */
export function checkNotNegative(cookie: unknown): void {
  let negative: boolean;
  if (typeof cookie === 'number') negative = cookie < 0;
  else if (typeof cookie === 'bigint') negative = cookie < 0n;
  else if (typeof cookie === 'boolean') negative = false;
  else throw new TypeError(`'<' not supported between instances of '${pyTypeName(cookie)}' and 'int'`);
  if (negative) throw new ValueError(`negative seek position ${pyValueRepr(cookie)}`);
}

/**
 * _textiowrapper_decoder_setstate: at the very start of the stream the
 * decoder is reset rather than given flags 0, since some decoders start from
 * other flags ('utf-16' expects its BOM: 2).
 */
export function restoreDecoder(dec: CookieDecoder, c: Cookie): void {
  if (c.startPos === 0 && c.decFlags === 0) dec.reset();
  else dec.setstate([EMPTY, c.decFlags]);
}

/**
 * TextIOWrapper.tell()'s walk (textio.c): `position` is the buffer's
 * position, `used` how many characters were handed out since the snapshot,
 * `b2cratio` the bytes per character of the last chunk (for a first guess
 * close to the answer). The decoder's state is put back afterwards.
 */
export function tellCookie(
  dec: CookieDecoder,
  position: number,
  snap: Snapshot,
  used: number,
  b2cratio: number,
): number | bigint {
  const input = snap.next;
  const c: Cookie = {
    startPos: position - input.length,
    decFlags: snap.flags,
    bytesToFeed: 0,
    charsToSkip: 0,
    needEof: false,
  };
  if (used === 0) return packCookie(c);
  let charsToSkip = used;
  const saved = dec.getstate();
  try {
    // A fast search for a start point close to the position: for
    // fixed-width codecs (UTF-16, UTF-32, 8-bit) its first guess is right.
    let skipBytes = Math.trunc(b2cratio * charsToSkip);
    let skipBack = 1;
    while (skipBytes > 0) {
      restoreDecoder(dec, c);
      const n = pyLen(dec.decode(input.subarray(0, skipBytes), false));
      if (n <= charsToSkip) {
        const [held, flags] = dec.getstate();
        if (held.length === 0) {
          // Before the position and nothing held: a safe start point.
          c.decFlags = flags;
          charsToSkip -= n;
          break;
        }
        // Back by what the decoder held, and start the heuristic over.
        skipBytes -= held.length;
        skipBack = 1;
      } else {
        // Too far: back a little, then more each time.
        skipBytes -= skipBack;
        skipBack *= 2;
      }
    }
    if (skipBytes <= 0) {
      skipBytes = 0;
      restoreDecoder(dec, c);
    }
    c.startPos += skipBytes;
    c.charsToSkip = charsToSkip;
    if (charsToSkip === 0) return packCookie(c);

    // Then one byte at a time up to the position, moving the start to each
    // safe point passed on the way.
    let charsDecoded = 0;
    let i = skipBytes;
    for (; i < input.length; i++) {
      charsDecoded += pyLen(dec.decode(input.subarray(i, i + 1), false));
      c.bytesToFeed += 1;
      const [held, flags] = dec.getstate();
      if (held.length === 0 && charsDecoded <= charsToSkip) {
        c.startPos += c.bytesToFeed;
        charsToSkip -= charsDecoded;
        c.decFlags = flags;
        c.bytesToFeed = 0;
        charsDecoded = 0;
      }
      if (charsDecoded >= charsToSkip) break;
    }
    if (i === input.length) {
      // Not enough characters without EOF: ask for what EOF gives.
      charsDecoded += pyLen(dec.decode(EMPTY, true));
      c.needEof = true;
      if (charsDecoded < charsToSkip) throw new OSError("can't reconstruct logical file position");
    }
    c.charsToSkip = charsToSkip;
    return packCookie(c);
  } finally {
    dec.setstate(saved);
  }
}
