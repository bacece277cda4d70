// The one place a blocking syscall is retried after a signal (PEP 475), as
// CPython's Python/fileutils.c (_Py_read, _Py_write) is for its calls.
//
// The addon makes every call that can wait (read, write, readv, writev,
// open, waitpid without WNOHANG, the pidfd and poll waits) once, and returns
// -EINTR when a signal handler ran in the middle. Here, and only here, that
// becomes: run the interrupt hook, work out how much of the caller's
// timeout is left, call again. Retrying in C would be simpler, but a JS
// signal handler cannot run inside the addon: the hook is where the signal
// module will run Python-level handlers (and let their exceptions end the
// call), and a retry with the whole timeout again would let a stream of
// signals extend a wait forever. See docs/architecture.md, "EINTR".
import { constants as osConstants } from 'node:os';

const EINTR = osConstants.errno.EINTR;

/** A deadline that never comes: wait as long as it takes. */
export const FOREVER = Number.POSITIVE_INFINITY;

/** The longest poll(2) timeout, in ms (a C int). */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

function noHook(): void {}

let interruptHook: () => void = noHook;

/**
 * Installs the function run each time a blocking call is interrupted by a
 * signal, before the call is made again; it may throw, which ends the call
 * with that exception (as a Python signal handler's exception does).
 * undefined restores the default, which does nothing.
 */
export function setInterruptHook(hook: (() => void) | undefined): void {
  interruptHook = hook ?? noHook;
}

/** A deadline `ms` milliseconds from now on the monotonic clock (performance.now()); FOREVER for null. */
export function deadlineIn(ms: number | null): number {
  return ms === null ? FOREVER : performance.now() + ms;
}

/**
 * The timeout argument for a call that must return by `deadline`: -1 for
 * none, else the milliseconds left, rounded up so that the call never wakes
 * before the deadline, and 0 once it has passed.
 */
export function timeoutLeft(deadline: number): number {
  if (deadline === FOREVER) return -1;
  const left = deadline - performance.now();
  if (!(left > 0)) return 0;
  return Math.min(Math.ceil(left), MAX_TIMEOUT_MS);
}

/**
 * Makes a blocking call until it is not interrupted: call(timeoutMs) with
 * the time left until `deadline` (-1 when there is none), and again after
 * the interrupt hook each time it returns -EINTR. Returns the call's last
 * result (>= 0, or another -errno). `first` is the result of a first
 * attempt the caller already made: the read and write fast paths make
 * their syscall inline and come here only when it was interrupted.
 */
export function blocking(call: (timeoutMs: number) => number, deadline = FOREVER, first?: number): number {
  let r = first ?? call(timeoutLeft(deadline));
  while (r === -EINTR) {
    interruptHook();
    r = call(timeoutLeft(deadline));
  }
  return r;
}
