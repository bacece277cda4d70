// multiprocessing.connection: CPython 3.11's Connection, Pipe, wait,
// Listener and Client (CPython's Lib/multiprocessing/connection.py), on the wire
// byte for byte: a message is a 4-byte big-endian signed length ('!i') and
// the payload; beyond 2 GiB - 1 the length is -1 and then an 8-byte '!Q'.
// send()/recv() carry pickles (protocol 4, as ForkingPickler.dumps writes),
// so a Node process and a Python process exchange objects.
//
// Like CPython's, a Connection reads exactly one message's bytes and never
// more: nothing is buffered in the process, so poll(), wait() and an fd
// handed to another process always see what the kernel holds.
import { Buffer } from 'node:buffer';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AsyncOptions, takeSignal, throwIfAborted, toSignal } from '../abort.js';
import { bind, isKwargs, pyIter, pyTruth, pyTypeName, signature, toBuffer, toBytes, toCInt } from '../convert.js';
import {
  AssertionError,
  EOFError,
  KeyError,
  MemoryError,
  OSError,
  OverflowError,
  pyRepr,
  pyValueRepr,
  RuntimeError,
  ValueError,
} from '../errors.js';
import { dumps, loads } from '../pickle.js';
import * as posix from '../posix/index.js';
import { inWriteOrder, whenReady } from '../posix/nowait.js';
import { READABLE, untilReady } from '../posix/ready.js';
import { pyclass } from '../pyclass.js';
import { AuthenticationError, BufferTooShort } from './context.js';
import {
  DIRECT_RECV,
  framePieces,
  Incoming,
  MAX_BUFFER,
  type Outgoing,
  receiveStep,
  sendStep,
  unsentRest,
} from './message.js';

/** Payloads up to this size go out with their header in one write (CPython's _send_bytes, bpo-20540). */
const COMBINE_LIMIT = 16384;

// One arena for the header and a small payload: send_bytes makes one
// write(2) from it and allocates nothing.
const frameAB = new ArrayBuffer(8 + COMBINE_LIMIT);
const frame = new Uint8Array(frameAB);
const frameView = new DataView(frameAB);
// Where a header is read to.
const headerAB = new ArrayBuffer(8);
const headerView = new DataView(headerAB);

// --- the wire -------------------------------------------------------------------

/** Writes all of bytes [off, off + len) of ab (CPython's Connection._send). */
function sendAt(fd: number, ab: ArrayBuffer, off: number, len: number): void {
  while (len > 0) {
    const n = posix.writeAt(fd, ab, off, len);
    off += n;
    len -= n;
  }
}

/** Writes all of view (any Uint8Array, SharedArrayBuffer-backed included). */
function sendView(fd: number, view: Uint8Array): void {
  let n = posix.write(fd, view);
  while (n < view.length) {
    view = view.subarray(n);
    n = posix.write(fd, view);
  }
}

/**
 * Reads exactly len bytes into ab at off (CPython's Connection._recv): EOF
 * before the first byte is EOFError, after it "got end of file during
 * message".
 */
function recvAt(fd: number, ab: ArrayBuffer, off: number, len: number): void {
  let got = 0;
  while (got < len) {
    const n = posix.readAt(fd, ab, off + got, len - got);
    if (n === 0) throw got === 0 ? new EOFError() : new OSError('got end of file during message');
    got += n;
  }
}

/** recvAt into a view, which may be over a SharedArrayBuffer (the addon's readAt takes ArrayBuffers only). */
function recvInto(fd: number, view: Uint8Array): void {
  if (view.buffer instanceof ArrayBuffer) {
    recvAt(fd, view.buffer, view.byteOffset, view.length);
    return;
  }
  let got = 0;
  while (got < view.length) {
    const n = posix.read(fd, view.subarray(got));
    if (n === 0) throw got === 0 ? new EOFError() : new OSError('got end of file during message');
    got += n;
  }
}

/**
 * The header of an n-byte message, in the frame arena: '!i' n, or beyond
 * 2 GiB - 1 '!i' -1 and then '!Q' n (CPython's wire since 3.8).
 */
export function frameHeader(n: number): Uint8Array {
  if (n > 0x7fffffff) {
    frameView.setInt32(0, -1);
    frameView.setBigUint64(4, BigInt(n));
    return frame.subarray(0, 12);
  }
  frameView.setInt32(0, n);
  return frame.subarray(0, 4);
}

/** Writes one message: the header and view, in the writes CPython 3.11's Connection._send_bytes makes. */
function sendFrame(fd: number, view: Uint8Array): void {
  const n = view.length;
  if (n > COMBINE_LIMIT) {
    // The header, then the payload: beyond 2 GiB CPython writes '!i' -1 and '!Q' n apart.
    if (frameHeader(n).length === 12) {
      sendAt(fd, frameAB, 0, 4);
      sendAt(fd, frameAB, 4, 8);
    } else {
      sendAt(fd, frameAB, 0, 4);
    }
    sendView(fd, view);
  } else {
    // Small: header and payload in one write, so a peer never sees the
    // header alone and a 0-byte payload is never written by itself.
    frameView.setInt32(0, n);
    if (n <= 32) for (let i = 0; i < n; i++) frame[4 + i] = view[i] as number;
    else frame.set(view, 4);
    sendAt(fd, frameAB, 0, 4 + n);
  }
}

/**
 * Reads one message's header (CPython's Connection._recv_bytes): its
 * declared size, a number below 2**53 or else a BigInt. A '!i' below -1 is
 * a size CPython reads as nothing.
 */
function recvHeader(fd: number): number | bigint {
  recvAt(fd, headerAB, 0, 4);
  const size = headerView.getInt32(0);
  if (size !== -1) return size;
  recvAt(fd, headerAB, 0, 8);
  const big = headerView.getBigUint64(0);
  return big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
}

