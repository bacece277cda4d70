// os fd flags: inheritable and blocking flags, dup/dup2, closerange, each
// against CPython running the same steps.
import { describe, expect, it } from 'vitest';
import { os, stat } from '../../lib/index.js';
import { pythonJson } from '../helpers/python.js';
import { runBoth } from '../helpers/scenario.js';

describe('os.get_inheritable, dup, dup2, closerange (fd flags)', () => {
  it('test_inheritable: pipe, dup and dup2 as PEP 446 says', () => {
    const fds: number[] = [];
    let r = -1;
    const { python, pipefork } = runBoth([
      {
        pySetup: 'r, w = os.pipe()',
        py: '[os.get_inheritable(r), os.get_inheritable(w), os.get_blocking(r)]',
        js: () => {
          const p = os.pipe();
          fds.push(...p);
          r = p[0];
          return [os.get_inheritable(p[0]), os.get_inheritable(p[1]), os.get_blocking(p[0])];
        },
      },
      {
        pySetup: 'd = os.dup(r)',
        py: 'os.get_inheritable(d)',
        js: () => {
          const d = os.dup(r);
          fds.push(d);
          return os.get_inheritable(d);
        },
      },
      {
        pySetup: 'd2 = os.dup(r); os.dup2(r, d2)',
        py: 'os.get_inheritable(d2)',
        js: () => {
          const d2 = os.dup(r);
          fds.push(d2);
          os.dup2(r, d2);
          return os.get_inheritable(d2);
        },
      },
      {
        pySetup: 'd3 = os.dup(r); os.dup2(r, d3, inheritable=False)',
        py: 'os.get_inheritable(d3)',
        js: () => {
          const d3 = os.dup(r);
          fds.push(d3);
          os.dup2(r, d3, { inheritable: false });
          return os.get_inheritable(d3);
        },
      },
      {
        pySetup: 'd4 = os.dup(r); os.dup2(r, d4, False)',
        py: 'os.get_inheritable(d4)',
        js: () => {
          const d4 = os.dup(r);
          fds.push(d4);
          os.dup2(r, d4, false);
          return os.get_inheritable(d4);
        },
      },
      {
        pySetup: 'os.set_inheritable(r, True)',
        py: 'os.get_inheritable(r)',
        js: () => (os.set_inheritable(r, true), os.get_inheritable(r)),
      },
      {
        pySetup: 'os.set_blocking(r, False)',
        py: 'os.get_blocking(r)',
        js: () => (os.set_blocking(r, false), os.get_blocking(r)),
      },
      { py: 'os.dup2(r, -1)', js: () => os.dup2(r, -1) },
      { py: 'os.dup(-1)', js: () => os.dup(-1) },
      { py: 'os.get_inheritable(-1)', js: () => os.get_inheritable(-1) },
      { py: 'os.set_blocking(-1, True)', js: () => os.set_blocking(-1, true) },
    ]);
    for (const fd of fds) os.close(fd);
    expect(pipefork).toEqual(python);
  });

  it("dup2's inheritable takes any object's truth value, as CPython 3.11's does", () => {
    // [JS value, the Python value it stands for]
    const values: [unknown, string][] = [
      [0.5, '0.5'],
      ['x', "'x'"],
      [[1], '[1]'],
      [Buffer.alloc(0), "b''"],
      [null, 'None'],
      [[], '[]'],
      [0, '0.0'],
      [Number.NaN, "float('nan')"],
      // (a plain object last is keyword arguments in pipefork, so a dict is a Map here)
      [new Map([[1, 1]]), '{1: 1}'],
      [new Map(), '{}'],
    ];
    const want = pythonJson<boolean[]>(`
import json, os
r, w = os.pipe()
out = []
for v in [${values.map(([, p]) => p).join(', ')}]:
    d = os.dup(r)
    os.dup2(r, d, v)
    out.append(os.get_inheritable(d))
    os.close(d)
print(json.dumps(out))`);
    const [r, w] = os.pipe();
    try {
      const got = values.map(([v]) => {
        const d = os.dup(r);
        try {
          os.dup2(r, d, v as boolean);
          return os.get_inheritable(d);
        } finally {
          os.close(d);
        }
      });
      expect(got).toEqual(want);
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('dup2 returns fd2 and makes it refer to the same pipe', () => {
    const [r, w] = os.pipe();
    const [r2, w2] = os.pipe();
    try {
      expect(os.dup2(w, w2)).toBe(w2);
      os.write(w2, Buffer.from('via dup2'));
      expect(os.read(r, 100).toString()).toBe('via dup2');
    } finally {
      for (const fd of [r, w, r2, w2]) os.close(fd);
    }
  });

  it('closerange closes [low, high) and ignores fds that are not open', () => {
    const fds = [...os.pipe(), ...os.pipe()].sort((a, b) => a - b);
    const lo = fds[0] as number;
    const hi = fds[3] as number;
    os.closerange(lo, hi); // leaves `hi` open
    for (const fd of fds.slice(0, 3)) expect(() => os.fstat(fd)).toThrow('[Errno 9] Bad file descriptor');
    expect(stat.S_ISFIFO(os.fstat(hi).st_mode)).toBe(true);
    os.close(hi);
    os.closerange(hi + 1000, hi + 1010);
  });
});
