// Python's signal module: handlers that run as in CPython (the model is in
// docs/signal.md), the timers, masks and the wakeup fd, and the Signals,
// Handlers and Sigmasks enums.
//
// The C half (native/signal.cc) only records a signal; the Python-level
// handlers run here, in checkSignals, on the main thread: from the one
// retry point of the blocking calls (lib/posix/blocking.ts) when a signal
// interrupts one, at the calls that make CPython check (os.kill,
// raise_signal, pthread_sigmask, signal.signal, pause), and from the event
// loop (the anchor's callback) when the program is idle there.
import { constants as osConstants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { arityError, bind, isKwargs, noArgs, pyTypeName, signature, toCInt, toInt, toPid } from './convert.js';
import { KeyboardInterrupt, OSError, OverflowError, ValueError } from './errors.js';
import { IntEnumMember, intEnum } from './intenum.js';
import { NSIG as C_NSIG } from './posix/constants.js';
import * as posix from './posix/index.js';
import * as pytime from './pytime.js';
import { type HandlerFunction, handlers } from './signal_handlers.js';
import { tuple } from './tuple.js';

const S = osConstants.signals as Record<string, number>;
const num = (name: string): number => S[name] ?? 0;

export const SIGHUP = num('SIGHUP');
export const SIGINT = num('SIGINT');
export const SIGQUIT = num('SIGQUIT');
export const SIGILL = num('SIGILL');
export const SIGTRAP = num('SIGTRAP');
export const SIGABRT = num('SIGABRT');
export const SIGIOT = num('SIGIOT');
export const SIGBUS = num('SIGBUS');
export const SIGFPE = num('SIGFPE');
export const SIGKILL = num('SIGKILL');
export const SIGUSR1 = num('SIGUSR1');
export const SIGSEGV = num('SIGSEGV');
export const SIGUSR2 = num('SIGUSR2');
export const SIGPIPE = num('SIGPIPE');
export const SIGALRM = num('SIGALRM');
export const SIGTERM = num('SIGTERM');
export const SIGCHLD = num('SIGCHLD');
export const SIGCONT = num('SIGCONT');
export const SIGSTOP = num('SIGSTOP');
export const SIGTSTP = num('SIGTSTP');
export const SIGTTIN = num('SIGTTIN');
export const SIGTTOU = num('SIGTTOU');
export const SIGURG = num('SIGURG');
export const SIGXCPU = num('SIGXCPU');
export const SIGXFSZ = num('SIGXFSZ');
export const SIGVTALRM = num('SIGVTALRM');
export const SIGPROF = num('SIGPROF');
export const SIGWINCH = num('SIGWINCH');
export const SIGIO = num('SIGIO');
export const SIGSYS = num('SIGSYS');
/** Linux only (undefined elsewhere, as the attribute is missing in Python). */
export const SIGSTKFLT: number | undefined = S.SIGSTKFLT;
export const SIGPWR: number | undefined = S.SIGPWR;
export const SIGPOLL: number | undefined = S.SIGPOLL;
export const SIGCLD: number | undefined = process.platform === 'linux' ? SIGCHLD : undefined;
/** glibc reserves the first two real-time signals for itself, as Python reports. */
export const SIGRTMIN: number | undefined = process.platform === 'linux' ? 34 : undefined;
export const SIGRTMAX: number | undefined = process.platform === 'linux' ? C_NSIG - 1 : undefined;
export const NSIG = C_NSIG;

/** A member of Python's signal.Signals enum: `<Signals.SIGKILL: 9>`. */
export class Signal extends IntEnumMember {
  constructor(name: string, value: number) {
    super('Signals', name, value);
  }
}

const byValue = new Map<number, Signal>();
const byName: Record<string, Signal> = {};
// Aliases (SIGIOT, SIGPOLL, SIGCLD) resolve to the first name, as in the enum.
const canonical = Object.entries(S)
  .filter(([name]) => !['SIGIOT', 'SIGPOLL', 'SIGUNUSED'].includes(name))
  .concat(SIGRTMIN === undefined ? [] : [['SIGRTMIN', SIGRTMIN] as [string, number]])
  .concat(SIGRTMAX === undefined ? [] : [['SIGRTMAX', SIGRTMAX] as [string, number]]);
for (const [name, value] of canonical) {
  if (!byValue.has(value)) {
    const s = new Signal(name, value);
    byValue.set(value, s);
    byName[name] = s;
  }
}
for (const [name, value] of Object.entries(S)) byName[name] ??= byValue.get(value) as Signal;
// SIGCLD is SIGCHLD's alias in the enum (Node's constants lack it).
if (SIGCLD !== undefined) byName.SIGCLD ??= byValue.get(SIGCLD) as Signal;

type PosixSignalName =
  | 'SIGHUP'
  | 'SIGINT'
  | 'SIGQUIT'
  | 'SIGILL'
  | 'SIGTRAP'
  | 'SIGABRT'
  | 'SIGBUS'
  | 'SIGFPE'
  | 'SIGKILL'
  | 'SIGUSR1'
  | 'SIGSEGV'
  | 'SIGUSR2'
  | 'SIGPIPE'
  | 'SIGALRM'
  | 'SIGTERM'
  | 'SIGCHLD'
  | 'SIGCONT'
  | 'SIGSTOP'
  | 'SIGTSTP'
  | 'SIGTTIN'
  | 'SIGTTOU'
  | 'SIGURG'
  | 'SIGXCPU'
  | 'SIGXFSZ'
  | 'SIGVTALRM'
  | 'SIGPROF'
  | 'SIGWINCH'
  | 'SIGIO'
  | 'SIGSYS';

/**
 * The type of a Signals member, named as Python names it: type(signal.SIGINT)
 * is <enum 'Signals'>, so `const s: signal.Signals = signal.Signals(2)`.
 */
export type Signals = Signal;

/** The members every POSIX system has are typed as present; others by index. */
export type SignalsEnum = {
  (value: number | Signal): Signal;
  readonly [name: string]: Signal | undefined;
} & { readonly [K in PosixSignalName]: Signal };

/**
 * `Signals(9)` is `<Signals.SIGKILL: 9>`; `Signals.SIGKILL` the same member;
 * an unknown number is Python's ValueError.
 */
export const Signals = intEnum('Signals', byValue, byName) as SignalsEnum;

// --- Handlers and Sigmasks ------------------------------------------------------

/** A member of signal.Handlers: SIG_DFL or SIG_IGN. */
export class Handler extends IntEnumMember {
  constructor(name: string, value: number) {
    super('Handlers', name, value);
  }
}

/** The default action: `<Handlers.SIG_DFL: 0>`. getsignal() returns this very object. */
export const SIG_DFL = new Handler('SIG_DFL', 0);
/** Ignore the signal: `<Handlers.SIG_IGN: 1>`. */
export const SIG_IGN = new Handler('SIG_IGN', 1);
const handlersByValue = new Map<number, Handler>([
  [0, SIG_DFL],
  [1, SIG_IGN],
]);
export const Handlers = intEnum('Handlers', handlersByValue, { SIG_DFL, SIG_IGN });

const SC = posix.signalConstants;
/** How pthread_sigmask changes the mask (plain numbers, as the SIG* signal numbers; Sigmasks has the members). */
export const SIG_BLOCK = SC.SIG_BLOCK as number;
export const SIG_UNBLOCK = SC.SIG_UNBLOCK as number;
export const SIG_SETMASK = SC.SIG_SETMASK as number;

/** A member of signal.Sigmasks: `<Sigmasks.SIG_BLOCK: 0>`. */
export class Sigmask extends IntEnumMember {
  constructor(name: string, value: number) {
    super('Sigmasks', name, value);
  }
}
const sigmasks = {
  SIG_BLOCK: new Sigmask('SIG_BLOCK', SIG_BLOCK),
  SIG_UNBLOCK: new Sigmask('SIG_UNBLOCK', SIG_UNBLOCK),
  SIG_SETMASK: new Sigmask('SIG_SETMASK', SIG_SETMASK),
};
export const Sigmasks = intEnum(
  'Sigmasks',
  new Map(Object.values(sigmasks).map((m) => [m.value, m] as [number, Sigmask])),
  sigmasks,
);

export const ITIMER_REAL = SC.ITIMER_REAL as number;
export const ITIMER_VIRTUAL = SC.ITIMER_VIRTUAL as number;
export const ITIMER_PROF = SC.ITIMER_PROF as number;

/** What setitimer/getitimer raise: an OSError whose Python name is `itimer_error`. */
export class ItimerError extends OSError {
  /** Python's `signal.ItimerError.__name__`. */
  static readonly __name__ = 'itimer_error';
}
Object.defineProperty(ItimerError.prototype, 'name', { value: 'itimer_error', writable: true, configurable: true });

// --- signal, getsignal ----------------------------------------------------------

export type { HandlerFunction };
/** What signal.signal takes: a function, SIG_DFL or SIG_IGN (0 and 1 too, as in Python), or null (see signal()). */
export type HandlerArg = HandlerFunction | Handler | 0 | 1 | null;

function checkRange(sig: number): void {
  if (sig < 1 || sig >= NSIG) throw new ValueError('signal number out of range');
}

/**
 * _enum_to_int in CPython's Lib/signal.py: int(value), or the value itself where
 * int() raises ValueError or TypeError (so a function stays a function,
 * and '1' or 1.5 become 1, as in Python).
 */
function enumToInt(v: unknown): unknown {
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return v;
    if (!Number.isFinite(v)) throw new OverflowError('cannot convert float infinity to integer');
    return Math.trunc(v) + 0;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v instanceof IntEnumMember) return v.value;
  if (typeof v === 'string' || v instanceof Uint8Array) {
    const text = typeof v === 'string' ? v : Buffer.from(v).toString('latin1');
    const m = /^\s*([+-]?)(\d+(?:_\d+)*)\s*$/.exec(text);
    if (m === null) return v;
    const n = BigInt(`${m[1]}${(m[2] as string).replaceAll('_', '')}`);
    return Number.isSafeInteger(Number(n)) ? Number(n) : n;
  }
  return v;
}

