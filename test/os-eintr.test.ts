// PEP 475: a signal arriving while os.read / os.write block never surfaces as
// an error; the call goes on and returns its data.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { os } from '../lib/index.js';

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
      await new Promise((res) => child.once('exit', res));
      process.off('SIGUSR2', handler);
    }
    expect(out.trim()).toBe('200000');
  });
});
