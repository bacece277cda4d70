// TextIOWrapper: CPython's text layer (Modules/_io/textio.c) over a buffered
// binary stream — incremental decoding, universal newlines, characters
// counted as Python counts them (code points, not UTF-16 units).
import { Buffer } from 'node:buffer';
import { type AsyncOptions, takeSignal, throwIfAborted } from '../abort.js';
import {
  bind,
  callMethod,
  isKwargs,
  pyTypeName,
  signature,
  sizeArg,
  toBool,
  toCInt,
  toInt,
  toSsize,
} from '../convert.js';
import { OSError, pyValueRepr, ValueError } from '../errors.js';
import { textBase } from './bases.js';
import { type Codec, type DecoderState, type IncrementalDecoder, lookupCodec } from './codecs.js';
import {
  CLOSED_DOT,
  closedError,
  detachedStream,
  flushThenClose,
  HIGH_SURROGATE,
  ioArgsError,
  isHigh,
  isLow,
  LF,
  NEWLINES,
  nameRepr,
  newlineKinds,
  pyLen,
  reentrant,
  seekArgsError,
  unsupported,
} from './common.js';
import {
  type CookieDecoder,
  checkNotNegative,
  isZero,
  parseCookie,
  restoreDecoder,
  type Snapshot,
  tellCookie,
} from './cookie.js';
import { type Finalizer, unwatch, watch } from './finalize.js';

/** The buffered stream a TextIOWrapper sits on. */
export interface BufferedIO {
  readonly closed: boolean;
  readonly name?: unknown;
  /** Absent on a BufferedRWPair, whose fileno() is IOBase's UnsupportedOperation. */
  fileno?(): number;
  isatty(): boolean;
  readable(): boolean;
  writable(): boolean;
  seekable(): boolean;
  read(size?: number | null): Buffer | null;
  read1?(size?: number | null): Buffer | null;
  write(b: Uint8Array): number | null;
  flush(): void;
  close(): void;
  truncate?(size?: number | null): number;
  // The awaitable twins (docs/async.md); a buffer without them is used through its blocking methods.
  writeAsync?(b: Uint8Array, options?: AsyncOptions): Promise<number | null>;
  flushAsync?(options?: AsyncOptions): Promise<void>;
  /** Resolves once read1() has bytes to return without reading (false), or at EOF (true). */
  _fillAsync?(signal: AbortSignal | null): Promise<boolean>;
  _bufferedCount?(): number;
  /** tell() and seek(), for a seekable buffer (what TextIOWrapper.tell()/seek() use). */
  tell?(): number | bigint;
  seek?(pos: number, whence?: number): number | bigint;
}

/** What _readChunk throws when a twin runs a blocking method that must not read (see readlineAsync). */
const NEED_DATA: unique symbol = Symbol('TextIOWrapper needs a chunk');
const EMPTY = Buffer.alloc(0);
const noop = (): void => {};

const DETACHED = detachedStream<BufferedIO>('underlying buffer has been detached');

/** The buffered layers' hooks for a collected object above them (buffered.ts); absent on other streams. */
interface FinalClose {
  _holds?(): boolean;
  _finalClose?(source: string): void;
}

/** Encoded text not yet given to the buffer (CPython's pending_bytes). Shared with the finalizer's record. */
class PendingBytes {
  chunks: Buffer[] = [];
  count = 0;

  /** The pending bytes as one Buffer, now no longer pending; null if there are none. */
  take(): Buffer | null {
    if (this.chunks.length === 0) return null;
    const b = this.chunks.length === 1 ? (this.chunks[0] as Buffer) : Buffer.concat(this.chunks, this.count);
    this.chunks = [];
    this.count = 0;
    return b;
  }
}

/**
 * What a collected TextIOWrapper leaves to do (finalize.ts): its pending
 * text goes to the buffer, which is then closed, as CPython's finalizer
 * calls close(); nothing is written where the fd below is no longer the
 * file this wrapper wrote to.
 */
class TextFinalizer implements Finalizer {
  constructor(
    readonly buffer: BufferedIO & FinalClose,
    readonly pend: PendingBytes,
    public repr: string,
  ) {}

  finish(source: string): void {
    const b = this.buffer;
    if (b.closed) return;
    try {
      this.flushAtExit();
    } finally {
      if (typeof b._finalClose === 'function') b._finalClose(source);
      else b.close();
    }
  }

  flushAtExit(): void {
    const b = this.buffer;
    if (b.closed || (typeof b._holds === 'function' && !b._holds())) return;
    const data = this.pend.take();
    if (data !== null) b.write(data);
    b.flush();
  }
}

