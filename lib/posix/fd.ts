// The syscalls on file descriptors: one checked function per syscall, each
// raising the CPython-shaped OSError (lib/errors.ts) when it fails. os, io
// and subprocess make their fd syscalls here, never through the addon.
//
// read and write are the hot paths (os.read, FileIO, the buffered arenas):
// each makes its syscall inline and leaves only when it failed, so the fast
// path makes no closure and no allocation; an interrupted call goes on to
// the one retry point (blocking.ts) from a small function of its own.
//
// The try* variants are io's contract: -1 where a non-blocking fd would
// block (EAGAIN), which FileIO returns as None, instead of BlockingIOError.
import { constants as osConstants } from 'node:os';
import type { ReadAllBuffer } from '../abi.js';
import { type Filename, MemoryError, oserror } from '../errors.js';
import { native } from '../native.js';
import { readAllStep } from '../readpool.js';
import { blocking } from './blocking.js';
import { fdGone, fdsGone } from './claims.js';
import { fdClosing, fdsClosing } from './ready.js';

const EINTR = osConstants.errno.EINTR;
const EAGAIN = osConstants.errno.EAGAIN;
const ENOMEM = osConstants.errno.ENOMEM;

/** Raises the error of a call that returned k = -errno. */
function fail(k: number, syscall: string, filename?: Filename): never {
  throw oserror(-k, syscall, filename);
}

/** A read or write result once retried: the count; -1 for EAGAIN when the caller takes "would block"; else raises. */
function settle(k: number, syscall: string, wouldBlock: boolean): number {
  if (k >= 0) return k;
  if (wouldBlock && k === -EAGAIN) return -1;
  return fail(k, syscall);
}

// --- read and write -----------------------------------------------------------

/** read(2) into buf: the count (0 at EOF). */
export function read(fd: number, buf: Uint8Array): number {
  const k = native.read(fd, buf);
  return k >= 0 ? k : readFailed(k, fd, buf, false);
}

/** read(2) into buf: the count, or -1 where a non-blocking fd has nothing yet. */
export function tryRead(fd: number, buf: Uint8Array): number {
  const k = native.read(fd, buf);
  return k >= 0 ? k : readFailed(k, fd, buf, true);
}

function readFailed(k: number, fd: number, buf: Uint8Array, wouldBlock: boolean): number {
  if (k === -EINTR) k = blocking(() => native.read(fd, buf), undefined, k);
  return settle(k, 'read', wouldBlock);
}

/** read(2) into bytes [off, off + len) of an ArrayBuffer, without a view made for them. */
export function readAt(fd: number, ab: ArrayBuffer, off: number, len: number): number {
  const k = native.readAt(fd, ab, off, len);
  return k >= 0 ? k : readAtFailed(k, fd, ab, off, len, false);
}

/** readAt, with -1 where a non-blocking fd has nothing yet. */
export function tryReadAt(fd: number, ab: ArrayBuffer, off: number, len: number): number {
  const k = native.readAt(fd, ab, off, len);
  return k >= 0 ? k : readAtFailed(k, fd, ab, off, len, true);
}

function readAtFailed(k: number, fd: number, ab: ArrayBuffer, off: number, len: number, wouldBlock: boolean): number {
  if (k === -EINTR) k = blocking(() => native.readAt(fd, ab, off, len), undefined, k);
  return settle(k, 'read', wouldBlock);
}

/**
 * read(2) into readall's growing buffer (lib/readpool.ts), which the
 * per-ABI addon grows first when it is full: the count, or -1 where a
 * non-blocking fd has nothing yet. A buffer that could not grow is
 * MemoryError, as CPython's readall says when its bytes cannot.
 */
export function tryReadAllStep(fd: number, g: ReadAllBuffer): number {
  const k = readAllStep(g, fd);
  return k >= 0 ? k : readAllStepFailed(k, fd, g);
}

function readAllStepFailed(k: number, fd: number, g: ReadAllBuffer): number {
  if (k === -EINTR) k = blocking(() => readAllStep(g, fd), undefined, k);
  if (k === -ENOMEM) throw new MemoryError();
  return settle(k, 'read', true);
}

