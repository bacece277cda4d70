// io.open / os.fdopen: mode parsing, the class each mode gets, argument
// errors, and whether the fd survives a failed call — all against CPython.
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { loose, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

/** Is fd open? (fstat fails with EBADF once it is closed.) */
function isOpen(fd: number): boolean {
  try {
    os.fstat(fd);
    return true;
  } catch {
    return false;
  }
}

// Each case: fdopen arguments after the fd, as JSON for both sides; which end
// of a pipe to use. CPython reports the class name, or the error and whether
// the fd was closed.
const CASES: [string, 'r' | 'w', unknown[]][] = [
  ['rb', 'r', ['rb']],
  ['wb', 'w', ['wb']],
  ['r', 'r', ['r']],
  ['default mode', 'r', []],
  ['rt', 'r', ['rt']],
  ['w', 'w', ['w']],
  ['a', 'w', ['a']],
  ['ab', 'w', ['ab']],
  ['xb', 'w', ['xb']],
  ['br', 'r', ['br']],
  ['rb unbuffered', 'r', ['rb', 0]],
  ['wb unbuffered', 'w', ['wb', 0]],
  ['ab unbuffered', 'w', ['ab', 0]],
  ['wb line-buffered', 'w', ['wb', 1]],
  ['w line-buffered', 'w', ['w', 1]],
  ['rb buffering 3', 'r', ['rb', 3]],
  ['rb buffering -2', 'r', ['rb', -2]],
  ['rz', 'r', ['rz']],
  ['U', 'r', ['U']],
  ['rU', 'r', ['rU']],
  ['rr', 'r', ['rr']],
  ['empty mode', 'r', ['']],
  ['rw', 'r', ['rw']],
  ['rbt', 'r', ['rbt']],
  ['+', 'r', ['+']],
  ['r+b on a pipe', 'r', ['r+b']],
  ['w+ on a pipe', 'w', ['w+']],
  ['text unbuffered', 'r', ['r', 0]],
  ['binary encoding', 'r', ['rb', -1, 'utf-8']],
  ['binary errors', 'r', ['rb', -1, null, 'strict']],
  ['binary newline', 'r', ['rb', -1, null, null, '\n']],
  ['illegal newline', 'r', ['r', -1, null, null, 'x']],
  ['unknown encoding', 'r', ['r', -1, 'nosuch']],
  ['encoding not str', 'r', ['r', -1, 5]],
  ['errors not str', 'r', ['r', -1, null, 5]],
  ['newline not str', 'r', ['r', -1, null, null, 5]],
  ['buffering float', 'r', ['rb', 1.5]],
  ['buffering None', 'r', ['rb', null]],
  ['buffering huge', 'r', ['rb', 2 ** 40]],
  ['mode not str', 'r', [5]],
  ['too many args', 'r', ['r', -1, null, null, null, true, null, 5]],
];

function ours(end: number, args: unknown[]): unknown[] {
  const fd = os.dup(end);
  const o = outcome(() => {
    const f = (os.fdopen as (...a: unknown[]) => { constructor: { name: string }; close(): void })(fd, ...args);
    const name = f.constructor.name;
    f.close();
    return name;
  });
  const open = isOpen(fd);
  if (open) os.close(fd);
  return [o[0] === 'ok' ? o : o.slice(0, 3), open];
}

describe('io.open / os.fdopen: modes and arguments', () => {
  it('pick the class and raise the errors CPython does, closing the fd when CPython does', () => {
    const [r, w] = os.pipe();
    try {
      const mine = CASES.map(([, end, args]) => ours(end === 'r' ? r : w, args));
      const theirs = pythonJson<unknown[]>(`${PY_OUTCOME}
import warnings
warnings.simplefilter('ignore')
cases = json.loads(${JSON.stringify(JSON.stringify(CASES))})
r, w = os.pipe()
def isopen(fd):
    try:
        os.fstat(fd); return True
    except OSError:
        return False
res = []
for name, end, args in cases:
    fd = os.dup(r if end == 'r' else w)
    def run():
        f = os.fdopen(fd, *args)
        n = type(f).__name__
        f.close()
        return n
    o = outcome(run)
    op = isopen(fd)
    if op: os.close(fd)
    res.append([o if o[0] == 'ok' else o[:3], op])
print(json.dumps(res))`);
      if (process.env.IO_DEBUG) console.log(JSON.stringify(mine));
      for (let i = 0; i < CASES.length; i++) {
        expect([CASES[i]?.[0], mine[i]]).toEqual([CASES[i]?.[0], theirs[i]]);
      }
    } finally {
      os.close(r);
      os.close(w);
    }
  });

  it('mode, name, raw and buffer attributes as CPython reports them', () => {
    const [r, w] = os.pipe();
    const files = [
      os.fdopen(os.dup(r), 'rb'),
      os.fdopen(os.dup(w), 'wb'),
      os.fdopen(os.dup(r), 'rt'),
      os.fdopen(os.dup(w), 'a'),
      os.fdopen(os.dup(w), 'xb', 0),
    ];
    try {
      const attrs = files.map((f) => {
        const anyf = f as unknown as Record<string, unknown> & { fileno(): number };
        const inner = (anyf.buffer ?? anyf.raw ?? f) as Record<string, unknown>;
        return [
          f.constructor.name,
          anyf.mode,
          anyf.name === anyf.fileno(),
          inner.constructor === Object ? null : (inner.constructor as { name: string }).name,
          (inner.mode as string | undefined) ?? null,
          String(f).replace(/name=\d+/, 'name=N'),
        ];
      });
      const theirs = pythonJson(`
import os, json, re
r, w = os.pipe()
files = [os.fdopen(os.dup(r), 'rb'), os.fdopen(os.dup(w), 'wb'), os.fdopen(os.dup(r), 'rt'), os.fdopen(os.dup(w), 'a'), os.fdopen(os.dup(w), 'xb', 0)]
out = []
for f in files:
    inner = getattr(f, 'buffer', None) or getattr(f, 'raw', None) or f
    out.append([type(f).__name__, f.mode, f.name == f.fileno(), type(inner).__name__, getattr(inner, 'mode', None),
        re.sub(r'name=\\d+', 'name=N', repr(f)).replace('_io.', '_io.')])
print(json.dumps(out))`);
      expect(attrs).toEqual(theirs);
    } finally {
      for (const f of files) f.close();
      os.close(r);
      os.close(w);
    }
  });

  it('bad fds (negative, closed, NaN, not an int) and files raise what CPython raises', () => {
    const [r, w] = os.pipe();
    os.close(w);
    try {
      const mine = [
        outcome(() => os.fdopen(-1)),
        outcome(() => os.fdopen(r + 1000)),
        outcome(() => os.fdopen(1.5)),
        outcome(() => os.fdopen('x' as unknown as number)),
        outcome(() => os.fdopen(Number.NaN)),
        outcome(() => os.fdopen(r, 5 as unknown as 'rb')),
        outcome(() => io.open(null as unknown as number)),
        outcome(() => io.open(1.5)),
        outcome(() => io.open(2 ** 31, 'rb')),
        outcome(() => io.open(r, 'rb', { foo: 1 } as never)),
        outcome(() => io.open(r, 'rb', { buffering: 0, mode: 'r' } as never)),
        outcome(() => io.open('/nonexistent/pipefork', 'rb')),
        outcome(() => io.open('/tmp', 'rb')),
        outcome(() => io.open('/tmp/x\0y', 'rb')),
        outcome(() => io.open('/tmp/x', 'rb', { closefd: false })),
        outcome(() => os.fdopen(w)),
        outcome(() => os.fdopen(r, 'rb', -1, null, null, null, 'yes' as unknown as boolean)),
      ].map((o) => o.slice(0, 3));
      const theirs = pythonJson(`${PY_OUTCOME}
r = ${r}
import io
_, closed_w = os.pipe(); os.close(_); os.close(closed_w)
print(json.dumps([o[:3] for o in [outcome(lambda: os.fdopen(-1)), outcome(lambda: os.fdopen(r + 1000)),
  outcome(lambda: os.fdopen(1.5)), outcome(lambda: os.fdopen('x')), outcome(lambda: os.fdopen(float('nan'))),
  outcome(lambda: os.fdopen(0, 5)), outcome(lambda: io.open(None)), outcome(lambda: io.open(1.5)),
  outcome(lambda: io.open(2**31, 'rb')), outcome(lambda: io.open(0, 'rb', foo=1)),
  outcome(lambda: io.open(0, 'rb', 0, mode='r')),
  outcome(lambda: io.open('/nonexistent/pipefork', 'rb')), outcome(lambda: io.open('/tmp', 'rb')),
  outcome(lambda: io.open('/tmp/x\\0y', 'rb')), outcome(lambda: io.open('/tmp/x', 'rb', closefd=False)),
  outcome(lambda: os.fdopen(closed_w)), outcome(lambda: os.fdopen(0, 'rb', -1, None, None, None, 'yes'))]]))`);
      expect(mine).toEqual(theirs);
      expect(isOpen(r)).toBe(true);
    } finally {
      os.close(r);
    }
  });

  it('opens paths: non-inheritable, and the file written is read back', () => {
    const path = `/tmp/pipefork-io-mode-${process.pid}.txt`;
    try {
      {
        using f = io.open(path, 'w');
        expect(os.get_inheritable(f.fileno())).toBe(false);
        expect(f.name).toBe(path);
        f.write('über\nline 2\n');
      }
      using g = io.open(path, { encoding: 'utf-8' });
      expect([...g]).toEqual(['über\n', 'line 2\n']);
      using h = io.open(path, 'rb', 0);
      expect(h.readall()?.toString()).toBe('über\nline 2\n');
    } finally {
      rmSync(path, { force: true });
    }
  });
});

describe('io.open binds its arguments as Argument Clinic does', () => {
  it('a name given twice, an unknown name, a dict where file goes and too many arguments word their errors as CPython', () => {
    const { python, pipefork } = runCases([
      ['open(0, bogus=1, file=3)', () => loose(io.open)(0, { bogus: 1, file: 3 })],
      ["open({'x': 1})", () => loose(io.open)({ x: 1 })],
      ['open({})', () => loose(io.open)({})],
      ['open(**{})', () => loose(io.open)()],
      ['open(1, 2, 3, 4, 5, 6, 7, 8, 9)', () => loose(io.open)(1, 2, 3, 4, 5, 6, 7, 8, 9)],
      [
        "open(1, 'r', -1, None, None, None, True, None, mode='r')",
        () => loose(io.open)(1, 'r', -1, null, null, null, true, null, { mode: 'r' }),
      ],
    ]);
    expect(pipefork).toEqual(python);
  });
});
