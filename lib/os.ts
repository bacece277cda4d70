// Python's `os` module, the file-descriptor half: each function checks its
// arguments as CPython does, then makes one syscall through lib/posix/ (the
// addon, never libuv's thread pool), which raises what CPython raises.
//
// The positional-only functions check arguments.length against CPython's
// arity (biome.json lets this file use `arguments`): a rest parameter would
// cost an array per call on the hottest paths, and JS would otherwise drop
// an extra argument (os.close(1, 2) closed fd 1) or pass undefined.
import { constants as osConstants } from 'node:os';
/** pipefork's own: forget a child that was reaped by other means (docs/os.md, "wait() and waitpid(-1)"). */
import { untrackChild as forgetChild } from './children.js';
import {
  arityError,
  bind,
  bindList,
  isKwargs,
  pyList,
  pyTruth,
  signature,
  toBytes,
  toCInt,
  toFd,
  toIntBool,
  toOffT,
  toPath,
  toSsize,
  toWritableBytes,
} from './convert.js';
import { strerror as errnoText, OSError, oserror, pyValueRepr } from './errors.js';
import * as posix from './posix/index.js';
import { pyclass } from './pyclass.js';
import { readNew } from './readsize.js';
import { tuple } from './tuple.js';

export { OSError as error };

const STRERROR_ARGS = signature('positional', 'posix.strerror', ['code']);

/** strerror(code): the message for an errno, 'Unknown error N' for others. */
export function strerror(code: number): string {
  if (arguments.length !== 1 || isKwargs(code)) [code] = bindList(STRERROR_ARGS, arguments) as [number];
  return errnoText(toCInt(code));
}

export {
  O_ACCMODE,
  O_APPEND,
  O_ASYNC,
  O_CLOEXEC,
  O_CREAT,
  O_DIRECT,
  O_DIRECTORY,
  O_DSYNC,
  O_EXCL,
  O_LARGEFILE,
  O_NDELAY,
  O_NOATIME,
  O_NOCTTY,
  O_NOFOLLOW,
  O_NONBLOCK,
  O_PATH,
  O_RDONLY,
  O_RDWR,
  O_RSYNC,
  O_SYNC,
  O_TMPFILE,
  O_TRUNC,
  O_WRONLY,
  SEEK_CUR,
  SEEK_END,
  SEEK_SET,
} from './posix/constants.js';
/** Linux's and CPython's old name for O_SYNC. */
export const O_FSYNC = posix.O_SYNC;

const EINVAL = osConstants.errno.EINVAL;

/** pipe(): two fds, both non-inheritable (PEP 446), both blocking. */
export function pipe(): [number, number] {
  if (arguments.length !== 0) throw arityError('posix.pipe', 0, arguments.length);
  return tuple(posix.pipe2(posix.O_CLOEXEC, 'pipe'));
}

const PIPE2_ARGS = signature('positional', 'posix.pipe2', ['flags']);

/** pipe2(flags): flags from O_NONBLOCK | O_CLOEXEC. */
export function pipe2(flags: number): [number, number] {
  if (arguments.length !== 1 || isKwargs(flags)) [flags] = bindList(PIPE2_ARGS, arguments) as [number];
  return tuple(posix.pipe2(toCInt(flags)));
}

const READ_ARGS = signature('positional', 'posix.read', ['fd', 'length'], { arityName: 'read' });

/** read(fd, n): one read(2) of at most n bytes; an empty Buffer at EOF (see lib/readsize.ts). */
export function read(fd: number, n: number): Buffer {
  // Positional-only: read(r, { length: 1 }) is CPython's 'takes no keyword arguments'.
  if (arguments.length !== 2 || isKwargs(n)) [fd, n] = bindList(READ_ARGS, arguments) as [number, number];
  fd = toFd(fd);
  n = toSsize(n);
  if (n < 0) throw oserror(EINVAL, 'read');
  return readNew(fd, n);
}

