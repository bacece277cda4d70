// Readiness for everything awaitable in pipefork: `await waitReadable(fd)`
// and `await waitWritable(fd)` resolve when a read or write on fd would not
// wait, without blocking the event loop, without a thread (not even one of
// libuv's pool) and without touching the fd's flags. The twins of os, io and
// subprocess, the streams and multiprocessing.connection's twins are
// built on it, and so is selectors' selectAsync (docs/architecture.md, "Readiness").
//
// The native half (native/ready.cc) keeps one private epoll instance per
// Node environment, watched by the environment's libuv loop through one
// poll handle. Each wait arms its fd there EPOLLONESHOT, tagged with the
// fd's generation (so a report for an fd number since closed and reused is
// recognised and dropped); the loop hands the reports here, which resolves
// the waits. The handle keeps the loop alive only while a wait is pending,
// so a program exits on its own once its awaits are done.
//
// A forked child (os.fork) shares the parent's epoll instance and cannot
// run the event loop: every wait there rejects, and the child never touches
// the parent's instance.
import { constants as osConstants } from 'node:os';
import { Deadline, toSignal } from '../abort.js';
import { toCInt } from '../convert.js';
import { oserror, RuntimeError } from '../errors.js';
import { native } from '../native.js';

/** epoll's event bits, which waitFd takes and every wait resolves with. */
export const READABLE = 0x001; // EPOLLIN
export const PRIORITY = 0x002; // EPOLLPRI
export const WRITABLE = 0x004; // EPOLLOUT
/** Reported whatever was asked for: the fd has an error, or its other end is gone. */
export const ERROR = 0x008; // EPOLLERR
export const HANGUP = 0x010; // EPOLLHUP

const EBADF = osConstants.errno.EBADF;

export interface WaitOptions {
  /** Aborting it rejects the wait with `signal.reason`. */
  signal?: AbortSignal | null;
}

/** What a wait calls when it ends: (null, events) when the fd reported, (error) when it failed or was aborted. */
export type WatchCallback = (error: unknown, events: number) => void;

interface Waiter {
  readonly events: number;
  readonly done: WatchCallback;
  readonly signal: AbortSignal | null;
  onAbort: (() => void) | null;
}

/** One fd's registration: its generation in the epoll data, what is armed now (0: nothing), who waits. */
interface Entry {
  readonly fd: number;
  readonly gen: number;
  armed: number;
  waiters: Waiter[];
}

const entries = new Map<number, Entry>();
let generation = 0;
/** Waits pending in this environment: the poll handle is referenced while this is above 0. */
let pending = 0;
let opened = false;
/** The process this module was loaded in: anything else is a forked child. */
const homePid = process.pid;
/** [fd, generation, events] per report, written by native/ready.cc before it calls onReports. */
const reports = new Int32Array(3 * 64);

function forkedChild(): RuntimeError {
  return new RuntimeError(
    'pipefork: awaitable calls need the event loop, which a forked child does not run; ' +
      'use the blocking call in the child (docs/async.md)',
  );
}

function open(): void {
  const r = native.readyOpen(onReports, reports);
  if (r < 0) throw oserror(-r, 'epoll_create1');
  opened = true;
}

/** Arms entry for what its waiters want, if that is not armed already: 0 or -errno. */
function arm(entry: Entry): number {
  let mask = 0;
  for (const w of entry.waiters) mask |= w.events;
  if (mask === 0 || mask === entry.armed) return 0;
  const r = native.readyArm(entry.fd, entry.gen, mask);
  entry.armed = r === 0 ? mask : 0;
  return r;
}

function retain(): void {
  if (pending++ === 0) native.readyRef(true);
}

function release(): void {
  if (--pending === 0) native.readyRef(false);
}

/** The waiter leaves, whatever ends it (the caller has already removed it from its entry). */
function finish(w: Waiter): void {
  if (w.onAbort !== null) w.signal?.removeEventListener('abort', w.onAbort);
  release();
}

