// The syscalls of signal, time and select: one checked function each,
// raising the CPython-shaped OSError (lib/errors.ts). The calls that wait
// (pause, the monotonic sleep, select, epoll_wait) go through the one retry
// point (blocking.ts), recomputing what is left of their timeout after each
// interruption as CPython's timemodule.c and selectmodule.c do.
import { constants as osConstants } from 'node:os';
import { oserror } from '../errors.js';
import { native } from '../native.js';
import { blocking, checkInterrupts, runInterruptHook } from './blocking.js';

const EINTR = osConstants.errno.EINTR;

function fail(r: number, syscall: string): never {
  throw oserror(-r, syscall);
}

const SC = native.signalConstants;
/** The C library's constants for signal, select and time (POLLIN, EPOLLIN, SIG_BLOCK, ITIMER_REAL, ...). */
export const signalConstants: Readonly<Record<string, number>> = SC;

// --- dispositions ---------------------------------------------------------------

export const DISPOSITION_DFL = 0;
export const DISPOSITION_IGN = 1;
export const DISPOSITION_OURS = 2;
export const DISPOSITION_OTHER = 3;

/** sig's disposition now: DISPOSITION_DFL, _IGN, _OURS (pipefork's handler) or _OTHER (Node's, libuv's, ...). */
export function sigDisposition(sig: number): number {
  const r = native.sigDisposition(sig);
  return r >= 0 ? r : fail(r, 'sigaction');
}

/** Installs pipefork's recording handler for sig (native/binding_signal.cc, Take). */
export function sigTake(sig: number): void {
  const r = native.sigTake(sig);
  if (r < 0) fail(r, 'sigaction');
}

export const RELEASE_DFL = 0;
export const RELEASE_IGN = 1;
export const RELEASE_ORIGINAL = 2;

/** Gives sig back (native/binding_signal.cc, Release); the disposition now. */
export function sigRelease(sig: number, mode: number): number {
  const r = native.sigRelease(sig, mode);
  return r >= 0 ? r : fail(r, 'sigaction');
}

/** pipefork's handler for sig, chaining to nothing (a forked child dispatching Node's listeners). */
export function sigInstallBare(sig: number): void {
  const r = native.sigInstallBare(sig);
  if (r < 0) fail(r, 'sigaction');
}

/** SIG_DFL (or SIG_IGN) for sig, without the anchor's bookkeeping: for a forked child only. */
export function sigDefault(sig: number, ignore: boolean): void {
  const r = native.sigDefault(sig, ignore);
  if (r < 0) fail(r, 'sigaction');
}

const trippedBuf = new Int32Array(native.processConstants.NSIG);

/** The signals that arrived since the last call, ascending (cleared). */
export function takeTripped(): Int32Array {
  return trippedBuf.subarray(0, native.sigTakeTripped(trippedBuf));
}

/** Marks signals tripped again: their handlers run at the next check. */
export function retrip(sigs: Int32Array): void {
  native.sigRetrip(sigs, sigs.length);
}

/** The function the anchors call from the event loop (main thread). */
export function setCheckSignals(fn: () => void): void {
  native.setCheckSignals(fn);
}

export function setWakeupFd(fd: number, warnOnFullBuffer: boolean): number {
  return native.setWakeupFd(fd, warnOnFullBuffer);
}

/** The errno of a failed write to the wakeup fd that CPython would report, or 0. */
export function takeWakeupError(): number {
  return native.takeWakeupError();
}

export function siginterrupt(sig: number, flag: boolean): void {
  const r = native.siginterrupt(sig, flag);
  if (r < 0) fail(r, 'sigaction');
}

/** raise(3), then the handlers, before it returns (as CPython's raise_signal). */
export function raise(sig: number): void {
  const r = native.raise(sig);
  if (r < 0) fail(r, 'raise');
  checkInterrupts();
}

/** Whether sigaddset(3) takes sig. */
export function sigValid(sig: number): boolean {
  return native.sigValid(sig);
}

export function strsignal(sig: number): string | null {
  return native.strsignal(sig);
}

/** After os.fork(), in the child: this thread runs the handlers, nothing is tripped. */
export function sigAfterForkChild(): void {
  native.sigAfterForkChild();
}

/** How many signals arrived on another thread and were forwarded to the main thread (tests, measurements). */
export function sigForwarded(): number {
  return native.sigForwarded();
}

