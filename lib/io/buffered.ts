// BufferedReader, BufferedWriter, BufferedRandom and BufferedRWPair: CPython's
// buffered layer (Modules/_io/bufferedio.c), with its read loops, its flush
// rules and its error wording. One Buffer per object holds the read-ahead
// (pos..end) and one the pending writes (a WriteBuffer); hot paths reuse them.
import { Buffer, constants as bufferConstants } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { type AsyncOptions, takeSignal, throwIfAborted } from '../abort.js';
import {
  bind,
  bindList,
  callMethod,
  signature,
  sizeArg,
  toBufferSize,
  toBytes,
  toCInt,
  toInt,
  toSsize,
  toWritableBytes,
} from '../convert.js';
import { MemoryError, OSError, ValueError } from '../errors.js';
import type { Attempt } from '../posix/nowait.js';
import { READABLE, WRITABLE, waitFd } from '../posix/ready.js';
import { newReadBuffer, POOLED_MAX } from '../readpool.js';
import { shrink } from '../readsize.js';
import { bufferedBase } from './bases.js';
import {
  blockingError,
  closedError,
  DEFAULT_BUFFER_SIZE,
  detachedStream,
  EAGAIN,
  flushThenClose,
  ioArgsError,
  nameRepr,
  reentrant,
  SEEK_CUR,
  SEEK_SET,
  seekArgsError,
  unsupported,
} from './common.js';
import { FileIO } from './fileio.js';
import { type Finalizer, unwatch, watch } from './finalize.js';
import { ioBaseReadline } from './iobase.js';

/** What a buffered object needs from its raw stream: FileIO, or anything shaped like RawIOBase. */
export interface RawIO {
  readonly closed: boolean;
  readonly name?: unknown;
  readonly mode?: unknown;
  fileno(): number;
  isatty(): boolean;
  readable(): boolean;
  writable(): boolean;
  seekable(): boolean;
  readinto?(b: Uint8Array): number | null;
  readall?(): Buffer | null;
  write?(b: Uint8Array): number | null;
  tell?(): number | bigint;
  seek?(pos: number, whence?: number): number | bigint;
  truncate?(size?: number | null): number;
  flush(): void;
  close(): void;
}

// After detach() every use raises this, as CPython's CHECK_INITIALIZED does;
// swapping the raw stream for it keeps the check off the hot paths.
const DETACHED = detachedStream<RawIO>('raw stream has been detached');

/**
 * What a raw stream's readinto() or write() returned, as a count of at most
 * len, or -1 for None (would block). CPython's wording: a count outside
 * [0, len] is OSError('raw readinto() returned invalid length ...'); a value
 * that is not an int, or not a Py_ssize_t, fails readinto() as
 * 'raw readinto() failed' and counts as -1 for write() (both as 3.11 words
 * them).
 */
function rawCount(k: unknown, len: number, method: 'readinto' | 'write'): number {
  if (k === null || k === undefined) return -1;
  let n: number;
  if (typeof k === 'number' && Number.isInteger(k) && Math.abs(k) < 2 ** 63) n = k;
  else if (typeof k === 'bigint' && k < 2n ** 63n && k >= -(2n ** 63n)) n = Number(k);
  else if (method === 'readinto') throw new OSError('raw readinto() failed');
  else n = -1;
  if (n < 0 || n > len) {
    throw new OSError(`raw ${method}() returned invalid length ${n} (should have been between 0 and ${len})`);
  }
  return n;
}

/** A position a raw stream's seek() or tell() returned: CPython's _buffered_raw_tell/_buffered_raw_seek checks. */
function rawPosition(p: unknown): number {
  const n = toInt(p);
  if (n >= 2 ** 63 || n < -(2 ** 63)) throw new ValueError("cannot fit 'int' into an offset-sized integer");
  if (n < 0) throw new OSError(`Raw stream returned invalid position ${n}`);
  return Number(n);
}

/** A raw stream's reads and writes as the buffered layer makes them: counts, -1 for would-block. */
interface RawAccess {
  read(v: Uint8Array): number;
  write(v: Uint8Array): number;
  readAt(ab: ArrayBuffer, off: number, len: number): number;
  writeAt(ab: ArrayBuffer, off: number, len: number): number;
}

/**
 * RawAccess for raw. Made here, apart from the buffered object: closures
 * made in its constructor would share a context with `this`, and the
 * finalizer's record, which keeps writeAt, would then keep the object alive.
 */
function rawAccess(raw: RawIO): RawAccess {
  if (raw instanceof FileIO) {
    return {
      read: raw._rawRead.bind(raw),
      write: raw._rawWrite.bind(raw),
      readAt: raw._rawReadAt.bind(raw),
      writeAt: raw._rawWriteAt.bind(raw),
    };
  }
  // A raw stream of the caller's is not trusted: the region it is asked
  // to fill is zeroed first, so a count that claims bytes it never wrote
  // exposes zeros, never an earlier read (CPython exposes stale memory
  // there), and the count is checked as _bufferedreader_raw_read and
  // _bufferedwriter_raw_write check it.
  const read = (v: Uint8Array): number => {
    if (typeof raw.readinto !== 'function') throw unsupported('readinto');
    v.fill(0);
    return rawCount(raw.readinto(v), v.length, 'readinto');
  };
  const write = (v: Uint8Array): number => {
    if (typeof raw.write !== 'function') throw unsupported('write');
    return rawCount(raw.write(v), v.length, 'write');
  };
  return {
    read,
    write,
    readAt: (ab, off, len) => read(new Uint8Array(ab, off, len)),
    writeAt: (ab, off, len) => write(new Uint8Array(ab, off, len)),
  };
}

/** Pending writes: buf[start..end) are buffered, not yet given to raw. Shared with the finalizer's record. */
class WriteBuffer {
  // buf's ArrayBuffer, kept: the .buffer getter is a call into V8's runtime.
  // Both are replaced when an awaited write grows the buffer (_pend), here
  // in place, so that the finalizer's record sees the new one.
  ab: ArrayBuffer;
  start = 0;
  end = 0;
  constructor(public buf: Buffer) {
    this.ab = buf.buffer as ArrayBuffer;
  }
}

/** Writes out w's pending bytes; BlockingIOError (0 written) if raw would block. */
function flushWrites(w: WriteBuffer, writeAt: RawAccess['writeAt']): void {
  while (w.start < w.end) {
    const n = writeAt(w.ab, w.buf.byteOffset + w.start, w.end - w.start);
    if (n < 0) throw blockingError(0);
    w.start += n;
  }
  w.start = w.end = 0;
}

