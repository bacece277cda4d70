// io.BytesIO: CPython's in-memory binary stream (Modules/_io/bytesio.c),
// with its messages, its position rules (seek past the end, then write,
// fills with zeros; truncate never moves the position) and getbuffer()'s
// exports that forbid resizing until released.
import { Buffer } from 'node:buffer';
import { bind, signature, sizeArg, toBytes, toCInt, toSsize, toWritableBytes } from '../convert.js';
import { BufferError, ValueError } from '../errors.js';
import { BufferedIOBase } from './bases.js';
import { ioArgsError, seekArgsError, unsupported } from './common.js';

/** BytesIO's own wording, with the full stop. */
const CLOSED = 'I/O operation on closed file.';

/** What getbuffer() returns: a Buffer sharing the BytesIO's bytes, released as a memoryview is. */
export interface BytesIOBuffer extends Buffer {
  /** memoryview.release(): the BytesIO may resize again once every view is released. */
  release(): void;
  [Symbol.dispose](): void;
}

const BYTESIO_ARGS = signature('clinic', 'BytesIO', ['initial_bytes'], { required: 0 });

/** BytesIO(initial_bytes=b''): a file object over bytes in memory. */
export class BytesIO extends BufferedIOBase {
  // The bytes are buf[0, size); buf may be larger (capacity).
  private buf: Buffer;
  private size: number;
  private pos = 0;
  private exports = 0;
  private _closed = false;

  constructor(initial_bytes?: ArrayBufferView | ArrayBuffer | null | { initial_bytes?: ArrayBufferView | null });
  constructor(...args: unknown[]) {
    super();
    const a = bind(BYTESIO_ARGS, args);
    const init =
      a.initial_bytes === undefined || a.initial_bytes === null ? new Uint8Array(0) : toBytes(a.initial_bytes);
    this.buf = Buffer.from(init);
    this.size = init.length;
  }

  private _check(): void {
    if (this._closed) throw new ValueError(CLOSED);
  }

  /** CPython's CHECK_EXPORTS: nothing may resize (or write) while a getbuffer() view is held. */
  private _checkExports(): void {
    if (this.exports > 0) throw new BufferError('Existing exports of data: object cannot be re-sized');
  }

  override get closed(): boolean {
    return this._closed;
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    this._check();
    return true;
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    this._check();
    return true;
  }

