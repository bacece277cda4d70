// The Node-only options of the awaitable twins (docs/async.md): `signal`,
// an AbortSignal, given in the trailing keyword object with the Python
// keywords (`p.waitAsync({ timeout: 5, signal })`, `os.readAsync(fd, n,
// { signal })`), and the deadline a twin with a Python timeout keeps.
import { isKwargs, pyTypeName } from './convert.js';

/** What every twin takes besides the blocking call's arguments. */
export interface AsyncOptions {
  /** Aborting it rejects the pending call with `signal.reason`; see docs/async.md, "Abort". */
  signal?: AbortSignal | null;
}

/** Node's ERR_INVALID_ARG_TYPE, worded as Node words it for an options property. */
function invalidArg(name: string, expected: string, v: unknown): TypeError {
  const got = v === null || v === undefined ? String(v) : `type ${typeof v === 'object' ? pyTypeName(v) : typeof v}`;
  const err = new TypeError(`The "options.${name}" property must be ${expected}. Received ${got}`);
  (err as TypeError & { code: string }).code = 'ERR_INVALID_ARG_TYPE';
  return err;
}

/** An options.signal value: an AbortSignal, or null for none. */
export function toSignal(v: unknown): AbortSignal | null {
  if (v === undefined || v === null) return null;
  if (v instanceof AbortSignal) return v;
  throw invalidArg('signal', 'an instance of AbortSignal', v);
}

/**
 * Splits the Node-only options (`names`, e.g. ['signal']) out of a twin's
 * arguments: the arguments as the blocking call takes them (the trailing
 * keyword object without those keys, dropped if nothing else was in it),
 * and the options found.
 */
export function takeOptions(args: ArrayLike<unknown>, names: readonly string[]): [unknown[], Record<string, unknown>] {
  const a = Array.from(args);
  const last = a[a.length - 1];
  const found: Record<string, unknown> = {};
  if (!isKwargs(last) || !names.some((n) => Object.hasOwn(last, n))) return [a, found];
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(last)) {
    if (names.includes(k)) found[k] = v;
    else rest[k] = v;
  }
  if (Object.keys(rest).length > 0) a[a.length - 1] = rest;
  else a.pop();
  return [a, found];
}

/** takeOptions for the common case: the arguments and the checked signal. */
export function takeSignal(args: ArrayLike<unknown>): [unknown[], AbortSignal | null] {
  const [a, o] = takeOptions(args, ['signal']);
  return [a, toSignal(o.signal)];
}

/** Rejects (throws, in an async function) with the signal's reason once it is aborted. */
export function throwIfAborted(signal: AbortSignal | null): void {
  if (signal?.aborted) throw signal.reason;
}

/** The reason a Deadline aborts with: told apart from the caller's own. */
const TIME_UP: unique symbol = Symbol('deadline passed');

/**
 * The signal a wait with a Python timeout passes down: aborted by the
 * caller's signal (with its reason) or when `ms` have passed (timedOut()
 * says which). dispose() drops the timer and the listener.
 */
export class Deadline {
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  readonly #outer: AbortSignal | null;
  readonly #onAbort: (() => void) | null = null;
  readonly #timer: ReturnType<typeof setTimeout> | null = null;

  /** ms null: no time limit (only the caller's signal). */
  constructor(outer: AbortSignal | null, ms: number | null) {
    this.signal = this.#controller.signal;
    this.#outer = outer;
    if (outer) {
      if (outer.aborted) this.#controller.abort(outer.reason);
      else {
        this.#onAbort = () => this.#controller.abort(outer.reason);
        outer.addEventListener('abort', this.#onAbort, { once: true });
      }
    }
    if (ms !== null && !this.signal.aborted) {
      // setTimeout's limit is 2**31 - 1 ms; a longer timeout is, in practice, none.
      if (ms <= 2 ** 31 - 1) this.#timer = setTimeout(() => this.#controller.abort(TIME_UP), Math.max(0, ms));
    }
  }

  /** Whether the wait ended because the time was up (not because the caller aborted). */
  timedOut(): boolean {
    return this.signal.aborted && this.signal.reason === TIME_UP;
  }

  /** Is this error the rejection of a wait this deadline ended? */
  isTimeUp(e: unknown): boolean {
    return e === TIME_UP;
  }

  /** Ends the waits under this deadline with `reason` (a sibling task failed, say). */
  cancel(reason: unknown): void {
    if (!this.signal.aborted) this.#controller.abort(reason);
  }

  dispose(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    if (this.#onAbort !== null) this.#outer?.removeEventListener('abort', this.#onAbort);
  }
}
