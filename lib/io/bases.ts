// io.IOBase, io.RawIOBase, io.BufferedIOBase and io.TextIOBase as a program
// subclasses them: every method CPython's base classes give, so a class that
// defines only readinto() and readable() is a raw stream a BufferedReader
// can wrap, as in Python.
//
// pipefork's own file objects (FileIO, the buffered classes, TextIOWrapper,
// BytesIO, StringIO) derive from these at run time, so instanceof holds as
// in CPython. They define every method themselves, so they extend the same
// classes typed as iobase.ts's abstract core (rawBase, bufferedBase,
// textBase below): TypeScript then asks them for no `override` on methods
// that are defaults only for a program's own subclasses.
import { Buffer } from 'node:buffer';
import { pyTypeName, sizeArg, toInt, toWritableBytes } from '../convert.js';
import { NotImplementedError, OSError, ValueError } from '../errors.js';
import { DEFAULT_BUFFER_SIZE, unsupported } from './common.js';
import { IOBase as IOBaseCore, ioBaseReadline } from './iobase.js';

// IOBase's __IOBase_closed, kept out of the object so subclasses share no field with it.
const closedSet = new WeakSet<object>();

type Method = (...a: unknown[]) => unknown;

/** The AttributeError CPython raises for a method the object lacks (a TypeError here, as for every missing attribute). */
function noAttribute(self: object, name: string): TypeError {
  return new TypeError(`'${self.constructor.name}' object has no attribute '${name}'`);
}

/** io.IOBase: CPython's defaults for every file object. */
export class IOBase extends IOBaseCore {
  /** True once close() has run (CPython's __IOBase_closed). */
  get closed(): boolean {
    return closedSet.has(this);
  }

  /** close(): flush, then mark closed (even when flush fails); a second close does nothing. */
  close(): void {
    if (closedSet.has(this)) return;
    try {
      this.flush();
    } finally {
      closedSet.add(this);
    }
  }

  /** flush(): nothing to write; ValueError once closed. */
  flush(): void {
    this._checkClosed();
  }

  fileno(): number {
    throw unsupported('fileno');
  }

  isatty(): boolean {
    this._checkClosed();
    return false;
  }

  /** seek(pos, whence=SEEK_SET): a number (a text file's cookie may be a BigInt: lib/io/cookie.ts). */
  seek(_pos: number | bigint, _whence?: number): number | bigint {
    throw unsupported('seek');
  }

  /** tell() is seek(0, SEEK_CUR), as in CPython. */
  tell(): number | bigint {
    return this.seek(0, 1);
  }

  truncate(_size?: number | null): number {
    throw unsupported('truncate');
  }

  /** readline(size=-1): CPython's IOBase.readline, built on the object's peek() and read(). */
  readline(size?: number | null): Buffer | string {
    const self = this as unknown as { read?: Method; peek?: Method };
    const limit = sizeArg(size, -1);
    if (typeof self.read !== 'function') throw noAttribute(this, 'read');
    const read = self.read;
    const peek = self.peek;
    return ioBaseReadline(
      limit,
      typeof peek === 'function'
        ? () => {
            const b = peek.call(this, 1);
            if (!(b instanceof Uint8Array)) {
              throw new OSError(`peek() should have returned a bytes object, not '${pyTypeName(b)}'`);
            }
            return b;
          }
        : null,
      (n) => {
        const b = read.call(this, n);
        if (b !== null && !(b instanceof Uint8Array)) {
          throw new OSError(`read() should have returned a bytes object, not '${pyTypeName(b)}'`);
        }
        return b as Uint8Array | null;
      },
    );
  }

  /** IOBase has no write(); writelines() calls the subclass's. */
  write(_b: unknown): number | null {
    throw noAttribute(this, 'write');
  }
}