/**
 * readinto(fd, buffer): one read(2) into a writable buffer; returns the count
 * (Python 3.14's os.readinto, positional-only: its Argument Clinic wording).
 */
export function readinto(fd: number, buffer: ArrayBufferView | ArrayBuffer): number {
  if (arguments.length !== 2 || !(buffer instanceof Uint8Array) || buffer.byteLength === 0)
    return readintoSlow(arguments);
  return posix.read(toFd(fd), buffer);
}

const READINTO_ARGS = signature('positional', 'posix.readinto', ['fd', 'buffer'], { arityName: 'readinto' });

/** readinto with a count, keywords or a buffer that are not the plain case. */
function readintoSlow(args: ArrayLike<unknown>): number {
  const a = bindList(READINTO_ARGS, args);
  const fd = toFd(a[0]);
  return posix.read(fd, toWritableBytes(a[1], 'readinto() argument 2'));
}

const WRITE_ARGS = signature('positional', 'posix.write', ['fd', 'data'], { arityName: 'write' });

/** write(fd, data): one write(2); returns the count written. */
export function write(fd: number, data: ArrayBufferView | ArrayBuffer): number {
  if (arguments.length !== 2 || (!(data instanceof Uint8Array) && isKwargs(data))) {
    [fd, data] = bindList(WRITE_ARGS, arguments) as [number, Uint8Array];
  }
  fd = toFd(fd);
  return posix.write(fd, toBytes(data));
}

/**
 * The buffers of readv/writev: a sequence (an array, or a typed array or a
 * string, whose items are then the wrong type) of bytes-like objects, each
 * as a Uint8Array view (CPython's iov_setup). Every JS buffer is writable,
 * so readv has no "Object is not writable" case.
 */
function iovecs(buffers: unknown, func: string): Uint8Array[] {
  let items: ArrayLike<unknown>;
  if (Array.isArray(buffers) || typeof buffers === 'string') items = buffers;
  else if (ArrayBuffer.isView(buffers) && !(buffers instanceof DataView))
    items = buffers as unknown as ArrayLike<unknown>;
  else throw new TypeError(`${func}() arg 2 must be a sequence`);
  const out: Uint8Array[] = new Array(items.length);
  for (let i = 0; i < items.length; i++) out[i] = toBytes(items[i]);
  return out;
}

type Vectored = (fd: number, buffers: readonly (ArrayBufferView | ArrayBuffer)[]) => number;

/** readv or writev: one syscall over the buffers, in order; the total count. */
function vectored(name: 'readv' | 'writev', call: (fd: number, bufs: Uint8Array[]) => number): Vectored {
  const sig = signature('positional', `posix.${name}`, ['fd', 'buffers'], { arityName: name });
  const f = (...args: unknown[]): number => {
    const a = bindList(sig, args);
    const fd = toFd(a[0]);
    return call(fd, iovecs(a[1], name));
  };
  return Object.defineProperty(f, 'name', { value: name });
}

/** readv(fd, buffers): one readv(2) filling the buffers in order; the total count read. */
export const readv = vectored('readv', posix.readv);
/** writev(fd, buffers): one writev(2) of the buffers in order; the total count written. */
export const writev = vectored('writev', posix.writev);

const CLOSE_ARGS = signature('clinic', 'close', ['fd']);

/** close(fd); fd may come by name, as in CPython: close({ fd }). */
export function close(fd: number): void {
  // close({ fd }), or a wrong count: bind() words it as CPython does.
  if (typeof fd !== 'number' || arguments.length !== 1) fd = bind(CLOSE_ARGS, arguments).fd as number;
  posix.close(toFd(fd));
}

const CLOSERANGE_ARGS = signature('positional', 'posix.closerange', ['fd_low', 'fd_high'], { arityName: 'closerange' });

