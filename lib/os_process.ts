// os: processes (fork aside, see lib/fork.ts): exec*, _exit, waitpid, kill, ...
import { toCInt } from './convert.js';
import { native } from './native.js';

/** _exit(code): end the process at once, no handlers, no flushing (as in Python). */
export function _exit(n: number): never {
  return native._exit(toCInt(n));
}

export function getpid(): number {
  return native.getpid();
}

export function getppid(): number {
  return native.getppid();
}