/** The index `count` characters after `from` (or s.length if s has fewer); how many were found. */
function advance(s: string, from: number, count: number): { index: number; taken: number } {
  const len = s.length;
  const stop = from + count;
  if (stop <= len && !HIGH_SURROGATE.test(s.slice(from, stop))) return { index: stop, taken: count };
  let i = from;
  let taken = 0;
  while (taken < count && i < len) {
    i += isHigh(s.charCodeAt(i)) && i + 1 < len && isLow(s.charCodeAt(i + 1)) ? 2 : 1;
    taken++;
  }
  return { index: i, taken };
}

const RECONFIGURE_ARGS = ['encoding', 'errors', 'newline', 'line_buffering', 'write_through'];

function checkNewline(nl: string | null | undefined): void {
  if (typeof nl === 'string' && nl !== '' && nl !== '\n' && nl !== '\r' && nl !== '\r\n') {
    throw new ValueError(`illegal newline value: ${nl}`);
  }
}

const TEXTIOWRAPPER_ARGS = signature(
  'clinic',
  'TextIOWrapper',
  ['buffer', 'encoding', 'errors', 'newline', 'line_buffering', 'write_through'],
  { required: 1 },
);

/** TextIOWrapper(buffer, encoding=None, errors=None, newline=None, line_buffering=False, write_through=False). */
export class TextIOWrapper extends textBase {
  buffer: BufferedIO;
  private _encoding: string;
  private _errors: string;
  private _mode: string | undefined;
  private _lineBuffering: boolean;
  private _writeThrough: boolean;
  private _chunkSize = 8192;
  private codec: Codec;
  private decoder: IncrementalDecoder | undefined;
  private readonly _readable: boolean;
  private readonly _writable: boolean;
  // Newline handling, from the newline argument as textio.c derives it.
  private readUniversal = true;
  private readTranslate = true;
  private readNl = '\n';
  private writeNl: string | null = '\n';
  // IncrementalNewlineDecoder state: a held-back '\r' and the kinds seen.
  private pendingCR = false;
  private seenNl = 0;
  // Decoded text not yet returned: decoded[dpos..].
  private decoded = '';
  private dpos = 0;
  // CPython's b2cratio, from the last chunk: its bytes and its decoded text.
  private chunkBytes = 0;
  private chunkText = '';
  private readonly pend = new PendingBytes();
  // CPython writes a BOM only at the start of a seekable stream, never on a pipe.
  private atStart = false;
  private readonly _fin: TextFinalizer;
  // tell() and seek() (lib/io/cookie.ts): whether the buffer was seekable
  // when the wrapper was made; whether tell() works now (not while a
  // for...of is under way, as CPython's next() turns it off); the last
  // chunk's snapshot, and where its text starts in `decoded`.
  private readonly _seekable: boolean;
  private telling: boolean;
  private snapshot: Snapshot | null = null;
  private snapStart = 0;
  /** The decoder as tell() drives it: the codec's, behind the newline layer. */
  private readonly cookieDecoder: CookieDecoder = {
    decode: (input, final) => this._decode(input, final),
    getstate: () => this._decGetstate(),
    setstate: (state) => this._decSetstate(state),
    reset: () => this._decReset(),
  };
  // The awaitable twins (docs/async.md). While _noWait is set, _readChunk
  // never reads: it takes EOF if a twin saw it (_eofSeen), else throws
  // NEED_DATA, and the twin reads a chunk in the event loop and runs the
  // blocking method again. While _deferred is set, bytes for the buffer
  // and its flush are kept for the twin to write in the event loop.
  private _noWait = false;
  private _eofSeen = false;
  private _deferred: Buffer[] | null = null;
  private _deferredFlush = false;
  private _readQueue: Promise<unknown> = Promise.resolve();
  /** Awaitable reads and writes pending: the blocking methods of that direction raise meanwhile (reentrant()). */
  private _asyncReads = 0;
  private _asyncWrites = 0;

  constructor(
    buffer: BufferedIO,
    encoding?: string | null | Record<string, unknown>,
    errors?: string | null | Record<string, unknown>,
    newline?: string | null | Record<string, unknown>,
    line_buffering?: boolean | Record<string, unknown>,
    write_through?: boolean | Record<string, unknown>,
  );
  constructor(...args: unknown[]) {
    super();
    const a = bind(TEXTIOWRAPPER_ARGS, args);
    const buffer = a.buffer as BufferedIO;
    const encoding = a.encoding;
    const errors = a.errors;
    const newline = a.newline;
    for (const [k, v] of [
      ['encoding', encoding],
      ['errors', errors],
      ['newline', newline],
    ] as const) {
      if (v !== undefined && v !== null && typeof v !== 'string') {
        throw new TypeError(`TextIOWrapper() argument '${k}' must be str or None, not ${pyTypeName(v)}`);
      }
    }
    const nl = newline as string | null | undefined;
    checkNewline(nl);
    // The locale encoding of a UTF-8 system, which is what CPython reports by default.
    const enc = encoding === undefined || encoding === null || encoding === 'locale' ? 'UTF-8' : (encoding as string);
    this.codec = lookupCodec(enc);
    this._encoding = enc;
    this._errors = errors === undefined || errors === null ? 'strict' : (errors as string);
    this._lineBuffering = a.line_buffering === undefined ? false : toBool(a.line_buffering);
    this._writeThrough = a.write_through === undefined ? false : toBool(a.write_through);
    this.buffer = buffer;

    this._setNewline(nl);

    this._readable = Boolean(callMethod(buffer, 'readable'));
    this._writable = Boolean(callMethod(buffer, 'writable'));
    this._seekable = Boolean(callMethod(buffer, 'seekable'));
    this.telling = this._seekable;
    this._fin = new TextFinalizer(buffer, this.pend, '');
    this._fin.repr = this.toString();
    watch(this, this._fin, this._writable);
    if (this._writable) {
      try {
        this.atStart = this._seekable && buffer.tell?.() === 0;
      } catch {
        this.atStart = false;
      }
    }
  }