/** An exact int equal to n (CPython's compare_handler). */
function isIntHandler(h: unknown, n: number): boolean {
  return (typeof h === 'number' || typeof h === 'bigint') && Number(h) === n;
}

/** What getsignal(sig) returns, read from the process's disposition now. */
function currentHandler(sig: number): HandlerFunction | Handler | null {
  let d: number;
  try {
    d = posix.sigDisposition(sig);
  } catch {
    return null; // the C library's own signals (32, 33): CPython's None
  }
  if (d === posix.DISPOSITION_OURS) return handlers[sig] ?? null;
  if (d === posix.DISPOSITION_DFL) return SIG_DFL;
  if (d === posix.DISPOSITION_IGN) return SIG_IGN;
  return null;
}

const SIGNAL_ARGS = signature('python', 'signal', ['signalnum', 'handler'], { required: 2 });

/**
 * signal(signalnum, handler) -> the previous handler. handler is a
 * function `(signum, frame) => void` (frame is null), SIG_DFL or SIG_IGN:
 * from then on the signal interrupts a blocking pipefork call and the
 * function runs on the main thread (docs/signal.md). The previous handler
 * is what getsignal() said: a function, SIG_DFL, SIG_IGN, or null for a
 * handler pipefork did not install (Node's own, for SIGINT and SIGTERM).
 * Where CPython raises TypeError, pipefork takes that null back: it puts
 * back the handler getsignal() called null, so `old = getsignal(s); ...;
 * signal(s, old)` restores Node's as it restores Python's.
 */
