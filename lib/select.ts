// Python's select module on Linux: select(), poll() and epoll(), with
// CPython's results and errors (Modules/selectmodule.c). Each accepts fds
// or objects with a fileno() method (file objects, Popen.stdout, ...), and
// each wait is interrupted by signals as in CPython: a handler that throws
// ends it, one that returns lets it go on with the time left (PEP 475).
import { arityError, bind, isKwargs, pyTypeName, signature, toCInt, toInt } from './convert.js';
import { KeyError, OSError, OverflowError, RuntimeError, ValueError } from './errors.js';
import { IntEnumMember } from './intenum.js';
import * as posix from './posix/index.js';
import { pyclass } from './pyclass.js';
import * as pytime from './pytime.js';
import { tuple } from './tuple.js';

const C = posix.signalConstants;

/** select.error is OSError, as in Python 3. */
export const error = OSError;
export const PIPE_BUF = C.PIPE_BUF as number;

export const POLLIN = C.POLLIN as number;
export const POLLPRI = C.POLLPRI as number;
export const POLLOUT = C.POLLOUT as number;
export const POLLERR = C.POLLERR as number;
export const POLLHUP = C.POLLHUP as number;
export const POLLNVAL = C.POLLNVAL as number;
export const POLLRDNORM = C.POLLRDNORM as number;
export const POLLRDBAND = C.POLLRDBAND as number;
export const POLLWRNORM = C.POLLWRNORM as number;
export const POLLWRBAND = C.POLLWRBAND as number;
export const POLLMSG = C.POLLMSG as number;
/** Linux only (undefined elsewhere, as the attribute is missing in Python). */
export const POLLRDHUP: number | undefined = C.POLLRDHUP;

export const EPOLLIN = C.EPOLLIN as number;
export const EPOLLOUT = C.EPOLLOUT as number;
export const EPOLLPRI = C.EPOLLPRI as number;
export const EPOLLERR = C.EPOLLERR as number;
export const EPOLLHUP = C.EPOLLHUP as number;
export const EPOLLET = C.EPOLLET as number;
export const EPOLLONESHOT = C.EPOLLONESHOT as number;
export const EPOLLEXCLUSIVE = C.EPOLLEXCLUSIVE as number;
export const EPOLLRDHUP = C.EPOLLRDHUP as number;
export const EPOLLRDNORM = C.EPOLLRDNORM as number;
export const EPOLLRDBAND = C.EPOLLRDBAND as number;
export const EPOLLWRNORM = C.EPOLLWRNORM as number;
export const EPOLLWRBAND = C.EPOLLWRBAND as number;
export const EPOLLMSG = C.EPOLLMSG as number;
export const EPOLL_CLOEXEC = C.EPOLL_CLOEXEC as number;

const FD_SETSIZE = C.FD_SETSIZE as number;

/** What select, poll and epoll take for a file: an fd, or an object with a fileno() method. */
export type FileLike = number | { fileno(): number };

/** An int as Python's PyLong_Check sees one: an integer number, a BigInt, an IntEnum member. */
function isInt(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || typeof v === 'bigint' || v instanceof IntEnumMember;
}

/** CPython's PyObject_AsFileDescriptor: an int, or what fileno() returns; never negative. */
export function asFileDescriptor(o: unknown): number {
  let fd: number;
  if (typeof o === 'number' && (o | 0) === o) fd = o;
  else if (isInt(o)) fd = toCInt(o);
  else {
    const meth =
      o !== null && (typeof o === 'object' || typeof o === 'function') ? (o as { fileno?: unknown }).fileno : undefined;
    if (meth === undefined) throw new TypeError('argument must be an int, or have a fileno() method.');
    if (typeof meth !== 'function') throw new TypeError(`'${pyTypeName(meth)}' object is not callable`);
    const r = meth.call(o);
    if (!isInt(r)) throw new TypeError('fileno() returned a non-integer');
    fd = toCInt(r);
  }
  if (fd < 0) throw new ValueError(`file descriptor cannot be a negative integer (${fd})`);
  return fd;
}

