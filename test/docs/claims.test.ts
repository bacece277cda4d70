// Claims of docs/ no other test holds next to python3: str() of a Signals
// member, the stat functions' argument errors, get_exec_path, iter_unpack's
// length hint.
import { describe, expect, it } from 'vitest';
import { os, signal, stat, struct } from '../../lib/index.js';
import { asPipefork, loose, py } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const T = { timeout: 20_000 };
/** Any function, called with any arguments (the calls below are ill-typed on purpose). */
const f = loose;
/** [Python expression, its JS twin, Python statements run first]. */
type Case = [py: string, js: () => unknown, pySetup?: string];

/** Outcome lists compared whole, each Python expression next to its outcome for a readable diff. */
function same(cases: Case[], prelude = ''): void {
  const steps: Step[] = cases.map(([p, js, pySetup]) => ({ py: p, js, pySetup }));
  const { python, pipefork } = runBoth(steps, prelude);
  expect(cases.map(([p], i) => [p, pipefork[i]])).toEqual(cases.map(([p], i) => [p, asPipefork(python[i])]));
}

describe('claims of docs/ held next to CPython', () => {
  it("signal.Signals members: str() and f'' are the number (3.11 IntEnum), repr, name, value, int()", T, () => {
    const cases: Case[] = [];
    for (const name of ['SIGINT', 'SIGKILL', 'SIGTERM', 'SIGCHLD', 'SIGCLD', 'SIGIOT']) {
      const m = () => signal.Signals[name] as signal.Signal;
      const p = `signal.Signals.${name}`;
      cases.push(
        [`str(${p})`, () => String(m())],
        [`f'{${p}}'`, () => `${m()}`],
        [`'%s' % ${p}`, () => `${m()}`],
        [`repr(${p})`, () => m().repr()],
        [`${p}.name`, () => m().name],
        [`${p}.value`, () => m().value],
        [`int(${p}) + 0`, () => Number(m()) + 0],
      );
    }
    cases.push(['str(signal.Signals(9))', () => String(signal.Signals(9))]);
    same(cases, 'import signal');
  });

  it('a Signals member is an int wherever an int goes (IntEnum), not only in kill', T, () => {
    const S = signal.Signals.SIGTERM as signal.Signal;
    same(
      [
        ["struct.pack('<i', S).hex()", () => (struct.pack('<i', S) as Buffer).toString('hex')],
        ["struct.pack('<d', S).hex()", () => (struct.pack('<d', S) as Buffer).toString('hex')],
        ['os.WTERMSIG(S)', () => os.WTERMSIG(S as unknown as number)],
        ['os.strerror(S)', () => os.strerror(S as unknown as number)],
        ['stat.S_IMODE(S)', () => stat.S_IMODE(S as unknown as number)],
        ['os.waitstatus_to_exitcode(S)', () => os.waitstatus_to_exitcode(S as unknown as number)],
      ],
      'import signal, stat, struct\nS = signal.Signals.SIGTERM',
    );
  });

  it('every stat function takes one unsigned int mode, with CPython errors', T, () => {
    // test/stat/stat.test.ts has S_ISDIR, S_ISREG, S_ISFIFO, S_IFMT and S_IMODE
    // with most of these; here every function, and 2**53 (the largest exact JS number and beyond).
    const fns = [
      'S_ISDIR',
      'S_ISCHR',
      'S_ISBLK',
      'S_ISREG',
      'S_ISFIFO',
      'S_ISLNK',
      'S_ISSOCK',
      'S_ISDOOR',
      'S_ISPORT',
      'S_ISWHT',
      'S_IMODE',
      'S_IFMT',
      'filemode',
    ] as const;
    const args: [string, unknown[]][] = [
      ['0o020644', [0o020644]],
      ['0o060644', [0o060644]],
      ['0o120777', [0o120777]],
      ['0o140755', [0o140755]],
      ['0o040755', [0o040755]],
      ['0o104755', [0o104755n]],
      ["'x'", ['x']],
      ['None', [null]],
      ['None', [undefined]],
      ['1.5', [1.5]],
      ['-1', [-1]],
      ['True', [true]],
      ['[]', [[]]],
      ['{}', [{}]],
      ['2**53', [2 ** 53]],
      ['2**53', [2n ** 53n]],
      ['-2**53', [-(2 ** 53)]],
      ['2**32 - 1', [2 ** 32 - 1]],
      ['2**32', [2 ** 32]],
      ['2**64', [2n ** 64n]],
      ['2**64 - 1', [2n ** 64n - 1n]],
      ['', []],
      ['1, 2', [1, 2]],
    ];
    const cases: Case[] = [];
    for (const fn of fns) for (const [p, a] of args) cases.push([`stat.${fn}(${p})`, () => f(stat[fn])(...a)]);
    same(cases, 'import stat');
  });

  it('os.get_exec_path: the environment by default, or a mapping given positionally', T, () => {
    const jsPath = process.env.PATH;
    /** Runs `fn` with PATH set to `value` (deleted for undefined), then puts it back. */
    const withPath = (value: string | undefined, fn: () => unknown) => () => {
      const saved = process.env.PATH;
      if (value === undefined) delete process.env.PATH;
      else process.env.PATH = value;
      try {
        return fn();
      } finally {
        if (saved === undefined) delete process.env.PATH;
        else process.env.PATH = saved;
      }
    };
    // python3 may be a pyenv shim that prepends to PATH: give it ours first.
    const ours = `os.environ['PATH'] = ${py(jsPath ?? '')}`;
    const g = f(os.get_exec_path);
    same([
      ['os.get_exec_path()', () => g(), ours],
      ['os.get_exec_path(None)', () => g(null)],
      ['os.get_exec_path(None)', () => g(undefined)],
      ['os.get_exec_path(os.environ)', () => g(process.env)],
      ['os.get_exec_path()', withPath('/a::/b:', () => g()), "os.environ['PATH'] = '/a::/b:'"],
      ['os.get_exec_path()', withPath('', () => g()), "os.environ['PATH'] = ''"],
      ['os.get_exec_path()', withPath(undefined, () => g()), "del os.environ['PATH']"],
      ['os.get_exec_path()', () => g(), ours],
      ["os.get_exec_path({'PATH': '/x:/y'})", () => g({ PATH: '/x:/y' })],
      ["os.get_exec_path({'PATH': '/x:/y'})", () => g(new Map([['PATH', '/x:/y']]))],
      ["os.get_exec_path({'PATH': ':'})", () => g({ PATH: ':' })],
      ["os.get_exec_path({'PATH': None})", () => g({ PATH: null })],
      ["os.get_exec_path({'OTHER': '/x'})", () => g({ OTHER: '/x' })],
      // env is positional only: a plain object is always the environment.
      ["os.get_exec_path({'env': {'PATH': '/x'}})", () => g({ env: { PATH: '/x' } })],
      ["os.get_exec_path({'env': '/x'})", () => g({ env: '/x' })],
    ]);
    expect(process.env.PATH).toBe(jsPath);
  });

  it('struct iter_unpack: __length_hint__ as the iterator is consumed', T, () => {
    const a = struct.iter_unpack('<h', Buffer.alloc(6));
    const b = new struct.Struct('<hb').iter_unpack(Buffer.from([1, 0, 2, 3, 0, 4]));
    const c = struct.iter_unpack('<i', Buffer.alloc(0));
    const d = struct.iter_unpack('<B', Buffer.alloc(5));
    const next = (it: Iterator<unknown[]>) => it.next().value ?? null;
    const cases: Case[] = [
      ['a.__length_hint__()', () => a.__length_hint__(), "a = struct.iter_unpack('<h', bytes(6))"],
      [
        'b.__length_hint__()',
        () => b.__length_hint__(),
        "b = struct.Struct('<hb').iter_unpack(bytes([1, 0, 2, 3, 0, 4]))",
      ],
      ['c.__length_hint__()', () => c.__length_hint__(), "c = struct.iter_unpack('<i', b'')"],
      ['d.__length_hint__()', () => d.__length_hint__(), "d = struct.iter_unpack('<B', bytes(5))"],
    ];
    for (let i = 0; i < 4; i++) {
      cases.push(
        ['next(a, None)', () => next(a)],
        ['a.__length_hint__()', () => a.__length_hint__()],
        ['next(b, None)', () => next(b)],
        ['b.__length_hint__()', () => b.__length_hint__()],
      );
    }
    cases.push(
      ['next(c, None)', () => next(c)],
      ['c.__length_hint__()', () => c.__length_hint__()],
      ['[next(d), next(d), d.__length_hint__()]', () => [next(d), next(d), d.__length_hint__()]],
      ['[list(d), d.__length_hint__()]', () => [[...d], d.__length_hint__()]],
    );
    same(cases, 'import struct');
  });
});