/** closerange(fd_low, fd_high): close fds in [low, high), ignoring errors. */
export function closerange(fd_low: number, fd_high: number): void {
  if (arguments.length !== 2 || isKwargs(fd_high)) {
    [fd_low, fd_high] = bindList(CLOSERANGE_ARGS, arguments) as [number, number];
  }
  posix.closerange(toFd(fd_low), toFd(fd_high));
}

const DUP_ARGS = signature('positional', 'posix.dup', ['fd']);

/** dup(fd): a non-inheritable duplicate. */
export function dup(fd: number): number {
  if (arguments.length !== 1 || isKwargs(fd)) [fd] = bindList(DUP_ARGS, arguments) as [number];
  return posix.dup(toFd(fd));
}

const DUP2_ARGS = signature('clinic', 'dup2', ['fd', 'fd2', 'inheritable'], { required: 2 });

/** dup2(fd, fd2, inheritable=true): returns fd2. */
export function dup2(fd: number, fd2: number, inheritable?: boolean | { inheritable?: boolean }): number;
export function dup2(...args: unknown[]): number {
  const a = bind(DUP2_ARGS, args);
  const fd = toFd(a.fd);
  const fd2 = toFd(a.fd2);
  // CPython 3.11 takes any object here and uses its truth value.
  const inheritable = a.inheritable === undefined ? true : pyTruth(a.inheritable);
  // dup2 to a negative target is EBADF from the syscall, as in CPython.
  return posix.dup2(fd, fd2, inheritable);
}

const GET_INHERITABLE_ARGS = signature('positional', 'posix.get_inheritable', ['fd']);

export function get_inheritable(fd: number): boolean {
  if (arguments.length !== 1 || isKwargs(fd)) [fd] = bindList(GET_INHERITABLE_ARGS, arguments) as [number];
  return posix.getInheritable(toFd(fd));
}

const SET_INHERITABLE_ARGS = signature('positional', 'posix.set_inheritable', ['fd', 'inheritable'], {
  arityName: 'set_inheritable',
});

export function set_inheritable(fd: number, inheritable: boolean): void {
  if (arguments.length !== 2 || isKwargs(inheritable)) {
    [fd, inheritable] = bindList(SET_INHERITABLE_ARGS, arguments) as [number, boolean];
  }
  const f = toFd(fd);
  posix.setInheritable(f, toIntBool(inheritable));
}

const GET_BLOCKING_ARGS = signature('positional', 'posix.get_blocking', ['fd']);

export function get_blocking(fd: number): boolean {
  if (arguments.length !== 1 || isKwargs(fd)) [fd] = bindList(GET_BLOCKING_ARGS, arguments) as [number];
  return posix.getBlocking(toFd(fd));
}

const SET_BLOCKING_ARGS = signature('positional', 'posix.set_blocking', ['fd', 'blocking'], {
  arityName: 'set_blocking',
});

export function set_blocking(fd: number, blocking: boolean): void {
  if (arguments.length !== 2 || isKwargs(blocking)) {
    [fd, blocking] = bindList(SET_BLOCKING_ARGS, arguments) as [number, boolean];
  }
  const f = toFd(fd);
  posix.setBlocking(f, toIntBool(blocking));
}

const OPEN_ARGS = signature('clinic', 'open', ['path', 'flags', 'mode', 'dir_fd'], { required: 2, maxPositional: 3 });

/** open(path, flags, mode=0o777): a raw, non-inheritable fd. */
export function open(
  path: string | Buffer | URL,
  flags: number,
  mode?: number | { mode?: number; dir_fd?: null },
): number;
export function open(...args: unknown[]): number {
  const a = bind(OPEN_ARGS, args);
  if (a.dir_fd !== undefined && a.dir_fd !== null) throw new TypeError('open: dir_fd is not supported by pipefork');
  const p = toPath(a.path, 'open');
  return posix.open(p, toCInt(a.flags), a.mode === undefined ? 0o777 : toCInt(a.mode), a.path as string);
}