export function signal(signalnum: number | Signal, handler: HandlerArg): HandlerFunction | Handler | null;
export function signal(...args: unknown[]): HandlerFunction | Handler | null {
  const b = bind(SIGNAL_ARGS, args);
  const sig = toCInt(enumToInt(b.signalnum));
  const h = enumToInt(b.handler);
  if (!isMainThread) throw new ValueError('signal only works in main thread of the main interpreter');
  checkRange(sig);
  let mode: number | null = null;
  if (typeof h === 'function') mode = null;
  else if (h === null || h === undefined) mode = posix.RELEASE_ORIGINAL;
  else if (isIntHandler(h, 0)) mode = posix.RELEASE_DFL;
  else if (isIntHandler(h, 1)) mode = posix.RELEASE_IGN;
  else throw new TypeError('signal handler must be signal.SIG_IGN, signal.SIG_DFL, or a callable object');
  // CPython: "Check for pending signals before changing signal handler".
  posix.checkInterrupts();
  const old = currentHandler(sig);
  if (mode === null) {
    posix.sigTake(sig);
    handlers[sig] = h as HandlerFunction;
  } else {
    posix.sigRelease(sig, mode);
    handlers[sig] = undefined;
  }
  return old;
}

const GETSIGNAL_ARGS = signature('python', 'getsignal', ['signalnum'], { required: 1 });

/**
 * getsignal(signalnum): the function installed by signal(), SIG_DFL,
 * SIG_IGN, or null for a handler pipefork did not install (Node's, for
 * SIGINT, SIGTERM, SIGUSR1, and libuv's while Node listens for the signal).
 */
export function getsignal(signalnum: number | Signal): HandlerFunction | Handler | null;
export function getsignal(...args: unknown[]): HandlerFunction | Handler | null {
  const sig = toCInt(bind(GETSIGNAL_ARGS, args).signalnum);
  checkRange(sig);
  return currentHandler(sig);
}

const DEFAULT_INT_HANDLER_ARGS = signature('positional', '_signal.default_int_handler', ['signalnum', 'frame'], {
  arityName: 'default_int_handler',
});

