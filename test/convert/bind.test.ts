// Argument binding (lib/convert.ts bind): TypeError messages worded as
// CPython's for C functions and for functions and methods written in Python.
import { describe, expect, it } from 'vitest';
import { bind, signature } from '../../lib/convert.js';
import { io, os, stat } from '../../lib/index.js';
import { loose, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

describe('bind', () => {
  it("words errors as CPython does for Python functions and methods ('python' signatures)", () => {
    const names = ['a', 'b', 'c', 'd'];
    // [Python call, function name, JS arguments, required count, self]
    const calls: [string, string, unknown[], number, number][] = [
      ['f(1, 2, 3, 4, 5)', 'f', [1, 2, 3, 4, 5], 2, 0],
      ['f(1)', 'f', [1], 2, 0],
      ['f()', 'f', [], 2, 0],
      ['h()', 'h', [], 3, 0],
      ['f(1, 2, b=3)', 'f', [1, 2, { b: 3 }], 2, 0],
      ['f(1, 2, e=3)', 'f', [1, 2, { e: 3 }], 2, 0],
      ['f(1, 2, 3, 4, 5, e=3)', 'f', [1, 2, 3, 4, 5, { e: 3 }], 2, 0],
      ['P().wait(1, 2, 3, 4, 5)', 'P.wait', [1, 2, 3, 4, 5], 2, 1],
      ['g(1, 2, 3, 4, 5)', 'g', [1, 2, 3, 4, 5], 4, 0],
    ];
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
def f(a, b, c=1, d=2): pass
def h(a, b, c, d=2): pass
def g(a, b, c, d): pass
class P:
    def wait(self, a, b, c=1, d=2): pass
P.wait.__qualname__ = 'P.wait'
print(json.dumps([${calls.map(([c]) => `outcome(lambda: ${c})`).join(', ')}]))`);
    const got = calls.map(([, func, args, required, self]) =>
      outcome(() => bind(signature('python', func, names, { required, self }), args)),
    );
    // Python's successful call returns None; bind returns the bound names.
    expect(got.map((o) => (o[0] === 'ok' ? ['ok', null] : o))).toEqual(want);
  });

  it('binds an all-keyword call of required parameters, but not a plain object that is a required argument', () => {
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
import os
print(json.dumps([outcome(lambda: os.WIFEXITED(status=0)), outcome(lambda: os.waitstatus_to_exitcode(status=0x100)), outcome(lambda: os.WEXITSTATUS(1, 2))]))`);
    expect([
      outcome(() => os.WIFEXITED({ status: 0 } as unknown as number)),
      outcome(() => os.waitstatus_to_exitcode({ status: 0x100 } as unknown as number)),
      outcome(() => (os.WEXITSTATUS as (...a: unknown[]) => number)(1, 2)),
    ]).toEqual(want);
    // execve's env is a required positional plain object, even when its keys are parameter names.
    const execve = signature('clinic', 'execve', ['path', 'argv', 'env'], { mappings: ['env'] });
    expect(bind(execve, ['/x', ['x'], { env: 'prod' }])).toEqual({
      path: '/x',
      argv: ['x'],
      env: { env: 'prod' },
    });
    expect(
      bind(signature('clinic', 'execve', ['path', 'argv', 'env']), ['/bin/true', ['true'], { PATH: '/bin' }]),
    ).toEqual({
      path: '/bin/true',
      argv: ['true'],
      env: { PATH: '/bin' },
    });
  });

  it('keeps the C-function wording by default (os.dup2)', () => {
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
import os
print(json.dumps([outcome(lambda: os.dup2(1)), outcome(lambda: os.dup2(1, 2, 3, 4)), outcome(lambda: os.dup2(1, 2, True, inheritable=True)), outcome(lambda: os.dup2(1, 2, x=3))]))`);
    const dup2 = signature('clinic', 'dup2', ['fd', 'fd2', 'inheritable'], { required: 2 });
    expect([
      outcome(() => bind(dup2, [1])),
      outcome(() => bind(dup2, [1, 2, 3, 4])),
      outcome(() => bind(dup2, [1, 2, true, { inheritable: true }])),
      outcome(() => bind(dup2, [1, 2, { x: 3 }])),
    ]).toEqual(want);
  });
});

describe('keyword-only parameters of C functions', () => {
  it("os.open's and os.mkfifo's dir_fd cannot come by position; a seek position is a C long (FileIO.seek)", () => {
    const f = new io.FileIO('/dev/null');
    const { python, pipefork } = runCases(
      [
        ["os.open('/nonexistent', 0, 0o777, 3)", () => loose(os.open)('/nonexistent', 0, 0o777, 3)],
        [
          "os.open('/nonexistent', 0, 0o777, 3, dir_fd=None)",
          () => loose(os.open)('/nonexistent', 0, 0o777, 3, { dir_fd: null }),
        ],
        [
          "os.open('/nonexistent', 0, 0o777, dir_fd=None, x=1)",
          () => loose(os.open)('/nonexistent', 0, 0o777, { dir_fd: null, x: 1 }),
        ],
        ["os.mkfifo('/nonexistent/x', 0o600, None)", () => loose(os.mkfifo)('/nonexistent/x', 0o600, null)],
        [
          "os.mkfifo('/nonexistent/x', 0o600, dir_fd=None)",
          () => loose(os.mkfifo)('/nonexistent/x', 0o600, { dir_fd: null }),
        ],
        ['f.seek(2**63)', () => f.seek((2n ** 63n) as unknown as number)],
        ['f.seek(2**60)', () => f.seek(2 ** 60)],
      ],
      "import io\nf = io.FileIO('/dev/null')",
    );
    f.close();
    expect(pipefork).toEqual(python);
  });
});

describe('keyword arguments for parameters CPython lets be named', () => {
  it('os.close, os.fstat, os.open, os.fdopen, io.open, io.FileIO and BufferedReader take them as CPython does', () => {
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
import io, stat
r, w = os.pipe()
raw = io.FileIO(r, 'r', closefd=False)
out = [
    outcome(lambda: stat.S_ISFIFO(os.fstat(fd=r).st_mode)),
    outcome(lambda: os.close(fd=99999)),
    outcome(lambda: type(os.fdopen(fd=os.dup(w), mode='wb')).__name__),
    outcome(lambda: type(io.open(file=r, mode='rb', closefd=False)).__name__),
    outcome(lambda: io.FileIO(file=r, mode='r', closefd=False).mode),
    outcome(lambda: io.BufferedReader(raw, buffer_size=10).read(0)),
    outcome(lambda: io.BufferedReader(raw, x=1)),
]
print(json.dumps(out))`);
    const [r, w] = os.pipe();
    const opened: { close(): void }[] = [];
    const keep = <T extends { close(): void }>(f: T): T => {
      opened.push(f);
      return f;
    };
    try {
      const raw = keep(new io.FileIO(r, 'r', { closefd: false }));
      const got = [
        outcome(() => stat.S_ISFIFO(os.fstat({ fd: r } as unknown as number).st_mode)),
        outcome(() => os.close({ fd: 99999 } as unknown as number)),
        outcome(() => keep(os.fdopen({ fd: os.dup(w), mode: 'wb' } as unknown as number)).constructor.name),
        outcome(() => keep(io.open({ file: r, mode: 'rb', closefd: false } as unknown as number)).constructor.name),
        outcome(() => keep(new io.FileIO({ file: r, mode: 'r', closefd: false } as unknown as number)).mode),
        outcome(() => keep(new io.BufferedReader(raw, { buffer_size: 10 } as unknown as number)).read(0)),
        outcome(() => new io.BufferedReader(raw, { x: 1 } as unknown as number)),
      ];
      expect(got).toEqual(want);
    } finally {
      for (const f of opened) f.close();
      os.close(r);
      os.close(w);
    }
  });
});
