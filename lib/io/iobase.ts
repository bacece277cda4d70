// IOBase: the methods CPython's _io._IOBase gives every file object, built on
// the subclass's readline/write/close.
import { CLOSED_DOT, closedError, ioArgsError, pyLen, sizeArg } from './common.js';

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
    for (const line of lines) this.write(line);
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
}