/**
 * Reads a payload of the declared size. CPython asks os.read for all of it
 * at once (a 3 GiB header makes it allocate 3 GiB before a byte arrives);
 * here a size above 64 MiB grows with the bytes that actually come, so a
 * lying header costs no more than the bytes sent. A size that cannot be a
 * C ssize_t is CPython's OverflowError; one no Buffer can hold, MemoryError.
 */
function recvPayload(fd: number, size: number | bigint): Buffer {
  if (typeof size === 'bigint') {
    if (size >= 2n ** 63n) throw new OverflowError('Python int too large to convert to C ssize_t');
    throw new MemoryError();
  }
  if (size <= 0) return Buffer.alloc(0); // CPython's _recv reads nothing for a negative size
  if (size > MAX_BUFFER) throw new MemoryError();
  if (size <= DIRECT_RECV) {
    const buf = Buffer.allocUnsafe(size);
    recvAt(fd, buf.buffer as ArrayBuffer, buf.byteOffset, size);
    return buf;
  }
  return recvGrowing(fd, size);
}

function recvGrowing(fd: number, size: number): Buffer {
  let buf = Buffer.allocUnsafe(DIRECT_RECV);
  let got = 0;
  for (;;) {
    const n = posix.readAt(fd, buf.buffer as ArrayBuffer, buf.byteOffset + got, buf.length - got);
    if (n === 0) throw got === 0 ? new EOFError() : new OSError('got end of file during message');
    got += n;
    if (got === size) return buf;
    if (got === buf.length) {
      const grown = Buffer.allocUnsafe(Math.min(size, buf.length * 2));
      buf.copy(grown, 0, 0, got);
      buf = grown;
    }
  }
}

// --- argument checks, with CPython's messages -----------------------------------------

const SEND_BYTES = signature('python', '_ConnectionBase.send_bytes', ['buf', 'offset', 'size'], {
  required: 1,
  self: 1,
});
const RECV_BYTES = signature('python', '_ConnectionBase.recv_bytes', ['maxlength'], { self: 1 });
const RECV_BYTES_INTO = signature('python', '_ConnectionBase.recv_bytes_into', ['buf', 'offset'], {
  required: 1,
  self: 1,
});
const POLL = signature('python', '_ConnectionBase.poll', ['timeout'], { self: 1 });
const INIT = signature('python', '_ConnectionBase.__init__', ['handle', 'readable', 'writable'], {
  required: 1,
  self: 1,
});

/** A Python int given as an int (JS number with no fraction, BigInt, bool): its value, else null. */
function intValue(v: unknown): number | bigint | null {
  if (typeof v === 'number') return Number.isInteger(v) ? v : null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return null;
}

/** `v < 0` as Python evaluates it for an int, float or bool; TypeError for anything else. */
function isNegative(v: unknown): boolean {
  if (typeof v === 'number' || typeof v === 'bigint') return v < 0;
  if (typeof v === 'boolean') return false;
  throw new TypeError(`'<' not supported between instances of '${pyTypeName(v)}' and 'int'`);
}

/** A slice index of send_bytes (memoryview slicing): ints only. */
function sliceIndex(v: unknown): number {
  const n = intValue(v);
  if (n === null) throw new TypeError('slice indices must be integers or None or have an __index__ method');
  return Number(n);
}

/**
 * A timeout in seconds, as wait() and poll() take it: null for none, else
 * the number; the TypeError of `time.monotonic() + timeout`, and the errors
 * of PollSelector's math.ceil(timeout * 1e3).
 */
function toTimeout(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  let t: number;
  if (typeof v === 'number') t = v;
  else if (typeof v === 'bigint' || typeof v === 'boolean') t = Number(v);
  else throw new TypeError(`unsupported operand type(s) for +: 'float' and '${pyTypeName(v)}'`);
  if (Number.isNaN(t)) throw new ValueError('cannot convert float NaN to integer');
  if (t === Number.POSITIVE_INFINITY) throw new OverflowError('cannot convert float infinity to integer');
  return t;
}

/** A deadline (performance.now() ms) for a timeout in seconds: 0 or less polls once. */
function deadlineFor(timeout: number | null): number {
  if (timeout === null) return posix.FOREVER;
  return timeout <= 0 ? 0 : performance.now() + timeout * 1000;
}

// --- Connection -------------------------------------------------------------------

/**
 * A connection on a file descriptor: a pipe end, a socket (CPython's
 * multiprocessing.connection.Connection). It owns the fd: close() closes
 * it. `new Connection(fd, { readable, writable })`.
 */
class Connection {
  #handle: number | null;
  #readable: unknown;
  #writable: unknown;
  /** The message an aborted awaitable receive had started: the next receive carries on with it. */
  #incoming: Incoming | null = null;
  /** The rest of a frame an aborted awaitable send had started: the next send writes it first. */
  #unsent: Uint8Array | null = null;
  /** Awaitable receives (sends) pending: the blocking ones raise meanwhile (docs/async.md, "Mixing"). */
  #asyncReads = 0;
  #asyncWrites = 0;
  /** Awaitable receives run one after the other, in call order. */
  #readQueue: Promise<unknown> = Promise.resolve();

  constructor(handle: number, options?: { readable?: unknown; writable?: unknown });
  constructor(handle: number, readable?: unknown, writable?: unknown);
  constructor(...args: unknown[]) {
    const a = bind(INIT, args);
    const h = intValue(a.handle);
    // handle.__index__(): JS has no AttributeError, so its TypeError (python.ts's asPipefork).
    if (h === null) throw new TypeError(`'${pyTypeName(a.handle)}' object has no attribute '__index__'`);
    const handle = Number(h);
    if (handle < 0) throw new ValueError('invalid handle');
    const readable = 'readable' in a ? a.readable : true;
    const writable = 'writable' in a ? a.writable : true;
    if (!pyTruth(readable) && !pyTruth(writable)) {
      throw new ValueError('at least one of `readable` and `writable` must be True');
    }
    this.#handle = handle;
    this.#readable = readable;
    this.#writable = writable;
  }

