// os's awaitable twins (docs/async.md): os.read, os.readinto, os.write,
// os.waitpid and os.wait that wait in the event loop instead of blocking
// it. Each takes the blocking call's arguments, checked the same way with
// the same errors (as rejections, as Node's fs.promises rejects), plus
// `{ signal }` in a trailing object. The waiting is lib/posix/ready.ts's
// and lib/posix/pidwait.ts's; the fd's flags are never touched.
import type { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { type AsyncOptions, takeOptions, takeSignal, throwIfAborted, toSignal } from './abort.js';
import { reapAnyAsync, reapAsync } from './children.js';
import { bindList, isKwargs, pyTruth, signature, toBytes, toFd, toPid, toSsize, toWritableBytes } from './convert.js';
import { oserror } from './errors.js';
import * as posix from './posix/index.js';
import { ownReadBuffer, shrink } from './readsize.js';
import { tuple } from './tuple.js';

const EINVAL = osConstants.errno.EINVAL;

// The blocking calls' signatures (os.ts, os_process.ts): the same messages.
const READ_ARGS = signature('positional', 'posix.read', ['fd', 'length'], { arityName: 'read' });
const READINTO_ARGS = signature('positional', 'posix.readinto', ['fd', 'buffer'], { arityName: 'readinto' });
const WRITE_ARGS = signature('positional', 'posix.write', ['fd', 'data'], { arityName: 'write' });
const WAITPID_ARGS = signature('positional', 'posix.waitpid', ['pid', 'options'], {
  arityName: 'waitpid',
  parseTuple: true,
});

/**
 * readAsync(fd, n, { signal }): os.read's twin. One read of at most n
 * bytes once the fd has data (or EOF: an empty Buffer); the event loop runs
 * meanwhile. An abort while it waits rejects with signal.reason and reads
 * nothing. On a non-blocking fd it waits too, where os.read raises
 * BlockingIOError.
 */
export function readAsync(fd: number, n: number, options?: AsyncOptions): Promise<Buffer>;
export function readAsync(fd: number, n: number): Promise<Buffer> {
  // Not an async function: the common case (data there) makes one syscall
  // and one resolved promise. Arguments as os.read binds them.
  try {
    let signal: AbortSignal | null = null;
    if (arguments.length !== 2 || isKwargs(n)) {
      let a: unknown[];
      [a, signal] = takeSignal(arguments);
      [fd, n] = bindList(READ_ARGS, a) as [number, number];
    }
    fd = toFd(fd);
    n = toSsize(n);
    if (n < 0) throw oserror(EINVAL, 'read');
    if (signal?.aborted) throw signal.reason;
    const buf = ownReadBuffer(fd, n);
    const k = posix.readNow(fd, buf);
    if (k >= 0) return Promise.resolve(shrink(buf, k));
    return posix.readSomeThen(fd, buf, signal, (got) => shrink(buf, got));
  } catch (e) {
    return Promise.reject(e);
  }
}

/** readintoAsync(fd, buffer, { signal }): os.readinto's twin: one read into buffer once there is data; the count. */
export async function readintoAsync(
  fd: number,
  buffer: ArrayBufferView | ArrayBuffer,
  options?: AsyncOptions,
): Promise<number>;
export async function readintoAsync(...args: unknown[]): Promise<number> {
  const [a, signal] = takeSignal(args);
  const [rawFd, buffer] = bindList(READINTO_ARGS, a);
  const fd = toFd(rawFd);
  const view = toWritableBytes(buffer, 'readinto() argument 2');
  throwIfAborted(signal);
  return posix.readSome(fd, view, signal);
}

export interface WriteAsyncOptions extends AsyncOptions {
  /**
   * true (the default): write all of data, waiting whenever the fd is full,
   * as a blocking os.write on a pipe does. false: one write(2) once the fd
   * has room, whose count may be short, as os.write on a non-blocking fd.
   */
  all?: boolean;
}

/**
 * writeAsync(fd, data, { signal, all }): os.write's twin; resolves with the
 * count written (data.length unless `all: false`). A write of at most
 * PIPE_BUF (4096) bytes to a pipe is all or nothing. An abort takes effect
 * while it waits for room: it rejects with signal.reason; with `all`, the
 * bytes written before are not taken back (docs/async.md, "Abort").
 * Writes to one fd happen in call order, never interleaved.
 */
export function writeAsync(
  fd: number,
  data: ArrayBufferView | ArrayBuffer,
  options?: WriteAsyncOptions,
): Promise<number>;
export function writeAsync(fd: number, data: ArrayBufferView | ArrayBuffer): Promise<number> {
  try {
    if (arguments.length === 2 && data instanceof Uint8Array && !posix.writePending(fd)) {
      // The common case: nothing queued on fd, all of it goes at once.
      const k = posix.writeNow(toFd(fd), data);
      if (k === data.length) return Promise.resolve(k);
      if (k > 0) return posix.inWriteOrder(fd, () => posix.writeAll(fd, data, null, { written: k }));
    }
    return writeAsyncSlow(arguments);
  } catch (e) {
    return Promise.reject(e);
  }
}

async function writeAsyncSlow(args: ArrayLike<unknown>): Promise<number> {
  const [a, o] = takeOptions(args, ['signal', 'all']);
  const signal = toSignal(o.signal);
  const [rawFd, data] = bindList(WRITE_ARGS, a);
  const fd = toFd(rawFd);
  const view = toBytes(data);
  throwIfAborted(signal);
  // In call order per fd: a write that waits is never overtaken (lib/posix/nowait.ts).
  if (o.all !== undefined && !pyTruth(o.all)) return posix.inWriteOrder(fd, () => posix.writeSome(fd, view, signal));
  return posix.inWriteOrder(fd, () => posix.writeAll(fd, view, signal));
}

/**
 * waitpidAsync(pid, options, { signal }): os.waitpid's twin -> [pid,
 * status]. It wakes when the child exits (its pidfd), or at each SIGCHLD
 * for WUNTRACED/WCONTINUED; with WNOHANG it is os.waitpid. -1, 0 and -pgid
 * wait among pipefork's children only, as os.waitpid does.
 */
export async function waitpidAsync(pid: number, options: number, opts?: AsyncOptions): Promise<[number, number]>;
export async function waitpidAsync(...args: unknown[]): Promise<[number, number]> {
  const [a, signal] = takeSignal(args);
  const [rawPid, rawOptions] = bindList(WAITPID_ARGS, a);
  const pid = toPid(rawPid);
  const options = toPid(rawOptions);
  throwIfAborted(signal);
  if (pid > 0) return tuple(await reapAsync(pid, options, signal));
  const pgid = pid === 0 ? posix.getpgrp() : pid < -1 ? -pid : -1;
  return tuple(await reapAnyAsync(pgid, options, signal));
}

/** waitAsync({ signal }): os.wait's twin -> [pid, status], among pipefork's children. */
export async function waitAsync(options?: AsyncOptions): Promise<[number, number]>;
export async function waitAsync(...args: unknown[]): Promise<[number, number]> {
  const [a, signal] = takeSignal(args);
  if (a.length !== 0) throw new TypeError(`posix.wait() takes no arguments (${a.length} given)`);
  throwIfAborted(signal);
  return tuple(await reapAnyAsync(-1, 0, signal));
}