const MKFIFO_ARGS = signature('clinic', 'mkfifo', ['path', 'mode', 'dir_fd'], { required: 1, maxPositional: 2 });

/** mkfifo(path, mode=0o666): make a named pipe. */
export function mkfifo(path: string | Buffer | URL, mode?: number | { mode?: number; dir_fd?: null }): void;
export function mkfifo(...args: unknown[]): void {
  const a = bind(MKFIFO_ARGS, args);
  if (a.dir_fd !== undefined && a.dir_fd !== null) throw new TypeError('mkfifo: dir_fd is not supported by pipefork');
  const p = toPath(a.path, 'mkfifo');
  posix.mkfifo(p, a.mode === undefined ? 0o666 : toCInt(a.mode));
}

const LSEEK_ARGS = signature('positional', 'posix.lseek', ['fd', 'position', 'whence'], { arityName: 'lseek' });

/** lseek(fd, position, whence): the new offset. A pipe raises ESPIPE ([Errno 29] Illegal seek). */
export function lseek(fd: number, position: number, whence: number): number {
  if (arguments.length !== 3 || isKwargs(whence)) {
    [fd, position, whence] = bindList(LSEEK_ARGS, arguments) as [number, number, number];
  }
  fd = toFd(fd);
  const pos = toOffT(position);
  return posix.lseek(fd, pos, toCInt(whence));
}

const ISATTY_ARGS = signature('positional', 'posix.isatty', ['fd']);

/** isatty(fd): false for anything that is not an open terminal, bad fds included. */
export function isatty(fd: number): boolean {
  if (arguments.length !== 1 || isKwargs(fd)) [fd] = bindList(ISATTY_ARGS, arguments) as [number];
  return posix.isatty(toFd(fd));
}

/** stat_result's fields in CPython's order (Linux): 10 visible, 3 unnamed int times at 7-9. */
const STAT_FIELDS = [
  'st_mode',
  'st_ino',
  'st_dev',
  'st_nlink',
  'st_uid',
  'st_gid',
  'st_size',
  '',
  '',
  '',
  'st_atime',
  'st_mtime',
  'st_ctime',
  'st_atime_ns',
  'st_mtime_ns',
  'st_ctime_ns',
  'st_blksize',
  'st_blocks',
  'st_rdev',
] as const;
const STAT_VISIBLE = 10;

/** fstat's own path into the constructor: a posix.StatRecord, not a Python sequence. */
const RECORD: unique symbol = Symbol('stat_result.record');

/** The 10 visible items of a stat_result built from a sequence, which its repr shows (7-9 may differ from st_*time). */
const visibleItems = new WeakMap<stat_result, unknown[]>();

/** PySequence_Fast: a list of the items of anything Python could iterate (str, bytes, dict keys, ...). */
function sequenceItems(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  // Anything iterable, as pyList takes it (a detached buffer is a released memoryview); structseq's own message else.
  if (typeof v === 'string' || (v !== null && typeof v === 'object' && (Symbol.iterator in v || isKwargs(v)))) {
    return pyList(v);
  }
  if (v instanceof ArrayBuffer) return pyList(v);
  throw new TypeError('constructor requires a sequence');
}

/** Whole seconds of a *_ns time, as CPython's int st_atime (tv_sec: rounded down). */
const wholeSeconds = (ns: bigint): bigint => (ns >= 0n ? ns : ns - 999_999_999n) / 1_000_000_000n;

const STRUCTSEQ_ARGS = signature('clinic', 'structseq', ['sequence', 'dict'], { required: 1, mappings: ['dict'] });

/**
 * os.stat_result: the fields CPython gives, with exact BigInt *_ns times.
 * Built by fstat, or as in Python from a sequence of 10 to 19 items (and an
 * optional dict for the fields past the sequence): the items are kept as
 * given, missing ones are null, and a null st_atime/st_mtime/st_ctime takes
 * the int time at index 7/8/9.
 */