/** write(2) of buf: the count written. */
export function write(fd: number, buf: Uint8Array): number {
  const k = native.write(fd, buf);
  return k >= 0 ? k : writeFailed(k, fd, buf, false);
}

/** write(2) of buf: the count, or -1 where a non-blocking fd is full. */
export function tryWrite(fd: number, buf: Uint8Array): number {
  const k = native.write(fd, buf);
  return k >= 0 ? k : writeFailed(k, fd, buf, true);
}

function writeFailed(k: number, fd: number, buf: Uint8Array, wouldBlock: boolean): number {
  if (k === -EINTR) k = blocking(() => native.write(fd, buf), undefined, k);
  return settle(k, 'write', wouldBlock);
}

/** write(2) of bytes [off, off + len) of an ArrayBuffer: the count written. */
export function writeAt(fd: number, ab: ArrayBuffer, off: number, len: number): number {
  const k = native.writeAt(fd, ab, off, len);
  return k >= 0 ? k : writeAtFailed(k, fd, ab, off, len, false);
}

/** write(2) of bytes [off, off + len) of an ArrayBuffer, with -1 where a non-blocking fd is full. */
export function tryWriteAt(fd: number, ab: ArrayBuffer, off: number, len: number): number {
  const k = native.writeAt(fd, ab, off, len);
  return k >= 0 ? k : writeAtFailed(k, fd, ab, off, len, true);
}

function writeAtFailed(k: number, fd: number, ab: ArrayBuffer, off: number, len: number, wouldBlock: boolean): number {
  if (k === -EINTR) k = blocking(() => native.writeAt(fd, ab, off, len), undefined, k);
  return settle(k, 'write', wouldBlock);
}

/** readv(2): fills the buffers in order; the total count. */
export function readv(fd: number, bufs: Uint8Array[]): number {
  return settle(
    blocking(() => native.readv(fd, bufs)),
    'readv',
    false,
  );
}

/** writev(2) of the buffers in order; the total count. */
export function writev(fd: number, bufs: Uint8Array[]): number {
  return settle(
    blocking(() => native.writev(fd, bufs)),
    'writev',
    false,
  );
}

/**
 * How many bytes a read(fd, n) with a large n can usefully ask for: for a
 * pipe, the bytes ready now, else its capacity; for a regular file, the
 * bytes left; -1 for anything else (ask for all of n). Never fails.
 */
export function readHint(fd: number): number {
  return native.readHint(fd);
}

// --- opening, closing, duplicating -------------------------------------------

// Each call that makes an fd, or closes one, tells claims.ts: a number
// handed out again was closed behind its old file object's back.

/** pipe2(2): [read end, write end]; O_CLOEXEC is up to the caller. */
export function pipe2(flags: number, syscall = 'pipe2'): [number, number] {
  const r = native.pipe2(flags);
  if (typeof r === 'number') return fail(r, syscall);
  fdGone(r[0]);
  fdGone(r[1]);
  return r;
}

/**
 * open(2), always close-on-exec (PEP 446); blocking, since opening a FIFO
 * waits for its other end. `filename` is what the error names (the path as
 * the caller gave it).
 */
export function open(path: string | Uint8Array, flags: number, mode: number, filename?: Filename): number {
  const r = blocking(() => native.open(path, flags, mode));
  if (r < 0) return fail(r, 'open', filename);
  fdGone(r);
  return r;
}

/** mkfifo(3). CPython's error names no file (posix_error, not path_error). */
export function mkfifo(path: string | Uint8Array, mode: number): void {
  const r = native.mkfifo(path, mode);
  if (r < 0) fail(r, 'mkfifo');
}

/**
 * close(2). Never retried: the fd is gone even when EINTR is reported
 * (native/posix.cc). Waits pending on fd (ready.ts) reject with EBADF.
 */
export function close(fd: number): void {
  fdClosing(fd);
  const r = native.close(fd);
  fdGone(fd);
  if (r < 0) fail(r, 'close');
}

