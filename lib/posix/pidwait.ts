// Waiting for children in the event loop: the awaitable twins of waitpid
// and Popen.wait. A pidfd (pidfd_open, Linux 5.3+) becomes readable when
// its process exits, so the wait is ready.ts's, like any fd's, and nothing
// polls on a timer.
//
// Where a pidfd cannot be had (ENOSYS on an old kernel, EMFILE with the fd
// table full, EPERM under a seccomp profile), and for WUNTRACED/WCONTINUED
// (a pidfd reports only exits), the wake-up is SIGCHLD instead, through a
// process.on('SIGCHLD') listener held while such a wait is pending: the
// kernel sends it to the parent whenever a child exits, stops or continues.
// Every wake-up only says "look again": the caller's WNOHANG reap decides.
import { constants as osConstants } from 'node:os';
import { native } from '../native.js';
import { close } from './fd.js';
import { waitReadable } from './ready.js';

const ESRCH = osConstants.errno.ESRCH;

let sigchldCount = 0;
let sigchldWaiters: (() => void)[] = [];
let listening = 0;
const onSigchld = (): void => {
  sigchldCount++;
  const ws = sigchldWaiters;
  sigchldWaiters = [];
  for (const w of ws) w();
};

/** Test hook: wait on SIGCHLD as if pidfd_open had failed. */
let forceSigchld = false;
export function _forceSigchld(on: boolean): void {
  forceSigchld = on;
}

/** Resolves at the next SIGCHLD after the count was `seen`, or rejects with signal.reason. */
function nextSigchld(seen: number, signal: AbortSignal | null): Promise<void> {
  if (sigchldCount !== seen) return Promise.resolve();
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      sigchldWaiters = sigchldWaiters.filter((w) => w !== wake);
      reject(signal?.reason);
    };
    const wake = (): void => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    sigchldWaiters.push(wake);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs tryReap() (a WNOHANG reap) until it returns something other than
 * null, waiting between tries until one of pids() exits, or also for any
 * SIGCHLD when `sigchld` (WUNTRACED/WCONTINUED, which pidfds do not
 * report; a wait for any child, which may be one started while it waits)
 * or when a pidfd cannot be had. Rejects with signal.reason when it aborts,
 * or with whatever tryReap raises. While it waits, the event loop runs and
 * is kept alive.
 */
export async function untilReaped<T>(
  pids: () => readonly number[],
  tryReap: () => T | null,
  options: { signal: AbortSignal | null; sigchld: boolean },
): Promise<T> {
  const { signal } = options;
  let sigchld = options.sigchld || forceSigchld;
  let held = false;
  try {
    for (;;) {
      // The listener is held from before the try, so a SIGCHLD between the
      // try and the wait cannot be missed.
      if (sigchld && !held) {
        if (listening++ === 0) process.on('SIGCHLD', onSigchld);
        held = true;
      }
      const seen = sigchldCount;
      const r = tryReap();
      if (r !== null) return r;
      if (signal?.aborted) throw signal.reason;
      const fds: number[] = [];
      try {
        let gone = false;
        let failed = forceSigchld;
        for (const pid of forceSigchld ? [] : pids()) {
          const fd = native.pidfdOpen(pid, 0);
          if (fd >= 0) fds.push(fd);
          else if (fd === -ESRCH)
            gone = true; // reaped elsewhere: the next try finds out
          else failed = true;
        }
        if (gone) continue;
        if (failed && !sigchld) {
          sigchld = true; // the try is made again with the listener held
          continue;
        }
        await wake(fds, sigchld ? seen : -1, signal);
      } finally {
        for (const fd of fds) close(fd);
      }
    }
  } finally {
    if (held && --listening === 0) process.removeListener('SIGCHLD', onSigchld);
  }
}

/**
 * Resolves when one of fds is readable, or (seen >= 0) at the next SIGCHLD
 * after that count; the other waits are withdrawn.
 */
async function wake(fds: number[], seen: number, signal: AbortSignal | null): Promise<void> {
  if (seen < 0 && fds.length === 1) {
    await waitReadable(fds[0] as number, { signal });
    return;
  }
  const losers = new AbortController();
  const onAbort = (): void => losers.abort(signal?.reason);
  signal?.addEventListener('abort', onAbort, { once: true });
  // Node's signal watchers do not keep the loop alive: while only SIGCHLD
  // can end this wait, a referenced timer that never fires holds it.
  const hold = fds.length === 0 ? setInterval(() => {}, 2 ** 31 - 1) : null;
  try {
    const waits: Promise<unknown>[] = fds.map((fd) => waitReadable(fd, { signal: losers.signal }));
    if (seen >= 0) waits.push(nextSigchld(seen, losers.signal));
    await Promise.race(waits);
  } finally {
    if (hold !== null) clearInterval(hold);
    signal?.removeEventListener('abort', onAbort);
    losers.abort();
  }
}
