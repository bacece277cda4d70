// The signal module's functions against CPython 3.11: results and errors
// for good and bad arguments, case by case (differential.ts).
import { describe, it } from 'vitest';
import { os, signal } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { differential } from './differential.js';

const S = signal;
const f = loose;
const handler = (): void => {};

describe('signal.signal() and getsignal(): bad input', () => {
  it("raises CPython's errors, and applies Lib/signal.py's int() to both arguments", () => {
    try {
      differential(
        [
          ['signal.signal()', () => f(S.signal)()],
          ['signal.signal(12)', () => f(S.signal)(12)],
          ['signal.signal(0, signal.SIG_DFL)', () => S.signal(0, S.SIG_DFL)],
          ['signal.signal(65, signal.SIG_DFL)', () => S.signal(65, S.SIG_DFL)],
          ['signal.signal(-1, signal.SIG_DFL)', () => S.signal(-1, S.SIG_DFL)],
          ['signal.signal(1000, signal.SIG_DFL)', () => S.signal(1000, S.SIG_DFL)],
          ['signal.signal(2**31, signal.SIG_DFL)', () => S.signal(2 ** 31, S.SIG_DFL)],
          ['signal.signal(2**70, signal.SIG_DFL)', () => f(S.signal)(2n ** 70n, S.SIG_DFL)],
          ["signal.signal('x', signal.SIG_DFL)", () => f(S.signal)('x', S.SIG_DFL)],
          ['signal.signal(None, signal.SIG_DFL)', () => f(S.signal)(null, S.SIG_DFL)],
          ["signal.signal(float('nan'), 0)", () => S.signal(Number.NaN, 0)],
          ["signal.signal(float('inf'), 0)", () => S.signal(Number.POSITIVE_INFINITY, 0)],
          ["signal.signal(12, 'x')", () => f(S.signal)(12, 'x')],
          ['signal.signal(12, 5)', () => f(S.signal)(12, 5)],
          ["signal.signal(12, float('nan'))", () => f(S.signal)(12, Number.NaN)],
          ['signal.signal(12, [])', () => f(S.signal)(12, [])],
          ['signal.signal(9, lambda s, f: None)', () => S.signal(9, handler)],
          ['signal.signal(19, lambda s, f: None)', () => S.signal(19, handler)],
          ['signal.signal(32, lambda s, f: None)', () => S.signal(32, handler)],
          ['signal.signal(33, signal.SIG_DFL)', () => S.signal(33, S.SIG_DFL)],
          ['signal.signal(9, signal.SIG_DFL)', () => S.signal(9, S.SIG_DFL)],
          // Python's int() on both: '12' and 12.9 are 12, '1' and True are SIG_IGN.
          ["signal.signal('12', 0)", () => f(S.signal)('12', 0)],
          ['signal.signal(12.9, signal.SIG_IGN)', () => S.signal(12.9, S.SIG_IGN)],
          ["signal.signal(12, '0')", () => f(S.signal)(12, '0')],
          ['signal.signal(12, True)', () => f(S.signal)(12, true)],
          ['signal.getsignal(12)', () => S.getsignal(12)],
          ['signal.signal(signalnum=12, handler=0)', () => f(S.signal)({ signalnum: 12, handler: 0 })],
          ['signal.signal(12, handler=0, x=1)', () => f(S.signal)(12, { handler: 0, x: 1 })],
          ['signal.getsignal()', () => f(S.getsignal)()],
          ['signal.getsignal(0)', () => S.getsignal(0)],
          ['signal.getsignal(65)', () => S.getsignal(65)],
          ["signal.getsignal('2')", () => f(S.getsignal)('2')],
          ['signal.getsignal(1.5)', () => S.getsignal(1.5)],
          ['signal.getsignal(2**31)', () => S.getsignal(2 ** 31)],
          ['signal.getsignal(32)', () => S.getsignal(32)],
          ['signal.getsignal(signal.SIGPIPE)', () => S.getsignal(S.SIGPIPE)],
          ['signal.getsignal(signal.SIGXFSZ)', () => S.getsignal(S.SIGXFSZ)],
          ['signal.getsignal(signal.SIGHUP)', () => S.getsignal(S.SIGHUP)],
          ['signal.getsignal(signalnum=12)', () => f(S.getsignal)({ signalnum: 12 })],
          ['signal.getsignal(12, 1)', () => f(S.getsignal)(12, 1)],
        ],
        'import signal',
      );
    } finally {
      S.signal(12, S.SIG_DFL);
    }
  });
});

