// set_wakeup_fd: the self-pipe trick. Each signal with a handler writes its
// number as one byte to the fd; a full fd is reported as CPython reports
// it, unless warn_on_full_buffer is false.
import { describe, expect, it } from 'vitest';
import { os, select, signal } from '../../lib/index.js';
import { runNode, runPython } from '../helpers/program.js';
import { killLater } from './helpers.js';

describe('signal.set_wakeup_fd', () => {
  it('a signal writes its number to the fd and wakes a select() on the other end', async () => {
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    os.set_blocking(w, false);
    let ran = 0;
    signal.signal(signal.SIGUSR2, () => ran++);
    const old = signal.set_wakeup_fd(w);
    const killed = killLater(0.2, signal.SIGUSR2);
    try {
      expect(old).toBe(-1);
      const [ready] = select.select([r], [], [], 10);
      expect(ready).toEqual([r]);
      expect([...os.read(r, 10)]).toEqual([signal.SIGUSR2]);
      expect(ran).toBe(1);
      // Only signals pipefork handles write: SIGURG (ignored by default) does not.
      os.kill(os.getpid(), signal.SIGURG);
      expect(() => os.read(r, 10)).toThrow(expect.objectContaining({ name: 'BlockingIOError' }));
    } finally {
      expect(signal.set_wakeup_fd(-1)).toBe(w);
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
      await killed;
      os.close(r);
      os.close(w);
    }
  });

  it("a full wakeup fd: CPython's report on stderr, none with warn_on_full_buffer=False", () => {
    const py = (warn: string): string => `import os, signal
r, w = os.pipe()
os.set_blocking(w, False)
os.write(w, b'x' * 65536)
signal.signal(signal.SIGUSR2, lambda s, f: print('handler ran', flush=True))
signal.set_wakeup_fd(w, warn_on_full_buffer=${warn})
os.kill(os.getpid(), signal.SIGUSR2)
print('done', flush=True)`;
    const js = (warn: string): string => `import { os, signal } from 'PIPEFORK';
const [r, w] = os.pipe();
os.set_blocking(w, false);
os.write(w, Buffer.alloc(65536, 'x'));
signal.signal(signal.SIGUSR2, () => console.log('handler ran'));
signal.set_wakeup_fd(w, { warn_on_full_buffer: ${warn} });
os.kill(os.getpid(), signal.SIGUSR2);
console.log('done');`;
    for (const [p, j] of [
      ['True', 'true'],
      ['False', 'false'],
    ] as const) {
      const a = runPython(py(p));
      const b = runNode(js(j));
      // CPython adds a traceback of the Python frame it was in (the handler's lambda): no JS frame stands for it.
      const report = (s: string): string[] =>
        s.split('\n').filter((l) => l !== '' && !/^(Traceback| {2}File )/.test(l));
      expect([b.stdout, report(b.stderr), b.status]).toEqual([a.stdout, report(a.stderr), a.status]);
      expect(report(b.stderr)).toEqual(
        p === 'True'
          ? [
              'Exception ignored when trying to write to the signal wakeup fd:',
              'BlockingIOError: [Errno 11] Resource temporarily unavailable',
            ]
          : [],
      );
    }
  });
});