// --- select() ------------------------------------------------------------------------

const SELECT_ARGS = signature('positional', 'select.select', ['rlist', 'wlist', 'xlist', 'timeout'], {
  required: 3,
  arityName: 'select',
});

// Reused between calls: the fds of the three lists in a row, and which are ready.
let selectFds = new Int32Array(64);
let selectReady = new Uint8Array(64);

/** One list's objects, as PySequence_Fast takes any iterable. */
function sequence(v: unknown): readonly unknown[] {
  if (Array.isArray(v)) return v;
  if (v !== null && v !== undefined && typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return Array.from(v as Iterable<unknown>);
  }
  throw new TypeError('arguments 1-3 must be sequences');
}

/** seq2set: each object's fd into selectFds from `at`; the next free index. */
function seq2set(list: readonly unknown[], at: number): number {
  const n = list.length;
  if (at + n > selectFds.length) {
    const size = Math.max(at + n, selectFds.length * 2);
    const fds = new Int32Array(size);
    fds.set(selectFds.subarray(0, at));
    selectFds = fds;
    selectReady = new Uint8Array(size);
  }
  for (let i = 0; i < n; i++) {
    const fd = asFileDescriptor(list[i]);
    if (fd >= FD_SETSIZE) throw new ValueError('filedescriptor out of range in select()');
    if (i >= FD_SETSIZE) throw new ValueError('too many file descriptors in select()');
    selectFds[at + i] = fd;
  }
  return at + n;
}

/** The objects of list whose fds select found ready (from `at` in selectReady). */
function readyOf(list: readonly unknown[], at: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < list.length; i++) if (selectReady[at + i] === 1) out.push(list[i]);
  return out;
}

/**
 * select(rlist, wlist, xlist, timeout = null) -> [r, w, x] (a tuple of
 * arrays): the objects given that are ready, in their order. timeout in
 * seconds; null waits as long as it takes.
 */
export function select<R extends FileLike, W extends FileLike, X extends FileLike>(
  rlist: Iterable<R>,
  wlist: Iterable<W>,
  xlist: Iterable<X>,
  timeout?: number | null,
): [R[], W[], X[]];
export function select(...args: unknown[]): [unknown[], unknown[], unknown[]] {
  if ((args.length !== 3 && args.length !== 4) || isKwargs(args[args.length - 1])) {
    const b = bind(SELECT_ARGS, args);
    args = [b.rlist, b.wlist, b.xlist, b.timeout];
  }
  const timeout = args[3];
  let ns = -1;
  let us = -1;
  if (timeout !== null && timeout !== undefined) {
    try {
      ns = pytime.fromSeconds(timeout, pytime.ROUND_TIMEOUT);
    } catch (e) {
      if (e instanceof TypeError) throw new TypeError('timeout must be a float or None');
      throw e;
    }
    us = pytime.asMicroseconds(ns, pytime.ROUND_TIMEOUT);
    if (pytime.timevalSeconds(us) < 0) throw new ValueError('timeout must be non-negative');
  }
  const r = sequence(args[0]);
  const w = sequence(args[1]);
  const x = sequence(args[2]);
  const nr = seq2set(r, 0);
  const nw = seq2set(w, nr) - nr;
  const n = seq2set(x, nr + nw);
  const k = posix.select(selectFds, nr, nw, n, ns, us, selectReady);
  if (k === 0) return tuple([[], [], []]);
  return tuple([readyOf(r, 0), readyOf(w, nr), readyOf(x, nr + nw)]);
}

// --- poll() ----------------------------------------------------------------------------

