// Node streams over fds and pipefork's file objects (docs/async.md,
// "Streams"): toReadable/toWritable give node:stream Readable/Writable,
// toReadableStream/toWritableStream the web streams, all with
// backpressure, built on the awaitable twins. So
// `pipeline(toReadable(r), zlib.createGzip(), toWritable(w))` works, and
// the fds' flags are never touched (unlike `new net.Socket({ fd })`, which
// makes the fd's file description non-blocking for every process sharing it).
import { Buffer } from 'node:buffer';
import { Readable, Writable } from 'node:stream';
import { toSignal } from './abort.js';
import { pyTypeName, toFd } from './convert.js';
import * as posix from './posix/index.js';
import { ownReadBuffer, shrink } from './readsize.js';

/** A file object the streams can use: pipefork's (FileIO, the buffered classes, TextIOWrapper, BytesIO, ...). */
export interface StreamFile {
  readonly closed: boolean;
  close(): void;
  readAsync?(
    size?: number | null | { signal?: AbortSignal | null },
    options?: { signal?: AbortSignal | null },
  ): Promise<Buffer | string | null>;
  read1Async?(
    size?: number | { signal?: AbortSignal | null },
    options?: { signal?: AbortSignal | null },
  ): Promise<Buffer>;
  writeAsync?(data: unknown, options?: { signal?: AbortSignal | null }): Promise<number | null>;
  flushAsync?(options?: { signal?: AbortSignal | null }): Promise<void>;
}

export interface StreamOptions {
  /** The stream's highWaterMark (bytes): also the size of each read. Default 64 KiB. */
  highWaterMark?: number;
  /** Close the fd or file object when the stream ends or is destroyed (default true, as fs streams do). */
  autoClose?: boolean;
  /** Aborting it destroys the stream with the signal's reason. */
  signal?: AbortSignal | null;
}

const CHUNK = 65536;

type Source = { kind: 'fd'; fd: number } | { kind: 'file'; file: StreamFile };

function source(v: unknown, what: string): Source {
  if (typeof v === 'number' || typeof v === 'bigint') return { kind: 'fd', fd: toFd(v) };
  if (v !== null && typeof v === 'object' && 'closed' in v && typeof (v as StreamFile).close === 'function') {
    return { kind: 'file', file: v as StreamFile };
  }
  throw new TypeError(`${what}() argument must be an fd or a file object, not ${pyTypeName(v)}`);
}

function isText(file: StreamFile): boolean {
  return typeof (file as { encoding?: unknown }).encoding === 'string';
}

/** One chunk from the source: empty at EOF (a string for a text file). */
function reader(src: Source): (size: number, signal: AbortSignal) => Promise<Buffer | string> {
  if (src.kind === 'fd') {
    return async (size, signal) => {
      const buf = ownReadBuffer(src.fd, size);
      const k = await posix.readSome(src.fd, buf, signal);
      return shrink(buf, k);
    };
  }
  const file = src.file;
  return async (size, signal) => {
    // read1: what is there, without waiting for a whole size (a buffered file).
    const b =
      typeof file.read1Async === 'function'
        ? await file.read1Async(size, { signal })
        : await readAny(file, size, signal);
    return b ?? '';
  };
}

function readAny(file: StreamFile, size: number, signal: AbortSignal): Promise<Buffer | string | null> {
  if (typeof file.readAsync !== 'function')
    throw new TypeError(`'${pyTypeName(file)}' object has no attribute 'readAsync'`);
  return file.readAsync(size, { signal });
}

/** Writes all of chunk to the target. */
function writer(src: Source): (chunk: Buffer | string, signal: AbortSignal) => Promise<void> {
  if (src.kind === 'fd') {
    return async (chunk, signal) => {
      await posix.writeAll(src.fd, typeof chunk === 'string' ? Buffer.from(chunk) : chunk, signal);
    };
  }
  const file = src.file;
  if (typeof file.writeAsync !== 'function')
    throw new TypeError(`'${pyTypeName(file)}' object has no attribute 'writeAsync'`);
  return async (chunk, signal) => {
    const data = isText(file) ? (typeof chunk === 'string' ? chunk : chunk.toString('utf8')) : chunk;
    await (file.writeAsync as NonNullable<StreamFile['writeAsync']>)(data, { signal });
  };
}

/** Closes the fd or file once, however many ways the stream ends. */
function closer(src: Source, autoClose: boolean): () => void {
  let done = !autoClose;
  return () => {
    if (done) return;
    done = true;
    if (src.kind === 'fd') posix.close(src.fd);
    else if (!src.file.closed) src.file.close();
  };
}

/** A node:stream's destroy: stops the pending read or write, then closes (autoClose); a close error is the stream's error unless it already has one. */
function destroyer(
  stop: AbortController,
  finish: () => void,
): (err: Error | null, cb: (e?: Error | null) => void) => void {
  return (err, cb) => {
    stop.abort(err ?? new Error('stream destroyed'));
    try {
      finish();
      cb(err);
    } catch (e) {
      cb((err ?? e) as Error);
    }
  };
}

function options(o: StreamOptions | undefined): { hwm: number; autoClose: boolean; signal: AbortSignal | null } {
  const hwm = o?.highWaterMark ?? CHUNK;
  if (!Number.isInteger(hwm) || hwm <= 0) throw new RangeError('highWaterMark must be a positive integer');
  return { hwm, autoClose: o?.autoClose ?? true, signal: toSignal(o?.signal) };
}

