// Reads and writes for the awaitable twins: each syscall is made so that
// it cannot wait, and the waiting happens in the event loop (ready.ts)
// between them. The fd's flags are never changed: a file description shared
// with another process (a Python child reading the same pipe) keeps its
// blocking reads. How "cannot wait" is asked for depends on the file:
//
//   pipes, sockets     preadv2/pwritev2 with RWF_NOWAIT (one call, the common case)
//   sockets            recv/send with MSG_DONTWAIT where RWF_NOWAIT is missing
//   FIFOs, ttys, ...   a private open file description of the same file,
//                      opened O_NONBLOCK through /proc/self/fd and held only
//                      while the call is pending (it adds a reader or writer
//                      where the fd already is one, so EOF and EPIPE are
//                      unchanged)
//   no /proc           readiness, then FIONREAD and a read of at most that
//                      much; a write of at most PIPE_BUF once writable
//   regular files      a plain read or write (it never waits for long, and
//                      epoll cannot watch a regular file)
//
// docs/async.md, "How it works", has the table and the measurements.
import { constants as osConstants } from 'node:os';
import { oserror } from '../errors.js';
import { native } from '../native.js';
import { O_RDONLY, O_WRONLY } from './constants.js';
import { close, fstat, read, write } from './fd.js';
import { READABLE, WRITABLE, waitFd, watchFd } from './ready.js';

const { EAGAIN, EOPNOTSUPP, EPERM, EINTR } = osConstants.errno;
const S_IFMT = 0o170000;
const S_IFSOCK = 0o140000;
const S_IFREG = 0o100000;
const S_IFBLK = 0o060000;
const S_IFDIR = 0o040000;
/** A write of at most this much to a pipe that polls writable does not wait. */
const PIPE_BUF = 4096;

/** How a pending call reads or writes without waiting. */
const Way = { NoWait: 0, Socket: 1, Reopened: 2, Fionread: 3, Plain: 4 } as const;
type Way = (typeof Way)[keyof typeof Way];

/** A pending read or write: the fd, how it is done, and the private fd of Way.Reopened (else -1). */
interface Channel {
  readonly fd: number;
  way: Way;
  alt: number;
}

/** Test hook: make every call take this way after its first EOPNOTSUPP-free attempt fails, as on a kernel without it. */
let forcedWay: 'socket' | 'reopen' | 'fionread' | null = null;
export function _forceWay(way: typeof forcedWay): void {
  forcedWay = way;
}

/** Test hook: the ways chooseWay has taken in this process ('socket', 'reopen', 'fionread', 'plain'). */
export const _waysTaken = new Set<string>();

/** After EOPNOTSUPP: how this fd can be used without waiting (opens the private fd for Way.Reopened). */
function chooseWay(ch: Channel, writing: boolean): void {
  chooseWayOf(ch, writing);
  _waysTaken.add(['nowait', 'socket', 'reopen', 'fionread', 'plain'][ch.way] as string);
}

function chooseWayOf(ch: Channel, writing: boolean): void {
  const type = fstat(ch.fd).mode & S_IFMT;
  if (type === S_IFREG || type === S_IFBLK || type === S_IFDIR) {
    ch.way = Way.Plain;
  } else if (type === S_IFSOCK && forcedWay !== 'reopen' && forcedWay !== 'fionread') {
    ch.way = Way.Socket;
  } else {
    const alt = forcedWay === 'fionread' ? -1 : native.reopenNonblock(ch.fd, writing ? O_WRONLY : O_RDONLY);
    if (alt >= 0) {
      ch.way = Way.Reopened;
      ch.alt = alt;
    } else {
      ch.way = Way.Fionread;
    }
  }
}

/** One attempt: the count, or -EAGAIN where it would wait; raises any other error. */
function attempt(ch: Channel, view: Uint8Array, writing: boolean): number {
  let k: number;
  switch (ch.way) {
    case Way.NoWait:
      k = writing ? native.writeNowait(ch.fd, view) : native.readNowait(ch.fd, view);
      if (k === -EOPNOTSUPP) {
        chooseWay(ch, writing);
        return attempt(ch, view, writing);
      }
      break;
    case Way.Socket:
      k = writing ? native.sendDontwait(ch.fd, view) : native.recvDontwait(ch.fd, view);
      break;
    case Way.Reopened:
      k = writing ? native.write(ch.alt, view) : native.read(ch.alt, view);
      break;
    case Way.Fionread:
      return -EAGAIN; // only after readiness: see afterWait
    default:
      return writing ? write(ch.fd, view) : read(ch.fd, view);
  }
  if (k >= 0 || k === -EAGAIN) return k;
  if (k === -EINTR) return attempt(ch, view, writing); // nothing here waits; a signal in the middle costs a retry
  throw oserror(-k, writing ? 'write' : 'read');
}