/** Ends the process by sig with its default action (an uncaught KeyboardInterrupt: SIGINT). */
export function dieBySignal(sig: number): void {
  native.dieBySignal(sig);
}

// --- masks ------------------------------------------------------------------------

const sigsBuf = new Int32Array(native.processConstants.NSIG);
const oldBuf = new Int32Array(native.processConstants.NSIG);

/** pthread_sigmask(3) with valid signal numbers; the previous mask. The handlers of signals it unblocks run before it returns. */
export function pthreadSigmask(how: number, sigs: readonly number[]): number[] {
  const n = Math.min(sigs.length, sigsBuf.length);
  for (let i = 0; i < n; i++) sigsBuf[i] = sigs[i] as number;
  const r = native.pthreadSigmask(how, sigsBuf, n, oldBuf);
  if (r < 0) fail(r, 'pthread_sigmask');
  const old = Array.from(oldBuf.subarray(0, r));
  checkInterrupts();
  return old;
}

export function sigpending(): number[] {
  const r = native.sigpending(oldBuf);
  if (r < 0) fail(r, 'sigpending');
  return Array.from(oldBuf.subarray(0, r));
}

// --- timers and waiting for a signal ---------------------------------------------

/** alarm(2) (seconds as a C unsigned): the seconds left of the previous alarm. */
export function alarm(seconds: number): number {
  return native.alarm(seconds >>> 0);
}

const timerIn = new Float64Array(2);
const timerOut = new Float64Array(2);

/** setitimer(2), times in microseconds: the previous [value, interval]. */
export function setitimer(which: number, valueUs: number, intervalUs: number): [number, number] {
  timerIn[0] = valueUs;
  timerIn[1] = intervalUs;
  const r = native.setitimer(which, timerIn, timerOut);
  if (r < 0) fail(r, 'setitimer');
  return [timerOut[0] as number, timerOut[1] as number];
}

export function getitimer(which: number): [number, number] {
  const r = native.getitimer(which, timerOut);
  if (r < 0) fail(r, 'getitimer');
  return [timerOut[0] as number, timerOut[1] as number];
}

/**
 * pause(2) until a signal arrives, then its handler (as CPython's
 * signal.pause: one pause, then PyErr_CheckSignals). The handlers of
 * signals that arrived before run first, as CPython's eval loop would have
 * run them before the call: pause then waits for the next one.
 */
export function pause(): void {
  checkInterrupts();
  const r = native.pause();
  if (r !== -EINTR) fail(r, 'pause');
  runInterruptHook();
}

// --- clocks and sleeping ----------------------------------------------------------

const CLOCK_MONOTONIC = SC.CLOCK_MONOTONIC as number;
const CLOCK_REALTIME = SC.CLOCK_REALTIME as number;
const clockBuf = new Float64Array(2);

/** clock_gettime(2) as [seconds, nanoseconds]. */
function clock(id: number): Float64Array {
  const r = native.clockGettime(id, clockBuf);
  if (r < 0) fail(r, 'clock_gettime');
  return clockBuf;
}

/** The clock in nanoseconds as a double (exact below 2**53 ns; CPython's (double)t rounding above). */
function clockNsDouble(id: number): number {
  const c = clock(id);
  const s = c[0] as number;
  const ns = c[1] as number;
  const t = s * 1e9 + ns;
  return t < 2 ** 53 ? t : Number(BigInt(s) * 1_000_000_000n + BigInt(ns));
}

/** CLOCK_MONOTONIC in nanoseconds, as a double. */
export function monotonicNsDouble(): number {
  return clockNsDouble(CLOCK_MONOTONIC);
}

/** CLOCK_REALTIME in nanoseconds, as a double. */
export function realtimeNsDouble(): number {
  return clockNsDouble(CLOCK_REALTIME);
}

function clockNs(id: number): bigint {
  const r = native.clockNs(id);
  return typeof r === 'bigint' ? r : fail(r, 'clock_gettime');
}

export function monotonicNs(): bigint {
  return clockNs(CLOCK_MONOTONIC);
}

export function realtimeNs(): bigint {
  return clockNs(CLOCK_REALTIME);
}

/**
 * Sleeps ns nanoseconds on the monotonic clock (clock_nanosleep to an
 * absolute deadline, as CPython 3.11's time.sleep): each interruption runs
 * the handlers, then the sleep goes on to the same deadline.
 */
