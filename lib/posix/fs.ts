// The syscalls on the file system and the process's place in it: the
// working directory, the umask, unlink. One checked function each, raising
// the CPython-shaped OSError (lib/errors.ts).
import type { Buffer } from 'node:buffer';
import { type Filename, oserror } from '../errors.js';
import { native } from '../native.js';

/** getcwd(3): the working directory's bytes. */
export function getcwd(): Buffer {
  const r = native.getcwd();
  if (typeof r === 'number') throw oserror(-r, 'getcwd');
  return r;
}

/** chdir(2) (text or a bytes path's exact bytes); `filename` is what the error names. */
export function chdir(path: string | Uint8Array, filename: Filename): void {
  const r = native.chdir(path);
  if (r < 0) throw oserror(-r, 'chdir', filename);
}

/** fchdir(2); the error names the fd, as CPython's chdir(fd) does. */
export function fchdir(fd: number): void {
  const r = native.fchdir(fd);
  if (r < 0) throw oserror(-r, 'chdir', fd);
}

/** umask(2): sets the mask, returns the previous one (it never fails). */
export function umask(mask: number): number {
  return native.umask(mask);
}

/** unlinkat(dirFd, path, 0) (dirFd -1: the working directory); the error is `syscall`'s, naming `filename`. */
export function unlinkat(dirFd: number, path: string | Uint8Array, syscall: string, filename: Filename): void {
  const r = native.unlinkat(dirFd, path);
  if (r < 0) throw oserror(-r, syscall, filename);
}