/** The handler Python installs for SIGINT: raises KeyboardInterrupt. `signal(SIGINT, default_int_handler)` gives a program Python's Ctrl-C. */
export function default_int_handler(signalnum: unknown, frame: unknown): never;
export function default_int_handler(...args: unknown[]): never {
  if (args.length !== 2 || isKwargs(args[1])) bind(DEFAULT_INT_HANDLER_ARGS, args);
  throw new KeyboardInterrupt();
}

// --- one-argument C functions ------------------------------------------------------

/** A METH_O-style C function's one argument ("_signal.strsignal() takes exactly one argument (0 given)"). */
function oneArg(name: string, args: unknown[]): unknown {
  const last = args[args.length - 1];
  if (args.length > 1 && isKwargs(last) && Object.keys(last).length === 0) args = args.slice(0, -1);
  if (args.length === 1 && isKwargs(args[0]) && Object.keys(args[0] as object).length > 0) {
    throw new TypeError(`${name}() takes no keyword arguments`);
  }
  if (args.length !== 1) throw arityError(name, 1, args.length);
  return args[0];
}

/** strsignal(signalnum): the system's description ('Interrupt'), or null. */
export function strsignal(signalnum: number | Signal): string | null;
export function strsignal(...args: unknown[]): string | null {
  const sig = toCInt(oneArg('_signal.strsignal', args));
  checkRange(sig);
  return posix.strsignal(sig);
}

/** raise_signal(signalnum): sends the signal to this thread; its handler runs before this returns. */
export function raise_signal(signalnum: number | Signal): void;
export function raise_signal(...args: unknown[]): void {
  posix.raise(toCInt(oneArg('_signal.raise_signal', args)));
}

/** alarm(seconds): SIGALRM in `seconds` s (0 cancels); the seconds left of the previous alarm. */
export function alarm(seconds: number): number;
export function alarm(...args: unknown[]): number {
  return posix.alarm(toCInt(oneArg('_signal.alarm', args)));
}

/** pause(): waits for a signal, then runs its handler (which may throw). */
export function pause(): void;
export function pause(...args: unknown[]): void {
  noArgs('positional', '_signal.pause', args);
  posix.pause();
}

// --- interval timers ---------------------------------------------------------------

/** CPython's timeval_from_double: seconds (a number) to microseconds, rounded up. */
function timevalUs(v: unknown): number {
  return pytime.asMicroseconds(pytime.fromSeconds(v, 'ceiling'), 'ceiling');
}

/** A struct timeval (as microseconds) as CPython's itimer result: tv_sec + tv_usec / 1e6. */
function timevalSeconds(us: number): number {
  const sec = Math.trunc(us / 1e6);
  return sec + (us - sec * 1e6) / 1e6;
}

function itimer<T>(call: () => T): T {
  try {
    return call();
  } catch (e) {
    if (e instanceof OSError && typeof e.errno === 'number') throw new ItimerError(e.errno, e.strerror);
    throw e;
  }
}

const SETITIMER_ARGS = signature('positional', '_signal.setitimer', ['which', 'seconds', 'interval'], {
  required: 2,
  arityName: 'setitimer',
});

/** setitimer(which, seconds, interval = 0.0) -> the previous [delay, interval] (a tuple). */
export function setitimer(which: number, seconds: number, interval?: number): [number, number];
export function setitimer(...args: unknown[]): [number, number] {
  const b = bind(SETITIMER_ARGS, args);
  const which = toCInt(b.which);
  const value = timevalUs(b.seconds);
  const interval = b.interval === undefined ? 0 : timevalUs(b.interval);
  const [v, i] = itimer(() => posix.setitimer(which, value, interval));
  return tuple([timevalSeconds(v), timevalSeconds(i)]);
}

/** getitimer(which) -> [delay, interval] (a tuple). */
export function getitimer(which: number): [number, number];
export function getitimer(...args: unknown[]): [number, number] {
  const which = toCInt(oneArg('_signal.getitimer', args));
  const [v, i] = itimer(() => posix.getitimer(which));
  return tuple([timevalSeconds(v), timevalSeconds(i)]);
}

// --- masks -------------------------------------------------------------------------

/**
 * CPython's _Py_Sigset_Converter: an iterable of signal numbers, each in
 * [1, NSIG); the C library's own signals (32, 33) are skipped with
 * CPython's RuntimeWarning.
 */
