// IOBase: the methods CPython's _io._IOBase gives every file object, built on
// the subclass's readline/write/close.
import { Buffer } from 'node:buffer';
import { type AsyncOptions, takeSignal, throwIfAborted } from '../abort.js';
import { pyIter, sizeArg } from '../convert.js';
import { OSError } from '../errors.js';
import { CLOSED_DOT, closedError, ioArgsError, pyLen } from './common.js';

export abstract class IOBase {
  abstract get closed(): boolean;
  abstract close(): void;
  abstract readline(size?: number | null): Buffer | string;
  abstract write(b: unknown): number | null;

  /** Raises CPython's closed-file ValueError when closed. */
  protected _checkClosed(msg: string = CLOSED_DOT): void {
    if (this.closed) throw closedError(msg);
  }

  readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    return false;
  }

  writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    return false;
  }

  seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    return false;
  }

  /** readlines(hint=-1): lines until EOF, or until their total size goes past hint. */
  readlines(hint?: number | null): (Buffer | string)[] {
    if (arguments.length > 1) throw ioArgsError(this, 'readlines', 1, arguments.length);
    // The hint is converted first (Argument Clinic); the closed check is iter(self)'s.
    const limit = sizeArg(hint, -1);
    this._checkClosed();
    const lines: (Buffer | string)[] = [];
    let total = 0;
    for (;;) {
      const line = this.readline();
      if (line.length === 0) break;
      lines.push(line);
      // CPython's C IOBase.readlines (not _pyio's): stop once the total is over hint.
      const len = typeof line === 'string' ? pyLen(line) : line.length;
      if (limit > 0 && len > limit - total) break;
      total += len;
    }
    return lines;
  }

  writelines(lines: Iterable<unknown>): void {
    if (arguments.length !== 1) throw ioArgsError(this, 'writelines', 1, arguments.length, true);
    this._checkClosed();
    for (const line of pyIter(lines)) this.write(line);
  }

  /** `for (const line of f)`: readline() until it returns nothing, as `for line in f`. */
  [Symbol.iterator](): Iterator<Buffer | string> {
    this._checkClosed();
    return {
      next: (): IteratorResult<Buffer | string> => {
        const line = this.readline();
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  /** `using f = ...` closes the file, as `with` does in Python. */
  [Symbol.dispose](): void {
    this.close();
  }

  __enter__(): this {
    if (arguments.length > 0) throw ioArgsError(this, '__enter__', 0, arguments.length);
    this._checkClosed();
    return this;
  }

  __exit__(): void {
    this.close();
  }

  // ---- the awaitable twins (docs/async.md) ----
  // Defaults for the streams that never wait (BytesIO, StringIO, a
  // program's own subclasses): the blocking method, its result a promise.
  // FileIO, the buffered classes and TextIOWrapper wait in the event loop.

  /** read's twin: read(size) (this default calls it as it is). */
  readAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer | string | null>;
  readAsync(...a: unknown[]): Promise<Buffer | string | null> {
    return blockingTwin(this, 'read', a) as Promise<Buffer | string | null>;
  }

  /** readline's twin: one line, with its ending; empty at EOF. */
  readlineAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer | string>;
  readlineAsync(...a: unknown[]): Promise<Buffer | string> {
    return blockingTwin(this, 'readline', a) as Promise<Buffer | string>;
  }

  /** readlines' twin: lines until EOF, or until their total size goes past hint. */
  async readlinesAsync(hint?: number | null | AsyncOptions, options?: AsyncOptions): Promise<(Buffer | string)[]>;
  async readlinesAsync(...a: unknown[]): Promise<(Buffer | string)[]> {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, 'readlines', 1, args.length);
    const limit = sizeArg(args[0], -1);
    this._checkClosed();
    const lines: (Buffer | string)[] = [];
    let total = 0;
    for (;;) {
      const line = await this.readlineAsync({ signal });
      if (line.length === 0) break;
      lines.push(line);
      const len = typeof line === 'string' ? pyLen(line) : line.length;
      if (limit > 0 && len > limit - total) break;
      total += len;
    }
    return lines;
  }

  /** write's twin: the count (everything, for the buffered and text layers). */
  writeAsync(b: unknown, options?: AsyncOptions): Promise<number | null>;
  writeAsync(...a: unknown[]): Promise<number | null> {
    return blockingTwin(this, 'write', a) as Promise<number | null>;
  }

  /** flush's twin: everything written is given to the fd, waiting for room in the event loop. */
  flushAsync(options?: AsyncOptions): Promise<void>;
  flushAsync(...a: unknown[]): Promise<void> {
    return blockingTwin(this, 'flush', a) as Promise<void>;
  }

  /**
   * close's twin: flushAsync, then close. If the flush fails or is aborted,
   * the file stays open with its data (close() then flushes and closes).
   */
  async closeAsync(options?: AsyncOptions): Promise<void>;
  async closeAsync(...a: unknown[]): Promise<void> {
    const [args, signal] = takeSignal(a);
    if (args.length > 0) throw ioArgsError(this, 'close', 0, args.length);
    if (this.closed) return;
    await this.flushAsync({ signal });
    this.close();
  }

  /** `for await (const line of f)`: readlineAsync() until it returns nothing. */
  [Symbol.asyncIterator](): AsyncIterator<Buffer | string> {
    this._checkClosed();
    return {
      next: async (): Promise<IteratorResult<Buffer | string>> => {
        const line = await this.readlineAsync();
        return line.length === 0 ? { done: true, value: undefined } : { done: false, value: line };
      },
    };
  }

  /** `await using f = ...` closes the file with closeAsync. */
  [Symbol.asyncDispose](): Promise<void> {
    return this.closeAsync();
  }
}

/** A twin that is the blocking method itself: its arguments without { signal }, after an abort check. */
async function blockingTwin(self: object, name: string, a: unknown[]): Promise<unknown> {
  const [args, signal] = takeSignal(a);
  throwIfAborted(signal);
  const f = (self as Record<string, unknown>)[name];
  if (typeof f !== 'function') throw new TypeError(`'${self.constructor.name}' object has no attribute '${name}'`);
  return f.apply(self, args);
}

/** What IOBase.readline raises when read() gives None (a non-blocking fd with no data). */
function noneFromRead(): OSError {
  return new OSError("read() should have returned a bytes object, not 'NoneType'");
}

/**
 * CPython's IOBase.readline, for the classes that use it (FileIO,
 * BufferedRWPair): `peek` (null when the object has none) shows what is
 * buffered, so one read takes the line up to its newline, at most `limit`
 * bytes a read (each read, not in total: CPython's quirk, so a line can come
 * back longer than limit); without it, read(1) until a newline. A read that
 * gives None raises, and the bytes read so far are lost.
 */
export function ioBaseReadline(
  limit: number,
  peek: (() => Uint8Array) | null,
  read: (n: number) => Uint8Array | null,
): Buffer {
  const parts: Uint8Array[] = [];
  let got = 0;
  while (limit < 0 || got < limit) {
    let n = 1;
    if (peek !== null) {
      const ahead = peek();
      if (ahead.length > 0) {
        const end = limit >= 0 && limit < ahead.length ? limit : ahead.length;
        const nl = ahead.indexOf(10);
        n = nl >= 0 && nl < end ? nl + 1 : end;
      }
    }
    const b = read(n);
    if (b === null) throw noneFromRead();
    if (b.length === 0) break;
    parts.push(b);
    got += b.length;
    if (b[b.length - 1] === 10) break;
  }
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, got);
}
