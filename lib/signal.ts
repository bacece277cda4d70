// Python's signal module: the signal numbers and the Signals enum (numbers
// only; installing handlers stays Node's job: process.on('SIGINT', ...)).
import { constants as osConstants } from 'node:os';
import { pyValueRepr, ValueError } from './errors.js';
import { NSIG as C_NSIG } from './posix/constants.js';

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
export class Signal {
  constructor(
    readonly name: string,
    readonly value: number,
  ) {}
  /** Python 3.11's str() of an IntEnum member is the number's: `9`, so `${sig}` ports f'{sig}'. */
  toString(): string {
    return String(this.value);
  }
  /** Python's repr(): `<Signals.SIGKILL: 9>`. */
  repr(): string {
    return `<Signals.${this.name}: ${this.value}>`;
  }
  valueOf(): number {
    return this.value;
  }
  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.repr();
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

/** The member for a value, as EnumType.__call__ looks it up (9, 9.0, 9n, True, a member). */
function lookup(v: unknown): Signal | undefined {
  if (v instanceof Signal) return v;
  if (typeof v === 'number') return byValue.get(v);
  if (typeof v === 'boolean') return byValue.get(Number(v));
  if (typeof v === 'bigint') return v >= -(2n ** 31n) && v < 2n ** 31n ? byValue.get(Number(v)) : undefined;
  return undefined;
}

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
export const Signals = Object.assign(function Signals(...args: unknown[]): Signal {
  if (args.length === 0) throw new TypeError("EnumType.__call__() missing 1 required positional argument: 'value'");
  const value = args[0];
  if (args.length > 1) throw new TypeError(`<enum ${pyValueRepr(value)}> cannot extend <enum 'Signals'>`);
  const s = lookup(value);
  if (s === undefined) throw new ValueError(`${pyValueRepr(value)} is not a valid Signals`);
  return s;
}, byName) as SignalsEnum;
