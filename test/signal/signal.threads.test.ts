// Signals and threads. Python-level handlers belong to the main thread:
// from a worker_threads Worker, signal.signal and set_wakeup_fd raise
// CPython's ValueError. Node's other threads (V8's, libuv's pool) block no
// signal, so the kernel may hand a process-directed one to any of them;
// pipefork's C handler forwards it to the main thread, so that it stays
// pending while the main thread blocks it, as in one-threaded CPython.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { os, signal } from '../../lib/index.js';
import { sigForwarded } from '../../lib/posix/index.js';
import { PIPEFORK, runPython } from '../helpers/program.js';
import { killLater, pythonChild, writeLater } from './helpers.js';

/** Runs an ES module in a Worker; resolves with what it posts, once the Worker is gone (and its fds with it). */
function inWorker(code: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const w = new Worker(code.replaceAll('PIPEFORK', PIPEFORK), { eval: true, type: 'module' } as never);
    let message: unknown;
    w.once('message', (m) => {
      message = m;
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', () => resolve(message));
  });
}

describe('signal in a worker_threads Worker', () => {
  it("signal() and set_wakeup_fd() raise CPython's ValueError; getsignal() and the rest work", async () => {
    const r = await inWorker(`
import { parentPort } from 'node:worker_threads';
import { signal } from 'PIPEFORK';
const out = [];
const tryIt = (f) => { try { out.push(['ok', String(f())]); } catch (e) { out.push([e.name, e.message]); } };
tryIt(() => signal.signal(signal.SIGUSR2, () => {}));
tryIt(() => signal.signal(signal.SIGUSR2, signal.SIG_DFL));
tryIt(() => signal.set_wakeup_fd(-1));
tryIt(() => signal.getsignal(signal.SIGUSR2));
tryIt(() => signal.strsignal(2));
tryIt(() => signal.valid_signals().size);
parentPort.postMessage(out);
`);
    expect(r).toEqual([
      ['ValueError', 'signal only works in main thread of the main interpreter'],
      ['ValueError', 'signal only works in main thread of the main interpreter'],
      ['ValueError', 'set_wakeup_fd only works in main thread of the main interpreter'],
      ['ok', '0'],
      ['ok', 'Interrupt'],
      ['ok', '62'],
    ]);
  });

  it("a signal raised on a Worker's thread runs the main thread's handler", async () => {
    let ran = 0;
    signal.signal(signal.SIGUSR2, () => ran++);
    try {
      // raise() signals the calling thread: the Worker's. Its C handler forwards it.
      await inWorker(`
import { parentPort } from 'node:worker_threads';
import { signal } from 'PIPEFORK';
signal.raise_signal(signal.SIGUSR2);
parentPort.postMessage('raised');
`);
      const [r, w] = os.pipe();
      os.write(w, Buffer.from('x'));
      os.read(r, 1); // a blocking call: the handler runs here at the latest
      os.close(r);
      os.close(w);
      expect(ran).toBe(1);
    } finally {
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
    }
  });
});

describe('a signal blocked by the main thread stays pending, as in one-threaded CPython', () => {
  it("another process's kill: sigpending() shows it, unblocking runs the handler before pthread_sigmask returns", async () => {
    const py = runPython(`import os, signal, subprocess, sys, time
got = []
signal.signal(signal.SIGUSR2, lambda s, f: got.append(s))
signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2])
subprocess.run([sys.executable, '-c', 'import os; os.kill(%d, 12)' % os.getpid()])
time.sleep(0.2)
print(got, sorted(int(s) for s in signal.sigpending()))
signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2])
print(got, sorted(signal.sigpending()))
signal.signal(signal.SIGUSR2, signal.SIG_DFL)`);
    const got: number[] = [];
    const lines: string[] = [];
    const show = (): string => `[${got.join(', ')}] [${[...signal.sigpending()].sort().join(', ')}]`;
    signal.signal(signal.SIGUSR2, (s) => got.push(s));
    const forwardedBefore = sigForwarded();
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGUSR2]);
    try {
      await killLater(0, signal.SIGUSR2);
      await new Promise((res) => setTimeout(res, 200));
      lines.push(show());
      signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2]);
      lines.push(show());
    } finally {
      signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGUSR2]);
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
    }
    expect(`${lines.join('\n')}\n`).toBe(py.stdout);
    // Another thread took it and forwarded it (nothing else blocks SIGUSR2 here).
    expect(sigForwarded()).toBeGreaterThan(forwardedBefore);
  });

  it('kills while the main thread blocks in os.read and the libuv pool is busy: each interrupts the read', async () => {
    const crypto = await import('node:crypto');
    // Work for the pool threads, started before the main thread blocks.
    const jobs = Array.from(
      { length: 16 },
      () => new Promise<void>((res) => crypto.pbkdf2('x', 'y', 100_000, 32, 'sha256', () => res())),
    );
    let ran = 0;
    signal.signal(signal.SIGUSR2, () => ran++);
    const [r, w] = os.pipe();
    // One sender, 100 ms apart: ten python3 processes started at once were
    // delayed together on a loaded machine (under ASan) and their kills merged.
    const senders = [
      pythonChild(
        `import os, time\ntime.sleep(0.2)\nfor _ in range(10): os.kill(${process.pid}, ${signal.SIGUSR2}); time.sleep(0.1)`,
      ).done,
    ];
    const wrote = writeLater(1.6, w);
    os.close(w);
    try {
      expect(os.read(r, 10).toString()).toBe('data');
      // Signals sent 100 ms apart: on a busy machine two may still merge while pending.
      expect(ran).toBeGreaterThanOrEqual(5);
    } finally {
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
      await Promise.all([...senders, wrote, ...jobs]);
      os.close(r);
    }
  });
});
