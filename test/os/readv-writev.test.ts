// os.readv / os.writev against CPython 3.11: one syscall over a sequence of
// buffers, the counts, the partial fill, and every error in CPython's words
// (sequence checks, item types, IOV_MAX, EBADF, EPIPE, EAGAIN, argument counts,
// keywords refused).
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { loose, PY_OUTCOME, pythonJson } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const B = (s: string) => Buffer.from(s, 'latin1');

describe('os.readv and os.writev', () => {
  it('fill and write buffers in order, and fail as CPython does', () => {
    const before = openFds();
    const [r, w] = os.pipe();
    // Non-blocking: a read that a regression let through reaches EAGAIN, never a hang.
    os.set_blocking(r, false);
    const [r2, w2] = os.pipe();
    os.set_blocking(r2, false);
    const a = Buffer.alloc(3);
    const b = new Uint8Array(4);
    const f = loose(os.readv);
    const g = loose(os.writev);
    const steps: Step[] = [
      {
        pySetup: "os.write(w, b'hello world')",
        py: 'os.readv(r, [a, b])',
        js: () => (os.write(w, B('hello world')), os.readv(r, [a, b])),
      },
      { py: '[list(a), list(b)]', js: () => [[...a], [...b]] },
      { py: 'os.readv(r, [])', js: () => os.readv(r, []) },
      { py: 'os.readv(r, [bytearray(0)])', js: () => os.readv(r, [Buffer.alloc(0)]) },
      { py: 'os.readv(r, (bytearray(2),))', js: () => os.readv(r, [new Uint8Array(2)]) },
      { py: 'os.readv(r, [memoryview(bytearray(8))])', js: () => os.readv(r, [new DataView(new ArrayBuffer(8))]) },
      { py: 'os.readv(r, 5)', js: () => f(r, 5) },
      { py: "os.readv(r, 'ab')", js: () => f(r, 'ab') },
      { py: 'os.readv(r, [1])', js: () => f(r, [1]) },
      { py: 'os.readv(r, {})', js: () => f(r, {}) },
      { py: 'os.readv(r, bytearray(2))', js: () => f(r, new Uint8Array(2)) },
      { py: 'os.readv(-1, [bytearray(2)])', js: () => os.readv(-1, [Buffer.alloc(2)]) },
      { py: 'os.readv(r, [bytearray(1)] * 2000)', js: () => os.readv(r, Array(2000).fill(Buffer.alloc(1))) },
      {
        py: "os.writev(w, [b'ab', bytearray(b'cd'), memoryview(b'ef')])",
        js: () => os.writev(w, [B('ab'), new Uint8Array([99, 100]), new DataView(Uint8Array.from([101, 102]).buffer)]),
      },
      { py: 'os.read(r, 100)', js: () => os.read(r, 100) },
      { py: 'os.writev(w, [])', js: () => os.writev(w, []) },
      { py: "os.writev(w, ['x'])", js: () => g(w, ['x']) },
      { py: 'os.writev(w, 5)', js: () => g(w, 5) },
      { py: "os.writev(w, [b'x'] * 2000)", js: () => os.writev(w, Array(2000).fill(B('x'))) },
      { py: "os.writev(w, {b'x': 1})", js: () => g(w, new Map([[B('x'), 1]])) },
      { py: "os.writev(w, iter([b'x']))", js: () => g(w, [B('x')][Symbol.iterator]()) },
      { py: 'os.readv(r)', js: () => f(r) },
      { py: 'os.readv(r, [bytearray(1)], 1)', js: () => f(r, [Buffer.alloc(1)], 1) },
      { py: 'os.readv(fd=r, buffers=[bytearray(1)])', js: () => f({ fd: r, buffers: [Buffer.alloc(1)] }) },
      { py: "os.writev(w, buffers=[b'x'])", js: () => g(w, { buffers: [B('x')] }) },
      { py: 'os.readv(r2, [bytearray(1)])', js: () => os.readv(r2, [Buffer.alloc(1)]) },
      { pySetup: 'os.close(r)', py: "os.writev(w, [b'x'])", js: () => (os.close(r), os.writev(w, [B('x')])) },
      { py: 'os.readv(r, [bytearray(1)])', js: () => os.readv(r, [Buffer.alloc(1)]) },
    ];
    let python: unknown[];
    let pipefork: unknown[];
    try {
      ({ python, pipefork } = runBoth(
        steps,
        `r, w = os.pipe()
os.set_blocking(r, False)
r2, w2 = os.pipe()
os.set_blocking(r2, False)
a = bytearray(3); b = bytearray(4)`,
      ));
    } finally {
      for (const fd of [r, w, r2, w2]) {
        try {
          os.close(fd);
        } catch {
          // r is closed by the last steps, unless they did not run.
        }
      }
    }
    expect(steps.map((s, i) => [s.py, pipefork[i]])).toEqual(steps.map((s, i) => [s.py, python[i]]));
    expect(python[0]).toEqual(['ok', 7]);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  }, 20_000);

  it('a deliberate difference: every JS buffer is writable, where CPython refuses bytes (docs/differences.md)', () => {
    const before = openFds();
    const theirs = pythonJson<unknown[]>(`${PY_OUTCOME}
r, w = os.pipe(); os.write(w, b'ab')
print(json.dumps([outcome(lambda: os.readv(r, [b'x']))]))`);
    expect(theirs).toEqual([['raise', 'BufferError', 'Object is not writable.', null]]);
    const [r, w] = os.pipe();
    os.write(w, B('ab'));
    const readOnlyInPython = Buffer.from('x');
    expect(os.readv(r, [readOnlyInPython])).toBe(1);
    expect(readOnlyInPython.toString()).toBe('a');
    os.close(r);
    os.close(w);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });
});