/** close(2) of an fd being given up after another failure: its own error would hide that one. */
export function closeQuietly(fd: number): void {
  fdClosing(fd);
  native.close(fd);
  fdGone(fd);
}

/** Closes every fd in [lo, hi), ignoring errors, as Python's closerange. */
export function closerange(lo: number, hi: number): void {
  fdsClosing(lo, hi);
  native.closerange(lo, hi);
  fdsGone(lo, hi);
}

/** A non-inheritable duplicate (PEP 446). */
export function dup(fd: number): number {
  const r = native.dup(fd);
  if (r < 0) return fail(r, 'dup');
  fdGone(r);
  return r;
}

/** dup2(fd, fd2), fd2 close-on-exec unless inheritable; returns fd2. */
export function dup2(fd: number, fd2: number, inheritable: boolean): number {
  // dup2 closes fd2 first: its pending waits (ready.ts) must not outlive it.
  if (fd2 !== fd) fdClosing(fd2);
  const r = native.dup2(fd, fd2, inheritable);
  if (r < 0) return fail(r, 'dup2');
  // dup2 onto fd itself changes nothing; onto another number it closed that one.
  if (fd !== fd2) fdGone(fd2);
  return r;
}

// --- fd flags ------------------------------------------------------------------

export function getInheritable(fd: number): boolean {
  const r = native.getInheritable(fd);
  return r >= 0 ? r === 1 : fail(r, 'fcntl');
}

export function setInheritable(fd: number, inheritable: boolean): void {
  const r = native.setInheritable(fd, inheritable);
  if (r < 0) fail(r, 'fcntl');
}

export function getBlocking(fd: number): boolean {
  const r = native.getBlocking(fd);
  return r >= 0 ? r === 1 : fail(r, 'fcntl');
}

export function setBlocking(fd: number, blocking: boolean): void {
  const r = native.setBlocking(fd, blocking);
  if (r < 0) fail(r, 'fcntl');
}

/** isatty(3): false for anything that is not an open terminal, bad fds included. */
export function isatty(fd: number): boolean {
  return native.isatty(fd) === 1;
}

// --- positions, sizes, status ----------------------------------------------------

/** lseek(2): the new offset (a pipe raises ESPIPE). pos is exact below 2**53. */
export function lseek(fd: number, pos: number, whence: number): number {
  const r = native.lseek(fd, pos, whence);
  return r >= 0 ? r : fail(r, 'lseek');
}

/** ftruncate(2); length is exact below 2**53 and not negative (the caller checks). */
export function ftruncate(fd: number, length: number): void {
  const r = native.ftruncate(fd, length);
  if (r < 0) fail(r, 'ftruncate');
}

/** What fstat(2) says, field by field; the times in whole seconds and nanoseconds, so *_ns can be exact. */
export interface StatRecord {
  mode: number;
  ino: number;
  dev: number;
  nlink: number;
  uid: number;
  gid: number;
  size: number;
  blksize: number;
  blocks: number;
  rdev: number;
  atimeSec: number;
  atimeNsec: number;
  mtimeSec: number;
  mtimeNsec: number;
  ctimeSec: number;
  ctimeNsec: number;
}

/** The addon fills these 16 numbers in StatRecord's order (native/binding.cc, Fstat). */
const statBuf = new Float64Array(16);

/** fstat(2) as a record: the one place stat data is built. */
export function fstat(fd: number): StatRecord {
  const r = native.fstat(fd, statBuf);
  if (r < 0) fail(r, 'fstat');
  const f = statBuf;
  return {
    mode: f[0] as number,
    ino: f[1] as number,
    dev: f[2] as number,
    nlink: f[3] as number,
    uid: f[4] as number,
    gid: f[5] as number,
    size: f[6] as number,
    blksize: f[7] as number,
    blocks: f[8] as number,
    rdev: f[9] as number,
    atimeSec: f[10] as number,
    atimeNsec: f[11] as number,
    mtimeSec: f[12] as number,
    mtimeNsec: f[13] as number,
    ctimeSec: f[14] as number,
    ctimeNsec: f[15] as number,
  };
}
