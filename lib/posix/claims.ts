// Which fd numbers pipefork's file objects hold, so that a file object
// closed or flushed long after its fd went away behind its back never
// closes or writes to whatever file has taken that number since.
//
// The hazard: `f = os.fdopen(fd, 'w'); f.write('x'); os.close(fd)`, then a
// new open() gets the same number, then f is garbage-collected (or the
// process exits, or f.close() is called): a finalizer that flushes and
// closes "its" fd would write 'x' into the new file and close it. CPython
// does exactly that. Here every fd a file object wraps is claimed, and the
// syscall layer drops the claim wherever the number stops meaning that
// file:
//
// - pipefork closes it: close, closerange, dup2 onto it (fd.ts);
// - pipefork is handed the same number again by open, pipe2, dup, dup2 or
//   pidfd_open, which proves it was closed by someone else (Node's
//   fs.closeSync, another addon) in between;
// - as a last check before a finalizer or the exit flush touches it, the
//   fd's device and inode must still be the ones it had when claimed
//   (claimHolds). That catches a number closed and reopened outside
//   pipefork onto another file or pipe. A number closed and reopened
//   outside pipefork onto the same file cannot be told apart, and is
//   treated as the file it was (docs/io.md, "Files nobody closed").
import { native } from '../native.js';

/** A file object's hold on an fd: the number, -1 once it is known not to be that file any more. */
export class FdClaim {
  constructor(
    public fd: number,
    /** st_dev and st_ino when claimed; -1 when fstat could not say. */
    readonly dev: number,
    readonly ino: number,
  ) {}
}

// Rarely more than one claim per fd (a closefd=False wrapper beside its owner).
const claims = new Map<number, FdClaim[]>();
const statBuf = new Float64Array(16);

/** Claims fd for a file object; dev and ino are what fstat said of it (-1 when unknown). */
export function claimFd(fd: number, dev: number, ino: number): FdClaim {
  const c = new FdClaim(fd, dev, ino);
  const list = claims.get(fd);
  if (list === undefined) claims.set(fd, [c]);
  else list.push(c);
  return c;
}

/** The file object is done with its fd (closed it, or was collected). */
export function releaseClaim(c: FdClaim): void {
  const fd = c.fd;
  c.fd = -1;
  if (fd < 0) return;
  const list = claims.get(fd);
  if (list === undefined) return;
  const i = list.indexOf(c);
  if (i >= 0) list.splice(i, 1);
  if (list.length === 0) claims.delete(fd);
}

/** fd no longer means what its claimants opened: each claim lets go of it. */
export function fdGone(fd: number): void {
  if (claims.size === 0) return;
  const list = claims.get(fd);
  if (list === undefined) return;
  claims.delete(fd);
  for (const c of list) c.fd = -1;
}

/** Every claimed fd in [lo, hi) is gone (closerange). */
export function fdsGone(lo: number, hi: number): void {
  for (const fd of [...claims.keys()]) if (fd >= lo && fd < hi) fdGone(fd);
}

/**
 * Whether c's fd is still the file it claimed: not let go of, open, and
 * the same device and inode. One fstat(2): for finalizers and the exit
 * flush, not for every read.
 */
export function claimHolds(c: FdClaim): boolean {
  if (c.fd < 0) return false;
  if (native.fstat(c.fd, statBuf) < 0) return false;
  if (c.dev < 0) return true;
  return statBuf[1] === c.ino && statBuf[2] === c.dev;
}