/** CPython's unsigned short converter (poll's event masks). */
function unsignedShort(v: unknown): number {
  if (!isInt(v)) throw new TypeError('an integer is required');
  const n = BigInt(toInt(v));
  if (n < 0n) throw new ValueError('value must be positive');
  if (n >= 2n ** 64n) throw new OverflowError('Python int too large to convert to C unsigned long');
  if (n > 0xffffn) throw new OverflowError('Python int too large for C unsigned short');
  return Number(n);
}

const POLL_REGISTER_ARGS = signature('positional', 'poll.register', ['fd', 'eventmask'], {
  required: 1,
  arityName: 'register',
});
const POLL_MODIFY_ARGS = signature('positional', 'poll.modify', ['fd', 'eventmask'], { arityName: 'modify' });
const POLL_POLL_ARGS = signature('positional', 'poll.poll', ['timeout'], { required: 0, arityName: 'poll' });

/** The object select.poll() returns. */
class PollObject {
  /** fd -> events, in the order registered (a dict in CPython, whose order the result follows). */
  readonly #fds = new Map<number, number>();
  #uptodate = false;
  #running = false;
  #pollFds = new Int32Array(0);
  #events = new Int16Array(0);
  #revents = new Int16Array(0);

  /** register(fd, eventmask = POLLIN | POLLPRI | POLLOUT). */
  register(fd: FileLike, eventmask?: number): void;
  register(...args: unknown[]): void {
    const b = bind(POLL_REGISTER_ARGS, args);
    const fd = asFileDescriptor(b.fd);
    const events = b.eventmask === undefined ? POLLIN | POLLPRI | POLLOUT : unsignedShort(b.eventmask);
    this.#fds.set(fd, events);
    this.#uptodate = false;
  }

