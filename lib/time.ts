// Python's time module, the part IPC code uses: sleep, which signal
// handlers interrupt as in CPython (PEP 475), and the clocks, with their
// _ns twins as BigInts (Python ints beyond 2**53).
import { arityError, isKwargs, noArgs } from './convert.js';
import { ValueError } from './errors.js';
import * as posix from './posix/index.js';
import * as pytime from './pytime.js';

/**
 * sleep(secs): blocks for secs seconds (a float) on the monotonic clock.
 * A signal handler that throws ends it with that exception; one that
 * returns lets it sleep on until the same deadline.
 */
export function sleep(secs: number): void;
export function sleep(...args: unknown[]): void {
  if (args.length !== 1 || isKwargs(args[0])) {
    if (args.length === 1) throw new TypeError('time.sleep() takes no keyword arguments');
    throw arityError('time.sleep', 1, args.length);
  }
  const ns = pytime.fromSeconds(args[0], pytime.ROUND_TIMEOUT);
  if (ns < 0) throw new ValueError('sleep length must be non-negative');
  posix.sleep(ns);
}

/** monotonic(): CLOCK_MONOTONIC in seconds (a float). The same clock as Python's time.monotonic() in any process. */
export function monotonic(): number;
export function monotonic(...args: unknown[]): number {
  if (args.length !== 0) noArgs('positional', 'time.monotonic', args);
  return pytime.asSecondsDouble(posix.monotonicNsDouble());
}

/** monotonic_ns(): CLOCK_MONOTONIC in nanoseconds (a BigInt). */
export function monotonic_ns(): bigint;
export function monotonic_ns(...args: unknown[]): bigint {
  if (args.length !== 0) noArgs('positional', 'time.monotonic_ns', args);
  return posix.monotonicNs();
}

/** perf_counter(): on Linux CPython's is the monotonic clock, and so is this. */
export function perf_counter(): number;
export function perf_counter(...args: unknown[]): number {
  if (args.length !== 0) noArgs('positional', 'time.perf_counter', args);
  return pytime.asSecondsDouble(posix.monotonicNsDouble());
}

export function perf_counter_ns(): bigint;
export function perf_counter_ns(...args: unknown[]): bigint {
  if (args.length !== 0) noArgs('positional', 'time.perf_counter_ns', args);
  return posix.monotonicNs();
}

/** time(): seconds since the epoch (CLOCK_REALTIME), a float. */
export function time(): number;
export function time(...args: unknown[]): number {
  if (args.length !== 0) noArgs('positional', 'time.time', args);
  return pytime.asSecondsDouble(posix.realtimeNsDouble());
}

/** time_ns(): nanoseconds since the epoch, a BigInt. */
export function time_ns(): bigint;
export function time_ns(...args: unknown[]): bigint {
  if (args.length !== 0) noArgs('positional', 'time.time_ns', args);
  return posix.realtimeNs();
}
