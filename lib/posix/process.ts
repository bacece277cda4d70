// The process syscalls: one checked function each, raising the
// CPython-shaped OSError (lib/errors.ts). The waits go through the one
// retry point (blocking.ts), with their deadline, so a signal can neither
// surface as EINTR nor extend a timeout.
import { Buffer } from 'node:buffer';
import { constants as osConstants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { type Filename, oserror } from '../errors.js';
import { type NativeSpawnOptions, native } from '../native.js';
import { blocking, checkInterrupts, FOREVER } from './blocking.js';
import { fdGone } from './claims.js';

const ENOSYS = osConstants.errno.ENOSYS;

function fail(r: number, syscall: string, filename?: Filename): never {
  throw oserror(-r, syscall, filename);
}

export function getpid(): number {
  return native.getpid();
}

export function getppid(): number {
  return native.getppid();
}

/** _exit(2): no handlers, no flushing. */
export function _exit(status: number): never {
  return native._exit(status);
}

// --- waiting ---------------------------------------------------------------------

const statusBuf = new Int32Array(1);

/**
 * waitpid(2) -> [pid, status]; [0, 0] with WNOHANG when nothing changed.
 * Only lib/children.ts calls it: it keeps the books of who was reaped.
 */
export function waitpid(pid: number, options: number): [number, number] {
  const r = blocking(() => native.waitpid(pid, options, statusBuf));
  if (r < 0) fail(r, 'waitpid');
  return [r, r === 0 ? 0 : (statusBuf[0] as number)];
}

/**
 * Sleeps until one of pids has exited, without reaping it, or until the
 * deadline (performance.now() ms; FOREVER by default): the index of a pid
 * that is ready, pids.length at the deadline. A pid that no longer exists
 * counts as ready (the caller's waitpid finds out what happened).
 */
export function waitAny(pids: Int32Array, deadline = FOREVER): number {
  const r = blocking((ms) => native.waitAny(pids, ms), deadline);
  return r >= 0 ? r : fail(r, 'poll');
}

/**
 * poll(2) over fds/events until one is ready or the deadline passes: the
 * count of ready fds (0 at the deadline); revents is filled.
 */
export function poll(fds: Int32Array, events: Int16Array, revents: Int16Array, deadline = FOREVER): number {
  const r = blocking((ms) => native.pollFds(fds, events, revents, ms), deadline);
  return r >= 0 ? r : fail(r, 'poll');
}

// --- signals and process groups ----------------------------------------------------

/** kill(2); a signal sent to this process has its handler run before this returns, as in CPython. */
export function kill(pid: number, sig: number): void {
  // To this process from its main thread: to the main thread itself, as
  // raise() does. kill(2) would let the kernel hand the signal to another
  // thread (Node's V8 and libuv threads) when the main thread blocks it,
  // and that thread's forward may land after this call returns: a
  // one-threaded CPython process keeps it pending, and a pthread_sigmask()
  // that unblocks it runs its handler before it returns.
  const r = pid === process.pid && sig !== 0 && isMainThread ? native.raise(sig) : native.kill(pid, sig);
  if (r < 0) fail(r, 'kill');
  checkInterrupts();
}

export function killpg(pgid: number, sig: number): void {
  const r = native.killpg(pgid, sig);
  if (r < 0) fail(r, 'killpg');
  checkInterrupts();
}

export function setsid(): void {
  const r = native.setsid();
  if (r < 0) fail(r, 'setsid');
}

export function getpgid(pid: number): number {
  const r = native.getpgid(pid);
  return r >= 0 ? r : fail(r, 'getpgid');
}

export function getpgrp(): number {
  return native.getpgrp();
}

/** getsid(2): the session id of pid (0: this process). */
export function getsid(pid: number): number {
  const r = native.getsid(pid);
  return r >= 0 ? r : fail(r, 'getsid');
}

export function setpgid(pid: number, pgid: number): void {
  const r = native.setpgid(pid, pgid);
  if (r < 0) fail(r, 'setpgid');
}

/** pidfd_open(2) (Linux 5.3+): a non-inheritable fd that polls readable when pid exits. */
export function pidfdOpen(pid: number, flags: number): number {
  const r = native.pidfdOpen(pid, flags);
  if (r < 0) return fail(r, 'pidfd_open');
  fdGone(r);
  return r;
}

/** fcntl(F_SETPIPE_SZ); false where the system has none (ENOSYS), as Popen(pipesize=) then ignores it. */
export function setPipeSize(fd: number, size: number): boolean {
  const r = native.setPipeSize(fd, size);
  if (r >= 0) return true;
  if (-r === ENOSYS) return false;
  return fail(r, 'fcntl');
}

// --- exec and spawn ------------------------------------------------------------------

type FsArg = string | Uint8Array;

/**
 * execve(2) of each candidate in turn, the new image prepared as a fresh
 * program expects it (native/process.cc, px_exec). Returns only by raising
 * the error os._execvpe's rule picks: named after the candidate it came from
 * when `named` (execve), after `fd` for fexecve, or after nothing (execv,
 * as CPython's).
 */
export function exec(candidates: FsArg[], argv: FsArg[], envp: FsArg[] | null, named: boolean, fd?: number): never {
  const r = native.exec(candidates, argv, envp);
  if (typeof r === 'number') return fail(r, envp ? 'execve' : 'execv');
  const failed = candidates[r.index] as FsArg;
  const filename = fd ?? (typeof failed === 'string' ? failed : Buffer.from(failed));
  throw oserror(r.errno, envp ? 'execve' : 'execv', named ? filename : undefined);
}

export type SpawnOptions = NativeSpawnOptions;

/**
 * Starts a child (native/spawn.cc, docs/architecture.md "Spawn"): its pid.
 * A failure raises: the parent's own as 'fork_exec'; the child's, which it
 * reported on the error pipe before exec (it has been reaped), as 'execve'
 * named as CPython 3.11 names it: `executable` for exec itself, `cwd` for
 * any step before (chdir, setsid, ...).
 */
export function spawn(options: SpawnOptions, names: { executable: Filename; cwd: Filename }): number {
  const r = native.spawn(options);
  if ('pid' in r) return r.pid;
  if (r.stage === 'parent') return fail(-r.errno, 'fork_exec');
  return fail(-r.errno, 'execve', r.stage === 'exec' ? names.executable : names.cwd);
}

/** How many spawn child stacks are mapped in this process (tests: one per environment that spawned). */
export function childStacksLive(): number {
  return native.childStacksLive();
}