/** Whether raw's fd is still the file it opened; a raw stream of the caller's is taken at its word. */
function rawHolds(raw: RawIO): boolean {
  return raw instanceof FileIO ? raw._holds() : true;
}

/**
 * What a collected buffered object leaves to do (finalize.ts): flush its
 * pending bytes (unless the fd below is no longer the file it wrote to),
 * then close raw, as CPython's finalizer calls close().
 */
class BufferedFinalizer implements Finalizer {
  constructor(
    readonly raw: RawIO,
    readonly w: WriteBuffer | null,
    readonly writeAt: RawAccess['writeAt'],
    public repr: string,
  ) {}

  finish(source: string): void {
    const raw = this.raw;
    if (raw.closed) return;
    try {
      this.flushAtExit();
    } finally {
      if (raw instanceof FileIO) raw._finalClose(source);
      else raw.close();
    }
  }

  flushAtExit(): void {
    const w = this.w;
    if (w === null || w.end <= w.start || this.raw.closed || !rawHolds(this.raw)) return;
    flushWrites(w, this.writeAt);
  }
}

const EMPTY = Buffer.alloc(0);
const NO_WRITES = new WriteBuffer(EMPTY);
const noop = (): void => {};
const EPERM = osConstants.errno.EPERM;
/** Size of the arenas read-ahead regions and read1 results are cut from. */
const ARENA = 256 * 1024;
/**
 * The first arena is small, so that making the next one (and carrying
 * pending bytes into it) has run, and left V8 its type feedback, before the
 * read path is optimized; otherwise the first full arena deoptimizes read().
 */
const FIRST_ARENA = 16 * 1024;
const MAX_BUFFER = bufferConstants.MAX_LENGTH;

abstract class BufferedBase extends bufferedBase {
  raw: RawIO;
  readonly buffer_size: number;
  // Read-ahead: bytes [pos, end) of the buffer came from raw and are not yet
  // consumed. The buffer is a window (a "region") of a larger arena starting
  // at rOff; read() hands out views of the arena instead of copies, so bytes
  // once read are never overwritten: where CPython empties its buffer and
  // reads into it again (_bufferedreader_reset_buf), the region moves on
  // past everything read so far, and a full arena is left to the views.
  private arena: ArrayBuffer = new ArrayBuffer(0);
  private rOff = 0;
  protected pos = 0;
  protected end = 0;
  // Pending writes (empty, never used, for a reader).
  protected w: WriteBuffer = NO_WRITES;
  protected readonly _reading: boolean;
  protected readonly _writing: boolean;
  private readonly _fin: BufferedFinalizer;
  // Raw reads and writes with EAGAIN as -1, bound once.
  private readonly rawRead: (v: Uint8Array) => number;
  private readonly rawWrite: (v: Uint8Array) => number;
  // The same on a range of an ArrayBuffer: the arena and the write buffer
  // are read into and written from at a new offset almost every call, and a
  // FileIO takes the range as it is, so no view object is made per syscall.
  private readonly rawReadAt: (ab: ArrayBuffer, off: number, len: number) => number;
  private readonly rawWriteAt: (ab: ArrayBuffer, off: number, len: number) => number;

  protected constructor(raw: RawIO, bufferSize: unknown, reading: boolean, writing: boolean) {
    super();
    // CPython calls these on whatever it was given ("'dict' object has no
    // attribute 'readable'"); BufferedRandom asks seekable() first.
    if (reading && writing && !callMethod(raw, 'seekable')) throw unsupported('File or stream is not seekable.');
    if (reading && !callMethod(raw, 'readable')) throw unsupported('File or stream is not readable.');
    if (writing && !callMethod(raw, 'writable')) throw unsupported('File or stream is not writable.');
    this.buffer_size = toBufferSize(bufferSize, DEFAULT_BUFFER_SIZE);
    this.raw = raw;
    this._reading = reading;
    this._writing = writing;
    if (writing) this.w = new WriteBuffer(Buffer.allocUnsafeSlow(this.buffer_size));
    const access = rawAccess(raw);
    this.rawRead = access.read;
    this.rawWrite = access.write;
    this.rawReadAt = access.readAt;
    this.rawWriteAt = access.writeAt;
    this._fin = new BufferedFinalizer(raw, writing ? this.w : null, access.writeAt, '');
    this._fin.repr = this.toString();
    watch(this, this._fin, writing);
  }

  get closed(): boolean {
    return this.raw.closed;
  }

  get name(): unknown {
    return this.raw.name;
  }

  get mode(): unknown {
    return this.raw.mode;
  }