class stat_result {
  declare st_mode: number;
  declare st_ino: number;
  declare st_dev: number;
  declare st_nlink: number;
  declare st_uid: number;
  declare st_gid: number;
  declare st_size: number;
  declare st_atime: number;
  declare st_mtime: number;
  declare st_ctime: number;
  declare st_atime_ns: bigint;
  declare st_mtime_ns: bigint;
  declare st_ctime_ns: bigint;
  declare st_blksize: number;
  declare st_blocks: number;
  declare st_rdev: number;
  /** The tuple a stat_result also is: st[stat.ST_SIZE], 10 items, the times as whole seconds. */
  readonly [index: number]: unknown;
  declare readonly length: number;

  constructor(sequence: Iterable<unknown> | ArrayLike<unknown>, dict?: Record<string, unknown> | Map<string, unknown>);
  constructor(sequence: unknown, dict?: unknown) {
    if (dict !== RECORD) {
      stat_result.#fromSequence(this, bind(STRUCTSEQ_ARGS, arguments));
      return;
    }
    const r = sequence as posix.StatRecord;
    const ns = (s: number, n: number): bigint => BigInt(s) * 1_000_000_000n + BigInt(n);
    this.st_mode = r.mode;
    this.st_ino = r.ino;
    this.st_dev = r.dev;
    this.st_nlink = r.nlink;
    this.st_uid = r.uid;
    this.st_gid = r.gid;
    this.st_size = r.size;
    this.st_blksize = r.blksize;
    this.st_blocks = r.blocks;
    this.st_rdev = r.rdev;
    this.st_atime = r.atimeSec + r.atimeNsec / 1e9;
    this.st_atime_ns = ns(r.atimeSec, r.atimeNsec);
    this.st_mtime = r.mtimeSec + r.mtimeNsec / 1e9;
    this.st_mtime_ns = ns(r.mtimeSec, r.mtimeNsec);
    this.st_ctime = r.ctimeSec + r.ctimeNsec / 1e9;
    this.st_ctime_ns = ns(r.ctimeSec, r.ctimeNsec);
  }

  /** CPython's structseq_new, then statresult_new's fallback for the float times. */
  static #fromSequence(self: stat_result, a: Record<string, unknown>): void {
    const seq = sequenceItems(a.sequence);
    const dict = a.dict;
    const hasDict = Object.hasOwn(a, 'dict');
    if (hasDict && !(dict instanceof Map) && !isKwargs(dict)) {
      throw new TypeError('os.stat_result() takes a dict as second arg, if any');
    }
    const n = seq.length;
    if (n < STAT_VISIBLE) {
      throw new TypeError(`os.stat_result() takes an at least ${STAT_VISIBLE}-sequence (${n}-sequence given)`);
    }
    if (n > STAT_FIELDS.length) {
      throw new TypeError(`os.stat_result() takes an at most ${STAT_FIELDS.length}-sequence (${n}-sequence given)`);
    }
    const items = STAT_FIELDS.map((name, i) => {
      if (i < n) return seq[i] ?? null;
      if (dict instanceof Map) return dict.get(name) ?? null;
      if (hasDict && Object.hasOwn(dict as object, name)) return (dict as Record<string, unknown>)[name] ?? null;
      return null;
    });
    for (let i = 7; i <= 9; i++) items[i + 3] ??= items[i];
    const out = self as unknown as Record<string, unknown>;
    STAT_FIELDS.forEach((name, i) => {
      if (name !== '') out[name] = items[i];
    });
    visibleItems.set(self, items.slice(0, STAT_VISIBLE));
  }

  /** for (const x of st), [...st], const [mode, ino] = st: its 10 items. */
  *[Symbol.iterator](): Iterator<unknown> {
    yield* statItems(this);
  }

  toString(): string {
    const items = statItems(this).map(pyValueRepr);
    const fields = STAT_FIELDS.slice(0, 7).map((name, i) => `${name}=${items[i]}`);
    const [at, mt, ct] = items.slice(7);
    return `os.stat_result(${fields.join(', ')}, st_atime=${at}, st_mtime=${mt}, st_ctime=${ct})`;
  }
}