  get closed(): boolean {
    return this.buffer.closed;
  }

  /** Set by io.open to the mode it was given, as CPython does. */
  get mode(): string | undefined {
    return this._mode;
  }
  set mode(v: string | undefined) {
    this._mode = v;
    this._fin.repr = this.toString();
  }

  get name(): unknown {
    return this.buffer.name;
  }

  get line_buffering(): boolean {
    return this._lineBuffering;
  }

  get write_through(): boolean {
    return this._writeThrough;
  }

  /** The newline argument, as textio.c derives its reading and writing rules from it. */
  private _setNewline(nl: string | null | undefined): void {
    this.readUniversal = nl === undefined || nl === null || nl === '';
    this.readTranslate = nl === undefined || nl === null;
    this.readNl = typeof nl === 'string' && nl !== '' ? nl : '\n';
    const writeTranslate = nl === undefined || nl === null || nl !== '';
    this.writeNl = writeTranslate ? (typeof nl === 'string' ? nl : '\n') : null;
  }

  // Read-only as in CPython: JS assignment would otherwise change them silently.
  get encoding(): string {
    return this._encoding;
  }
  set encoding(_v: string) {
    throw new TypeError('readonly attribute');
  }
  get errors(): string {
    return this._errors;
  }
  set errors(_v: string) {
    throw new TypeError("attribute 'errors' of '_io.TextIOWrapper' objects is not writable");
  }

  /** CPython's _CHUNK_SIZE: how much one decode step asks of the buffer; a positive int. */
  get _CHUNK_SIZE(): number {
    return this._chunkSize;
  }
  set _CHUNK_SIZE(v: number) {
    // PyNumber_AsSsize_t(v, ValueError): any int, one beyond 64 bits a ValueError.
    const n = toInt(v);
    if (n >= 2 ** 63 || n < -(2 ** 63)) throw new ValueError("cannot fit 'int' into an index-sized integer");
    if (n <= 0) throw new ValueError('a strictly positive integer is required');
    this._chunkSize = Number(n);
  }

  /**
   * reconfigure(*, encoding=None, errors=None, newline=<unchanged>,
   * line_buffering=None, write_through=None), keywords only: flushes, then
   * changes what was given. The encoding, errors and newline cannot change
   * while decoded text is held (after a read, until a write or EOF drops it).
   */
  reconfigure(kwargs?: {
    encoding?: string | null;
    errors?: string | null;
    newline?: string | null;
    line_buffering?: boolean | number | null;
    write_through?: boolean | number | null;
  }): void {
    if (arguments.length > 1 || (kwargs !== undefined && !isKwargs(kwargs))) {
      throw new TypeError('reconfigure() takes no positional arguments');
    }
    const kw = (kwargs ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(kw)) {
      if (!RECONFIGURE_ARGS.includes(k)) throw new TypeError(`'${k}' is an invalid keyword argument for reconfigure()`);
    }
    const strOrNone = (k: string): string | null => {
      const v = kw[k] ?? null;
      if (v !== null && typeof v !== 'string') {
        throw new TypeError(`reconfigure() argument '${k}' must be str or None, not ${pyTypeName(v)}`);
      }
      return v;
    };
    const encoding = strOrNone('encoding');
    const errors = strOrNone('errors');
    const newlineGiven = kw.newline !== undefined;
    const newline = newlineGiven ? strOrNone('newline') : null;
    const lineBuffering =
      kw.line_buffering === undefined || kw.line_buffering === null ? null : toBool(kw.line_buffering);
    const writeThrough = kw.write_through === undefined || kw.write_through === null ? null : toBool(kw.write_through);
    // CPython's test is decoded_chars != NULL: decoded text is held (a failed
    // decode, a read to EOF or a write leaves none). It comes before the
    // newline's value is looked at.
    if (this.decoded.length > 0 && (encoding !== null || errors !== null || newlineGiven)) {
      throw unsupported('It is not possible to set the encoding or newline of stream after the first read');
    }
    checkNewline(newline);
    this.flush();
    if (encoding !== null || errors !== null || newlineGiven) {
      // CPython makes a new decoder (and newline decoder) for any of the three:
      // bytes it held and the newline kinds it saw are dropped.
      this.decoder = undefined;
      this.pendingCR = false;
      this.seenNl = 0;
    }
    if (encoding !== null || errors !== null) {
      const enc = encoding === null ? this.encoding : encoding === 'locale' ? 'UTF-8' : encoding;
      const codec = encoding === null ? this.codec : lookupCodec(enc);
      this.codec = codec;
      this._encoding = enc;
      this._errors = errors ?? 'strict';
    }
    if (newlineGiven) this._setNewline(newline);
    if (lineBuffering !== null) this._lineBuffering = lineBuffering;
    if (writeThrough !== null) this._writeThrough = writeThrough;
    this._fin.repr = this.toString();
  }