  fileno(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'fileno', 0, arguments.length);
    return this.raw.fileno();
  }

  isatty(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'isatty', 0, arguments.length);
    return this.raw.isatty();
  }

  override seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    return this.raw.seekable();
  }

  /** Bytes [a, b) of the region, for copying and searching (no Buffer made). */
  private _bytes(a: number, b: number): Uint8Array {
    return new Uint8Array(this.arena, this.rOff + a, b - a);
  }

  /**
   * Bytes [a, b) of the region as a Buffer that shares the arena, as read()
   * returns them: consumed bytes are never overwritten, so no copy is needed.
   */
  private _shared(a: number, b: number): Buffer {
    return Buffer.from(this.arena, this.rOff + a, b - a);
  }

  /** Whether the fd below is still the file this object writes to (lib/posix/claims.ts). */
  _holds(): boolean {
    return this.raw !== DETACHED && rawHolds(this.raw);
  }

  /** close() as a collected object above this one does it (finalize.ts). */
  _finalClose(source: string): void {
    if (this.raw === DETACHED) return;
    unwatch(this._fin);
    try {
      this._fin.finish(source);
    } finally {
      this._resetBuf();
    }
  }

  // ---- reading ----

  /** read(size=-1): size bytes, fewer only at EOF (or when a non-blocking fd runs dry); null if it had none. */
  read(size?: number | null): Buffer | null {
    // A writer's read is BufferedIOBase's, which refuses before looking at anything.
    if (!this._reading) throw unsupported('read');
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    const n = typeof size === 'number' && (size | 0) === size ? size : sizeArg(size, -1);
    if (n < -1) throw new ValueError('read length must be non-negative or -1');
    if (this.raw.closed) throw closedError('read of closed file');
    if (this._asyncReads !== 0) throw reentrant(this, 'read');
    if (n === -1) return this._readAll();
    // One Buffer.from for every way out: TurboFan inlines Buffer.from whole
    // at each call site, and read() is compiled while the exchange runs.
    let start: number;
    let len = n;
    if (n <= this.end - this.pos) {
      start = this.rOff + this.pos;
      this.pos += n;
    } else {
      // CPython's _bufferedreader_read_generic, in read() itself: as its own
      // function TurboFan compiled it twice, alone and again inlined here
      // (~12 ms a process). Whole blocks go straight into the result, the
      // tail through the buffer, and no read(2) once n bytes are in; a
      // request that fits in one buffer is assembled in the region itself.
      if (this.w.end > this.w.start) this._flushUnlocked();
      const bs = this.buffer_size;
      const avail = this.end - this.pos;
      if (n > bs) return this._readBig(n, avail);
      // The read-ahead stays where it is, just before the new region, so the
      // result is one view: [carry | bytes read now].
      this._resetBuf();
      this._room(bs, avail);
      start = this.rOff - avail;
      let have = avail;
      while (have < n) {
        const r = this.rawReadAt(this.arena, this.rOff + this.end, bs - this.end);
        if (r <= 0) {
          // EOF, or EAGAIN on a non-blocking fd: what came, or None if nothing did.
          if (r < 0 && have === 0) {
            this.pos = this.end;
            return null;
          }
          len = have;
          break;
        }
        this.end += r;
        have += r;
      }
      this.pos = len - avail;
    }
    return Buffer.from(this.arena, start, len);
  }

  /** CPython's _bufferedreader_reset_buf: the buffer is empty, and the next bytes go after everything read so far. */
  private _resetBuf(): void {
    this.rOff += this.end;
    this.pos = this.end = 0;
  }

  /**
   * After _resetBuf: make sure len bytes fit at rOff, in a new arena if
   * needed, keeping the carry bytes just before rOff in front of it.
   */
  private _room(len: number, carry = 0): void {
    if (this.rOff + len <= this.arena.byteLength) return;
    const size = this.arena.byteLength === 0 ? FIRST_ARENA : ARENA;
    const arena = Buffer.allocUnsafeSlow(Math.max(size, carry + len)).buffer as ArrayBuffer;
    // Unconditional, even for carry 0, for the same reason (see FIRST_ARENA).
    new Uint8Array(arena, 0, carry).set(new Uint8Array(this.arena, this.rOff - carry, carry));
    this.arena = arena;
    this.rOff = carry;
  }

  /** Empty buffer: a fresh region and one read(2) of buffer_size; the count, 0 at EOF, -1 on EAGAIN. */
  private _fill(): number {
    this._resetBuf();
    this._room(this.buffer_size);
    const r = this.rawReadAt(this.arena, this.rOff, this.buffer_size);
    if (r > 0) this.end = r;
    return r;
  }

  // A read longer than the buffer. Its own function because the path above is
  // the hot one: alone it is optimized sooner and compiles in half the time.
  private _readBig(n: number, avail: number): Buffer | null {
    const bs = this.buffer_size;
    let out: Buffer;
    // A result the read pool serves (lib/readpool.ts) is a Buffer of its
    // own, as are those too large for an arena; the rest are assembled in
    // the arena.
    if (n > ARENA || n <= POOLED_MAX) {
      // CPython allocates the whole result up front too; beyond what a Buffer can hold that is its MemoryError.
      if (n > MAX_BUFFER) throw new MemoryError();
      out = newReadBuffer(n);
      if (avail > 0) out.set(this._bytes(this.pos, this.end), 0);
      this._resetBuf();
    } else {
      // The result is assembled in the arena after the carried bytes; the
      // buffer for its tail starts after it.
      this._resetBuf();
      this._room(n - avail, avail);
      out = Buffer.from(this.arena, this.rOff - avail, n);
      this.rOff += n - avail;
    }
    let written = avail;
    let remaining = n - written;
    while (remaining >= bs) {
      const want = remaining - (remaining % bs);
      const r = this.rawRead(out.subarray(written, written + want));
      if (r <= 0) return r === 0 || written > 0 ? out.subarray(0, written) : null;
      written += r;
      remaining -= r;
    }
    let first = true;
    while (remaining > 0 && this.end < bs) {
      let r: number;
      if (first) {
        r = this._fill();
        first = false;
      } else {
        r = this.rawReadAt(this.arena, this.rOff + this.end, bs - this.end);
        if (r > 0) this.end += r;
      }
      if (r <= 0) return r === 0 || written > 0 ? out.subarray(0, written) : null;
      const take = Math.min(r, remaining);
      out.set(new Uint8Array(this.arena, this.rOff + this.pos, take), written);
      this.pos += take;
      written += take;
      remaining -= take;
    }
    return out;
  }

  private _readAll(): Buffer | null {
    const chunks: Buffer[] = [];
    let total = 0;
    if (this.end > this.pos) {
      chunks.push(this._shared(this.pos, this.end));
      total = this.end - this.pos;
    }
    this._resetBuf();
    if (this.w.end > this.w.start) this._flushUnlocked();
    if (typeof this.raw.readall === 'function') {
      const rest = this.raw.readall();
      if (rest === null) return total > 0 ? (chunks[0] as Buffer) : null;
      if (total === 0) return rest;
      return Buffer.concat([chunks[0] as Buffer, rest]);
    }
    for (;;) {
      const b = Buffer.allocUnsafe(Math.max(this.buffer_size, 65536));
      const r = this.rawRead(b);
      if (r < 0) {
        if (total === 0) return null;
        break;
      }
      if (r === 0) break;
      chunks.push(b.subarray(0, r));
      total += r;
    }
    return Buffer.concat(chunks, total);
  }

  /** read1(size=-1): buffered bytes if there are any, else at most one read(2). */
  read1(size?: number): Buffer {
    if (!this._reading) throw unsupported('read1');
    if (arguments.length > 1) throw ioArgsError(this, 'read1', 1, arguments.length);
    // A plain Py_ssize_t in CPython's clinic: read1(None) is a TypeError, unlike read(None).
    let n = size === undefined ? -1 : toSsize(size);
    if (n < 0) n = this.buffer_size;
    if (this.raw.closed) throw closedError('read of closed file');
    if (this._asyncReads !== 0) throw reentrant(this, 'read');
    if (n === 0) return Buffer.alloc(0);
    const avail = this.end - this.pos;
    if (avail > 0) {
      const k = Math.min(n, avail);
      const out = Buffer.from(this.arena, this.rOff + this.pos, k);
      this.pos += k;
      return out;
    }
    if (this.w.end > this.w.start) this._flushUnlocked();
    if (n > ARENA) {
      if (n > MAX_BUFFER) throw new MemoryError();
      const out = Buffer.allocUnsafe(n);
      const r = this.rawRead(out);
      if (r <= 0) return Buffer.alloc(0);
      return shrink(out, r);
    }
    // Straight into fresh arena space: one read(2) of at most n, no copy.
    this._resetBuf();
    this._room(n);
    const off = this.rOff;
    const r = this.rawReadAt(this.arena, off, n);
    if (r <= 0) return Buffer.alloc(0);
    this.pos = this.end = r; // handed out, so consumed
    return Buffer.from(this.arena, off, r);
  }

  /** readinto(b): fills b, looping over read(2) until full or EOF; null on EAGAIN with nothing read. */
  readinto(b: ArrayBufferView | ArrayBuffer): number | null {
    if (arguments.length !== 1) throw ioArgsError(this, 'readinto', 1, arguments.length, true);
    return this._readinto(b, false);
  }

  /** readinto1(b): at most one read(2) once buffered bytes are used. */
  readinto1(b: ArrayBufferView | ArrayBuffer): number | null {
    if (arguments.length !== 1) throw ioArgsError(this, 'readinto1', 1, arguments.length, true);
    return this._readinto(b, true);
  }

  private _readinto(b: ArrayBufferView | ArrayBuffer, one: boolean): number | null {
    const view = toWritableBytes(b, one ? 'readinto1() argument' : 'readinto() argument');
    if (!this._reading) throw unsupported(one ? 'read1' : 'read');
    if (this.raw.closed) throw closedError('readinto of closed file');
    if (this._asyncReads !== 0) throw reentrant(this, 'read');
    const len = view.length;
    let written = 0;
    const avail = this.end - this.pos;
    if (avail > 0) {
      if (avail >= len) {
        view.set(this._bytes(this.pos, this.pos + len));
        this.pos += len;
        return len;
      }
      view.set(this._bytes(this.pos, this.end));
      written = avail;
    }
    if (this.w.end > this.w.start) this._flushUnlocked();
    this.pos = this.end;
    let remaining = len - written;
    while (remaining > 0) {
      let r: number;
      if (remaining > this.buffer_size) {
        r = this.rawRead(view.subarray(written, len));
      } else if (!(one && written > 0)) {
        r = this._fill();
        if (r > 0) {
          const take = Math.min(r, remaining);
          view.set(this._bytes(0, take), written);
          this.pos = take;
          written += take;
          remaining -= take;
          if (one) break;
          continue;
        }
      } else {
        r = 0;
      }
      if (r === 0 || (r < 0 && written > 0)) break;
      if (r < 0) return null;
      written += r;
      remaining -= r;
      if (one) break;
    }
    return written;
  }

  /**
   * peek(size=0): the buffered bytes without consuming them; one read(2) if
   * there are none. Public on BufferedReader and BufferedRandom only:
   * CPython's BufferedWriter has no peek at all.
   */
  protected _peek(size: number | undefined): Buffer {
    if (size !== undefined) toSsize(size); // Py_ssize_t, as read1's: peek(None) is a TypeError
    return Buffer.from(this._peekView());
  }

  /** What peek() returns, as a view of the buffer (no copy): for readline loops that only look. */
  _peekView(): Uint8Array {
    if (this.raw.closed) throw closedError('peek of closed file');
    if (this._asyncReads !== 0) throw reentrant(this, 'read');
    // BufferedRandom (CPython's writable buffered object) flushes and rewinds
    // raw first, so its peek always reads a fresh buffer at the position.
    if (this._writing) this._flushAndRewind();
    if (this.end > this.pos) return this._bytes(this.pos, this.end);
    const r = this._fill();
    return r <= 0 ? EMPTY : this._bytes(0, r);
  }

  /** readline(size=-1): through b'\n', at most size bytes. */
  readline(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    let limit = sizeArg(size, -1);
    if (!this._reading) {
      // A writer's readline is IOBase's: read(1) refuses, but readline(0) never calls it.
      if (limit === 0) return Buffer.alloc(0);
      throw unsupported('read');
    }
    if (this.raw.closed) throw closedError('readline of closed file');
    if (this._asyncReads !== 0) throw reentrant(this, 'read');
    let n = this.end - this.pos;
    if (limit >= 0 && n > limit) n = limit;
    const start = this.pos;
    // Search only the n buffered bytes, not the whole region behind them.
    const rel = n > 0 ? this._bytes(start, start + n).indexOf(10) : -1;
    const nl = start + rel;
    if (rel >= 0) {
      this.pos = nl + 1;
      return this._shared(start, nl + 1);
    }
    if (n === limit) {
      this.pos += n;
      return this._shared(start, start + n);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (n > 0) {
      chunks.push(this._shared(start, start + n));
      total = n;
      this.pos += n;
      if (limit >= 0) limit -= n;
    }
    if (this.w.end > this.w.start) this._flushUnlocked();
    for (;;) {
      const r = this._fill();
      if (r <= 0) break;
      const m = limit >= 0 && r > limit ? limit : r;
      const i = this._bytes(0, m).indexOf(10);
      if (i >= 0) {
        chunks.push(this._shared(0, i + 1));
        total += i + 1;
        this.pos = i + 1;
        break;
      }
      chunks.push(this._shared(0, m));
      total += m;
      if (m === limit) {
        this.pos = m;
        break;
      }
      this.pos = r;
      if (limit >= 0) limit -= m;
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  }

  /** `for (const line of f)`: readline() until EOF; each line a Buffer. */
  override [Symbol.iterator](): Iterator<Buffer> {
    return super[Symbol.iterator]() as Iterator<Buffer>;
  }

  // ---- writing ----

  /** write(b): the count taken; buffered until flush(), close() or overflow. */
  write(b: ArrayBufferView | ArrayBuffer): number;
  write(b: unknown): number {
    if (!this._writing) throw unsupported('write');
    if (arguments.length !== 1) throw ioArgsError(this, 'write', 1, arguments.length, true);
    const view = toBytes(b);
    if (this.raw.closed) throw closedError('write to closed file');
    if (this._asyncWrites !== 0) throw reentrant(this, 'write');
    const len = view.length;
    if (this.end > this.pos) this._dropReadahead();
    const bs = this.buffer_size;
    const w = this.w;
    if (w.end === w.start) w.start = w.end = 0;
    if (len <= bs - w.end) {
      // Headers of a few bytes are the common small write: a loop beats set()'s call overhead.
      if (len <= 16) {
        const wbuf = w.buf;
        const at = w.end;
        for (let i = 0; i < len; i++) wbuf[at + i] = view[i] as number;
      } else w.buf.set(view, w.end);
      w.end += len;
      return len;
    }
    return this._writeSlow(view, len);
  }

  // CPython's overflow path: flush what is buffered, pass big data straight
  // to raw, buffer the tail; on EAGAIN keep as much as fits and say so.
  private _writeSlow(view: Uint8Array, len: number): number {
    const bs = this.buffer_size;
    const w = this.w;
    try {
      this._flushUnlocked();
    } catch (e) {
      if (!(e instanceof Error) || e.name !== 'BlockingIOError') throw e;
      w.buf.copyWithin(0, w.start, w.end);
      w.end -= w.start;
      w.start = 0;
      const avail = bs - w.end;
      if (len <= avail) {
        w.buf.set(view, w.end);
        w.end += len;
        return len;
      }
      w.buf.set(view.subarray(0, avail), w.end);
      w.end += avail;
      throw blockingError(avail);
    }
    let written = 0;
    let remaining = len;
    while (remaining > bs) {
      const n = this.rawWrite(view.subarray(written));
      if (n < 0) {
        w.buf.set(view.subarray(written, written + bs), 0);
        w.start = 0;
        w.end = bs;
        throw blockingError(written + bs);
      }
      written += n;
      remaining -= n;
    }
    if (remaining > 0) w.buf.set(view.subarray(written), 0);
    w.start = 0;
    w.end = remaining;
    return len;
  }

  /** Write out the pending bytes; BlockingIOError (0 written) if raw would block. */
  protected _flushUnlocked(): void {
    flushWrites(this.w, this.rawWriteAt);
  }

  // A write after read-ahead must happen where the caller thinks it is:
  // CPython seeks raw back over the unread bytes.
  private _dropReadahead(): void {
    const back = this.end - this.pos;
    this._resetBuf();
    if (back > 0) this._rawSeek(-back, SEEK_CUR);
  }

  private _rawSeek(pos: number, whence: number): number {
    if (typeof this.raw.seek !== 'function') throw unsupported('seek');
    return rawPosition(this.raw.seek(pos, whence));
  }

  private _rawTell(): number {
    if (typeof this.raw.tell !== 'function') throw unsupported('tell');
    return rawPosition(this.raw.tell());
  }

  flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
    if (!this._writing) {
      this.raw.flush();
      return;
    }
    if (this.raw.closed) throw closedError('flush of closed file');
    if (this._asyncWrites !== 0) throw reentrant(this, 'write');
    this._flushAndRewind();
  }

  // CPython's buffered_flush_and_rewind_unlocked: write out pending bytes and,
  // when reading too (BufferedRandom), move raw back over the read-ahead so
  // its position is the caller's: code that goes on with the fd after
  // flush() or close(closefd=false) continues where the reader stopped.
  // (Like CPython's, it does not call raw.flush().)
  private _flushAndRewind(): void {
    this._flushUnlocked();
    if (this._reading) {
      this._rawSeek(-(this.end - this.pos), SEEK_CUR);
      this._resetBuf();
    }
  }

  tell(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    const pos = this._rawTell() - (this.end - this.pos) + (this.w.end - this.w.start);
    return Math.max(pos, 0);
  }

  // CPython's _io__Buffered_seek_impl, checks in its order: a target inside
  // the read-ahead only moves pos; otherwise raw seeks, and the read-ahead is
  // dropped only once that worked (a failed seek loses nothing).
  seek(target: number, whence: number = SEEK_SET): number {
    if (arguments.length > 2) throw ioArgsError(this, 'seek', 2, arguments.length);
    if (arguments.length === 0) throw seekArgsError();
    const wh = toCInt(whence);
    if (wh < 0 || wh > 4) throw new ValueError(`whence value ${wh} unsupported`); // 3, 4: SEEK_DATA, SEEK_HOLE
    if (this.raw.closed) throw closedError('seek of closed file');
    if (this._asyncReads + this._asyncWrites !== 0) throw reentrant(this, this._asyncReads ? 'read' : 'write');
    if (!this.raw.seekable()) throw unsupported('File or stream is not seekable.');
    // PyNumber_AsOff_t(target, ValueError); beyond 2**53 the number is inexact, but lseek refuses those anyway.
    const t = toInt(target);
    if (t >= 2 ** 63 || t < -(2 ** 63)) throw new ValueError("cannot fit 'int' into an offset-sized integer");
    const pos = Number(t);
    const avail = this.end - this.pos;
    if ((wh === SEEK_SET || wh === SEEK_CUR) && this._reading && avail > 0) {
      const current = this._rawSeek(0, SEEK_CUR);
      const offset = wh === SEEK_SET ? pos - (current - avail) : pos;
      if (offset >= -this.pos && offset <= avail) {
        this.pos += offset;
        return current - avail + offset;
      }
    }
    if (this.w.end > this.w.start) this._flushUnlocked();
    const n = this._rawSeek(wh === SEEK_CUR ? pos - avail : pos, wh);
    this._resetBuf();
    return n;
  }

  truncate(size?: number | null): number {
    if (arguments.length > 1) throw ioArgsError(this, 'truncate', 1, arguments.length);
    if (this.raw.closed) throw closedError('truncate of closed file');
    if (this._asyncReads + this._asyncWrites !== 0) throw reentrant(this, this._asyncReads ? 'read' : 'write');
    if (!this._writing) throw unsupported('truncate');
    this._flushAndRewind();
    if (typeof this.raw.truncate !== 'function') throw unsupported('truncate');
    // No size: raw truncates at its position, which is now the caller's.
    return this.raw.truncate(size === undefined || size === null ? null : toSsize(size));
  }

  /** detach(): flush, then hand back the raw stream; this object is unusable after. */
  detach(): RawIO {
    if (arguments.length > 0) throw ioArgsError(this, 'detach', 0, arguments.length);
    this.flush();
    const raw = this.raw;
    this.raw = DETACHED;
    unwatch(this._fin);
    return raw;
  }

  /** close(): flush, then close raw even if the flush failed (and raise that failure). */
  close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    if (this.raw.closed) return;
    flushThenClose(
      () => this.flush(),
      () => {
        unwatch(this._fin);
        this.raw.close();
        this._resetBuf();
      },
    );
  }

  // ---- the awaitable twins (docs/async.md) ----
  // What a twin reads while it waits goes into the read-ahead as it comes,
  // and what it writes into the write buffer before anything waits, each
  // in one synchronous step (lib/posix/nowait.ts, whenReady). So an abort
  // loses nothing and half-writes nothing: the bytes stay in the object for
  // the next call, awaitable or blocking; and a blocking call made while a
  // twin waits finds the object consistent and takes the next bytes.

  /** The awaitable reads of this object, run one after the other in call order. */
  private _readQueue: Promise<unknown> = Promise.resolve();
  /**
   * How many awaitable reads and writes are pending: the blocking methods
   * of that direction raise meanwhile (reentrant()), since a blocking call
   * could take, or write out, what a pending twin waits on in the fd.
   */
  protected _asyncReads = 0;
  protected _asyncWrites = 0;

  private _serial<T>(f: () => Promise<T>): Promise<T> {
    this._asyncReads++;
    const run = this._readQueue.then(f, f).finally(() => {
      this._asyncReads--;
    });
    this._readQueue = run.then(noop, noop);
    return run;
  }

  /** Runs an awaitable write's waiting part, counted in _asyncWrites. */
  private async _countWrite<T>(f: () => Promise<T>): Promise<T> {
    this._asyncWrites++;
    try {
      return await f();
    } finally {
      this._asyncWrites--;
    }
  }

  /**
   * whenReady on the raw stream: a FileIO's fd; a raw stream of the
   * program's own through its readinto()/write(), waiting on its fileno()
   * whenever they return None (one without fileno() cannot wait: its
   * UnsupportedOperation is raised).
   */
  private async _rawWhenReady<T>(
    writing: boolean,
    signal: AbortSignal | null,
    step: (attempt: Attempt) => T | null,
  ): Promise<T> {
    const raw = this.raw;
    if (raw instanceof FileIO) return raw._whenReady(writing, signal, step);
    const attempt: Attempt = (view) => {
      const k = writing ? this.rawWrite(view) : this.rawRead(view);
      return k < 0 ? -EAGAIN : k;
    };
    for (;;) {
      const r = step(attempt);
      if (r !== null) return r;
      try {
        await waitFd(raw.fileno(), writing ? WRITABLE : READABLE, { signal });
      } catch (e) {
        // EPERM: epoll cannot watch it (a regular file); a read of it does not wait for long.
        if ((e as { errno?: number }).errno !== EPERM) throw e;
      }
    }
  }

  /**
   * A view of the room for `room` more bytes after the read-ahead: the
   * region is moved to start at the unread bytes (those before are handed
   * out and never written again), and into a larger arena if needed.
   */
  private _appendView(room: number): Uint8Array {
    const avail = this.end - this.pos;
    this.rOff += this.pos;
    this.pos = 0;
    this.end = avail;
    if (this.rOff + avail + room > this.arena.byteLength) {
      const arena = Buffer.allocUnsafeSlow(Math.max(ARENA, avail + room)).buffer as ArrayBuffer;
      new Uint8Array(arena, 0, avail).set(new Uint8Array(this.arena, this.rOff, avail));
      this.arena = arena;
      this.rOff = 0;
    }
    return new Uint8Array(this.arena, this.rOff + avail, room);
  }

  /**
   * Reads from raw into the read-ahead until found(from) says it has what
   * it needs (from: where the bytes it has not looked at start), or EOF
   * (then resolves true). Pending writes go out first, as before the
   * blocking reads. `want`: how many unread bytes the caller needs.
   */
  private async _fillUntil(
    found: (from: number) => boolean,
    want: number,
    signal: AbortSignal | null,
  ): Promise<boolean> {
    if (found(this.pos)) return false;
    if (this.w.end > this.w.start) await this._flushAsync(signal);
    let eof = false;
    await this._rawWhenReady(false, signal, (attempt) => {
      let from = this.pos;
      for (;;) {
        if (found(from)) return true;
        if (this.raw.closed) throw closedError('read of closed file');
        const avail = this.end - this.pos;
        // At least a buffer's worth, what the caller still needs, and as
        // much again as is held (so a long read-to-EOF makes few calls).
        const view = this._appendView(Math.max(this.buffer_size, want - avail, Math.min(avail, 1 << 24)));
        from = this.end;
        const k = attempt(view);
        if (k < 0) return null;
        if (k === 0) {
          eof = true;
          return true;
        }
        this.end += k;
      }
    });
    return eof;
  }

  /**
   * For the text layer's twins: resolves once the read-ahead holds bytes
   * (false) or raw is at EOF (true), consuming nothing, so the text layer
   * then takes them with read1() in one synchronous step.
   */
  _fillAsync(signal: AbortSignal | null): Promise<boolean> {
    if (this.raw.closed) return Promise.reject(closedError('read of closed file'));
    return this._serial(() => this._fillUntil(() => this.end > this.pos, 0, signal));
  }

  /** How many bytes read1() would return now without reading (the read-ahead). */
  _bufferedCount(): number {
    return this.end - this.pos;
  }

  /** The next k bytes of the read-ahead (at most what it holds), consumed, as read() returns them. */
  private _take(k: number): Buffer {
    const n = Math.min(k, this.end - this.pos);
    const out = this._shared(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  private _asyncReadChecks(a: unknown[], name: 'read' | 'read1' | 'readline'): [unknown[], AbortSignal | null] {
    if (!this._reading) throw unsupported(name);
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, name, 1, args.length);
    return [args, signal];
  }

  /**
   * read(size=-1)'s twin: size bytes, fewer only at EOF; all up to EOF for
   * -1. Never None: where read() on a non-blocking fd returns what it has
   * or None, this waits for the rest.
   */
  override readAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override async readAsync(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = this._asyncReadChecks(a, 'read');
    const n = sizeArg(args[0], -1);
    if (n < -1) throw new ValueError('read length must be non-negative or -1');
    if (this.raw.closed) throw closedError('read of closed file');
    return this._serial(async () => {
      throwIfAborted(signal);
      if (this.raw.closed) throw closedError('read of closed file');
      if (n === -1) {
        await this._fillUntil(() => false, 0, signal);
        return this._take(this.end - this.pos);
      }
      await this._fillUntil(() => this.end - this.pos >= n, n, signal);
      return this._take(n);
    });
  }

  /** read1(size=-1)'s twin: the buffered bytes if there are any, else what one read brings (empty at EOF). */
  read1Async(size?: number | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  async read1Async(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = this._asyncReadChecks(a, 'read1');
    let n = args[0] === undefined ? -1 : toSsize(args[0]);
    if (n < 0) n = this.buffer_size;
    if (this.raw.closed) throw closedError('read of closed file');
    return this._serial(async () => {
      throwIfAborted(signal);
      if (n === 0) return Buffer.alloc(0);
      await this._fillUntil(() => this.end > this.pos, n, signal);
      return this._take(n);
    });
  }

  /** readinto(b)'s twin: fills b, fewer bytes only at EOF; the count. */
  readintoAsync(b: ArrayBufferView | ArrayBuffer, options?: AsyncOptions): Promise<number>;
  async readintoAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    if (args.length !== 1) throw ioArgsError(this, 'readinto', 1, args.length, true);
    const view = toWritableBytes(args[0], 'readinto() argument');
    if (!this._reading) throw unsupported('read');
    if (this.raw.closed) throw closedError('readinto of closed file');
    return this._serial(async () => {
      throwIfAborted(signal);
      await this._fillUntil(() => this.end - this.pos >= view.length, view.length, signal);
      const got = this._take(view.length);
      view.set(got);
      return got.length;
    });
  }

  /** readline(size=-1)'s twin: through b'\n', at most size bytes; empty at EOF. */
  override readlineAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override async readlineAsync(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, 'readline', 1, args.length);
    const limit = sizeArg(args[0], -1);
    if (!this._reading) {
      // A writer's readline is IOBase's: read(1) refuses, but readline(0) never calls it.
      if (limit === 0) return Buffer.alloc(0);
      throw unsupported('read');
    }
    if (this.raw.closed) throw closedError('readline of closed file');
    /** Where the line ends in the read-ahead (just past its newline, or at the limit), or -1. */
    const lineEnd = (from: number): number => {
      const stop = limit >= 0 ? Math.min(this.end, this.pos + limit) : this.end;
      const i = from < stop ? this._bytes(from, stop).indexOf(10) : -1;
      if (i >= 0) return from + i + 1;
      return limit >= 0 && this.end - this.pos >= limit ? this.pos + limit : -1;
    };
    return this._serial(async () => {
      throwIfAborted(signal);
      if (this.raw.closed) throw closedError('readline of closed file');
      await this._fillUntil((from) => lineEnd(from) >= 0, 0, signal);
      const end = lineEnd(this.pos);
      return this._take(end >= 0 ? end - this.pos : this.end - this.pos);
    });
  }

  /**
   * write(b)'s twin: b goes into the write buffer at once (which grows for
   * it), then, if more than buffer_size is pending, out to the fd as it
   * takes it, as write() flushes on overflow; the count, always all of b.
   * An abort while it waits rejects, and the bytes stay buffered for the
   * next flush or close (docs/async.md, "Abort").
   */
  override writeAsync(b: unknown, options?: AsyncOptions): Promise<number>;
  override async writeAsync(...a: unknown[]): Promise<number> {
    if (!this._writing) throw unsupported('write');
    const [args, signal] = takeSignal(a);
    if (args.length !== 1) throw ioArgsError(this, 'write', 1, args.length, true);
    const view = toBytes(args[0]);
    if (this.raw.closed) throw closedError('write to closed file');
    throwIfAborted(signal);
    if (this.end > this.pos) this._dropReadahead();
    this._pend(view);
    if (this.w.end - this.w.start > this.buffer_size) await this._countWrite(() => this._flushAsync(signal));
    return view.length;
  }

  /** Appends view to the pending writes, growing the write buffer beyond buffer_size if it must. */
  private _pend(view: Uint8Array): void {
    const len = view.length;
    const pending = this.w.end - this.w.start;
    if (len > this.w.buf.length - this.w.end) {
      if (pending + len <= this.w.buf.length) {
        this.w.buf.copyWithin(0, this.w.start, this.w.end);
      } else {
        const grown = Buffer.allocUnsafeSlow(Math.max(pending + len, 2 * this.w.buf.length));
        grown.set(this.w.buf.subarray(this.w.start, this.w.end), 0);
        this.w.buf = grown;
        this.w.ab = grown.buffer as ArrayBuffer;
      }
      this.w.start = 0;
      this.w.end = pending;
    }
    this.w.buf.set(view, this.w.end);
    this.w.end += len;
  }

  /** Writes out every pending byte, waiting in the event loop for room; the buffer shrinks back once empty. */
  private async _flushAsync(signal: AbortSignal | null): Promise<void> {
    await this._rawWhenReady(true, signal, (attempt) => {
      while (this.w.start < this.w.end) {
        const k = attempt(new Uint8Array(this.w.ab, this.w.buf.byteOffset + this.w.start, this.w.end - this.w.start));
        if (k < 0) return null;
        this.w.start += k;
      }
      this.w.start = this.w.end = 0;
      if (this.w.buf.length > this.buffer_size) {
        this.w.buf = Buffer.allocUnsafeSlow(this.buffer_size);
        this.w.ab = this.w.buf.buffer as ArrayBuffer;
      }
      return true;
    });
  }

  /** flush()'s twin: every pending byte out to the fd, waiting in the event loop for room. */
  override flushAsync(options?: AsyncOptions): Promise<void>;
  override async flushAsync(...a: unknown[]): Promise<void> {
    const [args, signal] = takeSignal(a);
    if (args.length > 0) throw ioArgsError(this, 'flush', 0, args.length);
    if (!this._writing) {
      this.raw.flush();
      return;
    }
    if (this.raw.closed) throw closedError('flush of closed file');
    throwIfAborted(signal);
    if (this.w.end > this.w.start) await this._countWrite(() => this._flushAsync(signal));
    this._flushAndRewind();
  }

  override toString(): string {
    let name: unknown;
    try {
      name = this.raw.name;
    } catch {
      return `<_io.${this.constructor.name}>`;
    }
    return `<_io.${this.constructor.name} name=${nameRepr(name)}>`;
  }
}