/** io.RawIOBase: read() and readall() built on the subclass's readinto(). */
export class RawIOBase extends IOBase {
  /** read(size=-1): one readinto() into a new buffer of size bytes; readall() when size < 0; null when it gives None. */
  read(size?: number | null): Buffer | null {
    const n = sizeArg(size, -1);
    if (n < 0) return this.readall();
    const b = Buffer.alloc(n);
    const got = this.readinto(b) as unknown;
    if (got === null || got === undefined) return null;
    // PyNumber_AsSsize_t(got, ValueError), then CPython 3.12's range check
    // (3.11 trusts the count and exposes memory past the buffer). A JS
    // boolean is no int here either (docs/differences.md).
    const k = toInt(got);
    if (k >= 2 ** 63 || k < -(2 ** 63)) throw new ValueError("cannot fit 'int' into an index-sized integer");
    if (k < 0 || k > n) throw new ValueError(`readinto returned ${k} outside buffer size ${n}`);
    return b.subarray(0, Number(k));
  }

  /** readall(): read(DEFAULT_BUFFER_SIZE) until EOF; null if the first read gives None. */
  readall(): Buffer | null {
    const chunks: Buffer[] = [];
    for (;;) {
      const data = this.read(DEFAULT_BUFFER_SIZE) as unknown;
      if (data === null || data === undefined) {
        if (chunks.length === 0) return null;
        break;
      }
      if (!(data instanceof Uint8Array)) throw new TypeError('read() should return bytes');
      if (data.length === 0) break;
      chunks.push(Buffer.from(data));
    }
    return Buffer.concat(chunks);
  }

  /** readinto(b): what a subclass defines to be readable. */
  readinto(_b: ArrayBufferView | ArrayBuffer): number | null {
    throw new NotImplementedError();
  }

  override write(_b: unknown): number | null {
    throw new NotImplementedError();
  }

  override readline(size?: number | null): Buffer {
    return super.readline(size) as Buffer;
  }

  override [Symbol.iterator](): Iterator<Buffer> {
    return super[Symbol.iterator]() as Iterator<Buffer>;
  }
}

/** readinto()/readinto1() as BufferedIOBase builds them from read()/read1(). */
function readintoWith(self: object, method: 'read' | 'read1', b: unknown): number {
  const view = toWritableBytes(b, `${method === 'read' ? 'readinto' : 'readinto1'}() argument`);
  const data = (self as Record<string, Method>)[method]?.call(self, view.length);
  if (!(data instanceof Uint8Array)) throw new TypeError(`${method}() should return bytes`);
  if (data.length > view.length) {
    throw new ValueError(`${method}() returned too much data: ${view.length} bytes requested, ${data.length} returned`);
  }
  view.set(data);
  return data.length;
}

/** io.BufferedIOBase: readinto() built on read(); everything else unsupported until the subclass defines it. */
export class BufferedIOBase extends IOBase {
  read(_size?: number | null): Buffer | null {
    throw unsupported('read');
  }

  read1(_size?: number | null): Buffer | null {
    throw unsupported('read1');
  }

  readinto(b: ArrayBufferView | ArrayBuffer): number | null {
    return readintoWith(this, 'read', b);
  }

  readinto1(b: ArrayBufferView | ArrayBuffer): number | null {
    return readintoWith(this, 'read1', b);
  }

  override write(_b: unknown): number | null {
    throw unsupported('write');
  }

  detach(): unknown {
    throw unsupported('detach');
  }

  override readline(size?: number | null): Buffer {
    return super.readline(size) as Buffer;
  }

  override [Symbol.iterator](): Iterator<Buffer> {
    return super[Symbol.iterator]() as Iterator<Buffer>;
  }
}

/** io.TextIOBase: str in and out; every operation unsupported until the subclass defines it. */
export class TextIOBase extends IOBase {
  read(_size?: number | null): string {
    throw unsupported('read');
  }

  override readline(_size?: number | null): string {
    throw unsupported('readline');
  }

  override write(_s: unknown): number {
    throw unsupported('write');
  }

  override [Symbol.iterator](): Iterator<string> {
    return super[Symbol.iterator]() as Iterator<string>;
  }

  detach(): unknown {
    throw unsupported('detach');
  }

  get encoding(): string | null {
    return null;
  }

  get errors(): string | null {
    return null;
  }

  get newlines(): string | string[] | null {
    return null;
  }
}

/** The classes above, typed as the abstract core: what pipefork's own file objects extend. */
export const rawBase = RawIOBase as unknown as abstract new () => IOBaseCore;
export const bufferedBase = BufferedIOBase as unknown as abstract new () => IOBaseCore;
export const textBase = TextIOBase as unknown as abstract new () => IOBaseCore;