/** Fionread's call once the fd is ready: at most what is there (a read of it cannot wait), or PIPE_BUF. */
function afterWait(ch: Channel, view: Uint8Array, writing: boolean): number {
  if (writing) return write(ch.fd, view.length > PIPE_BUF ? view.subarray(0, PIPE_BUF) : view);
  const n = native.fionread(ch.fd);
  // n == 0 once readable: EOF or a hang-up, where read(2) returns at once.
  return read(ch.fd, n > 0 && n < view.length ? view.subarray(0, n) : view);
}

function release(ch: Channel): void {
  if (ch.alt >= 0) close(ch.alt);
  ch.alt = -1;
}

/**
 * A read or write that cannot wait: the count, or -EAGAIN where it would
 * have waited. Raises the OSError read(2) or write(2) gives.
 */
export type Attempt = (view: Uint8Array) => number;

/**
 * The loop every awaitable read and write is made of: step(attempt) runs,
 * synchronously, and either finishes (anything but null: the result) or
 * says it would wait (null); then the fd is waited for in the event loop
 * and step runs again. step picks its bytes and records what the attempt
 * did in the same synchronous run, so a file object's buffer is never left
 * with a half-done change while other code runs (a blocking call made on
 * the same object meanwhile sees a consistent object). Rejects with
 * signal.reason when it aborts while waiting, and with whatever step
 * raises. `waitFirst`: the caller has just seen the attempt would wait.
 */
export async function whenReady<T>(
  fd: number,
  writing: boolean,
  signal: AbortSignal | null,
  step: (attempt: Attempt) => T | null,
  waitFirst = false,
): Promise<T> {
  const ch: Channel = { fd, way: Way.NoWait, alt: -1 };
  // Way.Fionread may make one call per readiness report.
  let reported = false;
  const tryIt: Attempt = (view) => {
    if (ch.way !== Way.Fionread) return attempt(ch, view, writing);
    if (!reported) return -EAGAIN;
    reported = false;
    return afterWait(ch, view, writing);
  };
  try {
    if (forcedWay !== null) chooseWay(ch, writing);
    for (let first = true; ; first = false) {
      if (!(first && waitFirst)) {
        const r = step(tryIt);
        if (r !== null) return r;
      }
      const fd = ch.way === Way.Reopened ? ch.alt : ch.fd;
      try {
        await waitFd(fd, writing ? WRITABLE : READABLE, signal === null ? undefined : { signal });
      } catch (e) {
        // EPERM: epoll cannot watch it (a regular file): a plain call does not wait for long.
        if ((e as { errno?: number }).errno !== EPERM || signal?.aborted) throw e;
        ch.way = Way.Plain;
      }
      reported = true;
    }
  } finally {
    release(ch);
  }
}

/** A step making one attempt on a view of its own: its count once it did not wait. */
function once(view: Uint8Array): (attempt: Attempt) => number | null {
  return (attempt) => {
    const k = attempt(view);
    return k < 0 ? null : k;
  };
}

/**
 * The first attempt of a twin, made at once: the count, or -1 where the
 * call must go on through readSome/writeSome/writeAll (it would wait, or
 * the file needs another way). Raises what read(2)/write(2) raise.
 */
export function readNow(fd: number, view: Uint8Array): number {
  if (forcedWay !== null) return -1;
  const k = native.readNowait(fd, view);
  if (k >= 0) return k;
  if (k === -EAGAIN || k === -EOPNOTSUPP || k === -EINTR) return -1;
  throw oserror(-k, 'read');
}

export function writeNow(fd: number, view: Uint8Array): number {
  if (forcedWay !== null) return -1;
  const k = native.writeNowait(fd, view);
  if (k >= 0) return k;
  if (k === -EAGAIN || k === -EOPNOTSUPP || k === -EINTR) return -1;
  throw oserror(-k, 'write');
}

/** Whether an awaitable write is pending on fd (inWriteOrder): a new one must queue behind it. */
export function writePending(fd: number): boolean {
  return writesPending.size !== 0 && writesPending.has(fd);
}