  /** modify(fd, eventmask): FileNotFoundError (ENOENT) if fd is not registered. */
  modify(fd: FileLike, eventmask: number): void;
  modify(...args: unknown[]): void {
    const b = bind(POLL_MODIFY_ARGS, args);
    const fd = asFileDescriptor(b.fd);
    const events = unsignedShort(b.eventmask);
    if (!this.#fds.has(fd)) throw new OSError(2, posix.strerror(2));
    this.#fds.set(fd, events);
    this.#uptodate = false;
  }

  /** unregister(fd): KeyError if fd is not registered. */
  unregister(fd: FileLike): void;
  unregister(...args: unknown[]): void {
    if (args.length !== 1 || isKwargs(args[0])) {
      if (args.length === 1) throw new TypeError('poll.unregister() takes no keyword arguments');
      throw arityError('poll.unregister', 1, args.length);
    }
    const fd = asFileDescriptor(args[0]);
    if (!this.#fds.delete(fd)) throw new KeyError(fd);
    this.#uptodate = false;
  }

  /**
   * poll(timeout = null) -> [fd, events][] (tuples) for each fd with
   * events. timeout in milliseconds; null or negative waits as long as it
   * takes.
   */
  poll(timeout?: number | null): [number, number][];
  poll(...args: unknown[]): [number, number][] {
    if (args.length > 1 || (args.length === 1 && isKwargs(args[0]))) args = [bind(POLL_POLL_ARGS, args).timeout];
    const t = args[0];
    let ns = -1;
    let ms = -1;
    if (t !== null && t !== undefined) {
      try {
        ns = pytime.fromMilliseconds(t, pytime.ROUND_TIMEOUT);
      } catch (e) {
        if (e instanceof TypeError) throw new TypeError('timeout must be an integer or None');
        throw e;
      }
      ms = pytime.asMilliseconds(ns, pytime.ROUND_TIMEOUT);
      if (ms < -(2 ** 31) || ms > 2 ** 31 - 1) throw new OverflowError('timeout is too large');
      if (ms < 0) ms = -1;
    }
    if (this.#running) throw new RuntimeError('concurrent poll() invocation');
    if (!this.#uptodate) this.#update();
    this.#running = true;
    let n: number;
    try {
      n = posix.pollFor(this.#pollFds, this.#events, this.#revents, ms, ns);
    } finally {
      this.#running = false;
    }
    const out: [number, number][] = [];
    const revents = this.#revents;
    for (let i = 0; out.length < n && i < revents.length; i++) {
      const r = revents[i] as number;
      if (r !== 0) out.push(tuple([this.#pollFds[i] as number, r & 0xffff]));
    }
    return out;
  }

  #update(): void {
    const n = this.#fds.size;
    if (this.#pollFds.length !== n) {
      this.#pollFds = new Int32Array(n);
      this.#events = new Int16Array(n);
      this.#revents = new Int16Array(n);
    }
    let i = 0;
    for (const [fd, events] of this.#fds) {
      this.#pollFds[i] = fd;
      this.#events[i] = events;
      i++;
    }
    this.#uptodate = true;
  }

  toString(): string {
    return '<select.poll object>';
  }
}

export type { PollObject };

/** poll(): a new polling object (select.poll is a function in Python too). */
export function poll(): PollObject;
export function poll(...args: unknown[]): PollObject {
  if (args.length !== 0) throw arityError('select.poll', 0, args.length);
  return new PollObject();
}

// --- epoll -------------------------------------------------------------------------------

/** CPython's bitwise unsigned int converter ('I'): any int, its low 32 bits. */
function unsignedIntMask(v: unknown): number {
  return Number(BigInt.asUintN(32, BigInt(toInt(v))));
}

const EPOLL_ARGS = signature('clinic', 'epoll', ['sizehint', 'flags'], { required: 0 });
const EPOLL_FD_EVENTS = (name: string, required: number) =>
  signature('clinic', name, ['fd', 'eventmask'], { required });
const EPOLL_REGISTER_ARGS = EPOLL_FD_EVENTS('register', 1);
const EPOLL_MODIFY_ARGS = EPOLL_FD_EVENTS('modify', 2);
const EPOLL_UNREGISTER_ARGS = signature('clinic', 'unregister', ['fd']);
const EPOLL_POLL_ARGS = signature('clinic', 'poll', ['timeout', 'maxevents'], { required: 0 });

function closedError(): ValueError {
  return new ValueError('I/O operation on closed epoll object');
}

/**
 * epoll(sizehint = -1, flags = 0): an edge- or level-triggered poller over
 * an epoll fd (close-on-exec). `using ep = select.epoll()` closes it.
 */
class Epoll implements Disposable {
  #epfd: number;
  #out = new Int32Array(0);

  constructor(sizehint?: number, flags?: number);
  constructor(...args: unknown[]) {
    const b = bind(EPOLL_ARGS, args);
    const sizehint = b.sizehint === undefined ? -1 : toCInt(b.sizehint);
    const flags = b.flags === undefined ? 0 : toCInt(b.flags);
    if (sizehint !== -1 && sizehint <= 0) throw new ValueError('negative sizehint');
    if (flags !== 0 && flags !== EPOLL_CLOEXEC) throw new OSError('invalid flags');
    this.#epfd = fromFd ?? posix.epollCreate();
  }

  /** fromfd(fd): an epoll object that takes over an existing epoll fd. */
  static fromfd(fd: number): Epoll;
  static fromfd(...args: unknown[]): Epoll {
    if (args.length !== 1 || isKwargs(args[0])) {
      if (args.length === 1) throw new TypeError('epoll.fromfd() takes no keyword arguments');
      throw arityError('epoll.fromfd', 1, args.length);
    }
    const n = toCInt(args[0]);
    fromFd = n;
    try {
      return new Epoll();
    } finally {
      fromFd = undefined;
    }
  }

  get closed(): boolean {
    return this.#epfd < 0;
  }

  fileno(): number {
    if (this.#epfd < 0) throw closedError();
    return this.#epfd;
  }

  /** close(): closes the epoll fd; closing again does nothing. */
  close(): void {
    const fd = this.#epfd;
    if (fd < 0) return;
    this.#epfd = -1;
    posix.close(fd);
  }

  #ctl(op: number, fd: number, events: number): void {
    if (this.#epfd < 0) throw closedError();
    posix.epollCtl(this.#epfd, op, fd, events);
  }

  /** register(fd, eventmask = EPOLLIN | EPOLLPRI | EPOLLOUT): FileExistsError if it is already. */
  register(fd: FileLike, eventmask?: number): void;
  register(...args: unknown[]): void {
    const b = bind(EPOLL_REGISTER_ARGS, args);
    const fd = asFileDescriptor(b.fd);
    const events = b.eventmask === undefined ? EPOLLIN | EPOLLPRI | EPOLLOUT : unsignedIntMask(b.eventmask);
    this.#ctl(posix.EPOLL_CTL_ADD, fd, events);
  }

  /** modify(fd, eventmask). */
  modify(fd: FileLike, eventmask: number): void;
  modify(...args: unknown[]): void {
    const b = bind(EPOLL_MODIFY_ARGS, args);
    const fd = asFileDescriptor(b.fd);
    this.#ctl(posix.EPOLL_CTL_MOD, fd, unsignedIntMask(b.eventmask));
  }

  /** unregister(fd). */
  unregister(fd: FileLike): void;
  unregister(...args: unknown[]): void {
    const fd = asFileDescriptor(bind(EPOLL_UNREGISTER_ARGS, args).fd);
    this.#ctl(posix.EPOLL_CTL_DEL, fd, 0);
  }

  /**
   * poll(timeout = null, maxevents = -1) -> [fd, events][] (tuples).
   * timeout in seconds (millisecond resolution, rounded up); null or
   * negative waits as long as it takes.
   */
  poll(timeout?: number | null, maxevents?: number): [number, number][];
  poll(...args: unknown[]): [number, number][] {
    let t: unknown = args[0];
    let m: unknown = args[1];
    if (args.length > 2 || isKwargs(args[args.length - 1])) {
      const b = bind(EPOLL_POLL_ARGS, args);
      t = b.timeout;
      m = b.maxevents;
    }
    if (this.#epfd < 0) throw closedError();
    let ns = -1;
    let ms = -1;
    if (t !== null && t !== undefined) {
      try {
        ns = pytime.fromSeconds(t, pytime.ROUND_TIMEOUT);
      } catch (e) {
        if (e instanceof TypeError) throw new TypeError('timeout must be an integer or None');
        throw e;
      }
      ms = pytime.asMilliseconds(ns, 'ceiling');
      if (ms < -(2 ** 31) || ms > 2 ** 31 - 1) throw new OverflowError('timeout is too large');
      if (ms < 0) ms = -1;
    }
    let maxevents = m === undefined ? -1 : toCInt(m);
    if (maxevents === -1) maxevents = FD_SETSIZE - 1;
    else if (maxevents < 1) throw new ValueError(`maxevents must be greater than 0, got ${maxevents}`);
    if (this.#out.length < 2 * maxevents) this.#out = new Int32Array(2 * maxevents);
    const out = this.#out;
    const n = posix.epollWait(this.#epfd, out, maxevents, ms, ns);
    const list: [number, number][] = new Array(n);
    for (let i = 0; i < n; i++) list[i] = tuple([out[2 * i] as number, (out[2 * i + 1] as number) >>> 0]);
    return list;
  }

  /** Python's `with` protocol: __enter__ raises on a closed epoll, __exit__ closes it. */
  __enter__(): this {
    if (this.#epfd < 0) throw closedError();
    return this;
  }

  __exit__(..._args: unknown[]): void {
    this.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  toString(): string {
    return '<select.epoll object>';
  }
}

/** Set by Epoll.fromfd for the constructor it calls. */
let fromFd: number | undefined;

/** epoll(sizehint = -1, flags = 0), with or without `new`. */
export const epoll = pyclass(Epoll);
export type epoll = Epoll;
