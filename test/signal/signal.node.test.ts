// Python-style handlers next to Node's own signal machinery (docs/signal.md,
// "Coexisting with Node"): child_process's SIGCHLD, process.on listeners,
// the event loop, and the guarantee that importing pipefork changes no
// disposition until signal.signal() is called.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { os, signal, subprocess } from '../../lib/index.js';
import { runNode, runPython } from '../helpers/program.js';
import { killLater, since, writeLater } from './helpers.js';

/** Resolves when `check()` holds, polling every 10 ms; rejects after `ms`. */
function until(check: () => boolean, ms = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = (): void => {
      if (check()) resolve();
      else if (Date.now() - t0 > ms) reject(new Error(`not within ${ms} ms`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

describe('child_process with a SIGCHLD handler installed', () => {
  it("spawn's 'exit' still fires, and the handler runs too (from the event loop)", async () => {
    let chld = 0;
    signal.signal(signal.SIGCHLD, () => chld++);
    try {
      for (let i = 0; i < 3; i++) {
        const c = spawn('sh', ['-c', `exit ${i}`]);
        const code = await new Promise((res) => c.once('exit', res));
        expect(code).toBe(i);
      }
      await until(() => chld > 0);
      // Popen's waits still see their children (SIGCHLD interrupts the wait, which goes on).
      const p = new subprocess.Popen(['sh', '-c', 'sleep 0.2; exit 5']);
      expect(p.wait()).toBe(5);
    } finally {
      signal.signal(signal.SIGCHLD, signal.SIG_DFL);
    }
  });
});

describe("process.on('SIGUSR1') and a Python-style SIGUSR1 handler", () => {
  for (const order of ['signal.signal first', 'process.on first']) {
    it(`both run: the handler during a blocking call, the listener once the loop runs (${order})`, async () => {
      const [r, w] = os.pipe();
      const t0 = performance.now();
      let handled = -1;
      let listened = -1;
      const listener = (): void => {
        listened = since(t0);
      };
      if (order === 'process.on first') process.on('SIGUSR1', listener);
      signal.signal(signal.SIGUSR1, () => {
        handled = since(t0);
      });
      if (order === 'signal.signal first') process.on('SIGUSR1', listener);
      // A handler installed after process.on is still the one getsignal reports.
      expect(typeof signal.getsignal(signal.SIGUSR1)).toBe('function');
      const killed = killLater(0.3, signal.SIGUSR1);
      const wrote = writeLater(0.9, w);
      os.close(w);
      try {
        expect(os.read(r, 10).toString()).toBe('data');
        const readEnd = since(t0);
        expect(handled).toBeGreaterThan(0);
        expect(handled).toBeLessThan(readEnd - 0.1);
        // Node's listener cannot run while the main thread is in the read: it runs after.
        expect(listened).toBe(-1);
        await until(() => listened > 0);
        expect(listened).toBeGreaterThanOrEqual(readEnd);
      } finally {
        process.off('SIGUSR1', listener);
        signal.signal(signal.SIGUSR1, null);
        await Promise.all([killed, wrote]);
        os.close(r);
      }
    });
  }

  it('SIG_DFL while a listener holds the signal: Node keeps it (getsignal null), the listener still runs', async () => {
    let heard = 0;
    const listener = (): void => {
      heard++;
    };
    process.on('SIGUSR2', listener);
    signal.signal(signal.SIGUSR2, () => {});
    try {
      expect(signal.signal(signal.SIGUSR2, signal.SIG_DFL)).toBeTypeOf('function');
      expect(signal.getsignal(signal.SIGUSR2)).toBe(null);
      process.kill(process.pid, 'SIGUSR2');
      await until(() => heard === 1);
    } finally {
      process.off('SIGUSR2', listener);
    }
    // The listener gone, libuv gave the signal its default action back.
    expect(signal.getsignal(signal.SIGUSR2)).toBe(signal.SIG_DFL);
  });

  it('a listener alone (no signal.signal) runs only after the blocking call returns, as documented', async () => {
    const [r, w] = os.pipe();
    const t0 = performance.now();
    let listened = -1;
    const listener = (): void => {
      listened = since(t0);
    };
    process.on('SIGUSR2', listener);
    const killed = killLater(0.3, signal.SIGUSR2);
    const wrote = writeLater(0.9, w);
    os.close(w);
    try {
      expect(os.read(r, 10).toString()).toBe('data');
      const readEnd = since(t0);
      expect(readEnd).toBeGreaterThan(0.5);
      await until(() => listened > 0);
      expect(listened).toBeGreaterThanOrEqual(readEnd);
    } finally {
      process.off('SIGUSR2', listener);
      await Promise.all([killed, wrote]);
      os.close(r);
    }
  });
});

describe('handlers run from the event loop when the program is idle', () => {
  it('a signal sent by Node (process.kill) runs the handler from the loop', async () => {
    let ran = 0;
    signal.signal(signal.SIGUSR2, () => ran++);
    try {
      process.kill(process.pid, 'SIGUSR2');
      await until(() => ran === 1);
    } finally {
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
    }
  });

  it('a handler that throws there is an uncaught exception, as a Python handler ends the program', () => {
    const r = runNode(`
import { signal } from 'PIPEFORK';
signal.signal(signal.SIGUSR2, () => { throw new Error('from the handler'); });
process.on('exit', (code) => process.stdout.write('exit ' + code + '\\n'));
setTimeout(() => process.stdout.write('not reached\\n'), 5000);
process.kill(process.pid, 'SIGUSR2');
`);
    expect(r.stdout).toBe('exit 1\n');
    expect(r.stderr).toContain('Error: from the handler');
    expect(r.status).toBe(1);
  });
});

describe('os.kill, raise_signal, pthread_sigmask, signal.signal run handlers before they return (as CPython)', () => {
  it('in the order and with the pending rules of CPython', () => {
    const program = (lang: 'py' | 'js'): string => {
      if (lang === 'py') {
        return `import os, signal
got = []
signal.signal(signal.SIGUSR1, lambda s, f: got.append(s))
os.kill(os.getpid(), signal.SIGUSR1); print('kill', got)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1])
os.kill(os.getpid(), signal.SIGUSR1); print('blocked', got, sorted(int(s) for s in signal.sigpending()))
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1]); print('unblocked', got)
signal.raise_signal(signal.SIGUSR1); print('raise', got)
for s in (signal.SIGUSR2, signal.SIGHUP): signal.signal(s, lambda s, f: got.append(s))
del got[:]
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP])
for s in (signal.SIGUSR2, signal.SIGHUP, signal.SIGUSR1): os.kill(os.getpid(), s)
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP]); print('order', got)
def boom(s, f): raise ValueError('boom')
signal.signal(signal.SIGUSR2, boom)
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
os.kill(os.getpid(), signal.SIGUSR2)
try: signal.signal(signal.SIGUSR1, signal.SIG_DFL); print('signal() did not raise')
except ValueError as e: print('signal() raised', e)
try: signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])
except ValueError as e: print('pthread_sigmask raised', e)
try: os.kill(os.getpid(), signal.SIGUSR2)
except ValueError as e: print('kill raised', e)
try: signal.raise_signal(signal.SIGUSR2)
except ValueError as e: print('raise_signal raised', e)
`;
      }
      return `import { os, signal } from 'PIPEFORK';
const print = (...a) => console.log(a.map((x) => Array.isArray(x) ? '[' + x.join(', ') + ']' : x).join(' '));
const got = [];
signal.signal(signal.SIGUSR1, (s) => got.push(s));
os.kill(os.getpid(), signal.SIGUSR1); print('kill', got);
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1]);
os.kill(os.getpid(), signal.SIGUSR1); print('blocked', got, [...signal.sigpending()].sort());
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1]); print('unblocked', got);
signal.raise_signal(signal.SIGUSR1); print('raise', got);
for (const s of [signal.SIGUSR2, signal.SIGHUP]) signal.signal(s, (s) => got.push(s));
got.length = 0;
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP]);
for (const s of [signal.SIGUSR2, signal.SIGHUP, signal.SIGUSR1]) os.kill(os.getpid(), s);
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP]); print('order', got);
signal.signal(signal.SIGUSR2, () => { throw new Error('boom'); });
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2]);
os.kill(os.getpid(), signal.SIGUSR2);
try { signal.signal(signal.SIGUSR1, signal.SIG_DFL); print('signal() did not raise'); } catch (e) { print('signal() raised', e.message); }
try { signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2]); } catch (e) { print('pthread_sigmask raised', e.message); }
try { os.kill(os.getpid(), signal.SIGUSR2); } catch (e) { print('kill raised', e.message); }
try { signal.raise_signal(signal.SIGUSR2); } catch (e) { print('raise_signal raised', e.message); }
`;
    };
    const py = runPython(program('py'));
    const js = runNode(program('js'));
    expect(py.stderr).toBe('');
    expect(js.stderr).toBe('');
    expect(js.stdout).toBe(py.stdout);
  });
});

describe('importing pipefork changes no signal disposition', () => {
  it('until signal.signal() is called: SigCgt, SigIgn and SigBlk stay as Node set them', () => {
    const r = runNode(`
import { readFileSync } from 'node:fs';
const state = () => readFileSync('/proc/self/status', 'utf8').split('\\n').filter((l) => /^Sig(Cgt|Ign|Blk)/.test(l)).join(' ');
const before = state();
const { os, io, select, selectors, subprocess, time, signal } = await import('PIPEFORK');
const [r, w] = os.pipe();
os.write(w, Buffer.from('x'));
select.select([r], [], [], 0);
const sel = selectors.DefaultSelector(); sel.register(r, selectors.EVENT_READ); sel.select(0); sel.close();
time.sleep(0.01);
subprocess.run(['true']);
signal.getsignal(signal.SIGINT); signal.valid_signals(); signal.sigpending();
io.open(r, 'rb', 0).read(1);
const after = state();
process.stdout.write(before === after ? 'same' : before + ' / ' + after);
`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('same');
  });
});

describe('signal(SIGPIPE, SIG_DFL)', () => {
  it('makes a write to a pipe with no reader kill the process, as in Python', () => {
    const py = runPython(`import os, signal
signal.signal(signal.SIGPIPE, signal.SIG_DFL)
r, w = os.pipe(); os.close(r)
os.write(w, b'x')
print('not reached')`);
    const js = runNode(`import { os, signal } from 'PIPEFORK';
signal.signal(signal.SIGPIPE, signal.SIG_DFL);
const [r, w] = os.pipe(); os.close(r);
os.write(w, Buffer.from('x'));
console.log('not reached');`);
    expect(py.stdout).toBe('');
    expect(js.stdout).toBe('');
    expect([js.signal, js.status, js.stderr]).toEqual(['SIGPIPE', null, '']);
    expect([py.signal, py.status, py.stderr]).toEqual(['SIGPIPE', null, '']);
  });

  it('SIG_IGN then is BrokenPipeError, as Node leaves it', () => {
    const js = runNode(`import { os, signal } from 'PIPEFORK';
console.log(String(signal.getsignal(signal.SIGPIPE)));
const [r, w] = os.pipe(); os.close(r);
try { os.write(w, Buffer.from('x')); } catch (e) { console.log(e.name, e.message); }`);
    expect(js.stdout).toBe('1\nBrokenPipeError [Errno 32] Broken pipe\n');
  });
});
