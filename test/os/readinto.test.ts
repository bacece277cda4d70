// os.readinto(fd, buffer), Python 3.14's, which python3 3.11 does not have:
// its reads are pinned here, its fd errors held against os.read's in
// python3 (the same converter and the same read(2)), and its argument errors
// pinned to 3.14's Argument Clinic wording (positional-only, like readv).
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { leakedSince, openFds } from '../helpers/leaks.js';
import { loose, outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';

describe('os.readinto', () => {
  it('is one read(2) into the buffer: the count, a partial fill, 0 at EOF, BlockingIOError when dry', () => {
    const before = openFds();
    const [r, w] = os.pipe();
    // Non-blocking from the start: a read of an empty pipe can never hang the test.
    os.set_blocking(r, false);
    os.write(w, Buffer.from('hello'));
    const a = Buffer.alloc(3);
    expect(os.readinto(r, a)).toBe(3);
    expect(a.toString()).toBe('hel');
    const b = new Uint16Array(5); // any buffer, filled byte by byte
    expect(os.readinto(r, b)).toBe(2);
    expect(Buffer.from(b.buffer, 0, 2).toString()).toBe('lo');
    const ab = new ArrayBuffer(4);
    os.write(w, Buffer.from('xy'));
    expect(os.readinto(r, ab)).toBe(2);
    expect(os.readinto(r, Buffer.alloc(0))).toBe(0);
    os.set_blocking(r, false);
    expect(outcome(() => os.readinto(r, Buffer.alloc(1)))).toEqual([
      'raise',
      'BlockingIOError',
      '[Errno 11] Resource temporarily unavailable',
      11,
    ]);
    os.close(w);
    expect(os.readinto(r, Buffer.alloc(4))).toBe(0);
    os.close(r);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });

  it("a bad fd is what os.read(fd, 1) raises in python3; a bad buffer or count is 3.14's TypeError", () => {
    const before = openFds();
    const [c1, c2] = os.pipe();
    os.close(c1);
    os.close(c2);
    const fds: [unknown, string][] = [
      [null, 'None'],
      [Number.NaN, 'float("nan")'],
      [-1, '-1'],
      [2 ** 53, '2**53'],
      ['3', '"3"'],
      [{}, '{}'],
      [1.5, '1.5'],
      [c1, String(c1)],
    ];
    const theirs = pythonJson<unknown[]>(`${PY_OUTCOME}
print(json.dumps([outcome(lambda: os.read(eval(v), 1)) for v in ${py(fds.map(([, p]) => p))}]))`);
    expect(fds.map(([v]) => outcome(() => os.readinto(v as number, Buffer.alloc(1))))).toEqual(theirs);
    const [r, w] = os.pipe();
    const f = loose(os.readinto);
    expect([
      outcome(() => f(r, 'x')),
      outcome(() => f(r, null)),
      outcome(() => f(r, [1])),
      outcome(() => f(r)),
      outcome(() => f(r, Buffer.alloc(1), 1)),
      outcome(() => f(r, { buffer: Buffer.alloc(1) })),
    ]).toEqual([
      ['raise', 'TypeError', 'readinto() argument 2 must be read-write bytes-like object, not str', null],
      ['raise', 'TypeError', 'readinto() argument 2 must be read-write bytes-like object, not None', null],
      ['raise', 'TypeError', 'readinto() argument 2 must be read-write bytes-like object, not list', null],
      ['raise', 'TypeError', 'readinto expected 2 arguments, got 1', null],
      ['raise', 'TypeError', 'readinto expected 2 arguments, got 3', null],
      ['raise', 'TypeError', 'posix.readinto() takes no keyword arguments', null],
    ]);
    os.close(r);
    os.close(w);
    expect(leakedSince(before), 'fds leaked').toEqual([]);
  });
});