/**
 * A node:stream Readable of an fd or a file object (strings for a text
 * file): each read waits in the event loop (os.readAsync / the file's
 * twins), and only while the stream wants data (backpressure). At EOF it
 * ends; the fd or file is closed unless autoClose is false.
 */
export function toReadable(src: number | StreamFile, opts?: StreamOptions): Readable {
  const s = source(src, 'toReadable');
  const { hwm, autoClose, signal } = options(opts);
  const read = reader(s);
  const stop = new AbortController();
  const finish = closer(s, autoClose);
  // Ended streams are destroyed (autoDestroy), which closes the source.
  const stream = new Readable({
    highWaterMark: hwm,
    encoding: s.kind === 'file' && isText(s.file) ? 'utf8' : undefined,
    read() {
      read(hwm, stop.signal).then(
        (chunk) => {
          if (chunk.length === 0) stream.push(null);
          else stream.push(chunk);
        },
        (e) => {
          if (!stop.signal.aborted) stream.destroy(e as Error);
        },
      );
    },
    destroy: destroyer(stop, finish),
  });
  if (signal) abortWith(stream, signal);
  return stream;
}

/**
 * A node:stream Writable to an fd or a file object: each write waits in
 * the event loop for room (os.writeAsync / the file's twins), and the
 * stream holds further writes meanwhile (backpressure). end() flushes the
 * file object and closes it, or the fd, unless autoClose is false.
 */
export function toWritable(dst: number | StreamFile, opts?: StreamOptions): Writable {
  const s = source(dst, 'toWritable');
  const { hwm, autoClose, signal } = options(opts);
  const write = writer(s);
  const stop = new AbortController();
  const finish = closer(s, autoClose);
  const text = s.kind === 'file' && isText(s.file);
  const stream = new Writable({
    highWaterMark: hwm,
    decodeStrings: !text,
    write(chunk: Buffer | string, _encoding, cb) {
      write(chunk, stop.signal).then(() => cb(), cb);
    },
    writev(chunks, cb) {
      const data = text
        ? chunks.map((c) => String(c.chunk)).join('')
        : Buffer.concat(chunks.map((c) => c.chunk as Buffer));
      write(data, stop.signal).then(() => cb(), cb);
    },
    final(cb) {
      const flush =
        s.kind === 'file' && typeof s.file.flushAsync === 'function'
          ? s.file.flushAsync({ signal: stop.signal })
          : Promise.resolve();
      flush.then(() => {
        try {
          finish();
          cb();
        } catch (e) {
          cb(e as Error);
        }
      }, cb);
    },
    destroy: destroyer(stop, finish),
  });
  if (signal) abortWith(stream, signal);
  return stream;
}

function abortWith(stream: Readable | Writable, signal: AbortSignal): void {
  if (signal.aborted) {
    process.nextTick(() => stream.destroy(signal.reason));
    return;
  }
  const onAbort = (): void => {
    stream.destroy(signal.reason);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  stream.once('close', () => signal.removeEventListener('abort', onAbort));
}

/**
 * A web ReadableStream of an fd or a file object (Uint8Array chunks; strings
 * for a text file): read as the consumer pulls. cancel() and the end close
 * the fd or file unless autoClose is false.
 */
export function toReadableStream(src: number | StreamFile, opts?: StreamOptions): ReadableStream<Uint8Array | string> {
  const s = source(src, 'toReadableStream');
  const { hwm, autoClose, signal } = options(opts);
  const read = reader(s);
  const stop = new AbortController();
  const finish = closer(s, autoClose);
  const stream = new ReadableStream<Uint8Array | string>(
    {
      async pull(controller) {
        let chunk: Buffer | string;
        try {
          chunk = await read(hwm, stop.signal);
        } catch (e) {
          finish();
          throw e;
        }
        if (chunk.length === 0) {
          finish();
          controller.close();
        } else {
          controller.enqueue(
            typeof chunk === 'string' ? chunk : new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length),
          );
        }
      },
      cancel(reason) {
        stop.abort(reason);
        finish();
      },
    },
    { highWaterMark: 0 },
  );
  if (signal) {
    const onAbort = (): void => {
      stop.abort(signal.reason);
      finish();
    };
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return stream;
}

/**
 * A web WritableStream to an fd or a file object: each chunk is written
 * (waiting for room in the event loop) before the next is taken. close()
 * flushes and closes the fd or file unless autoClose is false; abort()
 * closes it without flushing.
 */
export function toWritableStream(dst: number | StreamFile, opts?: StreamOptions): WritableStream<Uint8Array | string> {
  const s = source(dst, 'toWritableStream');
  const { hwm, autoClose, signal } = options(opts);
  const write = writer(s);
  const stop = new AbortController();
  const finish = closer(s, autoClose);
  if (signal) {
    const onAbort = (): void => stop.abort(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  }
  return new WritableStream<Uint8Array | string>(
    {
      async write(chunk) {
        const data = typeof chunk === 'string' ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
        await write(data, stop.signal);
      },
      async close() {
        if (s.kind === 'file' && typeof s.file.flushAsync === 'function')
          await s.file.flushAsync({ signal: stop.signal });
        finish();
      },
      abort(reason) {
        stop.abort(reason);
        finish();
      },
    },
    { highWaterMark: hwm, size: (chunk) => chunk.length },
  );
}