describe('the one-argument functions: strsignal, raise_signal, alarm, getitimer, pause', () => {
  it('strsignal() for every number, and its errors', () => {
    const cases: [string, () => unknown][] = [];
    for (let n = 1; n < 65; n++) cases.push([`signal.strsignal(${n})`, () => S.strsignal(n)]);
    differential(
      [
        ...cases,
        ['signal.strsignal(0)', () => S.strsignal(0)],
        ['signal.strsignal(65)', () => S.strsignal(65)],
        ["signal.strsignal('x')", () => f(S.strsignal)('x')],
        ['signal.strsignal(2.0)', () => S.strsignal(2.5)],
        ['signal.strsignal()', () => f(S.strsignal)()],
        ['signal.strsignal(signalnum=2)', () => f(S.strsignal)({ signalnum: 2 })],
        ['signal.strsignal(signal.Signals.SIGINT)', () => f(S.strsignal)(S.Signals.SIGINT)],
      ],
      'import signal',
    );
  });

  it('raise_signal(), alarm(), getitimer(), pause(): bad arguments', () => {
    differential(
      [
        ['signal.raise_signal(0)', () => S.raise_signal(0)],
        ['signal.raise_signal(65)', () => S.raise_signal(65)],
        ['signal.raise_signal(-1)', () => S.raise_signal(-1)],
        ["signal.raise_signal('x')", () => f(S.raise_signal)('x')],
        ['signal.raise_signal(1.5)', () => S.raise_signal(1.5)],
        ['signal.raise_signal()', () => f(S.raise_signal)()],
        ['signal.raise_signal(signalnum=0)', () => f(S.raise_signal)({ signalnum: 0 })],
        ['signal.alarm(0)', () => S.alarm(0)],
        // alarm(-1) is alarm(2**32 - 1), as CPython casts the int: the next alarm(0) says so.
        ['signal.alarm(-1)', () => S.alarm(-1)],
        ['signal.alarm(0)', () => S.alarm(0)],
        ['signal.alarm(2**31)', () => S.alarm(2 ** 31)],
        ['signal.alarm(1.5)', () => S.alarm(1.5)],
        ["signal.alarm('x')", () => f(S.alarm)('x')],
        ['signal.alarm()', () => f(S.alarm)()],
        ['signal.alarm(seconds=0)', () => f(S.alarm)({ seconds: 0 })],
        ['signal.getitimer(signal.ITIMER_REAL)', () => S.getitimer(S.ITIMER_REAL)],
        ['signal.getitimer(7)', () => S.getitimer(7)],
        ['signal.getitimer(-1)', () => S.getitimer(-1)],
        ["signal.getitimer('x')", () => f(S.getitimer)('x')],
        ['signal.getitimer()', () => f(S.getitimer)()],
        ['signal.getitimer(which=0)', () => f(S.getitimer)({ which: 0 })],
        ['signal.pause(1)', () => f(S.pause)(1)],
      ],
      'import signal',
    );
  });
});

