// Where Python-level signal handlers run (docs/signal.md, "When a handler
// runs"): the table signal.signal fills, and checkSignals, CPython's
// PyErr_CheckSignals. The signal module itself (lib/signal.ts) is the API;
// this is the machinery it shares with lib/fork.ts, kept out of the public
// module.
import { constants as osConstants } from 'node:os';
import { isMainThread } from 'node:worker_threads';
import { oserror, systemExitOutput } from './errors.js';
import * as posix from './posix/index.js';

/** A Python-level handler: handler(signum, frame), frame always null. */
export type HandlerFunction = (signum: number, frame: null) => unknown;

/** The handler signal.signal installed for each signal number, if any. */
export const handlers: (HandlerFunction | undefined)[] = [];

/** Node's names of the signals, by number (SIGTERM for 15). */
const names: string[] = [];
const numbers = new Map<string, number>();
for (const [name, n] of Object.entries(osConstants.signals)) {
  names[n] ??= name;
  numbers.set(name, n);
}

/** Whether this process is a child made by os.fork(), whose event loop never runs. */
let inForkChild = false;

/**
 * Runs the handlers of the signals that arrived, in signal-number order,
 * on the main thread (anywhere else it does nothing: a Worker's blocking
 * call never has a signal to handle). A handler that throws stops the run
 * with its exception; the signals not yet handled stay pending and run at
 * the next check, as in CPython's _PyErr_CheckSignalsTstate.
 */
export function checkSignals(): void {
  if (!isMainThread) return;
  const wakeupErrno = posix.takeWakeupError();
  if (wakeupErrno !== 0) reportWakeupError(wakeupErrno);
  const taken = posix.takeTripped();
  if (taken.length === 0) return;
  // A copy: a handler may block and so check again.
  const sigs = taken.slice();
  for (let i = 0; i < sigs.length; i++) {
    const sig = sigs[i] as number;
    try {
      const h = handlers[sig];
      if (h !== undefined) h(sig, null);
      if (inForkChild) emitToNodeListeners(sig);
    } catch (e) {
      posix.retrip(sigs.subarray(i + 1));
      throw e;
    }
  }
}

/** CPython's report of a failed write to the wakeup fd (PyErr_WriteUnraisable). */
function reportWakeupError(errno: number): void {
  const e = oserror(errno, 'write');
  try {
    systemExitOutput.write(
      `Exception ignored when trying to write to the signal wakeup fd:\n${e.name}: ${e.message}\n`,
    );
  } catch {
    // Nowhere to report it: CPython gives up the same way.
  }
}

type Listener = (...args: unknown[]) => unknown;

/** The Node signal listeners a forked child added itself (its parent's got the default action: lib/fork.ts). */
const childListeners = new Map<string, Set<Listener>>();

/**
 * In a forked child, the listeners the child added for a signal run from
 * here, in order, as process.emit would call them (with the signal's name
 * and number): the event loop that would run them never does.
 */
function emitToNodeListeners(sig: number): void {
  const name = names[sig];
  const own = name === undefined ? undefined : childListeners.get(name);
  if (own === undefined || own.size === 0) return;
  for (const raw of process.rawListeners(name as string) as (Listener & { listener?: Listener })[]) {
    if (own.has(raw.listener ?? raw)) raw.call(process, name, sig);
  }
}

if (isMainThread) {
  posix.setSignalHook(checkSignals);
  posix.setCheckSignals(checkSignals);
}

/**
 * Called by os.fork() in the child (lib/fork.ts), after it gave the
 * signals the parent's Node listeners held their default action. As
 * CPython's _PySignal_AfterFork: nothing is pending, and the Python-level
 * handlers stay. Their C handler no longer chains to libuv's: the child
 * shares its parent's event-loop signal pipe, and libuv's handler would
 * report the child's signals to the parent. A Node listener the child
 * adds (process.on('SIGTERM') in a forked daemon) would only be recorded
 * for that loop, which the child never runs: those signals get pipefork's
 * handler, and the listeners run where Python handlers do (docs/signal.md,
 * "After os.fork()").
 */
// biome-ignore format: V8 compiles a parenthesized function eagerly (in the parent, not on every child's copy-on-write pages)
export const afterForkChild = (function afterForkChild(): void {
  posix.sigAfterForkChild();
  inForkChild = true;
  for (let sig = 1; sig < handlers.length; sig++) {
    if (handlers[sig] !== undefined) posix.sigInstallBare(sig);
  }
  process.on('newListener', listenerAdded);
  process.on('removeListener', listenerRemoved);
});

function listenerAdded(event: string | symbol, listener: Listener): void {
  const sig = typeof event === 'string' ? numbers.get(event) : undefined;
  if (sig === undefined) return;
  let own = childListeners.get(event as string);
  if (own === undefined) {
    own = new Set();
    childListeners.set(event as string, own);
  }
  own.add(listener);
  if (handlers[sig] !== undefined) return;
  try {
    posix.sigInstallBare(sig);
  } catch {
    // SIGKILL, SIGSTOP: Node refuses those listeners itself.
  }
}

function listenerRemoved(event: string | symbol, listener: Listener): void {
  const sig = typeof event === 'string' ? numbers.get(event) : undefined;
  if (sig === undefined) return;
  const own = childListeners.get(event as string);
  own?.delete(listener);
  if ((own?.size ?? 0) > 0 || handlers[sig] !== undefined) return;
  try {
    posix.sigDefault(sig, false);
  } catch {
    // as above
  }
}