const BUFFEREDREADER_ARGS = signature('clinic', 'BufferedReader', ['raw', 'buffer_size'], { required: 1 });

/** BufferedReader(raw, buffer_size=DEFAULT_BUFFER_SIZE). */
export class BufferedReader extends BufferedBase {
  constructor(raw: RawIO, buffer_size?: number | { buffer_size?: number });
  constructor(...args: unknown[]) {
    const b = bind(BUFFEREDREADER_ARGS, args);
    super(b.raw as RawIO, b.buffer_size, true, false);
  }

  peek(size?: number): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'peek', 1, arguments.length);
    return this._peek(size);
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    return this.raw.readable();
  }
}

const BUFFEREDWRITER_ARGS = signature('clinic', 'BufferedWriter', ['raw', 'buffer_size'], { required: 1 });

/** BufferedWriter(raw, buffer_size=DEFAULT_BUFFER_SIZE). */
export class BufferedWriter extends BufferedBase {
  constructor(raw: RawIO, buffer_size?: number | { buffer_size?: number });
  constructor(...args: unknown[]) {
    const b = bind(BUFFEREDWRITER_ARGS, args);
    super(b.raw as RawIO, b.buffer_size, false, true);
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    return this.raw.writable();
  }
}

const BUFFEREDRANDOM_ARGS = signature('clinic', 'BufferedRandom', ['raw', 'buffer_size'], { required: 1 });

