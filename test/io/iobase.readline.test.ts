// The readline CPython's FileIO and BufferedRWPair inherit from IOBase:
// peek (where there is one) and read until a newline, each read capped at
// the limit (so a line can come back longer than it); on a non-blocking fd
// that runs dry, read() returns None and IOBase raises OSError, dropping the
// bytes of the line it had read. A BufferedReader has its own readline,
// which returns what it has.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { runBoth, type Step } from '../helpers/scenario.js';

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

  it("a limit caps each of IOBase.readline's reads, not the line, as in CPython", () => {
    const before = openFds();
    const pairs: io.BufferedRWPair[] = [];
    const fds: number[] = [];
    /** A pair reading a pipe that holds `data` (writer closed), with the given buffer size. */
    const pair = (data: string, size?: number) => {
      const [r, w] = os.pipe();
      os.write(w, Buffer.from(data));
      os.close(w);
      const [r2, w2] = os.pipe();
      fds.push(r2);
      const p =
        size === undefined
          ? new io.BufferedRWPair(new io.FileIO(r, 'r'), new io.FileIO(w2, 'w'))
          : new io.BufferedRWPair(new io.FileIO(r, 'r'), new io.FileIO(w2, 'w'), size);
      pairs.push(p);
      return p;
    };
    const long = 'x'.repeat(20_000);
    const steps: Step[] = [
      { py: 'p4.readline(5)', js: () => p4.readline(5) },
      { py: 'p4.readline(5)', js: () => p4.readline(5) },
      { py: 'p4.readline(2)', js: () => p4.readline(2) },
      { py: 'p4.readline()', js: () => p4.readline() },
      { py: 'len(pl.readline(10000))', js: () => pl.readline(10000).length },
      { py: 'len(pl.readline(10000))', js: () => pl.readline(10000).length },
      { py: 'len(pl.readline(10000))', js: () => pl.readline(10000).length },
      { py: 'pl.readline(-1)', js: () => pl.readline(-1) },
      { py: '[list(x) for x in pn.readlines()]', js: () => pn.readlines().map((x) => [...(x as Buffer)]) },
    ];
    const p4 = pair('abcdefghij\nkl\nmn', 4);
    const pl = pair(`${long}\nend\n`);
    const pn = pair('a\nbb\n\nccc');
    let result: { python: unknown[]; pipefork: unknown[] };
    try {
      result = runBoth(
        steps,
        `import io
def pair(data, *size):
    r, w = os.pipe(); os.write(w, data); os.close(w)
    r2, w2 = os.pipe()
    return io.BufferedRWPair(io.FileIO(r, 'r'), io.FileIO(w2, 'w'), *size)
p4 = pair(b'abcdefghij\\nkl\\nmn', 4)
pl = pair(b'x' * 20000 + b'\\nend\\n')
pn = pair(b'a\\nbb\\n\\nccc')`,
      );
    } finally {
      for (const p of pairs) p.close();
      for (const fd of fds) os.close(fd);
    }
    expect(steps.map((s, i) => [s.py, result.pipefork[i]])).toEqual(steps.map((s, i) => [s.py, result.python[i]]));
    expect(result.python[0]).toEqual(['ok', [...Buffer.from('abcdefgh')]]);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  }, 20_000);
});
