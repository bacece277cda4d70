// The one retry point for blocking calls (lib/posix/blocking.ts), PEP 475:
// a signal arriving while os.read / os.write block never surfaces as an error;
// the call goes on and returns its data. A signal never extends a timeout
// either, and each interruption reaches the interrupt hook, where the signal
// module will run handlers.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { os, subprocess } from '../../lib/index.js';
import { setInterruptHook } from '../../lib/posix/index.js';

describe('signals during blocking calls', () => {
  it('a blocking read keeps going through 20 signals and returns the data', async () => {
    const handler = () => {};
    process.on('SIGUSR2', handler); // Node's handler, so SIGUSR2 interrupts instead of killing
    const [r, w] = os.pipe();
    // The child signals us 20 times while we are blocked in read(2), then writes.
    const child = spawn(
      'python3',
      [
        '-c',
        `import os, signal, time
for _ in range(20):
    os.kill(${process.pid}, signal.SIGUSR2); time.sleep(0.01)
os.write(3, b"done")`,
      ],
      { stdio: ['ignore', 'inherit', 'inherit', w] },
    );
    os.close(w);
    try {
      expect(os.read(r, 10).toString()).toBe('done');
      expect(os.read(r, 10).length).toBe(0);
    } finally {
      os.close(r);
      await new Promise((res) => child.once('exit', res));
      process.off('SIGUSR2', handler);
    }
  });

  it('a blocking write into a full pipe keeps going through signals', async () => {
    const handler = () => {};
    process.on('SIGUSR2', handler);
    const [r, w] = os.pipe();
    const big = Buffer.alloc(200_000, 'y');
    // The child signals us while we block on a full pipe, then drains it.
    const child = spawn(
      'python3',
      [
        '-c',
        `import os, signal, time
for _ in range(20):
    os.kill(${process.pid}, signal.SIGUSR2); time.sleep(0.01)
n = 0
while True:
    b = os.read(3, 65536)
    if not b: break
    n += len(b)
print(n)`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit', r] },
    );
    os.close(r);
    let out = '';
    child.stdout?.on('data', (d) => {
      out += d;
    });
    try {
      let sent = 0;
      while (sent < big.length) sent += os.write(w, big.subarray(sent));
      expect(sent).toBe(big.length);
    } finally {
      os.close(w);
      // 'close', not 'exit': the child's stdout socket is closed only then,
      // and the fd check after each test would see it (it did on Node 24
      // under load).
      await new Promise((res) => child.once('close', res));
      process.off('SIGUSR2', handler);
    }
    expect(out.trim()).toBe('200000');
  });
});

/**
 * A python3 child that sends SIGUSR2 to this process every 50 ms for at
 * most `seconds`; Node's handler for it (installed here) makes each one
 * interrupt whatever syscall we are blocked in. stop() ends it and waits.
 */
function signaller(seconds: number): { stop(): Promise<void> } {
  const handler = () => {};
  process.on('SIGUSR2', handler);
  const child = spawn(
    'python3',
    [
      '-c',
      `import os, signal, time
end = time.monotonic() + ${seconds}
while time.monotonic() < end:
    os.kill(${process.pid}, signal.SIGUSR2); time.sleep(0.05)`,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((res) => child.once('exit', () => res()));
  return {
    async stop() {
      child.kill();
      await exited;
      process.off('SIGUSR2', handler);
    },
  };
}

describe('timeouts of blocking calls interrupted by signals', () => {
  it('Popen.wait(timeout) returns at its deadline through a signal every 50 ms, each one seen by the interrupt hook', async () => {
    let interrupts = 0;
    setInterruptHook(() => {
      interrupts++;
    });
    const sig = signaller(6);
    const p = new subprocess.Popen(['sleep', '30']);
    try {
      await new Promise((res) => setTimeout(res, 100)); // the first signals are on their way
      const t0 = performance.now();
      expect(() => p.wait(1)).toThrow(subprocess.TimeoutExpired);
      const elapsed = (performance.now() - t0) / 1000;
      // A retry with the whole timeout again would never end while the
      // signals come (until they stop, at 6 s).
      expect(elapsed).toBeGreaterThanOrEqual(1);
      expect(elapsed).toBeLessThan(2.5);
      expect(interrupts).toBeGreaterThan(5);
    } finally {
      setInterruptHook(undefined);
      p.kill();
      p.wait();
      await sig.stop();
    }
  });

  it('communicate(timeout) (poll(2) on the pipes) returns at its deadline through the same signals', async () => {
    let interrupts = 0;
    setInterruptHook(() => {
      interrupts++;
    });
    const sig = signaller(6);
    const p = new subprocess.Popen(['sleep', '30'], { stdout: subprocess.PIPE });
    try {
      await new Promise((res) => setTimeout(res, 100));
      const t0 = performance.now();
      expect(() => p.communicate(null, 1)).toThrow(subprocess.TimeoutExpired);
      const elapsed = (performance.now() - t0) / 1000;
      expect(elapsed).toBeGreaterThanOrEqual(1);
      expect(elapsed).toBeLessThan(2.5);
      expect(interrupts).toBeGreaterThan(5);
    } finally {
      setInterruptHook(undefined);
      p.kill();
      p.communicate();
      await sig.stop();
    }
  });

  it('an interrupt hook that throws ends the blocking call with its exception (as a Python signal handler does)', async () => {
    class Handled extends Error {}
    setInterruptHook(() => {
      throw new Handled('raised by the handler');
    });
    const sig = signaller(6);
    const p = new subprocess.Popen(['sleep', '30']);
    try {
      await new Promise((res) => setTimeout(res, 100));
      const t0 = performance.now();
      expect(() => p.wait(10)).toThrow(Handled);
      expect(performance.now() - t0).toBeLessThan(5000);
      expect(p.returncode).toBe(null);
    } finally {
      setInterruptHook(undefined);
      p.kill();
      p.wait();
      await sig.stop();
    }
  });
});