/** BufferedRandom(raw, buffer_size=DEFAULT_BUFFER_SIZE): both, on a seekable raw stream. */
export class BufferedRandom extends BufferedBase {
  constructor(raw: RawIO, buffer_size?: number | { buffer_size?: number });
  constructor(...args: unknown[]) {
    const b = bind(BUFFEREDRANDOM_ARGS, args);
    super(b.raw as RawIO, b.buffer_size, true, true);
  }

  peek(size?: number): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'peek', 1, arguments.length);
    return this._peek(size);
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    return this.raw.readable();
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    return this.raw.writable();
  }
}

// Positional only, and no keywords at all (_PyArg_NoKeywords).
const BUFFEREDRWPAIR_ARGS = signature('positional', 'BufferedRWPair', ['reader', 'writer', 'buffer_size'], {
  required: 2,
});

/** BufferedRWPair(reader, writer, buffer_size=DEFAULT_BUFFER_SIZE): two raw streams as one file. */
export class BufferedRWPair extends bufferedBase {
  readonly reader: BufferedReader;
  readonly writer: BufferedWriter;

  constructor(reader: RawIO, writer: RawIO, buffer_size?: number);
  constructor(...args: unknown[]) {
    const [reader, writer, buffer_size] = bindList(BUFFEREDRWPAIR_ARGS, args) as [RawIO, RawIO, number | undefined];
    super();
    this.reader = new BufferedReader(reader, buffer_size);
    this.writer = new BufferedWriter(writer, buffer_size);
  }