/**
 * One read of at most view.length bytes (a read(2)'s result: 0 at EOF),
 * made when it cannot wait; the wait is in the event loop. Rejects with
 * signal.reason when aborted while waiting (nothing was read), and with
 * the OSError read(2) gives. The view must be the call's own while it is
 * pending (a fresh Buffer); a file object's buffer goes through whenReady.
 */
export function readSome(fd: number, view: Uint8Array, signal: AbortSignal | null): Promise<number> {
  return readSomeThen(fd, view, signal, (k) => k);
}

/**
 * readSome, resolving with then(count). A pipe or socket that is empty is
 * waited for with a callback that reads from the loop's report itself, so
 * the awaited round trip costs one promise turn, not four.
 */
export function readSomeThen<T>(
  fd: number,
  view: Uint8Array,
  signal: AbortSignal | null,
  then: (k: number) => T,
): Promise<T> {
  if (forcedWay === null) {
    const k = native.readNowait(fd, view);
    if (k >= 0) return Promise.resolve(then(k));
    if (k === -EAGAIN) {
      return new Promise<T>((resolve, reject) => {
        const onReport = (e: unknown): void => {
          if (e !== null) {
            if ((e as { errno?: number }).errno === EPERM && !signal?.aborted) {
              // A regular file that said EAGAIN (not in the page cache): a plain read.
              whenReady(fd, false, signal, once(view)).then((n) => resolve(then(n)), reject);
            } else reject(e);
            return;
          }
          const n = native.readNowait(fd, view);
          if (n >= 0) resolve(then(n));
          else if (n === -EAGAIN || n === -EINTR) watchFd(fd, READABLE, signal, onReport);
          else if (n === -EOPNOTSUPP) whenReady(fd, false, signal, once(view)).then((m) => resolve(then(m)), reject);
          else reject(oserror(-n, 'read'));
        };
        watchFd(fd, READABLE, signal, onReport);
      });
    }
    if (k !== -EOPNOTSUPP && k !== -EINTR) return Promise.reject(oserror(-k, 'read'));
  }
  return whenReady(fd, false, signal, once(view)).then(then);
}

/**
 * One write of at most view.length bytes once it cannot wait: the count
 * (at least 1 for a non-empty view). Rejects with signal.reason when
 * aborted while waiting (nothing was written), and with the OSError
 * write(2) gives (BrokenPipeError when the reader is gone).
 */
export function writeSome(fd: number, view: Uint8Array, signal: AbortSignal | null): Promise<number> {
  if (forcedWay === null) {
    const k = native.writeNowait(fd, view);
    if (k >= 0) return Promise.resolve(k);
    if (k === -EAGAIN) return whenReady(fd, true, signal, once(view), true);
    if (k !== -EOPNOTSUPP && k !== -EINTR) return Promise.reject(oserror(-k, 'write'));
  }
  return whenReady(fd, true, signal, once(view));
}

/**
 * Writes all of view, waiting in the event loop whenever the fd is full:
 * view.length. An abort takes effect only while waiting: the promise
 * rejects with signal.reason, and `progress.written` says how much went
 * out before (a write of at most PIPE_BUF bytes to a pipe is all or
 * nothing, so such a frame is never half-written).
 */
export function writeAll(
  fd: number,
  view: Uint8Array,
  signal: AbortSignal | null,
  progress: { written: number } = { written: 0 },
): Promise<number> {
  return whenReady(fd, true, signal, (attempt) => {
    while (progress.written < view.length) {
      const k = attempt(progress.written === 0 ? view : view.subarray(progress.written));
      if (k < 0) return null;
      progress.written += k;
    }
    return view.length;
  });
}

/** The awaitable writes pending per fd, so that two never interleave their bytes. */
const writesPending = new Map<number, Promise<unknown>>();

/**
 * Runs write (a whole awaitable write on fd) after the ones already pending
 * on fd, in call order: a write that must wait would otherwise let a later
 * one slip its bytes in between. With nothing pending it starts at once.
 */
export function inWriteOrder<T>(fd: number, write: () => Promise<T>): Promise<T> {
  const before = writesPending.get(fd);
  const p = before === undefined ? write() : before.then(write, write);
  writesPending.set(fd, p);
  const done = (): void => {
    if (writesPending.get(fd) === p) writesPending.delete(fd);
  };
  p.then(done, done);
  return p;
}