  /** The newline kinds read so far, as CPython reports them (universal mode only). */
  get newlines(): string | string[] | null {
    if (this.buffer === DETACHED) throw new ValueError('underlying buffer has been detached');
    if (!this.readUniversal || this.decoder === undefined) return null;
    return NEWLINES[this.seenNl] ?? null;
  }

  fileno(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'fileno', 0, arguments.length);
    const b = this.buffer;
    if (typeof b.fileno !== 'function') throw unsupported('fileno');
    return b.fileno();
  }

  isatty(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'isatty', 0, arguments.length);
    return this.buffer.isatty();
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    return this.buffer.readable();
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    return this.buffer.writable();
  }

  override seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    return this.buffer.seekable();
  }

  // ---- reading ----

  private _checkReadable(): void {
    if (this.buffer.closed) throw closedError(CLOSED_DOT);
    if (!this._readable) throw unsupported('not readable');
    if (this.pend.count > 0) this._writeFlush();
  }

  private _decoder(): IncrementalDecoder {
    this.decoder ??= this.codec.decoder(this.errors, true);
    return this.decoder;
  }

  // The state of the decoder as a whole, as CPython's IncrementalNewlineDecoder
  // keeps it in universal mode: the codec's flags shifted left, and whether
  // a '\r' is held back in the lowest bit.
  private _decGetstate(): DecoderState {
    const [held, flags] = this._decoder().getstate();
    return this.readUniversal ? [held, flags * 2 + (this.pendingCR ? 1 : 0)] : [held, flags];
  }

  private _decSetstate([held, flags]: DecoderState): void {
    if (this.readUniversal) {
      this.pendingCR = (flags & 1) === 1;
      flags = Math.floor(flags / 2);
    }
    this._decoder().setstate([held, flags]);
  }

  /** reset(): the newline layer forgets the kinds of newline it saw too, as in CPython. */
  private _decReset(): void {
    if (this.readUniversal) {
      this.pendingCR = false;
      this.seenNl = 0;
    }
    this._decoder().reset();
  }

  // IncrementalNewlineDecoder.decode: hold a trailing '\r' back so a '\r\n'
  // split across two chunks is still seen as one line ending.
  private _decode(input: Uint8Array, final: boolean): string {
    let out = this._decoder().decode(input, final);
    if (!this.readUniversal) return out;
    if (this.pendingCR && (out.length > 0 || final)) {
      out = `\r${out}`;
      this.pendingCR = false;
    }
    if (!final && out.charCodeAt(out.length - 1) === 13) {
      out = out.slice(0, -1);
      this.pendingCR = true;
    }
    if (out.indexOf('\r') < 0) {
      if ((this.seenNl & LF) === 0 && out.indexOf('\n') >= 0) this.seenNl |= LF;
      return out;
    }
    this.seenNl |= newlineKinds(out);
    if (this.readTranslate) out = out.replace(/\r\n?/g, '\n');
    return out;
  }

  /**
   * One read1 from the buffer, decoded and appended; false at EOF. As in
   * CPython, a read(n) asks for at least the bytes its `sizeHint` characters
   * took in the last chunk, and input the decoder rejects is lost.
   */
  private _readChunk(sizeHint = 0): boolean {
    let size = this._chunkSize;
    if (sizeHint > 0) {
      const chars = this.chunkText.length > 0 ? pyLen(this.chunkText) : 0;
      const ratio = chars > 0 ? this.chunkBytes / chars : 0;
      size = Math.max(size, Math.trunc(Math.max(ratio, 1) * sizeHint));
    }
    // tell() needs a point where the decoder held nothing: the bytes it
    // holds now are that many bytes back, with its flags as they are.
    const before = this.telling ? this._decGetstate() : null;
    let b: Buffer | null;
    if (this._noWait) {
      if (!this._eofSeen) throw NEED_DATA;
      this._eofSeen = false;
      b = EMPTY;
    } else {
      b = typeof this.buffer.read1 === 'function' ? this.buffer.read1(size) : this.buffer.read(size);
    }
    const eof = b === null || b.length === 0;
    const input = b ?? Buffer.alloc(0);
    const text = this._decode(input, eof);
    this.chunkBytes = b === null ? 0 : b.length;
    this.chunkText = text;
    if (before !== null) {
      const [held, flags] = before;
      this.snapshot = { flags, next: held.length === 0 ? input : Buffer.concat([held, input]) };
    }
    if (text.length > 0) {
      const rest = this.dpos < this.decoded.length ? this.decoded.slice(this.dpos) : '';
      this.decoded = rest + text;
      this.dpos = 0;
      this.snapStart = rest.length;
    } else {
      this.snapStart = this.decoded.length;
    }
    return !eof;
  }

  /** read(size=-1): size characters, fewer only at EOF; everything up to EOF when size < 0. */
  read(size?: number | null): string {
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    const n = sizeArg(size, -1);
    if (this._asyncReads !== 0 && !this._noWait) throw reentrant(this, 'read');
    this._checkReadable();
    if (n < 0) {
      const rest = this.buffer.read();
      const tail = this._decode(rest ?? Buffer.alloc(0), true);
      const out = this.decoded.slice(this.dpos) + tail;
      this.decoded = '';
      this.dpos = 0;
      // At EOF the buffer's position is the text's: tell() needs no snapshot.
      this.snapshot = null;
      return out;
    }
    let out = '';
    let remaining = n;
    for (;;) {
      const { index, taken } = advance(this.decoded, this.dpos, remaining);
      if (taken > 0) {
        out += this.decoded.slice(this.dpos, index);
        this.dpos = index;
        remaining -= taken;
      }
      if (remaining === 0) return out;
      if (!this._readChunk(remaining)) {
        const { index: i2, taken: t2 } = advance(this.decoded, this.dpos, remaining);
        out += this.decoded.slice(this.dpos, i2);
        this.dpos = i2;
        remaining -= t2;
        return out;
      }
    }
  }

  /** The end of the first line in s at or after from (just past its line ending), or -1. */
  private _lineEnd(s: string, from: number): number {
    if (this.readTranslate) {
      const i = s.indexOf('\n', from);
      return i < 0 ? -1 : i + 1;
    }
    if (this.readUniversal) {
      const nl = s.indexOf('\n', from);
      const cr = s.indexOf('\r', from);
      if (cr < 0) return nl < 0 ? -1 : nl + 1;
      if (nl < 0 || nl > cr + 1) return cr + 1;
      return nl < cr ? nl + 1 : cr + 2;
    }
    const i = s.indexOf(this.readNl, from);
    return i < 0 ? -1 : i + this.readNl.length;
  }

  /** readline(size=-1): one line with its ending, at most size characters. */
  readline(size?: number): string {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    // Py_ssize_t in CPython's clinic, not Optional: readline(None) is a
    // TypeError there, unlike read(None) and the buffered readline(None).
    const limit = size === undefined ? -1 : toSsize(size);
    if (this._asyncReads !== 0 && !this._noWait) throw reentrant(this, 'read');
    this._checkReadable();
    const s = this.decoded;
    const start = this.dpos;
    const end = this._lineEnd(s, start);
    if (end >= 0 && limit < 0) {
      this.dpos = end;
      return s.slice(start, end);
    }
    try {
      return this._readlineSlow(limit, end);
    } catch (e) {
      if (e === NEED_DATA) throw e; // a twin's: nothing failed, it reads a chunk and comes back
      // CPython has set the text read so far aside when a chunk fails: it is lost.
      this.decoded = '';
      this.dpos = 0;
      throw e;
    }
  }

  // Keep appending chunks until a line ending, the limit or EOF. As in CPython,
  // a chunk is read before the limit is looked at only when no text is held
  // (so readline(0) reads on a fresh file, but not once held text is used
  // up). A '\r\n' newline may straddle the old end, so the search backs up
  // one, and a '\r' at the end does not count toward the limit yet.
  private _readlineSlow(limit: number, end: number): string {
    let s = this.decoded;
    let start = this.dpos;
    const back = this.readNl.length - 1;
    for (;;) {
      if (end >= 0) break;
      if (limit >= 0 && s.length > 0) {
        const { index, taken } = advance(s, start, limit);
        const consumable = back > 0 && s.length > start && s.endsWith('\r') ? s.length - 1 : s.length;
        if (taken >= limit && index <= consumable) break;
      }
      const searched = Math.max(0, s.length - start - back);
      if (!this._readChunk()) {
        s = this.decoded;
        start = this.dpos;
        if (start >= s.length) {
          this.decoded = '';
          this.dpos = 0;
          return '';
        }
        end = this._lineEnd(s, start);
        if (end < 0) end = s.length;
        break;
      }
      s = this.decoded;
      start = this.dpos;
      end = this._lineEnd(s, start + searched);
    }
    if (limit >= 0) {
      const cap = advance(s, start, limit).index;
      if (end < 0 || end > cap) end = cap;
    }
    this.dpos = end;
    return s.slice(start, end);
  }

  /**
   * `for (const line of f)`: a fast iterator over readline(). As CPython's
   * next(), it turns tell() off until EOF (or a flush() or seek()).
   */
  override [Symbol.iterator](): Iterator<string> {
    this._checkClosed();
    return {
      next: (): IteratorResult<string> => {
        this.telling = false;
        const line = this.readline();
        if (line.length > 0) return { done: false, value: line };
        this.snapshot = null;
        this.telling = this._seekable;
        return { done: true, value: undefined };
      },
    };
  }

  override readlines(hint?: number | null): string[] {
    if (arguments.length > 1) throw ioArgsError(this, 'readlines', 1, arguments.length);
    return super.readlines(hint) as string[];
  }

  // ---- writing ----

  /** write(s): returns the number of characters (code points) written. */
  write(s: string): number;
  write(s: unknown): number {
    if (arguments.length !== 1) throw ioArgsError(this, 'write', 1, arguments.length, true);
    if (typeof s !== 'string') {
      throw new TypeError(
        `write() argument must be str, not ${s === null || s === undefined ? 'None' : pyTypeName(s)}`,
      );
    }
    if (this.buffer.closed) throw closedError(CLOSED_DOT);
    if (!this._writable) throw unsupported('not writable');
    if (this._asyncWrites !== 0 && this._deferred === null) throw reentrant(this, 'write');
    let text = s;
    const hasLf = (this.writeNl !== null || this._lineBuffering) && text.indexOf('\n') >= 0;
    if (hasLf && this.writeNl !== null && this.writeNl !== '\n') text = text.replaceAll('\n', this.writeNl);
    const needFlush = this._lineBuffering && (hasLf || text.indexOf('\r') >= 0);
    // The BOM goes with the first write only, even when that write fails (as in CPython).
    const first = this.atStart;
    this.atStart = false;
    const b = this.codec.encode(text, this.errors, first);
    const pend = this.pend;
    if (pend.count + b.length > this._chunkSize) this._writeFlush();
    pend.chunks.push(b);
    pend.count += b.length;
    if (pend.count >= this._chunkSize || needFlush || this._writeThrough) this._writeFlush();
    if (needFlush) {
      if (this._deferred !== null) this._deferredFlush = true;
      else this.buffer.flush();
    }
    // CPython drops the text decoded ahead (and tell()'s snapshot) and
    // resets the decoder: the kinds of newline seen, a held-back '\r' and a
    // partial character all go.
    if (this.decoded.length > 0) {
      this.decoded = '';
      this.dpos = 0;
    }
    this.snapshot = null;
    if (this.decoder !== undefined) {
      this.decoder = undefined;
      this.pendingCR = false;
      this.seenNl = 0;
    }
    return pyLen(s);
  }

  private _writeFlush(): void {
    const b = this.pend.take();
    if (b === null) return;
    if (this._deferred !== null) this._deferred.push(b);
    else this.buffer.write(b);
  }

  flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
    if (this.buffer.closed) throw closedError(CLOSED_DOT);
    if (this._asyncWrites !== 0) throw reentrant(this, 'write');
    this.telling = this._seekable;
    this._writeFlush();
    this.buffer.flush();
  }

  /**
   * tell(): an opaque cookie for seek() (lib/io/cookie.ts), the byte
   * offset in most cases; a number, or a BigInt when the decoder's state
   * makes it pass 2**53.
   */
  tell(): number | bigint {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    this._checkClosed();
    if (!this._seekable) throw unsupported('underlying stream is not seekable');
    if (!this.telling) throw new OSError('telling position disabled by next() call');
    this._writeFlush();
    this.flush();
    const position = this._bufferTell();
    const snap = this.snapshot;
    if (this.decoder === undefined || snap === null) return position;
    const used = this.dpos > this.snapStart ? pyLen(this.decoded.slice(this.snapStart, this.dpos)) : 0;
    const chars = this.chunkText.length > 0 ? pyLen(this.chunkText) : 0;
    return tellCookie(this.cookieDecoder, position, snap, used, chars > 0 ? this.chunkBytes / chars : 0);
  }

  /**
   * seek(cookie, whence=0): to a cookie tell() gave (or 0); whence 1 and 2
   * take only 0 (the current position, the end). Returns the cookie, as
   * CPython does.
   */
  seek(cookie: number | bigint, whence?: number): number | bigint {
    if (arguments.length > 2) throw ioArgsError(this, 'seek', 2, arguments.length);
    if (arguments.length === 0) throw seekArgsError();
    // whence is a C int of the clinic signature: a bad one is a TypeError before the closed check.
    const wh = whence === undefined ? 0 : toCInt(whence);
    this._checkClosed();
    if (!this._seekable) throw unsupported('underlying stream is not seekable');
    let target: unknown = cookie;
    if (wh === 1) {
      if (!isZero(cookie)) throw unsupported("can't do nonzero cur-relative seeks");
      // Seeking to where it is syncs the buffer with the text's position.
      target = this.tell();
    } else if (wh === 2) {
      if (!isZero(cookie)) throw unsupported("can't do nonzero end-relative seeks");
      this.flush();
      this._dropDecoded();
      if (this._readable) this._decReset();
      const end = this._bufferSeek(0, 2);
      if (this._writable) this.atStart = end === 0 || end === 0n;
      return end;
    } else if (wh !== 0) {
      throw new ValueError(`invalid whence (${wh}, should be 0, 1 or 2)`);
    }
    checkNotNegative(target);
    this.flush();
    // Back to the safe start point, then replay what read the skipped characters.
    const c = parseCookie(target);
    this._bufferSeek(c.startPos);
    this._dropDecoded();
    if (this._readable) restoreDecoder(this.cookieDecoder, c);
    if (c.charsToSkip !== 0 && this._readable) {
      const input = this.buffer.read(c.bytesToFeed);
      if (!(input instanceof Uint8Array)) {
        throw new TypeError(`underlying read() should have returned a bytes object, not '${pyTypeName(input)}'`);
      }
      this.snapshot = { flags: c.decFlags, next: input };
      const text = this._decode(input, c.needEof);
      this.decoded = text;
      if (advance(text, 0, c.charsToSkip).taken < c.charsToSkip) {
        throw new OSError("can't restore logical file position");
      }
      this.dpos = advance(text, 0, c.charsToSkip).index;
    } else {
      this.snapshot = { flags: c.decFlags, next: Buffer.alloc(0) };
    }
    // The encoder writes a BOM again only at the very start.
    if (this._writable) this.atStart = c.startPos === 0 && c.decFlags === 0;
    return target as number | bigint;
  }

  /** The text decoded ahead goes (seek): what comes next is read again. */
  private _dropDecoded(): void {
    this.decoded = '';
    this.dpos = 0;
    this.snapStart = 0;
    this.snapshot = null;
  }

  private _bufferTell(): number {
    const b = this.buffer;
    if (typeof b.tell !== 'function') throw unsupported('tell');
    return Number(b.tell());
  }

  private _bufferSeek(pos: number, whence = 0): number | bigint {
    const b = this.buffer;
    if (typeof b.seek !== 'function') throw unsupported('seek');
    return b.seek(pos, whence);
  }

  truncate(size?: number | null): number {
    if (arguments.length > 1) throw ioArgsError(this, 'truncate', 1, arguments.length);
    this._checkClosed();
    this.flush();
    if (typeof this.buffer.truncate !== 'function') throw unsupported('truncate');
    return this.buffer.truncate(size);
  }

  /** detach(): flush, then hand back the buffer; this object is unusable after. */
  detach(): BufferedIO {
    if (arguments.length > 0) throw ioArgsError(this, 'detach', 0, arguments.length);
    this._checkClosed();
    this.flush();
    const b = this.buffer;
    this.buffer = DETACHED;
    unwatch(this._fin);
    return b;
  }

  close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    if (this.buffer.closed) return;
    flushThenClose(
      () => this.flush(),
      () => {
        unwatch(this._fin);
        this.buffer.close();
      },
    );
  }

  // ---- the awaitable twins (docs/async.md) ----
  // The reads run the blocking method with _noWait set: where it would read
  // a chunk, the twin reads one in the event loop (into the buffered
  // layer's read-ahead) and runs it again, so the text logic is the blocking
  // method's own. The writes run the blocking method with _deferred set and
  // then write what it produced with the buffer's twins.

  private _serial<T>(f: () => Promise<T>): Promise<T> {
    this._asyncReads++;
    const run = this._readQueue.then(f, f).finally(() => {
      this._asyncReads--;
    });
    this._readQueue = run.then(noop, noop);
    return run;
  }

  /**
   * One chunk for the decoder without blocking: waits until the buffer
   * holds bytes, then decodes them (_readChunk, whose read1 takes them
   * from the buffer); at EOF only notes it (_eofSeen) and returns false.
   */
  private async _readChunkAsync(sizeHint: number, signal: AbortSignal | null): Promise<boolean> {
    const buffer = this.buffer;
    if (typeof buffer._fillAsync !== 'function' || typeof buffer._bufferedCount !== 'function') {
      return this._readChunk(sizeHint); // a buffer of the program's own: its blocking read1
    }
    for (;;) {
      throwIfAborted(signal);
      const eof = await buffer._fillAsync(signal);
      if (buffer._bufferedCount() > 0) return this._readChunk(sizeHint);
      if (eof) {
        this._eofSeen = true;
        return false;
      }
      // A blocking read took the bytes meanwhile: wait for more.
    }
  }

  /** Runs a blocking read method that must not read (see _noWait). */
  private _noWaitRun<T>(f: () => T): T {
    this._noWait = true;
    try {
      return f();
    } finally {
      this._noWait = false;
    }
  }

  /** read(size=-1)'s twin: size characters, fewer only at EOF; all up to EOF for a negative size. */
  override readAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<string>;
  override async readAsync(...a: unknown[]): Promise<string> {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, 'read', 1, args.length);
    const n = sizeArg(args[0], -1);
    this._checkReadable();
    return this._serial(async () => {
      try {
        throwIfAborted(signal);
        this._checkReadable();
        if (n < 0) {
          while (await this._readChunkAsync(1 << 20, signal));
          this._eofSeen = false;
          const out = this.decoded.slice(this.dpos) + this._decode(EMPTY, true);
          this.decoded = '';
          this.dpos = 0;
          return out;
        }
        for (;;) {
          const { taken } = advance(this.decoded, this.dpos, n);
          if (taken >= n || !(await this._readChunkAsync(n - taken, signal))) break;
        }
        return this._noWaitRun(() => this.read(n));
      } finally {
        this._eofSeen = false;
      }
    });
  }

  /** readline(size=-1)'s twin: one line with its ending, at most size characters; '' at EOF. */
  override readlineAsync(size?: number | AsyncOptions, options?: AsyncOptions): Promise<string>;
  override async readlineAsync(...a: unknown[]): Promise<string> {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, 'readline', 1, args.length);
    const limit = args[0] === undefined ? -1 : toSsize(args[0]);
    this._checkReadable();
    return this._serial(async () => {
      try {
        for (;;) {
          throwIfAborted(signal);
          try {
            return this._noWaitRun(() => this.readline(limit));
          } catch (e) {
            if (e !== NEED_DATA) throw e;
          }
          await this._readChunkAsync(0, signal);
        }
      } finally {
        this._eofSeen = false;
      }
    });
  }

  /** The bytes a blocking write method produced for the buffer (see _deferred), written with its twins. */
  private async _sendDeferred(run: () => void, signal: AbortSignal | null): Promise<void> {
    this._deferred = [];
    this._deferredFlush = false;
    let chunks: Buffer[];
    let flush: boolean;
    try {
      run();
    } finally {
      chunks = this._deferred;
      flush = this._deferredFlush;
      this._deferred = null;
      this._deferredFlush = false;
    }
    const buffer = this.buffer;
    // Handed to the buffer before anything waits: the bytes keep their order.
    const data = chunks.length === 1 ? (chunks[0] as Buffer) : chunks.length > 1 ? Buffer.concat(chunks) : null;
    this._asyncWrites++;
    try {
      if (data !== null) {
        if (typeof buffer.writeAsync === 'function') await buffer.writeAsync(data, { signal });
        else buffer.write(data);
      }
      if (flush) {
        if (typeof buffer.flushAsync === 'function') await buffer.flushAsync({ signal });
        else buffer.flush();
      }
    } finally {
      this._asyncWrites--;
    }
  }

  /**
   * write(s)'s twin: the number of characters; what write() would give the
   * buffer (and flush, with line_buffering) goes through the buffer's
   * twins. An abort leaves the text encoded in the buffer (docs/async.md).
   */
  override writeAsync(s: unknown, options?: AsyncOptions): Promise<number>;
  override async writeAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    throwIfAborted(signal);
    let n = 0;
    await this._sendDeferred(() => {
      n = (this.write as (...a: unknown[]) => number).apply(this, args);
    }, signal);
    return n;
  }

  /** flush()'s twin: the pending text into the buffer, and the buffer out to the fd, waiting in the event loop. */
  override flushAsync(options?: AsyncOptions): Promise<void>;
  override async flushAsync(...a: unknown[]): Promise<void> {
    const [args, signal] = takeSignal(a);
    if (args.length > 0) throw ioArgsError(this, 'flush', 0, args.length);
    if (this.buffer.closed) throw closedError(CLOSED_DOT);
    throwIfAborted(signal);
    await this._sendDeferred(() => {
      this._writeFlush();
      this._deferredFlush = true;
    }, signal);
  }

  override toString(): string {
    // As CPython: a name that cannot be had (detached, or a BytesIO below) is left out.
    let name = '';
    try {
      const n = this.buffer.name;
      if (n !== undefined) name = ` name=${nameRepr(n)}`;
    } catch {}
    const mode = this._mode === undefined ? '' : ` mode=${pyValueRepr(this._mode)}`;
    return `<_io.TextIOWrapper${name}${mode} encoding='${this.encoding}'>`;
  }
}