  get closed(): boolean {
    return this.writer.closed;
  }

  read(size?: number | null): Buffer | null {
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    return this.reader.read(size);
  }

  read1(size?: number): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'read1', 1, arguments.length);
    return this.reader.read1(size);
  }

  // write and readinto go to the halves with every argument, so a wrong
  // count is refused in their names, as CPython's BufferedRWPair does.
  readinto(b: ArrayBufferView | ArrayBuffer): number | null;
  readinto(...args: unknown[]): number | null {
    return (this.reader.readinto as (...a: unknown[]) => number | null).apply(this.reader, args);
  }

  readinto1(b: ArrayBufferView | ArrayBuffer): number | null;
  readinto1(...args: unknown[]): number | null {
    return (this.reader.readinto1 as (...a: unknown[]) => number | null).apply(this.reader, args);
  }

  peek(size?: number): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'peek', 1, arguments.length);
    return this.reader.peek(size);
  }

  // CPython's BufferedRWPair has no readline: IOBase's calls peek(1) and
  // read(n) until a newline. So readline(0) returns b'' without looking, a
  // closed pair says 'peek of closed file', a non-blocking fd that runs dry
  // raises OSError (dropping what it had read) instead of returning, and a
  // limit caps each read, not the line (ioBaseReadline).
  readline(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    const reader = this.reader;
    return ioBaseReadline(
      sizeArg(size, -1),
      () => reader._peekView(),
      (n) => reader.read(n),
    );
  }

  override toString(): string {
    return '<_io.BufferedRWPair object>';
  }

  // ---- the awaitable twins: the reader's and the writer's ----

  override readAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override readAsync(...a: unknown[]): Promise<Buffer> {
    return (this.reader.readAsync as (...a: unknown[]) => Promise<Buffer>).apply(this.reader, a);
  }

  read1Async(size?: number | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  read1Async(...a: unknown[]): Promise<Buffer> {
    return (this.reader.read1Async as (...a: unknown[]) => Promise<Buffer>).apply(this.reader, a);
  }

  readintoAsync(b: ArrayBufferView | ArrayBuffer, options?: AsyncOptions): Promise<number>;
  readintoAsync(...a: unknown[]): Promise<number> {
    return (this.reader.readintoAsync as (...a: unknown[]) => Promise<number>).apply(this.reader, a);
  }

  override readlineAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override readlineAsync(...a: unknown[]): Promise<Buffer> {
    return (this.reader.readlineAsync as (...a: unknown[]) => Promise<Buffer>).apply(this.reader, a);
  }

  override writeAsync(b: unknown, options?: AsyncOptions): Promise<number>;
  override writeAsync(...a: unknown[]): Promise<number> {
    return (this.writer.writeAsync as (...a: unknown[]) => Promise<number>).apply(this.writer, a);
  }

  override flushAsync(options?: AsyncOptions): Promise<void>;
  override flushAsync(...a: unknown[]): Promise<void> {
    return (this.writer.flushAsync as (...a: unknown[]) => Promise<void>).apply(this.writer, a);
  }

  _fillAsync(signal: AbortSignal | null): Promise<boolean> {
    return this.reader._fillAsync(signal);
  }

  _bufferedCount(): number {
    return this.reader._bufferedCount();
  }

  /** `for (const line of f)`: readline() until EOF; each line a Buffer. */
  override [Symbol.iterator](): Iterator<Buffer> {
    return super[Symbol.iterator]() as Iterator<Buffer>;
  }

  write(b: ArrayBufferView | ArrayBuffer): number;
  write(...args: unknown[]): number {
    return (this.writer.write as (...a: unknown[]) => number).apply(this.writer, args);
  }

  // CPython's BufferedRWPair inherits these from IOBase and BufferedIOBase,
  // which refuse them (tell() as seek, since IOBase.tell is seek(0, 1)).
  fileno(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'fileno', 0, arguments.length);
    throw unsupported('fileno');
  }

  tell(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    throw unsupported('seek');
  }

  detach(): RawIO {
    if (arguments.length > 0) throw ioArgsError(this, 'detach', 0, arguments.length);
    throw unsupported('detach');
  }

  seek(_pos?: number, _whence?: number): number {
    throw unsupported('seek');
  }

  truncate(_size?: number | null): number {
    throw unsupported('truncate');
  }

  flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
    this.writer.flush();
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    return this.reader.readable();
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    return this.writer.writable();
  }

  isatty(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'isatty', 0, arguments.length);
    return this.reader.isatty() || this.writer.isatty();
  }

  close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    try {
      this.writer.close();
    } finally {
      this.reader.close();
    }
  }
}
