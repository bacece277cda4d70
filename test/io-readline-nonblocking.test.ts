// readline on a non-blocking fd that runs dry, where CPython's FileIO and
// BufferedRWPair use IOBase.readline: its read() returns None, and IOBase
// raises OSError, dropping the bytes of the line it had read. A
// BufferedReader has its own readline, which returns what it has.
import { describe, expect, it } from 'vitest';
import { io, os } from '../lib/index.js';
import { leakedSince, openFds } from './helpers/leaks.js';
import { runBoth, type Step } from './helpers/scenario.js';

describe('readline when a non-blocking fd runs dry', () => {
  it('FileIO and BufferedRWPair raise as IOBase.readline does; BufferedReader returns what it has', () => {
    const before = openFds();
    const [r, w] = os.pipe();
    os.set_blocking(r, false);
    const put = (s: string) => os.write(w, Buffer.from(s));
    const f = new io.FileIO(r, 'r', { closefd: false });
    const p = new io.BufferedRWPair(new io.FileIO(os.dup(r), 'r'), new io.FileIO(os.dup(w), 'w'));
    const b = new io.BufferedReader(new io.FileIO(os.dup(r), 'r'));
    const steps: Step[] = [
      { py: 'f.readline()', js: () => f.readline() },
      { pySetup: "os.write(w, b'ab')", py: 'f.readline()', js: () => (put('ab'), f.readline()) },
      { pySetup: "os.write(w, b'cd\\n')", py: 'f.readline()', js: () => (put('cd\n'), f.readline()) },
      { py: 'p.readline()', js: () => p.readline() },
      { pySetup: "os.write(w, b'xy')", py: 'p.readline()', js: () => (put('xy'), p.readline()) },
      { pySetup: "os.write(w, b'l1\\nl2\\nl3')", py: 'p.readline()', js: () => (put('l1\nl2\nl3'), p.readline()) },
      { py: 'p.readline(1)', js: () => p.readline(1) },
      { py: 'p.readline(5)', js: () => p.readline(5) },
      { py: 'p.readline()', js: () => p.readline() },
      { pySetup: "os.write(w, b'zz')", py: 'b.readline()', js: () => (put('zz'), b.readline()) },
      { py: 'b.readline()', js: () => b.readline() },
      {
        pySetup: "os.write(w, b'q\\n'); os.close(w)",
        py: 'p.readline()',
        js: () => (put('q\n'), os.close(w), p.readline()),
      },
      { py: 'p.readline()', js: () => p.readline() },
      { pySetup: 'p.close()', py: 'p.readline()', js: () => (p.close(), p.readline()) },
      { py: 'p.readline(0)', js: () => p.readline(0) },
      { py: 'str(p)[:22]', js: () => String(p).slice(0, 22) },
    ];
    const { python, pipefork } = runBoth(
      steps,
      `import io
r, w = os.pipe()
os.set_blocking(r, False)
f = io.FileIO(r, 'r', closefd=False)
p = io.BufferedRWPair(io.FileIO(os.dup(r), 'r'), io.FileIO(os.dup(w), 'w'))
b = io.BufferedReader(io.FileIO(os.dup(r), 'r'))`,
    );
    b.close();
    f.close();
    os.close(r);
    expect(pipefork).toEqual(python);
    expect(python[1]).toEqual(['raise', 'OSError', "read() should have returned a bytes object, not 'NoneType'", null]);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  }, 20_000);
});
