// Every test proves it leaked no fd, left no zombie child, and left no
// signal handler installed (nor a disposition changed, a signal blocked, a
// timer running, a wakeup fd set, a Python-level handler in the table), and
// left no awaitable wait pending (nothing holds the event loop: lib/posix/ready.ts).
import { afterEach, beforeEach, expect } from 'vitest';
import { native } from '../../lib/native.js';
import { readinessState } from '../../lib/posix/ready.js';
import { handlers } from '../../lib/signal_handlers.js';
import { leakedSince, openFds, signalDispositions, zombieChildren } from './leaks.js';

let before: Map<number, string>;
let zombiesBefore: Set<number>;
let signalsBefore: ReturnType<typeof signalDispositions>;

const timer = new Float64Array(2);

beforeEach(() => {
  before = openFds();
  zombiesBefore = new Set(zombieChildren());
  signalsBefore = signalDispositions();
});

afterEach(() => {
  expect(leakedSince(before), 'fds leaked by this test').toEqual([]);
  expect(
    zombieChildren().filter((p) => !zombiesBefore.has(p)),
    'zombie children left by this test',
  ).toEqual([]);
  // Newly caught or ignored signals, and a changed mask. (A handler that
  // went away is not a leak: Node's own listeners, removed, leave SIG_DFL
  // where Node had its SIGINT/SIGTERM handler.)
  const now = signalDispositions();
  const added = (a: string, b: string): string => (BigInt(`0x${a}`) & ~BigInt(`0x${b}`)).toString(16);
  expect(
    {
      caught: added(now.SigCgt, signalsBefore.SigCgt),
      ignored: added(now.SigIgn, signalsBefore.SigIgn),
      blocked: now.SigBlk,
    },
    'signal handlers installed, signals ignored or blocked by this test',
  ).toEqual({ caught: '0', ignored: '0', blocked: signalsBefore.SigBlk });
  expect(
    handlers.flatMap((h, sig) => (h === undefined ? [] : [sig])),
    'pipefork signal handlers left installed by this test',
  ).toEqual([]);
  native.getitimer(native.signalConstants.ITIMER_REAL as number, timer); // alarm() uses it too
  expect([...timer], 'an alarm or ITIMER_REAL left running by this test').toEqual([0, 0]);
  expect(native.setWakeupFd(-1, true), 'a signal wakeup fd left set by this test').toBe(-1);
  const ready = readinessState();
  expect({ pending: ready.pending, referenced: ready.referenced }, 'awaitable waits left pending').toEqual({
    pending: 0,
    referenced: false,
  });
});