/** The loop's reports: resolve the waits they satisfy, re-arm for the rest. */
function onReports(count: number): void {
  for (let i = 0; i < count; i++) {
    const entry = entries.get(reports[3 * i] as number);
    if (entry === undefined || entry.gen !== reports[3 * i + 1]) continue; // an fd since closed
    const events = reports[3 * i + 2] as number;
    entry.armed = 0; // one-shot: disabled until armed again
    const all = entry.waiters;
    if (all.length === 0) continue;
    const anything = events & (ERROR | HANGUP);
    const left: Waiter[] = [];
    const ready: Waiter[] = [];
    for (const w of all) (anything || w.events & events ? ready : left).push(w);
    entry.waiters = left;
    if (left.length > 0) {
      const r = arm(entry);
      if (r < 0) failAll(entry, r);
    }
    for (const w of ready) {
      finish(w);
      w.done(null, events);
    }
  }
}

/** Every waiter of entry rejects with -r's error. */
function failAll(entry: Entry, r: number): void {
  const ws = entry.waiters;
  entry.waiters = [];
  for (const w of ws) {
    finish(w);
    w.done(oserror(-r, w.events & READABLE ? 'read' : 'write'), 0);
  }
}

function abortWaiter(entry: Entry, w: Waiter): void {
  const i = entry.waiters.indexOf(w);
  if (i < 0) return;
  entry.waiters.splice(i, 1);
  finish(w);
  w.done(w.signal?.reason, 0);
}

/**
 * Resolves when fd reports one of `events` (READABLE, WRITABLE, PRIORITY,
 * or'ed) or an error or hang-up: the events reported. Rejects with
 * `signal.reason` once the signal aborts; with the OSError epoll_ctl gives
 * for fd (EBADF for a closed fd; EPERM for a regular file or a directory,
 * which epoll cannot watch: a read or write on one never waits for long,
 * so make it at once); with EBADF when fd is closed through pipefork while
 * the wait is pending; with RuntimeError in a forked child.
 */
export function waitFd(fd: number, events: number, options?: WaitOptions): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    watchFd(fd, events, options?.signal, (e, ev) => (e === null ? resolve(ev) : reject(e)));
  });
}

/**
 * waitFd with a callback instead of a promise, called from the event
 * loop's report itself: a caller that reads or writes right away saves
 * the promise's turns (lib/posix/nowait.ts). `done` is called exactly once
 * (synchronously only for an argument or epoll_ctl error, or an aborted signal).
 */
export function watchFd(fd: number, events: number, signalOption: unknown, done: WatchCallback): void {
  let signal: AbortSignal | null;
  try {
    fd = toCInt(fd);
    events = toCInt(events) & (READABLE | PRIORITY | WRITABLE);
    signal = toSignal(signalOption);
    if (signal?.aborted) throw signal.reason;
    if (process.pid !== homePid) throw forkedChild();
    if (!opened) open();
  } catch (e) {
    done(e, 0);
    return;
  }
  let entry = entries.get(fd);
  if (entry === undefined) {
    generation = (generation + 1) | 0;
    entry = { fd, gen: generation, armed: 0, waiters: [] };
    entries.set(fd, entry);
  }
  const w: Waiter = { events, done, signal, onAbort: null };
  entry.waiters.push(w);
  const r = arm(entry);
  if (r < 0) {
    entry.waiters.pop();
    done(oserror(-r, 'epoll_ctl'), 0);
    return;
  }
  retain();
  if (signal !== null) {
    const e = entry;
    w.onAbort = () => abortWaiter(e, w);
    signal.addEventListener('abort', w.onAbort, { once: true });
  }
}

/** Resolves when a read on fd would not wait (data, EOF, an error): the events reported. See waitFd. */
export function waitReadable(fd: number, options?: WaitOptions): Promise<number> {
  return waitFd(fd, READABLE, options);
}

/** Resolves when a write on fd would not wait (room, or the reader is gone): the events reported. See waitFd. */
export function waitWritable(fd: number, options?: WaitOptions): Promise<number> {
  return waitFd(fd, WRITABLE, options);
}

/** An fd and what to wait for on it (READABLE, WRITABLE, PRIORITY, or'ed). */
export type Watch = readonly [fd: number, events: number];

/** Why a round of untilReady's waits ended without an error: one fd reported. */
const REPORTED: unique symbol = Symbol('an fd reported');