function sigsetArg(mask: unknown): number[] {
  if (mask === null || mask === undefined || typeof (mask as Iterable<unknown>)[Symbol.iterator] !== 'function') {
    throw new TypeError(`'${pyTypeName(mask)}' object is not iterable`);
  }
  const out: number[] = [];
  for (const item of mask as Iterable<unknown>) {
    const n = toInt(item);
    const big = BigInt(n);
    // PyLong_AsLongAndOverflow: beyond a C long it reads as -1.
    const s = big >= 2n ** 63n || big < -(2n ** 63n) ? -1 : Number(big);
    if (!(s > 0 && s < NSIG)) throw new ValueError(`signal number ${s} out of range [1; ${NSIG - 1}]`);
    if (posix.sigValid(s)) out.push(s);
    else process.emitWarning(`invalid signal number ${s}, please use valid_signals()`, 'RuntimeWarning');
  }
  return out;
}

const PTHREAD_SIGMASK_ARGS = signature('python', 'pthread_sigmask', ['how', 'mask'], { required: 2 });

/**
 * pthread_sigmask(how, mask) -> the previous mask, a Set of signal numbers
 * (plain numbers, like signal.SIGUSR1, so `old.has(signal.SIGUSR1)` ports
 * `SIGUSR1 in old`). Handlers of signals it unblocks run before it returns.
 */
export function pthread_sigmask(how: number, mask: Iterable<number | Signal>): Set<number>;
export function pthread_sigmask(...args: unknown[]): Set<number> {
  const b = bind(PTHREAD_SIGMASK_ARGS, args);
  const how = toCInt(b.how);
  const sigs = sigsetArg(b.mask);
  return new Set(posix.pthreadSigmask(how, sigs));
}

/** sigpending(): the signals pending for this thread, a Set of numbers. */
export function sigpending(): Set<number>;
export function sigpending(...args: unknown[]): Set<number> {
  bind(signature('python', 'sigpending', []), args);
  return new Set(posix.sigpending());
}

/** valid_signals(): every signal number this system accepts, a Set of numbers. */
export function valid_signals(): Set<number>;
export function valid_signals(...args: unknown[]): Set<number> {
  bind(signature('python', 'valid_signals', []), args);
  const out = new Set<number>();
  for (let s = 1; s < NSIG; s++) if (posix.sigValid(s)) out.add(s);
  return out;
}

const SIGINTERRUPT_ARGS = signature('positional', '_signal.siginterrupt', ['signalnum', 'flag'], {
  arityName: 'siginterrupt',
});

/** siginterrupt(signalnum, flag): whether the signal interrupts system calls (true: it does, the default of signal()). */
export function siginterrupt(signalnum: number | Signal, flag: number | boolean): void;
export function siginterrupt(...args: unknown[]): void {
  const b = bind(SIGINTERRUPT_ARGS, args);
  const sig = toCInt(b.signalnum);
  const flag = typeof b.flag === 'boolean' ? Number(b.flag) : toCInt(b.flag);
  checkRange(sig);
  posix.siginterrupt(sig, flag !== 0);
}

// --- the wakeup fd -------------------------------------------------------------------

/**
 * set_wakeup_fd(fd, { warn_on_full_buffer = true }) -> the previous fd.
 * Each signal with a pipefork handler writes its number, as one byte, to
 * fd (which must be non-blocking); -1 stops it. The self-pipe trick.
 */
export function set_wakeup_fd(fd: number, options?: { warn_on_full_buffer?: unknown }): number;
export function set_wakeup_fd(...args: unknown[]): number {
  let kw: Record<string, unknown> = {};
  if (args.length > 0 && isKwargs(args[args.length - 1])) kw = args.pop() as Record<string, unknown>;
  if (args.length > 1)
    throw new TypeError(`set_wakeup_fd() takes at most 1 positional argument (${args.length} given)`);
  if (args.length === 0) throw new TypeError('set_wakeup_fd() takes exactly 1 positional argument (0 given)');
  for (const k of Object.keys(kw)) {
    if (k !== 'warn_on_full_buffer') throw new TypeError(`'${k}' is an invalid keyword argument for set_wakeup_fd()`);
  }
  const fd = toPid(args[0]);
  const warn = kw.warn_on_full_buffer === undefined ? true : truth(kw.warn_on_full_buffer);
  if (!isMainThread) throw new ValueError('set_wakeup_fd only works in main thread of the main interpreter');
  if (fd !== -1) {
    posix.fstat(fd);
    if (posix.getBlocking(fd)) throw new ValueError(`the fd ${fd} must be in non-blocking mode`);
  }
  return posix.setWakeupFd(fd, warn);
}

/** Python's bool() of a keyword flag ('p' format). */
function truth(v: unknown): boolean {
  if (v === null || v === false || v === 0 || v === 0n || v === '') return false;
  if (Array.isArray(v) || v instanceof Uint8Array) return v.length > 0;
  return true;
}
