// FileIO: CPython's raw file object. Every read or write is one syscall on
// the fd (lib/posix/); nothing is buffered here.
import { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { type AsyncOptions, takeSignal, throwIfAborted } from '../abort.js';
import {
  bind,
  pyTypeName,
  signature,
  sizeArg,
  toBool,
  toBytes,
  toCInt,
  toOffT,
  toPath,
  toSsize,
  toWritableBytes,
} from '../convert.js';
import { OSError, oserror, RuntimeError, ValueError } from '../errors.js';
import * as posix from '../posix/index.js';
import { type Attempt, inWriteOrder, whenReady } from '../posix/nowait.js';
import { ownReadBuffer, shrink, tryReadAll, tryReadNew } from '../readsize.js';
import { rawBase } from './bases.js';
import {
  CLOSED_RAW,
  closedError,
  DEFAULT_BUFFER_SIZE,
  ESPIPE,
  flushThenClose,
  ioArgsError,
  nameRepr,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
  seekArgsError,
  unsupported,
} from './common.js';
import { type Finalizer, unwatch, warnUnclosed, watch } from './finalize.js';
import { ioBaseReadline } from './iobase.js';

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const EBADF = osConstants.errno.EBADF;
const EISDIR = osConstants.errno.EISDIR;
const EINVAL = osConstants.errno.EINVAL;
const noop = (): void => {};
const { O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_CLOEXEC } = posix;

/**
 * What a collected FileIO leaves to do (finalize.ts): close its fd, if it
 * owns it and the fd is still the file it opened, with CPython's
 * ResourceWarning. A closefd=False FileIO never closes.
 */
class FileFinalizer implements Finalizer {
  constructor(
    readonly claim: posix.FdClaim,
    readonly closefd: boolean,
    public repr: string,
  ) {}

  finish(source: string): void {
    const c = this.claim;
    const fd = c.fd;
    const owned = this.closefd && posix.claimHolds(c);
    posix.releaseClaim(c);
    if (!owned) return;
    warnUnclosed(source);
    posix.closeQuietly(fd);
  }
}

/** The FileIOs whose repr is being made (CPython's Py_ReprEnter). */
const inRepr = new WeakSet<object>();

const FILEIO_ARGS = signature('clinic', 'FileIO', ['file', 'mode', 'closefd', 'opener'], { required: 1 });

export class FileIO extends rawBase {
  /** -1 once closed, as in CPython. */
  protected _fd: number;
  readonly name: string | number | Buffer;
  readonly closefd: boolean;
  /** st_blksize when it is > 1, else DEFAULT_BUFFER_SIZE: what io.open sizes buffers by. */
  _blksize = DEFAULT_BUFFER_SIZE;
  private _readable = false;
  private _writable = false;
  private _created = false;
  private _appending = false;
  private _seekable: boolean | undefined;
  private _fin!: FileFinalizer;
  /**
   * Bytes an aborted readallAsync or readlineAsync had already taken from
   * the fd: every read returns them first, so an abort loses nothing
   * (docs/async.md, "Abort").
   */
  private _unread: Buffer | null = null;
  /** The awaitable reads of this object, run one after the other in call order. */
  private _readQueue: Promise<unknown> = Promise.resolve();

  /** FileIO(file, mode='r', closefd=True, opener=None). */
  constructor(
    file: number | string | Buffer | URL,
    mode?: string | { mode?: string; closefd?: boolean; opener?: unknown },
    closefd?: boolean | { closefd?: boolean; opener?: unknown },
    opener?: unknown,
  );
  constructor(...args: unknown[]) {
    super();
    // FileIO(file, mode='r', closefd=True, opener=None), Argument Clinic's binding.
    const a = bind(FILEIO_ARGS, args);
    const file = a.file;
    let fd = -1;
    if (typeof file === 'number' || typeof file === 'bigint') {
      if (typeof file === 'number' && !Number.isInteger(file)) {
        throw new TypeError(`expected str, bytes or os.PathLike object, not float`);
      }
      if (file > 2147483647 || file < -2147483648) {
        throw new TypeError('expected str, bytes or os.PathLike object, not int');
      }
      fd = Number(file);
      if (fd < 0) throw new ValueError('negative file descriptor');
    } else if (typeof file !== 'string' && !Buffer.isBuffer(file) && !(file instanceof URL)) {
      throw new TypeError(`expected str, bytes or os.PathLike object, not ${pyTypeName(file)}`);
    }
    const mode = a.mode === undefined ? 'r' : a.mode;
    if (typeof mode !== 'string') {
      throw new TypeError(`FileIO() argument 'mode' must be str, not ${mode === null ? 'None' : pyTypeName(mode)}`);
    }
    const closefd = a.closefd === undefined ? true : toBool(a.closefd);
    let rwa = false;
    let plus = false;
    let flags = 0;
    const badMode = () => new ValueError('Must have exactly one of create/read/write/append mode and at most one plus');
    for (const ch of mode) {
      switch (ch) {
        case 'x':
          if (rwa) throw badMode();
          rwa = true;
          this._created = true;
          this._writable = true;
          flags |= O_EXCL | O_CREAT;
          break;
        case 'r':
          if (rwa) throw badMode();
          rwa = true;
          this._readable = true;
          break;
        case 'w':
          if (rwa) throw badMode();
          rwa = true;
          this._writable = true;
          flags |= O_CREAT | O_TRUNC;
          break;
        case 'a':
          if (rwa) throw badMode();
          rwa = true;
          this._writable = true;
          this._appending = true;
          flags |= O_APPEND | O_CREAT;
          break;
        case 'b':
          break;
        case '+':
          if (plus) throw badMode();
          this._readable = true;
          this._writable = true;
          plus = true;
          break;
        default:
          throw new ValueError(`invalid mode: ${mode}`);
      }
    }
    if (!rwa) throw badMode();
    flags |= this._readable && this._writable ? O_RDWR : this._readable ? O_RDONLY : O_WRONLY;
    flags |= O_CLOEXEC;

    let own = false;
    if (fd >= 0) {
      this.closefd = closefd;
      this.name = fd;
    } else {
      if (!closefd) throw new ValueError('Cannot use closefd=False with file name');
      this.closefd = true;
      const path = toPath(file, 'open', 'file', 'fs');
      // CPython keeps the name as given: bytes stay bytes (a file: URL is its path).
      this.name = typeof file === 'string' ? file : file instanceof Uint8Array ? Buffer.from(file) : path;
      const opener = a.opener;
      if (opener === undefined || opener === null) {
        fd = posix.open(path, flags, 0o666, this.name);
      } else {
        if (typeof opener !== 'function') throw new TypeError(`'${pyTypeName(opener)}' object is not callable`);
        const r = (opener as (p: unknown, f: number) => unknown)(file, flags);
        if (typeof r !== 'number' || !Number.isInteger(r)) {
          throw new TypeError('expected integer from opener');
        }
        if (r < 0) throw new ValueError(`opener returned ${r}`);
        fd = r;
      }
      own = true;
    }
    this._fd = fd;
    // EBADF is the only fstat failure CPython reports (issue #25717); a
    // directory is refused. An fd we opened ourselves is closed on the way out.
    const refuse = (e: unknown): never => {
      if (own) posix.closeQuietly(fd);
      this._fd = -1;
      throw e;
    };
    let st: posix.StatRecord | null = null;
    try {
      st = posix.fstat(fd);
    } catch (e) {
      if (e instanceof OSError && e.errno === EBADF) refuse(e);
    }
    if (st !== null) {
      if ((st.mode & S_IFMT) === S_IFDIR) refuse(oserror(EISDIR, 'open', this.name));
      if (st.blksize > 1) this._blksize = st.blksize;
    }
    if (this._appending) {
      // CPython seeks to the end at once for consistent tell(); pipes say ESPIPE, ignored.
      try {
        posix.lseek(fd, 0, SEEK_END);
      } catch (e) {
        if (!(e instanceof OSError && e.errno === ESPIPE)) refuse(e);
      }
    }
    this._fin = new FileFinalizer(posix.claimFd(fd, st?.dev ?? -1, st?.ino ?? -1), this.closefd, '');
    this._fin.repr = this.toString();
    watch(this, this._fin, false);
  }

  get closed(): boolean {
    return this._fd < 0;
  }

  get mode(): string {
    if (this._created) return this._readable ? 'xb+' : 'xb';
    if (this._appending) return this._readable ? 'ab+' : 'ab';
    if (this._readable) return this._writable ? 'rb+' : 'rb';
    return 'wb';
  }

  fileno(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'fileno', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    return this._fd;
  }

  override readable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'readable', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    return this._readable;
  }

  override writable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'writable', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    return this._writable;
  }

  override seekable(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'seekable', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    if (this._seekable === undefined) {
      try {
        posix.lseek(this._fd, 0, SEEK_CUR);
        this._seekable = true;
      } catch {
        this._seekable = false;
      }
    }
    return this._seekable;
  }

  isatty(): boolean {
    if (arguments.length > 0) throw ioArgsError(this, 'isatty', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    return posix.isatty(this._fd);
  }

  /** read(size=-1): one read(2); null when a non-blocking fd has no data. */
  read(size?: number | null): Buffer | null {
    if (arguments.length > 1) throw ioArgsError(this, 'read', 1, arguments.length);
    // Argument Clinic converts size before the method looks at the fd: a bad
    // size is a TypeError even on a closed file.
    const n = sizeArg(size, -1);
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    if (n < 0) return this.readall();
    if (this._unread !== null) return this._takeUnread(n);
    return tryReadNew(this._fd, n);
  }

  /** readall(): read(2) until EOF; null if a non-blocking fd had nothing at all. */
  readall(): Buffer | null {
    if (arguments.length > 0) throw ioArgsError(this, 'readall', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    // No mode check, as in CPython: on a write-only fd read(2) says EBADF.
    // The bytes an aborted twin left (see _unread) come first; the rest is
    // read into one growing buffer (lib/readsize.ts).
    const unread = this._unread;
    this._unread = null;
    const rest = tryReadAll(this._fd);
    if (unread === null) return rest;
    return rest === null || rest.length === 0 ? unread : Buffer.concat([unread, rest]);
  }

  /** readinto(b): one read(2) into b; the count, or null on EAGAIN. */
  readinto(b: ArrayBufferView | ArrayBuffer): number | null {
    if (arguments.length !== 1) throw ioArgsError(this, 'readinto', 1, arguments.length, true);
    const view = toWritableBytes(b, 'readinto() argument');
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    return this._readinto(view);
  }

  /** One read(2) into view: the count, -1 for EAGAIN. Buffered layers call this. */
  _rawRead(view: Uint8Array): number {
    if (this._unread !== null) return this._unreadInto(view);
    return posix.tryRead(this._fd, view);
  }

  /** _rawRead on bytes [off, off + len) of an ArrayBuffer, without making a view for them. */
  _rawReadAt(ab: ArrayBuffer, off: number, len: number): number {
    if (this._unread !== null) return this._unreadInto(new Uint8Array(ab, off, len));
    return posix.tryReadAt(this._fd, ab, off, len);
  }

  /** At most n of the bytes an aborted twin left (see _unread), as a read of them. */
  private _takeUnread(n: number): Buffer {
    const u = this._unread as Buffer;
    if (n >= u.length) {
      this._unread = null;
      return u;
    }
    this._unread = u.subarray(n);
    return u.subarray(0, n);
  }

  private _unreadInto(view: Uint8Array): number {
    const b = this._takeUnread(view.length);
    view.set(b);
    return b.length;
  }

  private _readinto(view: Uint8Array): number | null {
    const k = this._rawRead(view);
    return k < 0 ? null : k;
  }

  /** readline(size=-1): read(2) of one byte at a time, as IOBase.readline does on a raw file. */
  readline(size?: number | null): Buffer {
    if (arguments.length > 1) throw ioArgsError(this, 'readline', 1, arguments.length);
    const limit = sizeArg(size, -1);
    // IOBase.readline reaches the fd only through read(1), which readline(0)
    // never calls: b'' even on a closed or write-only file, as in CPython.
    if (limit === 0) return Buffer.alloc(0);
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    return ioBaseReadline(limit, null, (n) => this.read(n));
  }

  /** `for (const line of f)`: readline() until EOF; each line a Buffer. */
  override [Symbol.iterator](): Iterator<Buffer> {
    return super[Symbol.iterator]() as Iterator<Buffer>;
  }

  /** write(b): one write(2); the count, or null when a non-blocking fd is full. */
  write(b: ArrayBufferView | ArrayBuffer): number | null;
  write(b: unknown): number | null {
    if (arguments.length !== 1) throw ioArgsError(this, 'write', 1, arguments.length, true);
    const view = toBytes(b);
    this._checkClosed(CLOSED_RAW);
    if (!this._writable) throw unsupported('File not open for writing');
    const k = this._rawWrite(view);
    return k < 0 ? null : k;
  }

  /** One write(2): the count, -1 for EAGAIN. */
  _rawWrite(view: Uint8Array): number {
    return posix.tryWrite(this._fd, view);
  }

  /** _rawWrite of bytes [off, off + len) of an ArrayBuffer. */
  _rawWriteAt(ab: ArrayBuffer, off: number, len: number): number {
    return posix.tryWriteAt(this._fd, ab, off, len);
  }

  flush(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'flush', 0, arguments.length);
    this._checkClosed();
  }

  tell(): number {
    if (arguments.length > 0) throw ioArgsError(this, 'tell', 0, arguments.length);
    this._checkClosed(CLOSED_RAW);
    return posix.lseek(this._fd, 0, SEEK_CUR);
  }

  seek(pos: number, whence: number = SEEK_SET): number {
    if (arguments.length > 2) throw ioArgsError(this, 'seek', 2, arguments.length);
    if (arguments.length === 0) throw seekArgsError();
    // whence is a C int of the clinic signature, converted before the closed
    // check; pos is converted by the method, after it.
    const wh = toCInt(whence);
    this._checkClosed(CLOSED_RAW);
    return posix.lseek(this._fd, toOffT(pos), wh);
  }

  truncate(size?: number | null): number {
    if (arguments.length > 1) throw ioArgsError(this, 'truncate', 1, arguments.length);
    this._checkClosed(CLOSED_RAW);
    if (!this._writable) throw unsupported('File not open for writing');
    const n = size === undefined || size === null ? posix.lseek(this._fd, 0, SEEK_CUR) : toSsize(size);
    // ftruncate(2) says EINVAL for a negative length; a JS number's int64 conversion is not asked.
    if (n < 0) throw oserror(EINVAL, 'ftruncate');
    posix.ftruncate(this._fd, n);
    return n;
  }

  /**
   * close(): as CPython's, RawIOBase.close first, which calls flush() (a
   * subclass's own flush too), then the fd is closed even if flush raised,
   * and flush's error is raised after. A second close does nothing.
   */
  close(): void {
    if (arguments.length > 0) throw ioArgsError(this, 'close', 0, arguments.length);
    if (this._fd < 0) return;
    flushThenClose(
      () => this.flush(),
      () => {
        const fd = this._fd;
        this._fd = -1;
        const fin = this._fin;
        unwatch(fin);
        // Closed behind our back (os.close, dup2 onto it, ...): close(2)
        // would say EBADF, as CPython's does, unless the number had been
        // reused since, when it would close someone else's file. Say EBADF
        // without the call.
        const gone = fin.claim.fd < 0;
        posix.releaseClaim(fin.claim);
        if (!this.closefd || fd < 0) return;
        if (gone) throw oserror(EBADF, 'close');
        posix.close(fd);
      },
    );
  }

  /** Whether the fd is still open and still the file this object opened (lib/posix/claims.ts). */
  _holds(): boolean {
    return this._fd >= 0 && posix.claimHolds(this._fin.claim);
  }

  /** close() as a collected object above this one does it: never raises, never touches an fd that is not ours. */
  _finalClose(source: string): void {
    if (this._fd < 0) return;
    this._fd = -1;
    unwatch(this._fin);
    this._fin.finish(source);
  }

  // ---- the awaitable twins (docs/async.md) ----

  /**
   * The loop of every twin on this fd (lib/posix/nowait.ts, whenReady),
   * for FileIO's and for the buffered layer above it. A close while it
   * waits rejects it with the closed-file ValueError.
   */
  async _whenReady<T>(writing: boolean, signal: AbortSignal | null, step: (attempt: Attempt) => T | null): Promise<T> {
    try {
      return await whenReady(this._fd, writing, signal, (attempt) => {
        if (this._fd < 0) throw closedError(CLOSED_RAW);
        if (writing) return step(attempt);
        return step((v) => (this._unread !== null ? this._unreadInto(v) : attempt(v)));
      });
    } catch (e) {
      if (this._fd < 0 && !signal?.aborted) throw closedError(CLOSED_RAW);
      throw e;
    }
  }

  private _serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this._readQueue.then(f, f);
    this._readQueue = run.then(noop, noop);
    return run;
  }

  /** The bytes an aborted twin took, kept for the next read (before any kept already: they came later). */
  private _keep(taken: Buffer): void {
    if (taken.length === 0 || this._fd < 0) return;
    this._unread = this._unread === null ? taken : Buffer.concat([taken, this._unread]);
  }

  private _asyncReadArgs(a: unknown[], name: string): [number, AbortSignal | null] {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, name, 1, args.length);
    const n = sizeArg(args[0], -1);
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    throwIfAborted(signal);
    return [n, signal];
  }

  /**
   * read(size=-1)'s twin: one read(2) once the fd has data (or EOF: an
   * empty Buffer), or readallAsync for a negative size. Never None: where
   * read() on a non-blocking fd returns None, this waits.
   */
  override readAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override async readAsync(...a: unknown[]): Promise<Buffer> {
    const [n, signal] = this._asyncReadArgs(a, 'read');
    if (n < 0) return this._serial(() => this._readallAsync(signal));
    let buf: Buffer | null = null;
    return this._serial(() =>
      this._whenReady(false, signal, (attempt) => {
        buf ??= ownReadBuffer(this._fd, n);
        const k = attempt(buf);
        return k < 0 ? null : shrink(buf, k);
      }),
    );
  }

  /** readall()'s twin: read(2) until EOF. An abort keeps what was read for the next read. */
  async readallAsync(options?: AsyncOptions): Promise<Buffer>;
  async readallAsync(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = takeSignal(a);
    if (args.length > 0) throw ioArgsError(this, 'readall', 0, args.length);
    this._checkClosed(CLOSED_RAW);
    throwIfAborted(signal);
    return this._serial(() => this._readallAsync(signal));
  }

  private async _readallAsync(signal: AbortSignal | null): Promise<Buffer> {
    const chunks: Buffer[] = [];
    let total = 0;
    let size = 65536;
    let buf: Buffer | null = null;
    try {
      await this._whenReady(false, signal, (attempt) => {
        for (;;) {
          buf ??= Buffer.allocUnsafe(size);
          const k = attempt(buf);
          if (k < 0) return null;
          if (k === 0) return true;
          chunks.push(shrink(buf, k));
          total += k;
          buf = null;
          if (k === size && size < 1 << 24) size *= 2;
        }
      });
    } catch (e) {
      this._keep(Buffer.concat(chunks, total));
      throw e;
    }
    return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, total);
  }

  /** readinto(b)'s twin: one read(2) into b once there is data; the count. */
  async readintoAsync(b: ArrayBufferView | ArrayBuffer, options?: AsyncOptions): Promise<number>;
  async readintoAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    if (args.length !== 1) throw ioArgsError(this, 'readinto', 1, args.length, true);
    const view = toWritableBytes(args[0], 'readinto() argument');
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    throwIfAborted(signal);
    return this._serial(() =>
      this._whenReady(false, signal, (attempt) => {
        const k = attempt(view);
        return k < 0 ? null : k;
      }),
    );
  }

  /**
   * readline(size=-1)'s twin: read(2) of one byte at a time until a
   * newline, as IOBase.readline does on a raw file. An abort keeps the
   * part of the line read so far for the next read.
   */
  override readlineAsync(size?: number | null | AsyncOptions, options?: AsyncOptions): Promise<Buffer>;
  override async readlineAsync(...a: unknown[]): Promise<Buffer> {
    const [args, signal] = takeSignal(a);
    if (args.length > 1) throw ioArgsError(this, 'readline', 1, args.length);
    const limit = sizeArg(args[0], -1);
    // readline(0) never reads, so never looks at the file (as the blocking one).
    if (limit === 0) return Buffer.alloc(0);
    this._checkClosed(CLOSED_RAW);
    if (!this._readable) throw unsupported('File not open for reading');
    throwIfAborted(signal);
    const line: number[] = [];
    const one = Buffer.allocUnsafe(1);
    try {
      await this._serial(() =>
        this._whenReady(false, signal, (attempt) => {
          while (limit < 0 || line.length < limit) {
            const k = attempt(one);
            if (k < 0) return null;
            if (k === 0) break;
            line.push(one[0] as number);
            if (one[0] === 10) break;
          }
          return true;
        }),
      );
    } catch (e) {
      this._keep(Buffer.from(line));
      throw e;
    }
    return Buffer.from(line);
  }

  /**
   * write(b)'s twin: writes all of b, waiting in the event loop whenever
   * the fd is full (as a blocking write(2) on a pipe does); the count. An
   * abort takes effect while it waits; what was written before stays
   * written (docs/async.md, "Abort").
   */
  override writeAsync(b: unknown, options?: AsyncOptions): Promise<number>;
  override async writeAsync(...a: unknown[]): Promise<number> {
    const [args, signal] = takeSignal(a);
    if (args.length !== 1) throw ioArgsError(this, 'write', 1, args.length, true);
    const view = toBytes(args[0]);
    this._checkClosed(CLOSED_RAW);
    if (!this._writable) throw unsupported('File not open for writing');
    throwIfAborted(signal);
    let written = 0;
    // In call order per fd, as os.writeAsync: never interleaved with another.
    return inWriteOrder(this._fd, () =>
      this._whenReady(true, signal, (attempt) => {
        while (written < view.length) {
          const k = attempt(written === 0 ? view : view.subarray(written));
          if (k < 0) return null;
          written += k;
        }
        return view.length;
      }),
    );
  }

  /**
   * CPython's repr: `<_io.FileIO name=3 mode='rb' closefd=True>`; without a
   * name (`delete f.name`), the fd instead; a name whose repr comes back
   * here is CPython's RuntimeError.
   */
  override toString(): string {
    if (this._fd < 0) return '<_io.FileIO [closed]>';
    const tail = `mode='${this.mode}' closefd=${this.closefd ? 'True' : 'False'}>`;
    const name = (this as { name?: unknown }).name;
    if (name === undefined) return `<_io.FileIO fd=${this._fd} ${tail}`;
    if (inRepr.has(this)) throw new RuntimeError(`reentrant call inside ${this.constructor.name}.__repr__`);
    inRepr.add(this);
    try {
      return `<_io.FileIO name=${nameRepr(name)} ${tail}`;
    } finally {
      inRepr.delete(this);
    }
  }
}
