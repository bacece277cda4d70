// CPython's time conversions (Python/pytime.c), for the timeouts of
// time.sleep, select, poll, epoll and setitimer: a Python number of
// seconds (or milliseconds) to a _PyTime_t count of nanoseconds, rounded
// as each caller asks, with CPython's errors.
//
// A _PyTime_t is carried as a JS number holding an integer. From a float it
// is what CPython computes (in doubles: seconds * 1e9, rounded); from an int
// it is exact below 2**53 ns (104 days) and within a few ns beyond, where
// the timeouts it feeds saturate anyway.
import { pyTypeName } from './convert.js';
import { OverflowError, ValueError } from './errors.js';
import { IntEnumMember } from './intenum.js';

export type Round = 'floor' | 'ceiling' | 'half_even' | 'up';
/** _PyTime_ROUND_TIMEOUT: timeouts round away from zero, so a wait is never shorter than asked. */
export const ROUND_TIMEOUT: Round = 'up';

const PYTIME_MAX = 2 ** 63; // exclusive, as a double: -(double)_PyTime_MIN
const NS_MAX = 2n ** 63n - 1n;

function roundDouble(x: number, round: Round): number {
  switch (round) {
    case 'floor':
      return Math.floor(x);
    case 'ceiling':
      return Math.ceil(x);
    case 'half_even': {
      const r = Math.round(x);
      // Math.round rounds .5 up; Python's round() (C's round, then the fix) goes to even.
      if (Math.abs(x - Math.trunc(x)) === 0.5) return 2 * Math.round(x / 2);
      return r;
    }
    default:
      return x >= 0 ? Math.ceil(x) : Math.floor(x);
  }
}

/**
 * _PyTime_FromSecondsObject / _PyTime_FromMillisecondsObject (unit 1e9 or
 * 1e6 ns): a number (a float) or an int (an integer number, a BigInt, an
 * IntEnum member) to nanoseconds. Anything else is the TypeError of
 * PyLong_AsLongLong; callers that word it differently catch it.
 */
export function fromObject(v: unknown, round: Round, unitNs: number): number {
  if (typeof v === 'number' && !Number.isInteger(v)) return fromDouble(v, round, unitNs);
  let n: bigint;
  if (typeof v === 'number') {
    // An integer-valued float is still a float to Python (1.0); JS cannot
    // tell 1 from 1.0, and both give the same result unless beyond range.
    if (Math.abs(v) >= 2 ** 53) return fromDouble(v, round, unitNs);
    const ns = v * unitNs;
    if (Number.isSafeInteger(ns)) return ns;
    n = BigInt(v);
  } else if (typeof v === 'bigint') {
    n = v;
  } else if (v instanceof IntEnumMember) {
    n = BigInt(v.value);
  } else {
    throw new TypeError(`'${pyTypeName(v)}' object cannot be interpreted as an integer`);
  }
  if (n >= 2n ** 63n || n < -(2n ** 63n)) throw overflow();
  const ns = n * BigInt(unitNs);
  if (ns > NS_MAX || ns < -NS_MAX - 1n) throw overflow();
  return Number(ns);
}

function fromDouble(d: number, round: Round, unitNs: number): number {
  if (Number.isNaN(d)) throw new ValueError('Invalid value NaN (not a number)');
  const ns = roundDouble(d * unitNs, round);
  if (!(-PYTIME_MAX <= ns && ns < PYTIME_MAX)) throw new OverflowError('timestamp out of range for platform time_t');
  return ns;
}

function overflow(): OverflowError {
  return new OverflowError('timestamp too large to convert to C _PyTime_t');
}

/** Seconds to nanoseconds (_PyTime_FromSecondsObject). */
export function fromSeconds(v: unknown, round: Round): number {
  return fromObject(v, round, 1e9);
}

/** Milliseconds to nanoseconds (_PyTime_FromMillisecondsObject). */
export function fromMilliseconds(v: unknown, round: Round): number {
  return fromObject(v, round, 1e6);
}

/** t / k rounded as CPython's pytime_divide (t an integer number of ns, k > 1). */
export function divide(t: number, k: number, round: Round): number {
  const q = Math.trunc(t / k);
  const r = t - q * k;
  if (r === 0) return q;
  switch (round) {
    case 'half_even': {
      const half = k / 2;
      const ar = Math.abs(r);
      if (ar > half || (ar === half && Math.abs(q) % 2 === 1)) return t >= 0 ? q + 1 : q - 1;
      return q;
    }
    case 'ceiling':
      return t >= 0 ? q + 1 : q;
    case 'floor':
      return t >= 0 ? q : q - 1;
    default:
      return t >= 0 ? q + 1 : q - 1;
  }
}

/** _PyTime_AsMilliseconds. */
export function asMilliseconds(ns: number, round: Round): number {
  return divide(ns, 1e6, round);
}

/** _PyTime_AsMicroseconds. */
export function asMicroseconds(ns: number, round: Round): number {
  return divide(ns, 1e3, round);
}

/** A struct timeval's seconds (floor division, as pytime_divmod) for a count of microseconds. */
export function timevalSeconds(us: number): number {
  return Math.floor(us / 1e6);
}

/** _PyTime_AsSecondsDouble: nanoseconds to float seconds, exact when whole. */
export function asSecondsDouble(ns: number): number {
  return ns / 1e9;
}