describe('setitimer, pthread_sigmask, sigpending, valid_signals, siginterrupt: bad input', () => {
  it("setitimer()'s errors (ItimerError, itimer_error to Python)", () => {
    differential(
      [
        ['signal.setitimer(signal.ITIMER_REAL, 0)', () => S.setitimer(S.ITIMER_REAL, 0)],
        ['signal.setitimer(signal.ITIMER_REAL, 0, 0)', () => S.setitimer(S.ITIMER_REAL, 0, 0)],
        ['signal.setitimer(5, 1)', () => S.setitimer(5, 1)],
        ['signal.setitimer(-1, 1)', () => S.setitimer(-1, 1)],
        ['signal.setitimer(signal.ITIMER_REAL, -1)', () => S.setitimer(S.ITIMER_REAL, -1)],
        ['signal.setitimer(signal.ITIMER_REAL, -0.5)', () => S.setitimer(S.ITIMER_REAL, -0.5)],
        ['signal.setitimer(signal.ITIMER_REAL, 1, -1)', () => S.setitimer(S.ITIMER_REAL, 1, -1)],
        ["signal.setitimer(signal.ITIMER_REAL, 'x')", () => f(S.setitimer)(S.ITIMER_REAL, 'x')],
        ["signal.setitimer(signal.ITIMER_REAL, float('nan'))", () => S.setitimer(S.ITIMER_REAL, Number.NaN)],
        ["signal.setitimer(signal.ITIMER_REAL, float('inf'))", () => S.setitimer(S.ITIMER_REAL, Infinity)],
        ['signal.setitimer(signal.ITIMER_REAL, 1e20)', () => S.setitimer(S.ITIMER_REAL, 1e20)],
        ['signal.setitimer(signal.ITIMER_REAL, 2**63)', () => f(S.setitimer)(S.ITIMER_REAL, 2n ** 63n)],
        ["signal.setitimer('x', 0)", () => f(S.setitimer)('x', 0)],
        ['signal.setitimer(0)', () => f(S.setitimer)(0)],
        ['signal.setitimer(0, 0, 0, 0)', () => f(S.setitimer)(0, 0, 0, 0)],
        ['signal.setitimer(0, seconds=0)', () => f(S.setitimer)(0, { seconds: 0 })],
        ['signal.ItimerError.__name__', () => S.ItimerError.__name__],
        ['[c.__name__ for c in signal.ItimerError.__mro__[1:-1]]', () => ['OSError', 'Exception', 'BaseException']],
      ],
      'import signal',
    );
  });

  it("pthread_sigmask(), sigpending(), valid_signals(): CPython's sets and errors", () => {
    differential(
      [
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [])', () => S.pthread_sigmask(S.SIG_BLOCK, [])],
        ['signal.pthread_sigmask(5, [])', () => S.pthread_sigmask(5, [])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [0])', () => S.pthread_sigmask(S.SIG_BLOCK, [0])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [65])', () => S.pthread_sigmask(S.SIG_BLOCK, [65])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [-1])', () => S.pthread_sigmask(S.SIG_BLOCK, [-1])],
        ["signal.pthread_sigmask(signal.SIG_BLOCK, ['x'])", () => f(S.pthread_sigmask)(S.SIG_BLOCK, ['x'])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, 5)', () => f(S.pthread_sigmask)(S.SIG_BLOCK, 5)],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, None)', () => f(S.pthread_sigmask)(S.SIG_BLOCK, null)],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [2**40])', () => S.pthread_sigmask(S.SIG_BLOCK, [2 ** 40])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [2**70])', () => f(S.pthread_sigmask)(S.SIG_BLOCK, [2n ** 70n])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK, [1.5])', () => S.pthread_sigmask(S.SIG_BLOCK, [1.5])],
        ["signal.pthread_sigmask('x', [])", () => f(S.pthread_sigmask)('x', [])],
        ['signal.pthread_sigmask(signal.SIG_BLOCK)', () => f(S.pthread_sigmask)(S.SIG_BLOCK)],
        ['signal.pthread_sigmask(how=0, mask=[])', () => f(S.pthread_sigmask)({ how: 0, mask: [] })],
        // SIGKILL is dropped by the kernel; the real-time 35 is an int, not a Signals member.
        [
          'signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2, 35, 9])',
          () => S.pthread_sigmask(S.SIG_BLOCK, [S.SIGUSR2, 35, 9]),
        ],
        ['signal.sigpending()', () => S.sigpending()],
        [
          'signal.pthread_sigmask(signal.SIG_UNBLOCK, {12, 35})',
          () => S.pthread_sigmask(S.SIG_UNBLOCK, new Set([12, 35])),
        ],
        ['signal.pthread_sigmask(signal.SIG_SETMASK, [])', () => S.pthread_sigmask(S.SIG_SETMASK, [])],
        ['signal.sigpending(1)', () => f(S.sigpending)(1)],
        ['signal.valid_signals()', () => S.valid_signals()],
        ['signal.valid_signals(1)', () => f(S.valid_signals)(1)],
      ],
      'import signal',
    );
  });

  it("siginterrupt()'s errors", () => {
    differential(
      [
        ['signal.siginterrupt(0, 1)', () => S.siginterrupt(0, 1)],
        ['signal.siginterrupt(65, 0)', () => S.siginterrupt(65, 0)],
        ['signal.siginterrupt(12, 1)', () => S.siginterrupt(12, 1)],
        ['signal.siginterrupt(9, 1)', () => S.siginterrupt(9, 1)],
        ['signal.siginterrupt(32, 1)', () => S.siginterrupt(32, 1)],
        ["signal.siginterrupt(12, 'x')", () => f(S.siginterrupt)(12, 'x')],
        ['signal.siginterrupt(12, 1.5)', () => S.siginterrupt(12, 1.5)],
        ['signal.siginterrupt(12)', () => f(S.siginterrupt)(12)],
        ['signal.siginterrupt(signalnum=12, flag=1)', () => f(S.siginterrupt)({ signalnum: 12, flag: 1 })],
      ],
      'import signal',
    );
  });
});

