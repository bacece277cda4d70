// The one owner of pipefork's children (os.fork and subprocess.Popen): who
// they are, and reaping them. os.wait/os.waitpid and Popen's wait, poll,
// send_signal and cleanup all come here; nothing else calls waitpid.
//
// Never waitpid(-1): it would reap the children of Node's own child_process
// too, whose 'exit' events then never fire (docs/fork.md, hazard 11). A
// wait for "any child" looks only among the pids recorded here.
//
// Only pids are kept, no pidfds: a blocking wait opens pidfds for the time
// it sleeps (posix.waitAny), so a child nobody waits for costs no fd.
import { constants as osConstants } from 'node:os';
import { oserror } from './errors.js';
import * as posix from './posix/index.js';
import { untilReaped } from './posix/pidwait.js';

const ECHILD = osConstants.errno.ECHILD;
const ESRCH = osConstants.errno.ESRCH;

/** The pids of the children pipefork started and has not reaped. */
export const children = new Set<number>();

/** Records a child that pipefork started, so wait()/waitpid(-1) may reap it. */
export function trackChild(pid: number): void {
  children.add(pid);
}

/** Forgets a child once it has been reaped (or was reaped by other means). */
export function untrackChild(pid: number): void {
  children.delete(pid);
}

/** Is this one of pipefork's children that has not been reaped yet? */
export function isTracked(pid: number): boolean {
  return children.has(pid);
}

/**
 * waitpid(pid, options) -> [pid, status] ([0, 0] with WNOHANG when nothing
 * changed), keeping the books: a child that ended, or that waitpid says is
 * not ours (ECHILD), is forgotten. With `ownOnly` (Popen's waits) a pid
 * that is no longer recorded is ECHILD at once, without a syscall: it was
 * reaped elsewhere (os.wait) and its number may belong to someone else by
 * now, perhaps a child of child_process.
 */
export function reap(pid: number, options: number, ownOnly = false): [number, number] {
  if (ownOnly && !children.has(pid)) throw oserror(ECHILD, 'waitpid');
  let r: [number, number];
  try {
    r = posix.waitpid(pid, options);
  } catch (e) {
    if ((e as { errno?: unknown }).errno === ECHILD) children.delete(pid);
    throw e;
  }
  if (r[0] > 0 && posix.isTerminal(r[1])) children.delete(r[0]);
  return r;
}

/**
 * Waits for any of pipefork's children, or for those in process group
 * `pgid` (-1: all of them): os.wait(), os.waitpid(-1 | 0 | -pgid). A
 * blocking wait sleeps in poll(2) on pidfds of the candidates, then reaps
 * the one that is ready. ECHILD when there is none.
 */
export function reapAny(pgid: number, options: number): [number, number] {
  // pidfds only report exit; stop/continue reports need a periodic look.
  const tick = options & (posix.WUNTRACED | posix.WCONTINUED) ? 10 : null;
  for (;;) {
    const candidates = [...children].filter((c) => pgid < 0 || inGroup(c, pgid));
    if (candidates.length === 0) throw oserror(ECHILD, 'waitpid');
    let alive = 0;
    for (const c of candidates) {
      let r: [number, number];
      try {
        r = reap(c, options | posix.WNOHANG);
      } catch (e) {
        if ((e as { errno?: unknown }).errno === ECHILD) continue; // reaped behind our back: forgotten
        throw e;
      }
      if (r[0] > 0) return r;
      alive++;
    }
    if (alive === 0) continue; // all were reaped behind our back: ECHILD next time round
    if (options & posix.WNOHANG) return [0, 0];
    posix.waitAny(Int32Array.from(candidates), posix.deadlineIn(tick));
  }
}

function inGroup(pid: number, pgid: number): boolean {
  try {
    return posix.getpgid(pid) === pgid;
  } catch {
    return false; // gone: the reap finds out
  }
}

/**
 * Sends sig to a child of ours: nothing if it is no longer recorded (reaped:
 * its number may be someone else's now) or already gone (ESRCH), as
 * Popen.send_signal ignores ProcessLookupError. Returns whether it was sent.
 */
export function signalChild(pid: number, sig: number): boolean {
  if (!children.has(pid)) return false;
  try {
    posix.kill(pid, sig);
    return true;
  } catch (e) {
    if ((e as { errno?: unknown }).errno === ESRCH) return false;
    throw e;
  }
}

// --- the awaitable twins (docs/async.md) ------------------------------------

/**
 * reap() without blocking the event loop: waitpid(pid, options | WNOHANG)
 * whenever pid may have changed (its pidfd is readable, or a SIGCHLD came:
 * lib/posix/pidwait.ts). With WNOHANG in options it is reap() itself.
 */
export async function reapAsync(
  pid: number,
  options: number,
  signal: AbortSignal | null,
  ownOnly = false,
): Promise<[number, number]> {
  if (options & posix.WNOHANG) return reap(pid, options, ownOnly);
  const tryReap = (): [number, number] | null => {
    const r = reap(pid, options | posix.WNOHANG, ownOnly);
    return r[0] === 0 ? null : r;
  };
  // Stops and continues are reported by SIGCHLD, not by a pidfd.
  const sigchld = (options & (posix.WUNTRACED | posix.WCONTINUED)) !== 0;
  return untilReaped(() => [pid], tryReap, { signal, sigchld });
}

/**
 * reapAny() without blocking the event loop: os.wait(), os.waitpid(-1 | 0 |
 * -pgid) awaited. It wakes on the pidfds of the candidates and on SIGCHLD,
 * since a child started while it waits is a candidate too.
 */
export async function reapAnyAsync(
  pgid: number,
  options: number,
  signal: AbortSignal | null,
): Promise<[number, number]> {
  if (options & posix.WNOHANG) return reapAny(pgid, options);
  const tryReap = (): [number, number] | null => {
    const r = reapAny(pgid, options | posix.WNOHANG);
    return r[0] === 0 ? null : r;
  };
  const candidates = () => [...children].filter((c) => pgid < 0 || inGroup(c, pgid));
  return untilReaped(candidates, tryReap, { signal, sigchld: true });
}