export function sleep(ns: number): void {
  const now = clock(CLOCK_MONOTONIC);
  let sec = (now[0] as number) + Math.floor(ns / 1e9);
  let nsec = (now[1] as number) + (ns % 1e9);
  if (nsec >= 1e9) {
    sec += 1;
    nsec -= 1e9;
  }
  const r = blocking(() => native.sleepUntil(sec, nsec));
  if (r < 0) fail(r, 'clock_nanosleep');
}

// --- select and epoll ---------------------------------------------------------------

/** The monotonic clock in ms (performance.now()): deadlines of the waits below. */
const nowMs = (): number => performance.now();

/** After an interruption: what is left of a wait that started at startMs for timeoutNs, in ns (< 0: expired). */
function leftNs(startMs: number, timeoutNs: number): number {
  return timeoutNs - (nowMs() - startMs) * 1e6;
}

/**
 * select(2) over fds ([read..., write..., except...]), ready[i] set for
 * each ready one. timeoutUs: the first call's (< 0: none); after an
 * interruption the wait goes on with what is left of timeoutNs, rounded up
 * to a microsecond, and ends with 0 ready once nothing is left
 * (selectmodule.c, bpo-35310). The ready count.
 */
export function select(
  fds: Int32Array,
  nr: number,
  nw: number,
  n: number,
  timeoutNs: number,
  timeoutUs: number,
  ready: Uint8Array,
): number {
  const start = timeoutUs >= 0 ? nowMs() : 0;
  const r = native.select(fds, nr, nw, n, timeoutUs, ready);
  if (r >= 0) return r;
  if (r !== -EINTR) fail(r, 'select');
  const k = blocking(
    () => {
      if (timeoutUs < 0) return native.select(fds, nr, nw, n, -1, ready);
      const left = leftNs(start, timeoutNs);
      if (left < 0) {
        ready.fill(0, 0, n);
        return 0;
      }
      return native.select(fds, nr, nw, n, Math.ceil(left / 1e3), ready);
    },
    undefined,
    r,
  );
  return k >= 0 ? k : fail(k, 'select');
}

/**
 * poll(2) for select.poll: ms as the first call's timeout (-1: none);
 * after an interruption, the rest of timeoutNs rounded up to a millisecond,
 * and 0 once nothing is left. The ready count; revents filled.
 */
export function pollFor(
  fds: Int32Array,
  events: Int16Array,
  revents: Int16Array,
  ms: number,
  timeoutNs: number,
): number {
  const start = timeoutNs >= 0 ? nowMs() : 0;
  const r = native.pollFds(fds, events, revents, ms);
  if (r >= 0) return r;
  if (r !== -EINTR) fail(r, 'poll');
  const k = blocking(
    () => {
      if (timeoutNs < 0) return native.pollFds(fds, events, revents, ms);
      const left = leftNs(start, timeoutNs);
      if (left < 0) {
        revents.fill(0);
        return 0;
      }
      return native.pollFds(fds, events, revents, Math.ceil(left / 1e6));
    },
    undefined,
    r,
  );
  return k >= 0 ? k : fail(k, 'poll');
}

export function epollCreate(): number {
  const r = native.epollCreate();
  return r >= 0 ? r : fail(r, 'epoll_create1');
}

export const EPOLL_CTL_ADD = SC.EPOLL_CTL_ADD as number;
export const EPOLL_CTL_MOD = SC.EPOLL_CTL_MOD as number;
export const EPOLL_CTL_DEL = SC.EPOLL_CTL_DEL as number;

export function epollCtl(epfd: number, op: number, fd: number, events: number): void {
  const r = native.epollCtl(epfd, op, fd, events);
  if (r < 0) fail(r, 'epoll_ctl');
}

/** epoll_wait(2) as pollFor waits: (fd, events) pairs into out; the count. */
export function epollWait(epfd: number, out: Int32Array, maxevents: number, ms: number, timeoutNs: number): number {
  const start = timeoutNs >= 0 ? nowMs() : 0;
  const r = native.epollWait(epfd, out, maxevents, ms);
  if (r >= 0) return r;
  if (r !== -EINTR) fail(r, 'epoll_wait');
  const k = blocking(
    () => {
      if (timeoutNs < 0) return native.epollWait(epfd, out, maxevents, ms);
      const left = leftNs(start, timeoutNs);
      if (left < 0) return 0;
      return native.epollWait(epfd, out, maxevents, Math.ceil(left / 1e6));
    },
    undefined,
    r,
  );
  return k >= 0 ? k : fail(k, 'epoll_wait');
}