/**
 * Waiting on several fds at once, with a Python timeout: check() is a
 * syscall that does not wait (poll(2), select(2) or epoll_wait(2) with a
 * zero timeout) and says what is ready, in its caller's terms; while it
 * says nothing, every fd in `watch` is armed here until one reports, then
 * check() runs again (another reader may have taken the data meanwhile:
 * then it waits again). timeout is in seconds (null: no limit; 0 or less:
 * check once). Resolves check()'s first non-empty result, [] at the
 * timeout; rejects with signal.reason once it aborts. This is
 * multiprocessing.connection.waitAsync's and selectors' selectAsync's one
 * mechanism.
 */
export async function untilReady<R>(
  watch: readonly Watch[],
  check: () => R[],
  timeout: number | null,
  signal: AbortSignal | null,
): Promise<R[]> {
  const first = check();
  if (first.length > 0 || (timeout !== null && timeout <= 0)) return first;
  const deadline = new Deadline(signal, timeout === null ? null : timeout * 1000);
  try {
    for (;;) {
      const report = await anyReport(watch, deadline.signal);
      if (deadline.timedOut()) return [];
      const ready = check();
      if (ready.length > 0) return ready;
      if (report.error !== null) throw report.error;
      // An fd that reports an error or a hang-up, which epoll reports whatever was asked for,
      // and that check() does not count (select(2)'s write set, a pipe's read end): it stays
      // so, and armed again it would report again at once. Only the others can end the wait.
      if (report.events & (ERROR | HANGUP)) watch = watch.filter(([fd]) => fd !== report.fd);
    }
  } catch (e) {
    if (deadline.isTimeUp(e)) return [];
    throw e;
  } finally {
    deadline.dispose();
  }
}

/** How a round of anyReport ended: the fd that reported and its events, or the error its wait failed with. */
interface Report {
  readonly fd: number;
  readonly events: number;
  readonly error: unknown;
}

/**
 * Resolves once one fd of `watch` reports, or with the error a wait failed
 * with (epoll_ctl's EPERM for a regular file, EBADF for an fd closed
 * meanwhile: the caller's check then says whether it is ready); rejects
 * with signal.reason when it aborts. Withdraws every wait before it settles.
 */
function anyReport(watch: readonly Watch[], signal: AbortSignal): Promise<Report> {
  return new Promise((resolve, reject) => {
    const round = new AbortController();
    let settled = false;
    // The abort settles the round itself (with no fd watched, nothing else would), then withdraws the waits.
    const onOuter = (): void => done(signal.reason, -1, 0);
    const done = (error: unknown, fd: number, events: number): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onOuter);
      if (!round.signal.aborted) round.abort(signal.aborted ? signal.reason : REPORTED);
      if (signal.aborted && error === signal.reason) reject(error);
      else resolve({ fd, events, error });
    };
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', onOuter, { once: true });
    for (const [fd, events] of watch) {
      if (settled) break;
      watchFd(fd, events, round.signal, (e, ev) => done(e, fd, ev));
    }
  });
}

/**
 * pipefork is about to close fd (os.close, a file object's close, dup2 over
 * it): take it out of the epoll instance while it is still open, and reject
 * its pending waits with EBADF, as a read on it would fail now.
 */
export function fdClosing(fd: number): void {
  if (entries.size === 0) return;
  const entry = entries.get(fd);
  if (entry === undefined) return;
  entries.delete(fd);
  native.readyRemove(fd);
  if (entry.waiters.length > 0) failAll(entry, -EBADF);
}

/** fdClosing for every fd in [lo, hi) (os.closerange). */
export function fdsClosing(lo: number, hi: number): void {
  if (entries.size === 0) return;
  for (const fd of [...entries.keys()]) if (fd >= lo && fd < hi) fdClosing(fd);
}

/** This environment's readiness state, for tests and leak checks: its epoll fd (-1: none yet), pending waits, whether the loop is held. */
export function readinessState(): { epollFd: number; pending: number; referenced: boolean; liveInstances: number } {
  const [epollFd, referenced, liveInstances] = native.readyState();
  return { epollFd, pending, referenced: referenced === 1, liveInstances };
}