  /** The fd, checked open and readable (recv_bytes and friends); a C int, as os.read takes it. */
  #readFd(): number {
    const fd = this.#handle;
    if (fd === null) throw new OSError('handle is closed');
    if (!pyTruth(this.#readable)) throw new OSError('connection is write-only');
    return toCInt(fd);
  }

  #writeFd(): number {
    const fd = this.#handle;
    if (fd === null) throw new OSError('handle is closed');
    if (!pyTruth(this.#writable)) throw new OSError('connection is read-only');
    return toCInt(fd);
  }

  /** #readFd for a blocking receive: refused while an awaitable one is pending (it could take its bytes). */
  #blockingReadFd(): number {
    const fd = this.#readFd();
    if (this.#asyncReads > 0) throw reentrant('receive');
    return fd;
  }

  /** #writeFd for a blocking send, which first writes what an aborted awaitable send left. */
  #blockingWriteFd(): number {
    const fd = this.#writeFd();
    if (this.#asyncWrites > 0) throw reentrant('send');
    const rest = this.#unsent;
    if (rest !== null) {
      this.#unsent = null;
      sendView(fd, rest);
    }
    return fd;
  }

  /** Finishes, blocking, the message an aborted awaitable receive started. */
  #finishIncoming(fd: number, inc: Incoming, check: (size: number | bigint) => void): Buffer {
    this.#incoming = null;
    if (inc.body !== null) check(inc.size);
    return receiveStep(inc, (view) => posix.read(fd, view), check) as Buffer;
  }

  #badMessageLength(): never {
    if (pyTruth(this.#writable)) this.#readable = false;
    else this.close();
    throw new OSError('bad message length');
  }

  /** True once close() has been called. */
  get closed(): boolean {
    return this.#handle === null;
  }

  get readable(): unknown {
    return this.#readable;
  }

  get writable(): unknown {
    return this.#writable;
  }

  fileno(): number {
    if (this.#handle === null) throw new OSError('handle is closed');
    return this.#handle;
  }

  /** Closes the fd; a second close does nothing. */
  close(): void {
    const fd = this.#handle;
    if (fd === null) return;
    this.#handle = null;
    this.#incoming = null;
    this.#unsent = null;
    posix.close(toCInt(fd));
  }

  [Symbol.dispose](): void {
    this.close();
  }

  /** Sends bytes [offset, offset + size) of a bytes-like object as one message. */
  send_bytes(buf: ArrayBufferView | ArrayBuffer, offset?: number, size?: number): void;
  send_bytes(...args: unknown[]): void {
    if (args.length === 1 && !isKwargs(args[0])) {
      const fd = this.#blockingWriteFd();
      sendFrame(fd, memoryview(args[0]));
      return;
    }
    const a = bind(SEND_BYTES, args);
    this.#writeFd();
    const view = sendBytesView(a);
    sendFrame(this.#blockingWriteFd(), view);
  }

  /** Sends a value as a pickle (protocol 4, as CPython's ForkingPickler). */
  send(obj: unknown): void;
  send(...args: unknown[]): void {
    if (args.length !== 1) throw sendArity(args.length);
    this.#writeFd();
    const payload = dumps(args[0]);
    sendFrame(this.#blockingWriteFd(), payload);
  }

  /**
   * Receives one message as a Buffer. With maxlength, a longer message is
   * refused before any of it is read: OSError('bad message length'), and
   * the connection is no longer readable (closed if it was read-only).
   */
  recv_bytes(maxlength?: number | null): Buffer;
  recv_bytes(...args: unknown[]): Buffer {
    let maxlength: unknown = args[0];
    if (args.length > 1 || isKwargs(maxlength)) maxlength = bind(RECV_BYTES, args).maxlength;
    const fd = this.#blockingReadFd();
    const check = this.#maxlengthCheck(maxlength);
    const inc = this.#incoming;
    if (inc !== null) return this.#finishIncoming(fd, inc, check);
    const size = recvHeader(fd);
    check(size);
    return recvPayload(fd, size);
  }

  /** recv_bytes' check of a message's declared size against maxlength (ValueError for a negative one, at once). */
  #maxlengthCheck(maxlength: unknown): (size: number | bigint) => void {
    if (maxlength === undefined || maxlength === null) return noCheck;
    if (isNegative(maxlength)) throw new ValueError('negative maxlength');
    return (size) => {
      if (size > (maxlength as number | bigint)) this.#badMessageLength();
    };
  }

  /**
   * Receives one message into buf at byte offset; the message's size. A
   * message that does not fit is BufferTooShort carrying the whole message.
   */
  recv_bytes_into(buf: ArrayBufferView | ArrayBuffer, offset?: number): number;
  recv_bytes_into(...args: unknown[]): number {
    const a = bind(RECV_BYTES_INTO, args);
    const fd = this.#blockingReadFd();
    const into = intoTarget(a);
    const inc = this.#incoming;
    if (inc !== null) return place(into, this.#finishIncoming(fd, inc, noCheck));
    const { target, itemsize, bytesize, off } = into;
    const size = recvHeader(fd);
    if (typeof size === 'number' && size > 0 && off + size <= bytesize) {
      // CPython reads the message, then copies it in: it lands where
      // m[offset // itemsize : (offset + size) // itemsize] starts.
      const lo = Math.floor(off / itemsize) * itemsize;
      const hi = Math.floor((off + size) / itemsize) * itemsize;
      if (hi - lo === size) {
        recvInto(fd, target.subarray(lo, lo + size));
        return size;
      }
    }
    return place(into, recvPayload(fd, size));
  }

  /** Receives one message and unpickles it (never running code: lib/pickle/loads.ts). */
  recv(): unknown;
  recv(...args: unknown[]): unknown {
    if (args.length > 0) {
      throw new TypeError(`_ConnectionBase.recv() takes 1 positional argument but ${args.length + 1} were given`);
    }
    const fd = this.#blockingReadFd();
    const inc = this.#incoming;
    if (inc !== null) return loads(this.#finishIncoming(fd, inc, noCheck));
    return loads(recvPayload(fd, recvHeader(fd)));
  }

  /**
   * Whether a message (or EOF) is waiting: waits up to timeout seconds
   * (null: for ever; 0, the default: not at all).
   */
  poll(timeout?: number | null): boolean;
  poll(...args: unknown[]): boolean {
    const timeout = pollTimeout(args);
    const fd = this.#readFd();
    return pollOne(fd, deadlineFor(toTimeout(timeout)));
  }

  // --- the awaitable twins (docs/async.md) ------------------------------------------
  //
  // Each takes the blocking method's arguments, checked the same way, plus
  // { signal } in a trailing object, and rejects with what the blocking one
  // raises. They read and write with calls that never wait and wait in the
  // event loop (lib/posix/nowait.ts), never setting O_NONBLOCK on the fd.
  // Receives queue in call order, and so do sends; a blocking receive
  // (send) raises RuntimeError while an awaitable one is pending. An abort
  // loses nothing and half-delivers nothing: a receive keeps the part of a
  // message it took in #incoming, and the next receive (awaitable or
  // blocking) carries on with it; a send that has written part of its frame
  // keeps the rest in #unsent, written first by the next send.

  /** recv_bytes' twin: `await c.recv_bytesAsync(maxlength?, { signal })`. */
  recv_bytesAsync(maxlength?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  async recv_bytesAsync(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = takeSignal(a);
    let maxlength: unknown = args[0];
    if (args.length > 1 || isKwargs(maxlength)) maxlength = bind(RECV_BYTES, args).maxlength;
    this.#readFd();
    const check = this.#maxlengthCheck(maxlength);
    return this.#receiveAsync(signal, check);
  }

  /** recv_bytes_into's twin: `await c.recv_bytes_intoAsync(buf, offset?, { signal })`. */
  recv_bytes_intoAsync(
    buf: ArrayBufferView | ArrayBuffer,
    offset?: number | AsyncOptions,
    options?: AsyncOptions,
  ): Promise<number>;
  async recv_bytes_intoAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    const b = bind(RECV_BYTES_INTO, args);
    this.#readFd();
    const into = intoTarget(b);
    return place(into, await this.#receiveAsync(signal, noCheck));
  }

  /** recv's twin: `await c.recvAsync({ signal })`. */
  recvAsync(options?: AsyncOptions): Promise<unknown>;
  async recvAsync(...a: unknown[]): Promise<unknown> {
    const [args, signal] = takeSignal(a);
    if (args.length > 0) {
      throw new TypeError(`_ConnectionBase.recv() takes 1 positional argument but ${args.length + 1} were given`);
    }
    this.#readFd();
    return loads(await this.#receiveAsync(signal, noCheck));
  }

  /**
   * poll's twin: `await c.pollAsync(timeout?, { signal })` resolves true
   * once a message (or EOF) is waiting, false when timeout seconds pass
   * first (0, the default: at once; null: no limit).
   */
  pollAsync(timeout?: number | null | TimeoutOptions, options?: AsyncOptions): Promise<boolean>;
  async pollAsync(...a: unknown[]): Promise<boolean> {
    const [args, signal] = takeSignal(a);
    const given = pollTimeout(args);
    const fd = this.#readFd();
    const timeout = toTimeout(given);
    throwIfAborted(signal);
    return (await readyAsync([fd], timeout, signal)).length > 0;
  }

  /** send_bytes' twin: `await c.send_bytesAsync(buf, offset?, size?, { signal })`. */
  send_bytesAsync(
    buf: ArrayBufferView | ArrayBuffer,
    offset?: number | AsyncOptions,
    size?: number | AsyncOptions,
    options?: AsyncOptions,
  ): Promise<void>;
  async send_bytesAsync(...a: unknown[]): Promise<void> {
    const [args, signal] = takeSignal(a);
    const b = bind(SEND_BYTES, args);
    this.#writeFd();
    await this.#sendAsync(framePieces(sendBytesView(b)), signal);
  }

  /**
   * send's twin: `await c.sendAsync(obj, { signal })`. The options are the
   * second argument only: a plain object given alone is the value to send.
   */
  sendAsync(obj: unknown, options?: AsyncOptions): Promise<void>;
  async sendAsync(...args: unknown[]): Promise<void> {
    if (args.length === 0 || args.length > 2) throw sendArity(args.length);
    const signal = args.length === 2 ? asyncOptions(args[1]) : null;
    this.#writeFd();
    await this.#sendAsync(framePieces(dumps(args[0])), signal);
  }

  /** One awaitable receive, in turn: the message's payload. */
  #receiveAsync(signal: AbortSignal | null, check: (size: number | bigint) => void): Promise<Buffer> {
    this.#asyncReads++;
    const before = this.#readQueue;
    const run = (async () => {
      try {
        await turn(before, signal);
        throwIfAborted(signal);
        const fd = this.#readFd(); // closed (or made unreadable) while it queued
        const inc = this.#incoming ?? new Incoming();
        this.#incoming = null;
        if (inc.body !== null) check(inc.size);
        try {
          const msg = await whenReady(fd, false, signal, (attempt) => receiveStep(inc, attempt, check));
          return msg;
        } catch (e) {
          if (this.#handle === null) throw new OSError('handle is closed');
          // Aborted while it waited: keep what it took for the next receive.
          if (signal?.aborted && e === signal.reason && (inc.headGot > 0 || inc.body !== null)) this.#incoming = inc;
          throw e;
        }
      } finally {
        this.#asyncReads--;
      }
    })();
    this.#readQueue = Promise.allSettled([before, run]);
    return run;
  }

  /** One awaitable send of a frame's pieces, after the sends pending on the fd. */
  async #sendAsync(pieces: Uint8Array[], signal: AbortSignal | null): Promise<void> {
    const fd = this.#writeFd();
    this.#asyncWrites++;
    try {
      await inWriteOrder(fd, async () => {
        throwIfAborted(signal);
        const wfd = this.#writeFd();
        const rest = this.#unsent;
        this.#unsent = null;
        const out: Outgoing = { pieces: rest === null ? pieces : [rest, ...pieces], i: 0, off: 0 };
        try {
          await whenReady(wfd, true, signal, (attempt) => sendStep(out, attempt));
        } catch (e) {
          if (this.#handle === null) throw new OSError('handle is closed');
          // Aborted while it waited: a frame begun is finished by the next send; one not begun is not sent.
          if (signal?.aborted && e === signal.reason) {
            const begun = rest === null ? out.i > 0 || out.off > 0 : out.i > 1 || (out.i === 1 && out.off > 0);
            if (begun) this.#unsent = unsentRest(out);
            else if (rest !== null && out.i === 0) this.#unsent = unsentRest({ pieces: [rest], i: 0, off: out.off });
          }
          throw e;
        }
      });
    } finally {
      this.#asyncWrites--;
    }
  }
}

/** poll's and wait's timeout as a keyword, with the twins' signal. */
export interface TimeoutOptions extends AsyncOptions {
  timeout?: number | null;
}

const noCheck = (_size: number | bigint): void => {};

/** poll()'s timeout argument: 0 when not given. */
function pollTimeout(args: unknown[]): unknown {
  if (args.length === 0) return 0;
  const a = bind(POLL, args);
  return 'timeout' in a ? a.timeout : 0;
}

/** The options object a twin takes as a separate argument: its checked signal. */
function asyncOptions(v: unknown): AbortSignal | null {
  if (v === undefined || v === null) return null;
  // Anything but an options object is one positional argument too many, as send(obj, x) is to CPython.
  if (!isKwargs(v)) throw sendArity(2);
  return toSignal(v.signal);
}

/** Where recv_bytes_into puts a message: buf's bytes, its itemsize, and the byte offset (checked as CPython checks it). */
interface Into {
  target: Uint8Array;
  itemsize: number;
  bytesize: number;
  off: number;
}

function intoTarget(a: Record<string, unknown>): Into {
  const target = memoryview(a.buf);
  const itemsize = ArrayBuffer.isView(a.buf) ? ((a.buf as { BYTES_PER_ELEMENT?: number }).BYTES_PER_ELEMENT ?? 1) : 1;
  const bytesize = target.length;
  const offset = a.offset ?? 0;
  if (isNegative(offset)) throw new ValueError('negative offset');
  if (Number(offset) > bytesize) throw new ValueError('offset too large');
  return { target, itemsize, bytesize, off: sliceIndex(offset) };
}

/**
 * Copies a received message into recv_bytes_into's buffer, as CPython
 * does: where m[offset // itemsize : (offset + size) // itemsize] starts;
 * BufferTooShort carrying the message when it does not fit.
 */
function place(into: Into, msg: Buffer): number {
  const { target, itemsize, bytesize, off } = into;
  const size = msg.length;
  if (bytesize < off + size) throw new BufferTooShort(msg);
  if (size > 0) {
    const lo = Math.floor(off / itemsize) * itemsize;
    const hi = Math.floor((off + size) / itemsize) * itemsize;
    target.set(msg.subarray(0, Math.min(size, hi - lo)), lo);
  }
  return size;
}

/** send_bytes' bytes [offset, offset + size) of buf, checked as CPython checks them (after the connection). */
function sendBytesView(a: Record<string, unknown>): Uint8Array {
  const m = memoryview(a.buf);
  const n = m.length;
  const offset = a.offset ?? 0;
  if (isNegative(offset)) throw new ValueError('offset is negative');
  if (n < Number(offset)) throw new ValueError('buffer length < offset');
  let size = a.size;
  if (size === null || size === undefined) size = n - Number(offset);
  else if (isNegative(size)) throw new ValueError('size is negative');
  else if (Number(offset) + Number(size) > n) throw new ValueError('buffer length < offset + size');
  const start = sliceIndex(offset);
  return m.subarray(start, start + sliceIndex(size));
}

/** A blocking call made while an awaitable one of that direction is pending (the io twins' rule and words). */
function reentrant(what: 'receive' | 'send'): RuntimeError {
  return new RuntimeError(
    `reentrant call inside <multiprocessing.connection.Connection object>: an awaitable ${what} is pending on it; ` +
      'await it (or abort it) before a blocking call',
  );
}

/** Resolves when prev settles, or rejects with signal.reason once it aborts (a queued twin aborted in the queue). */
function turn(prev: Promise<unknown>, signal: AbortSignal | null): Promise<unknown> {
  if (signal === null) return prev;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    prev.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(undefined);
    });
  });
}

function sendArity(n: number): TypeError {
  if (n === 0) return new TypeError("_ConnectionBase.send() missing 1 required positional argument: 'obj'");
  return new TypeError(`_ConnectionBase.send() takes 2 positional arguments but ${n + 1} were given`);
}

/** memoryview(buf).cast('B'): the bytes of a bytes-like object (every JS buffer is writable), no copy. */
function memoryview(v: unknown): Uint8Array {
  // toBytes: a detached buffer is CPython's released memoryview (ValueError).
  if (ArrayBuffer.isView(v) || v instanceof ArrayBuffer || v instanceof SharedArrayBuffer) return toBytes(v);
  throw new TypeError(`memoryview: a bytes-like object is required, not '${pyTypeName(v)}'`);
}

const pollFd = new Int32Array(1);
const pollEvents = Int16Array.of(posix.POLLIN);
const pollRevents = new Int16Array(1);

/** One fd readable (or hung up, or in error: any event counts, as PollSelector reports it) by the deadline. */
function pollOne(fd: number, deadline: number): boolean {
  pollFd[0] = fd;
  return posix.poll(pollFd, pollEvents, pollRevents, deadline) > 0;
}

// --- Pipe -----------------------------------------------------------------------

/**
 * Two connected Connections: both ends read and write over a socketpair
 * when duplex (the default), else [read end, write end] of a pipe.
 */
export function Pipe(duplex?: boolean | { duplex?: boolean }): [Connection, Connection];
export function Pipe(...args: unknown[]): [Connection, Connection] {
  const a = bind(PIPE, args);
  if (pyTruth('duplex' in a ? a.duplex : true)) {
    const [a, b] = posix.socketpair(posix.AF_UNIX, posix.SOCK_STREAM);
    return [new Connection(a), new Connection(b)];
  }
  const [r, w] = posix.pipe2(posix.O_CLOEXEC, 'pipe');
  return [new Connection(r, { writable: false }), new Connection(w, { readable: false })];
}

const PIPE = signature('python', 'Pipe', ['duplex']);

// --- wait -----------------------------------------------------------------------

/** What wait() accepts: an fd, or anything with fileno() (a Connection, a Process's sentinel is an fd). */
export type Waitable = number | { fileno(): number };

/** selectors' _fileobj_to_fd: an int, or obj.fileno(); CPython's ValueErrors. */
function fileobjToFd(obj: unknown): number {
  let fd: unknown = obj;
  if (intValue(obj) === null || typeof obj === 'boolean') {
    const fileno = (obj as { fileno?: unknown } | null)?.fileno;
    if (typeof fileno !== 'function') throw new ValueError(`Invalid file object: ${pyValueReprOf(obj)}`);
    fd = fileno.call(obj);
    if (intValue(fd) === null) throw new ValueError(`Invalid file object: ${pyValueReprOf(obj)}`);
  }
  const n = intValue(fd) as number | bigint;
  if (n < 0) throw new ValueError(`Invalid file descriptor: ${n}`);
  return toCInt(n); // select.poll's register takes a C int
}

function pyValueReprOf(v: unknown): string {
  if (v instanceof Connection) return '<multiprocessing.connection.Connection object>';
  try {
    return pyValueRepr(v);
  } catch {
    // A value whose getters throw: object.__repr__'s form, never JS's '[object Object]'.
    return `<${pyTypeName(v)} object>`;
  }
}

/**
 * Waits until one of the objects is ready to read (a message or EOF waiting,
 * a Process ended) or timeout seconds pass (null: for ever): the ready
 * objects, in the list's order; [] at the timeout. Signals interrupt the
 * wait only through the interrupt hook (lib/posix/blocking.ts).
 */
export function wait<T extends Waitable>(object_list: Iterable<T>, timeout?: number | null): T[];
export function wait(...args: unknown[]): unknown[] {
  const { objects, fds, timeout } = waitTargets(bind(WAIT, args));
  const ready = readyFds(fds, deadlineFor(timeout));
  return objects.filter((_, i) => ready[i] !== 0);
}

/**
 * wait()'s twin: `await connection.waitAsync(object_list, timeout?, { signal })`,
 * the ready objects in the list's order, [] when timeout seconds pass first.
 */
export function waitAsync<T extends Waitable>(
  object_list: Iterable<T>,
  timeout?: number | null | TimeoutOptions,
  options?: AsyncOptions,
): Promise<T[]>;
export async function waitAsync(...a: unknown[]): Promise<unknown[]> {
  const [args, signal] = takeSignal(a);
  const { objects, fds, timeout } = waitTargets(bind(WAIT, args));
  throwIfAborted(signal);
  const ready = await readyAsync(fds, timeout, signal);
  return objects.filter((_, i) => ready.includes(i));
}

/** wait()'s arguments checked as CPython checks them: the objects, their fds, the timeout. */
function waitTargets(a: Record<string, unknown>): { objects: unknown[]; fds: number[]; timeout: number | null } {
  const objects: unknown[] = [];
  const fds: number[] = [];
  // pyIter: CPython's iteration (a dict gives its keys, a detached buffer is a released memoryview).
  for (const obj of pyIter(a.object_list)) {
    const fd = fileobjToFd(obj);
    if (fds.includes(fd)) throw new KeyError(`${pyValueReprOf(obj)} (FD ${fd}) is already registered`);
    objects.push(obj);
    fds.push(fd);
  }
  return { objects, fds, timeout: toTimeout(a.timeout) };
}

/** poll(2) on fds for reading until the deadline: each fd's revents (any event counts, as PollSelector reports it). */
function readyFds(fds: number[], deadline: number): Int16Array {
  const revents = new Int16Array(fds.length);
  const events = new Int16Array(fds.length).fill(posix.POLLIN);
  posix.poll(Int32Array.from(fds), events, revents, deadline);
  return revents;
}

/**
 * The indexes of the fds ready to read (or hung up, in error, closed), as
 * wait() sees them, waiting in the event loop up to timeout seconds (null:
 * no limit; 0 or less: not at all): [] at the timeout (lib/posix/ready.ts's
 * untilReady, with a poll(2) that does not wait as the check).
 */
function readyAsync(fds: number[], timeout: number | null, signal: AbortSignal | null): Promise<number[]> {
  const now = (): number[] => {
    const revents = readyFds(fds, 0);
    const ready: number[] = [];
    for (let i = 0; i < fds.length; i++) if (revents[i] !== 0) ready.push(i);
    return ready;
  };
  return untilReady(
    fds.map((fd) => [fd, READABLE] as const),
    now,
    timeout,
    signal,
  );
}

const WAIT = signature('python', 'wait', ['object_list', 'timeout'], { required: 1 });

// --- addresses ----------------------------------------------------------------------

/** An AF_UNIX address: a path (str), or on Linux an abstract name (str or bytes starting with a NUL). */
export type Address = string | Buffer;

function isAbstract(address: unknown): boolean {
  if (process.platform !== 'linux') return false;
  if (typeof address === 'string') return address.startsWith('\0');
  return address instanceof Uint8Array && address.length > 0 && address[0] === 0;
}

/** CPython's address_type(): 'AF_UNIX' for a str or an abstract name; 'AF_INET' for a tuple; 'AF_PIPE' for \\.\pipe names. */
export function address_type(address: unknown): string {
  if (Array.isArray(address)) return 'AF_INET';
  if (typeof address === 'string' && address.startsWith('\\\\')) return 'AF_PIPE';
  if (typeof address === 'string' || isAbstract(address)) return 'AF_UNIX';
  // util.is_abstract_socket_namespace: a TypeError for anything but str and bytes (and false values).
  if (pyTruth(address) && !(address instanceof Uint8Array)) {
    throw new TypeError(`address type of ${pyValueReprOf(address)} unrecognized`);
  }
  throw new ValueError(`address type of ${pyValueReprOf(address)} unrecognized`);
}

/** _validate_family, and pipefork's one family. */
function validateFamily(family: unknown): void {
  if (family === 'AF_PIPE') throw new ValueError('Family AF_PIPE is not recognized.');
  if (family === 'AF_INET') {
    throw new ValueError("pipefork's multiprocessing.connection supports family 'AF_UNIX' only, not 'AF_INET'");
  }
  if (family !== 'AF_UNIX') throw new ValueError('unrecognized family');
}

/** sun_path's bytes for an address, refused as CPython's getsockaddrarg refuses it. */
function sunPath(address: Address): Buffer {
  const bytes = typeof address === 'string' ? Buffer.from(address, 'utf8') : Buffer.from(address);
  const abstract = bytes.length > 0 && bytes[0] === 0 && process.platform === 'linux';
  if (abstract ? bytes.length > posix.SUN_PATH_SIZE : bytes.length >= posix.SUN_PATH_SIZE) {
    throw new OSError('AF_UNIX path too long');
  }
  return bytes;
}

/** An address the kernel gave (getsockname, accept), as CPython's makesockaddr returns it. */
function fromSunPath(bytes: Buffer): Address {
  if (bytes.length > 0 && bytes[0] === 0) return bytes;
  return bytes.toString('utf8');
}

let tempDir: { dir: string; pid: number } | undefined;

/**
 * util.get_temp_dir(): a pymp-* folder made on first use and removed at
 * exit by the process that made it (a forked child shares it, as CPython's
 * children inherit it).
 */
function getTempDir(): string {
  if (tempDir === undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'pymp-'));
    const pid = process.pid;
    tempDir = { dir, pid };
    process.on('exit', () => {
      if (process.pid === pid) rmSync(dir, { recursive: true, force: true });
    });
  }
  return tempDir.dir;
}

const MKTEMP_CHARS = 'abcdefghijklmnopqrstuvwxyz0123456789_';

/** arbitrary_address('AF_UNIX'): tempfile.mktemp(prefix='listener-', dir=get_temp_dir()). */
export function arbitrary_address(family: string): string {
  if (family !== 'AF_UNIX') {
    validateFamily(family);
  }
  const bytes = randomBytes(8);
  let name = 'listener-';
  for (const b of bytes) name += MKTEMP_CHARS[b % MKTEMP_CHARS.length];
  return join(getTempDir(), name);
}

// --- Listener and Client ---------------------------------------------------------------

function checkAuthkey(authkey: unknown): Buffer | null {
  if (authkey === null || authkey === undefined) return null;
  if (!(authkey instanceof Uint8Array)) throw new TypeError('authkey should be a byte string');
  // toBuffer: a detached buffer is a released memoryview (ValueError), not V8's TypeError.
  return toBuffer(authkey);
}

const LISTENER = signature('python', 'Listener.__init__', ['address', 'family', 'backlog', 'authkey'], { self: 1 });
const CLIENT = signature('python', 'Client', ['address', 'family', 'authkey'], { required: 1 });

/** The socket file a Listener removes when it closes (or at exit), in the process that made it. */
interface Unlink {
  path: string;
  pid: number;
  done: boolean;
}

const pendingUnlinks = new Set<Unlink>();
let unlinkAtExit = false;

function runUnlink(u: Unlink): void {
  if (u.done) return;
  u.done = true;
  pendingUnlinks.delete(u);
  if (u.pid !== process.pid) return; // util.Finalize: "finalizer ignored because different process"
  posix.unlinkat(-1, u.path, 'unlink', u.path);
}

/**
 * A bound, listening AF_UNIX socket (CPython's Listener):
 * `new Listener(address?, { family: 'AF_UNIX', backlog: 1, authkey })`.
 * With an authkey, accept() runs CPython's HMAC challenge both ways.
 * Without an address it makes one in a temporary folder.
 */
class Listener {
  #fd: number | null;
  #address: Address;
  #lastAccepted: Address | null = null;
  #authkey: Buffer | null;
  #unlink: Unlink | null = null;

  constructor(address?: Address | null, options?: { family?: string; backlog?: number; authkey?: Uint8Array | null });
  constructor(...args: unknown[]) {
    const a = bind(LISTENER, args);
    const given = a.address as Address | null | undefined;
    const family = (a.family || (given && address_type(given)) || 'AF_UNIX') as string;
    validateFamily(family);
    const address = given || arbitrary_address(family);
    this.#authkey = checkAuthkey(a.authkey);
    const backlog = a.backlog === undefined ? 1 : toCInt(a.backlog);
    const path = sunPath(address);
    const fd = posix.socket(posix.AF_UNIX, posix.SOCK_STREAM);
    try {
      posix.setsockopt(fd, posix.SOL_SOCKET, posix.SO_REUSEADDR, 1);
      posix.bind(fd, path);
      posix.listen(fd, Math.max(backlog, 0));
      this.#address = fromSunPath(posix.getsockname(fd));
    } catch (e) {
      posix.closeQuietly(fd);
      throw e;
    }
    this.#fd = fd;
    if (!isAbstract(address)) {
      const u: Unlink = {
        path: typeof address === 'string' ? address : address.toString('utf8'),
        pid: process.pid,
        done: false,
      };
      this.#unlink = u;
      pendingUnlinks.add(u);
      if (!unlinkAtExit) {
        unlinkAtExit = true;
        process.on('exit', () => {
          for (const p of [...pendingUnlinks]) {
            try {
              runUnlink(p);
            } catch {
              // util._run_finalizers reports and goes on.
            }
          }
        });
      }
    }
  }

  /** Accepts a connection; with an authkey, runs the challenge both ways (the connection is closed if it fails). */
  accept(): Connection {
    const fd = this.#fd;
    if (fd === null) throw new OSError('listener is closed');
    const [cfd, peer] = posix.accept(fd);
    this.#lastAccepted = fromSunPath(peer);
    const c = new Connection(cfd);
    if (this.#authkey !== null && this.#authkey.length > 0) {
      try {
        deliver_challenge(c, this.#authkey);
        answer_challenge(c, this.#authkey);
      } catch (e) {
        c.close();
        throw e;
      }
    }
    return c;
  }

  /** Closes the socket and removes its file (in the process that bound it). */
  close(): void {
    const fd = this.#fd;
    if (fd === null) return;
    this.#fd = null;
    try {
      posix.close(fd);
    } finally {
      const u = this.#unlink;
      this.#unlink = null;
      if (u !== null) runUnlink(u);
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  get address(): Address {
    if (this.#fd === null) throw new TypeError("'NoneType' object has no attribute '_address'");
    return this.#address;
  }

  get last_accepted(): Address | null {
    if (this.#fd === null) throw new TypeError("'NoneType' object has no attribute '_last_accepted'");
    return this.#lastAccepted;
  }
}

/**
 * Connects to a Listener's address (CPython's Client):
 * `Client(address, { family, authkey })`. With an authkey (even an empty
 * one, as in CPython), answers the listener's challenge and challenges it.
 */
export function Client(address: Address, options?: { family?: string; authkey?: Uint8Array | null }): Connection;
export function Client(...args: unknown[]): Connection {
  const a = bind(CLIENT, args);
  const address = a.address as Address;
  const family = (a.family || address_type(address)) as string;
  validateFamily(family);
  const authkey = checkAuthkey(a.authkey);
  const path = sunPath(address);
  const fd = posix.socket(posix.AF_UNIX, posix.SOCK_STREAM);
  try {
    posix.connect(fd, path);
  } catch (e) {
    posix.closeQuietly(fd);
    throw e;
  }
  const c = new Connection(fd);
  if (authkey !== null) {
    try {
      answer_challenge(c, authkey);
      deliver_challenge(c, authkey);
    } catch (e) {
      c.close();
      throw e;
    }
  }
  return c;
}

// --- authentication (CPython 3.11: HMAC-MD5 over a 20-byte challenge) ----------------

const MESSAGE_LENGTH = 20;
const CHALLENGE = Buffer.from('#CHALLENGE#');
const WELCOME = Buffer.from('#WELCOME#');
const FAILURE = Buffer.from('#FAILURE#');

function authkeyBytes(authkey: unknown): Buffer {
  if (!(authkey instanceof Uint8Array)) {
    throw new ValueError(`Authkey must be bytes, not <class '${pyTypeName(authkey)}'>`);
  }
  return toBuffer(authkey);
}

function digestOf(authkey: Buffer, message: Uint8Array): Buffer {
  return createHmac('md5', authkey).update(message).digest();
}

function same(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The listener's half: sends a challenge, checks the digest, says #WELCOME# or #FAILURE#. */
export function deliver_challenge(connection: Connection, authkey: Uint8Array): void {
  const key = authkeyBytes(authkey);
  const message = randomBytes(MESSAGE_LENGTH);
  connection.send_bytes(Buffer.concat([CHALLENGE, message]));
  const digest = digestOf(key, message);
  const response = connection.recv_bytes(256); // reject large message
  if (same(response, digest)) {
    connection.send_bytes(WELCOME);
  } else {
    connection.send_bytes(FAILURE);
    throw new AuthenticationError('digest received was wrong');
  }
}

/** The client's half: answers a challenge with the digest and expects #WELCOME#. */
export function answer_challenge(connection: Connection, authkey: Uint8Array): void {
  const key = authkeyBytes(authkey);
  const message = connection.recv_bytes(256); // reject large message
  if (!message.subarray(0, CHALLENGE.length).equals(CHALLENGE)) {
    throw new AssertionError(`message = ${pyRepr(message)}`);
  }
  connection.send_bytes(digestOf(key, message.subarray(CHALLENGE.length)));
  const response = connection.recv_bytes(256); // reject large message
  if (!response.equals(WELCOME)) throw new AuthenticationError('digest sent was rejected');
}

// Connection and Listener as pyclass twins (lib/pyclass.ts): Listener(address)
// and Connection(fd) without new, as Python calls them.
const Connection_ = pyclass(Connection);
type Connection_ = Connection;
const Listener_ = pyclass(Listener);
type Listener_ = Listener;

export { Connection_ as Connection, Listener_ as Listener };