/**
 * A stat_result's 10 items as a tuple has them (what str() shows): the ones
 * it was built from, or for fstat's the fields with the times as whole
 * seconds (int in CPython: st[stat.ST_MTIME] is int(st.st_mtime)).
 */
function statItems(st: stat_result): unknown[] {
  const seq = visibleItems.get(st);
  if (seq) return seq;
  const seconds = (ns: bigint) => Number(wholeSeconds(ns));
  return [
    st.st_mode,
    st.st_ino,
    st.st_dev,
    st.st_nlink,
    st.st_uid,
    st.st_gid,
    st.st_size,
    seconds(st.st_atime_ns),
    seconds(st.st_mtime_ns),
    seconds(st.st_ctime_ns),
  ];
}

// Index access, on the prototype so that fstat builds nothing more per call.
for (let i = 0; i < STAT_VISIBLE; i++) {
  Object.defineProperty(stat_result.prototype, i, {
    get(this: stat_result) {
      return statItems(this)[i];
    },
  });
}
Object.defineProperty(stat_result.prototype, 'length', { value: STAT_VISIBLE });

const FSTAT_ARGS = signature('clinic', 'fstat', ['fd']);

/** fstat(fd). */
export function fstat(fd: number): stat_result {
  if (typeof fd !== 'number' || arguments.length !== 1) fd = bind(FSTAT_ARGS, arguments).fd as number;
  return new stat_result(posix.fstat(toFd(fd)) as never, RECORD as never);
}

/**
 * pipefork's own: forget a child of pipefork's that was reaped by other
 * means, so a later wait() does not look at its pid (docs/os.md, "wait() and waitpid(-1)"). The
 * pid is a pid_t: a non-integer is a TypeError, as anywhere a pid is taken.
 */
export function untrackChild(pid: number): void {
  if (arguments.length !== 1) throw arityError('untrackChild', 1, arguments.length);
  forgetChild(toCInt(pid));
}

/** os.stat_result as a pyclass twin (lib/pyclass.ts): os.stat_result(seq) works without new. */
const stat_result_ = pyclass(stat_result);
type stat_result_ = stat_result;

export { fork } from './fork.js';
export { fdopen } from './io.js';
export {
  readAsync,
  readintoAsync,
  type WriteAsyncOptions,
  waitAsync,
  waitpidAsync,
  writeAsync,
} from './os_async.js';
export {
  type _Environ,
  chdir,
  environ,
  environb,
  getcwd,
  getcwdb,
  getegid,
  getenv,
  getenvb,
  geteuid,
  getgid,
  getsid,
  getuid,
  putenv,
  remove,
  umask,
  unlink,
  unsetenv,
} from './os_env.js';
// Not `export *`: os_process.ts also exports helpers subprocess.ts shares
// (_fsarg, _exec_path, _join_exec, _is_terminal) that are not Python's os.
export {
  _exit,
  defpath,
  execv,
  execve,
  execvp,
  execvpe,
  get_exec_path,
  getpgid,
  getpgrp,
  getpid,
  getppid,
  kill,
  killpg,
  pathsep,
  pidfd_open,
  setpgid,
  setsid,
  WCONTINUED,
  WCOREDUMP,
  WEXITSTATUS,
  WIFCONTINUED,
  WIFEXITED,
  WIFSIGNALED,
  WIFSTOPPED,
  WNOHANG,
  WSTOPSIG,
  WTERMSIG,
  WUNTRACED,
  wait,
  waitpid,
  waitstatus_to_exitcode,
} from './os_process.js';
export { stat_result_ as stat_result };