describe('set_wakeup_fd() and default_int_handler(): bad input', () => {
  it("set_wakeup_fd()'s errors: closed fds, blocking fds, its argument rules", () => {
    const [r, w] = os.pipe();
    os.dup2(w, 200);
    try {
      differential(
        [
          ['signal.set_wakeup_fd(-1)', () => S.set_wakeup_fd(-1)],
          ['signal.set_wakeup_fd(99)', () => S.set_wakeup_fd(99)],
          ['signal.set_wakeup_fd(-2)', () => S.set_wakeup_fd(-2)],
          ['signal.set_wakeup_fd(200)', () => S.set_wakeup_fd(200)],
          ["signal.set_wakeup_fd('x')", () => f(S.set_wakeup_fd)('x')],
          ['signal.set_wakeup_fd(2**40)', () => S.set_wakeup_fd(2 ** 40)],
          ['signal.set_wakeup_fd(2**31)', () => S.set_wakeup_fd(2 ** 31)],
          ['signal.set_wakeup_fd(-2**31-1)', () => S.set_wakeup_fd(-(2 ** 31) - 1)],
          ['signal.set_wakeup_fd(1.5)', () => S.set_wakeup_fd(1.5)],
          ['signal.set_wakeup_fd()', () => f(S.set_wakeup_fd)()],
          ['signal.set_wakeup_fd(-1, False)', () => f(S.set_wakeup_fd)(-1, false)],
          ['signal.set_wakeup_fd(fd=-1)', () => f(S.set_wakeup_fd)({ fd: -1 })],
          ['signal.set_wakeup_fd(-1, foo=1)', () => f(S.set_wakeup_fd)(-1, { foo: 1 })],
          [
            'signal.set_wakeup_fd(-1, warn_on_full_buffer=[])',
            () => f(S.set_wakeup_fd)(-1, { warn_on_full_buffer: [] }),
          ],
          ['os.set_blocking(200, False)', () => os.set_blocking(200, false)],
          ['signal.set_wakeup_fd(200)', () => S.set_wakeup_fd(200)],
          [
            'signal.set_wakeup_fd(-1, warn_on_full_buffer=False)',
            () => S.set_wakeup_fd(-1, { warn_on_full_buffer: false }),
          ],
          ['signal.set_wakeup_fd(-1)', () => S.set_wakeup_fd(-1)],
        ],
        'import signal, os\nr, w = os.pipe()\nos.dup2(w, 200)',
      );
    } finally {
      S.set_wakeup_fd(-1);
      os.close(200);
      os.close(r);
      os.close(w);
    }
  });

  it('default_int_handler() raises KeyboardInterrupt; its argument rules', () => {
    differential(
      [
        ['signal.default_int_handler(2, None)', () => S.default_int_handler(2, null)],
        ['signal.default_int_handler(99, 5)', () => S.default_int_handler(99, 5)],
        ['signal.default_int_handler()', () => f(S.default_int_handler)()],
        ['signal.default_int_handler(1, 2, 3)', () => f(S.default_int_handler)(1, 2, 3)],
        [
          'signal.default_int_handler(signalnum=2, frame=None)',
          () => f(S.default_int_handler)({ signalnum: 2, frame: null }),
        ],
        ['signal.default_int_handler.__name__', () => S.default_int_handler.name],
      ],
      'import signal',
    );
  });
});

describe('the Handlers and Sigmasks enums, SIG_DFL and SIG_IGN', () => {
  it("as CPython's IntEnums", () => {
    const H = f(S.Handlers);
    const M = f(S.Sigmasks);
    differential(
      [
        ['signal.SIG_DFL', () => S.SIG_DFL],
        ['signal.SIG_IGN', () => S.SIG_IGN],
        ['str(signal.SIG_IGN)', () => String(S.SIG_IGN)],
        ['int(signal.SIG_IGN) + 1', () => Number(S.SIG_IGN) + 1],
        ['signal.Handlers(0)', () => H(0)],
        ['signal.Handlers(1) is signal.SIG_IGN', () => H(1) === S.SIG_IGN],
        ['signal.Handlers(2)', () => H(2)],
        ["signal.Handlers('x')", () => H('x')],
        ['signal.Handlers()', () => H()],
        ['signal.Handlers.SIG_DFL', () => S.Handlers.SIG_DFL],
        ['signal.Sigmasks(0)', () => M(0)],
        ['signal.Sigmasks(2)', () => M(2)],
        ['signal.Sigmasks(3)', () => M(3)],
        ['signal.Sigmasks.SIG_UNBLOCK', () => S.Sigmasks.SIG_UNBLOCK],
        [
          '(int(signal.SIG_BLOCK), int(signal.SIG_UNBLOCK), int(signal.SIG_SETMASK))',
          () => [S.SIG_BLOCK, S.SIG_UNBLOCK, S.SIG_SETMASK],
        ],
        [
          '(signal.ITIMER_REAL, signal.ITIMER_VIRTUAL, signal.ITIMER_PROF)',
          () => [S.ITIMER_REAL, S.ITIMER_VIRTUAL, S.ITIMER_PROF],
        ],
        ['signal.NSIG', () => S.NSIG],
        ['signal.Signals(signal.SIG_DFL)', () => f(S.Signals)(S.SIG_DFL)],
      ],
      'import signal',
    );
  });
});