  override seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    this._check();
    return true;
  }

  override flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
    this._check();
  }

  override isatty(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'isatty', 0, arguments.length);
    this._check();
    return false;
  }

  /** getvalue(): a copy of every byte, wherever the position is. */
  getvalue(): Buffer {
    if (arguments.length > 0) throw ioArgsError(this, 'getvalue', 0, arguments.length);
    this._check();
    return Buffer.from(this.buf.subarray(0, this.size));
  }

  /**
   * getbuffer(): a view of the bytes (writes through it change them). While
   * one is held, write(), truncate() and close() raise BufferError, as in
   * CPython; JS has no reference counts, so a view is held until its
   * release() (or `using`), as a memoryview is until released or collected.
   */
  getbuffer(): BytesIOBuffer {
    if (arguments.length > 0) throw ioArgsError(this, 'getbuffer', 0, arguments.length);
    this._check();
    const view = Buffer.from(this.buf.buffer, this.buf.byteOffset, this.size) as BytesIOBuffer;
    let held = true;
    this.exports++;
    const release = (): void => {
      if (!held) return;
      held = false;
      this.exports--;
    };
    Object.defineProperty(view, 'release', { value: release });
    Object.defineProperty(view, Symbol.dispose, { value: release });
    return view;
  }

  /** The bytes from the position on, at most n (all when n < 0); moves past them. */
  private _take(n: number): Buffer {
    const start = Math.min(this.pos, this.size);
    const end = n < 0 ? this.size : Math.min(this.size, start + n);
    this.pos = Math.max(this.pos, end);
    return Buffer.from(this.buf.subarray(start, end));
  }

  /** read(size=-1): size bytes from the position, fewer at the end; all that is left when size < 0. */
  override read(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    const n = sizeArg(size, -1);
    this._check();
    return this._take(n);
  }

  /** read1(size=-1): the same as read() for bytes in memory. */
  override read1(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'read1', 1, arguments.length);
    const n = sizeArg(size, -1);
    this._check();
    return this._take(n);
  }

  /** The length of the line at the position (with its b'\n'), at most limit bytes when limit >= 0. */
  private _lineLength(limit: number): number {
    const start = Math.min(this.pos, this.size);
    let end = this.size;
    if (limit >= 0 && start + limit < end) end = start + limit;
    const nl = this.buf.subarray(0, end).indexOf(10, start);
    return (nl < 0 ? end : nl + 1) - start;
  }

  /** readline(size=-1): up to and including the next b'\n', at most size bytes. */
  override readline(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    const limit = sizeArg(size, -1);
    this._check();
    return this._take(this._lineLength(limit));
  }

  /** readlines(hint=None): BytesIO's own loop: stop once the lines total hint bytes or more. */
  override readlines(hint?: number | null): Buffer[] {
    if (arguments.length > 1) throw ioArgsError(this, 'readlines', 1, arguments.length);
    const max = sizeArg(hint, -1);
    this._check();
    const lines: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = this._lineLength(-1);
      if (n === 0) break;
      lines.push(this._take(n));
      total += n;
      if (max > 0 && total >= max) break;
    }
    return lines;
  }

  /** readinto(b): copies into b from the position; the count. */
  override readinto(b: ArrayBufferView | ArrayBuffer): number {
    if (arguments.length !== 1) throw ioArgsError(this, 'readinto', 1, arguments.length, true);
    const view = toWritableBytes(b, 'readinto() argument');
    this._check();
    const chunk = this._take(view.length);
    view.set(chunk);
    return chunk.length;
  }

  override readinto1(b: ArrayBufferView | ArrayBuffer): number {
    if (arguments.length !== 1) throw ioArgsError(this, 'readinto1', 1, arguments.length, true);
    const view = toWritableBytes(b, 'readinto1() argument');
    this._check();
    const chunk = this._take(view.length);
    view.set(chunk);
    return chunk.length;
  }

  /** write(b): writes at the position (zeros fill a gap past the end); the count. */
  override write(b: ArrayBufferView | ArrayBuffer): number;
  override write(b: unknown): number {
    if (arguments.length !== 1) throw ioArgsError(this, 'write', 1, arguments.length, true);
    this._check();
    this._checkExports();
    const data = toBytes(b);
    const n = data.length;
    if (n === 0) return 0;
    const end = this.pos + n;
    if (end > this.buf.length) this._grow(end);
    // A gap left by a seek past the end reads as zeros (the capacity may hold old bytes).
    if (this.pos > this.size) this.buf.fill(0, this.size, this.pos);
    this.buf.set(data, this.pos);
    this.pos = end;
    if (end > this.size) this.size = end;
    return n;
  }

  /** Room for at least `need` bytes, doubling as CPython's resize_buffer overallocates. */
  private _grow(need: number): void {
    const cap = Math.max(need, Math.min(this.buf.length * 2, need + (need >> 3) + 64));
    const next = Buffer.alloc(cap);
    next.set(this.buf.subarray(0, this.size));
    this.buf = next;
  }

  /** seek(pos, whence=SEEK_SET): any position at or past 0 (negative results clamp to 0 for whence 1 and 2). */
  override seek(pos: number, whence?: number): number;
  override seek(...args: unknown[]): number {
    if (args.length > 2) throw ioArgsError(this, 'seek', 2, args.length);
    if (args.length === 0) throw seekArgsError();
    let p = toSsize(args[0]);
    const whence = args.length > 1 ? toCInt(args[1]) : 0;
    this._check();
    if (p < 0 && whence === 0) throw new ValueError(`negative seek value ${p}`);
    if (whence === 1) p += this.pos;
    else if (whence === 2) p += this.size;
    else if (whence !== 0) throw new ValueError(`invalid whence (${whence}, should be 0, 1 or 2)`);
    this.pos = Math.max(p, 0);
    return this.pos;
  }

  override tell(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    this._check();
    return this.pos;
  }

  /** truncate(size=None): cut to size bytes (the position by default); never grows, never moves the position. */
  override truncate(size?: number | null): number {
    if (arguments.length > 1) throw ioArgsError(this, 'truncate', 1, arguments.length);
    const given = sizeArg(size, -1);
    this._check();
    this._checkExports();
    const n = size === undefined || size === null ? this.pos : given;
    if (n < 0) throw new ValueError(`negative size value ${n}`);
    if (n < this.size) this.size = n;
    return n;
  }

  override fileno(): number {
    throw unsupported('fileno');
  }

  override close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    this._checkExports();
    this._closed = true;
    this.buf = Buffer.alloc(0);
    this.size = 0;
  }

  /** for (const line of b): readline() until b''; the closed check comes with each line, as BytesIO's own __next__. */
  override [Symbol.iterator](): Iterator<Buffer> {
    return {
      next: (): IteratorResult<Buffer> => {
        this._check();
        const line = this._take(this._lineLength(-1));
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  override toString(): string {
    return '<_io.BytesIO object>';
  }
}
