// Pins against CPython 3.11: keyword arguments of execve/execvpe/execv and
// the W* functions, os.stat_result built from a sequence, and claims of docs/
// no other test held next to python3 (str() of a Signals member, the stat
// functions' argument errors, get_exec_path, iter_unpack's length hint).
// Nothing here gets as far as exec in this process: exec that succeeds runs
// in a throwaway node child.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, signal, stat, struct } from '../lib/index.js';
import { asPipefork, loose, PY_OUTCOME, py, pythonJson } from './helpers/python.js';
import { runBoth, type Step } from './helpers/scenario.js';

const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
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

describe('1. execve, execvpe, execv: keyword arguments as CPython binds them', () => {
  it("keywords bind; a plain object where env goes is the env (nonexistent paths: nothing is exec'd)", T, () => {
    same([
      ["os.execve('/nonexistent', argv=['a'], env={})", () => f(os.execve)('/nonexistent', { argv: ['a'], env: {} })],
      [
        "os.execve(path='/nonexistent', argv=['a'], env={})",
        () => f(os.execve)({ path: '/nonexistent', argv: ['a'], env: {} }),
      ],
      [
        "os.execve('/nonexistent', env={'A': 'b'}, argv=['a'])",
        () => f(os.execve)('/nonexistent', { env: { A: 'b' }, argv: ['a'] }),
      ],
      ["os.execve('/nonexistent', ['a'], env={})", () => f(os.execve)('/nonexistent', ['a'], {})],
      ["os.execve('/nonexistent', env={})", () => f(os.execve)('/nonexistent', { env: {} })],
      ["os.execve('/nonexistent', argv=['a'])", () => f(os.execve)('/nonexistent', { argv: ['a'] })],
      ["os.execve(argv=['a'], env={})", () => f(os.execve)({ argv: ['a'], env: {} })],
      ["os.execve('/nonexistent', argv='ab', env={})", () => f(os.execve)('/nonexistent', { argv: 'ab', env: {} })],
      ["os.execve('/nonexistent', argv=[], env=5)", () => f(os.execve)('/nonexistent', { argv: [], env: 5 })],
      ["os.execve('/nonexistent', argv=['a'], env=[])", () => f(os.execve)('/nonexistent', { argv: ['a'], env: [] })],
      ["os.execve('/nonexistent', ['a'], {}, env={})", () => f(os.execve)('/nonexistent', ['a'], {}, { env: {} })],
      // At env's position a plain object is the env, whatever its keys.
      ["os.execve('/nonexistent', ['a'], {'env': 'prod'})", () => f(os.execve)('/nonexistent', ['a'], { env: 'prod' })],
      ["os.execve('/nonexistent', ['a'], {'env': {}})", () => f(os.execve)('/nonexistent', ['a'], { env: {} })],
      ["os.execve('/nonexistent', ['a'], {'argv': ['b']})", () => f(os.execve)('/nonexistent', ['a'], { argv: ['b'] })],
      [
        "os.execve('/nonexistent', ['a'], {'PATH': '/bin'})",
        () => f(os.execve)('/nonexistent', ['a'], { PATH: '/bin' }),
      ],
      // An object with other keys is a positional value (a dict), as in Python.
      [
        "os.execve('/nonexistent', {'argv': ['a'], 'env': {}, 'x': 1})",
        () => f(os.execve)('/nonexistent', { argv: ['a'], env: {}, x: 1 }),
      ],
      [
        "os.execvpe('pipefork-no-such-program', args=['a'], env={'PATH': '/nonexistent'})",
        () => f(os.execvpe)('pipefork-no-such-program', { args: ['a'], env: { PATH: '/nonexistent' } }),
      ],
      [
        "os.execvpe(file='pipefork-no-such-program', args=['a'], env={'PATH': '/nonexistent'})",
        () => f(os.execvpe)({ file: 'pipefork-no-such-program', args: ['a'], env: { PATH: '/nonexistent' } }),
      ],
      ["os.execvpe('/nonexistent', args=['a'], env={})", () => f(os.execvpe)('/nonexistent', { args: ['a'], env: {} })],
      ["os.execvpe('x', env={})", () => f(os.execvpe)('x', { env: {} })],
      ["os.execvpe('x', args=['a'])", () => f(os.execvpe)('x', { args: ['a'] })],
      [
        "os.execvpe('pipefork-no-such-program', ['a'], {'env': {'PATH': '/nonexistent'}})",
        () => f(os.execvpe)('pipefork-no-such-program', ['a'], { env: { PATH: '/nonexistent' } }),
      ],
      [
        "os.execvpe('pipefork-no-such-program', ['a'], {'PATH': '/nonexistent'})",
        () => f(os.execvpe)('pipefork-no-such-program', ['a'], { PATH: '/nonexistent' }),
      ],
      [
        "os.execvp('pipefork-no-such-program', args=['a'])",
        () => f(os.execvp)('pipefork-no-such-program', { args: ['a'] }),
      ],
      ["os.execvp('/nonexistent', file='y')", () => f(os.execvp)('/nonexistent', { file: 'y' })],
      // execvp/execvpe are Python functions: a trailing object is keywords, undefined is None.
      ["os.execvp('/nonexistent', foo=1)", () => f(os.execvp)('/nonexistent', { foo: 1 })],
      ["os.execvp('/nonexistent', ['x'], None)", () => f(os.execvp)('/nonexistent', ['x'], undefined)],
      [
        "os.execvpe('/nonexistent', args=['x'], env=None)",
        () => f(os.execvpe)('/nonexistent', { args: ['x'], env: undefined }),
      ],
      ["os.execvpe('/nonexistent', ['x'], None, x=1)", () => f(os.execvpe)('/nonexistent', ['x'], null, { x: 1 })],
      // execv is positional-only.
      ["os.execv('/nonexistent', argv=['a'])", () => f(os.execv)('/nonexistent', { argv: ['a'] })],
      ["os.execv(path='/nonexistent', argv=['a'])", () => f(os.execv)({ path: '/nonexistent', argv: ['a'] })],
      ["os.execv('/nonexistent', ['a'], x=1)", () => f(os.execv)('/nonexistent', ['a'], { x: 1 })],
      ["os.execv('/nonexistent', ['a'], **{})", () => f(os.execv)('/nonexistent', ['a'], {})],
      ["os.execv('/nonexistent', {'x': ['a']})", () => f(os.execv)('/nonexistent', { x: ['a'] })],
      ["os.execv('/nonexistent', {})", () => f(os.execv)('/nonexistent', {})],
    ]);
  });

  it('C functions report a missing argument before one given twice, and that before an unknown name', T, () => {
    same([
      ['os.dup2(1, fd=2)', () => f(os.dup2)(1, { fd: 2 })],
      ['os.dup2(1, inheritable=True)', () => f(os.dup2)(1, { inheritable: true })],
      ["os.open('/nonexistent', 0, foo=1, path='y')", () => f(os.open)('/nonexistent', 0, { foo: 1, path: 'y' })],
      ["os.open('/nonexistent', flags=0, path='y')", () => f(os.open)('/nonexistent', { flags: 0, path: 'y' })],
      ["os.execve('/nonexistent', env={}, path='y')", () => f(os.execve)('/nonexistent', { env: {}, path: 'y' })],
    ]);
  });

  it('the keywords reach the program: argv and env of execve, execvpe, execvp (in throwaway children)', T, () => {
    const run = (cmd: string, args: string[]) => {
      const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 10_000 });
      return { stdout: r.stdout, stderr: r.stderr, status: r.status };
    };
    const node = (body: string) =>
      run(process.execPath, ['--input-type=module', '-e', `import { os } from ${JSON.stringify(dist)};\n${body}`]);
    const pairs: [string, string][] = [
      [
        "os.execve('/bin/sh', argv=['sh', '-c', 'echo \"$0|$1|$ONLY\"', 'zero', 'one'], env={'ONLY': 'kw'})",
        `os.execve('/bin/sh', { argv: ['sh', '-c', 'echo "$0|$1|$ONLY"', 'zero', 'one'], env: { ONLY: 'kw' } });`,
      ],
      [
        "os.execve('/usr/bin/env', argv=['env'], env={'ONLY': 'kw'})",
        `os.execve('/usr/bin/env', { argv: ['env'], env: { ONLY: 'kw' } });`,
      ],
      [
        "os.execve(path='/bin/sh', env={'ONLY': 'all'}, argv=['sh', '-c', 'echo \"$ONLY\"'])",
        `os.execve({ path: '/bin/sh', env: { ONLY: 'all' }, argv: ['sh', '-c', 'echo "$ONLY"'] });`,
      ],
      [
        "os.execvpe('sh', args=['sh', '-c', 'echo \"$X|$PATH\"'], env={'PATH': '/nonexistent:/bin:/usr/bin', 'X': 'vpe'})",
        `os.execvpe('sh', { args: ['sh', '-c', 'echo "$X|$PATH"'], env: { PATH: '/nonexistent:/bin:/usr/bin', X: 'vpe' } });`,
      ],
      [
        "os.environ['Y'] = 'vp'; os.execvp(file='sh', args=['sh', '-c', 'echo \"$Y\"'])",
        `process.env.Y = 'vp'; os.execvp({ file: 'sh', args: ['sh', '-c', 'echo "$Y"'] });`,
      ],
    ];
    const want = pairs.map(([p]) => run('python3', ['-c', `import os; ${p}`]));
    expect(want.map((w) => w.stdout)).toEqual([
      'zero|one|kw\n',
      'ONLY=kw\n',
      'all\n',
      'vpe|/nonexistent:/bin:/usr/bin\n',
      'vp\n',
    ]);
    expect(pairs.map(([, js]) => node(js))).toEqual(want);
  });
});

describe("1b. positional-only C functions refuse keywords ('takes no keyword arguments'), and **{} is nothing", () => {
  it(
    'read, write, pipe2, dup, isatty, lseek, closerange, strerror, get/set_inheritable, get/set_blocking, kill, killpg, waitpid, S_IS*',
    T,
    () => {
      const [r, w] = os.pipe();
      os.write(w, Buffer.from('abc'));
      const x = (s: string) => Buffer.from(s);
      try {
        same(
          [
            ['os.read(r, length=1)', () => f(os.read)(r, { length: 1 })],
            ['os.read(fd=r, length=1)', () => f(os.read)({ fd: r, length: 1 })],
            ['os.read(r, 1, **{})', () => f(os.read)(r, 1, {})],
            ['os.read(r, {})', () => f(os.read)(r, {})],
            ["os.read(r, {'x': 1})", () => f(os.read)(r, { x: 1 })],
            ["os.write(w, data=b'x')", () => f(os.write)(w, { data: x('x') })],
            ["os.write(w, b'x', **{})", () => f(os.write)(w, x('x'), {})],
            ['os.pipe2(flags=0)', () => f(os.pipe2)({ flags: 0 })],
            ['os.dup(fd=r)', () => f(os.dup)({ fd: r })],
            ['os.isatty(fd=r)', () => f(os.isatty)({ fd: r })],
            ['os.isatty(r, **{})', () => f(os.isatty)(r, {})],
            ['os.lseek(r, 0, whence=0)', () => f(os.lseek)(r, 0, { whence: 0 })],
            ['os.closerange(100, fd_high=101)', () => f(os.closerange)(100, { fd_high: 101 })],
            ['os.strerror(code=1)', () => f(os.strerror)({ code: 1 })],
            ['os.get_inheritable(fd=r)', () => f(os.get_inheritable)({ fd: r })],
            ['os.set_inheritable(r, inheritable=False)', () => f(os.set_inheritable)(r, { inheritable: false })],
            ['os.get_blocking(fd=r)', () => f(os.get_blocking)({ fd: r })],
            ['os.set_blocking(r, blocking=True)', () => f(os.set_blocking)(r, { blocking: true })],
            ['os.kill(0, signal=0)', () => f(os.kill)(0, { signal: 0 })],
            ['os.killpg(1, signal=0)', () => f(os.killpg)(1, { signal: 0 })],
            ['os.waitpid(-1, options=1)', () => f(os.waitpid)(-1, { options: 1 })],
            ['stat.S_ISFIFO(mode=0)', () => f(stat.S_ISFIFO)({ mode: 0 })],
            ['stat.S_ISFIFO(0, **{})', () => f(stat.S_ISFIFO)(0, {})],
            ['stat.S_ISFIFO({})', () => f(stat.S_ISFIFO)({})],
          ],
          "import stat\nr, w = os.pipe(); os.write(w, b'abc')",
        );
      } finally {
        os.close(r);
        os.close(w);
      }
    },
  );
});

describe('2. the W* functions and waitstatus_to_exitcode: keywords as CPython takes them', () => {
  const funcs = [
    'WCOREDUMP',
    'WIFCONTINUED',
    'WIFSTOPPED',
    'WIFSIGNALED',
    'WIFEXITED',
    'WEXITSTATUS',
    'WTERMSIG',
    'WSTOPSIG',
    'waitstatus_to_exitcode',
  ] as const;
  // [Python arguments, JS arguments]: a JS object reads as keywords when every key is a parameter name.
  const args: [string, unknown[]][] = [
    ['status=0x80', [{ status: 0x80 }]],
    ['status=0x137f', [{ status: 0x137f }]],
    ["status='1'", [{ status: '1' }]],
    ['status=None', [{ status: null }]],
    ['status=2**31', [{ status: 2 ** 31 }]],
    ['1, status=1', [1, { status: 1 }]],
    ['1, x=2', [1, { x: 2 }]],
    ['1, **{}', [1, {}]],
    ['1, 2, x=2', [1, 2, { x: 2 }]],
    ['{}', [{}]],
    ["{'x': 1}", [{ x: 1 }]],
    ["{'status': 1, 'x': 2}", [{ status: 1, x: 2 }]],
    ['0x100', [0x100]],
    ['', []],
  ];
  it('each function with each form', T, () => {
    const cases: Case[] = [];
    for (const fn of funcs) for (const [p, a] of args) cases.push([`os.${fn}(${p})`, () => f(os[fn])(...a)]);
    same(cases);
  });
});

describe('3. os.stat_result built from a sequence', () => {
  const S = (...a: unknown[]) => new (os.stat_result as unknown as new (...x: unknown[]) => os.stat_result)(...a);
  /** What a test reads of one: str(), then every field. */
  const fields = [
    'st_mode',
    'st_ino',
    'st_dev',
    'st_nlink',
    'st_uid',
    'st_gid',
    'st_size',
    'st_atime',
    'st_mtime',
    'st_ctime',
    'st_atime_ns',
    'st_mtime_ns',
    'st_ctime_ns',
    'st_blksize',
    'st_blocks',
    'st_rdev',
  ];
  const look = (s: os.stat_result) => [
    String(s),
    ...fields.map((n) => {
      const v = (s as unknown as Record<string, unknown>)[n];
      return typeof v === 'bigint' ? Number(v) : v;
    }),
  ];
  const pyLook = (expr: string) => `(lambda s: [str(s)] + [getattr(s, n) for n in ${py(fields)}])(${expr})`;
  const range = (n: number) => Array.from({ length: n }, (_, i) => i);

  it('fields, the int-time fallback of st_*time, str(), and the dict for the fields past the sequence', T, () => {
    same([
      [pyLook('os.stat_result((1,2,3,4,5,6,7,8,9,10))'), () => look(S([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]))],
      [pyLook('os.stat_result(list(range(11)))'), () => look(S(range(11)))],
      [pyLook('os.stat_result(range(13))'), () => look(S(range(13)))],
      [pyLook('os.stat_result(range(19))'), () => look(S(range(19)))],
      [pyLook('os.stat_result(tuple(range(10)) + (None,) * 9)'), () => look(S([...range(10), ...Array(9).fill(null)]))],
      [pyLook('os.stat_result((1.5,) * 10)'), () => look(S(Array(10).fill(1.5)))],
      [pyLook("os.stat_result('abcdefghij')"), () => look(S('abcdefghij'))],
      [pyLook("os.stat_result(b'abcdefghij')"), () => look(S(Buffer.from('abcdefghij')))],
      [pyLook("os.stat_result(('x', None) * 5)"), () => look(S(Array(5).fill(['x', null]).flat()))],
      [pyLook('os.stat_result(dict.fromkeys(range(10)))'), () => look(S(new Map(range(10).map((i) => [i, null]))))],
      [pyLook('os.stat_result(iter(range(10)))'), () => look(S(range(10).values()))],
      [
        pyLook("os.stat_result(range(10), {'st_atime': 5, 'st_mode': 9, 'st_rdev': 7, 'st_blocks': None, 'x': 1})"),
        () => look(S(range(10), { st_atime: 5, st_mode: 9, st_rdev: 7, st_blocks: null, x: 1 })),
      ],
      [
        pyLook("os.stat_result(range(10), {'dict': {'st_rdev': 1}})"),
        () => look(S(range(10), { dict: { st_rdev: 1 } })),
      ],
      [pyLook("os.stat_result(range(12), {'st_atime': 5})"), () => look(S(range(12), new Map([['st_atime', 5]])))],
      [
        pyLook("os.stat_result(sequence=range(10), dict={'st_ctime_ns': 3})"),
        () => look(S({ sequence: range(10), dict: { st_ctime_ns: 3 } })),
      ],
      [pyLook('os.stat_result(range(10), **{})'), () => look(S(range(10), {}))],
    ]);
  });

  it("CPython's errors: too short, too long, not a sequence, a dict that is not one, argument counts", T, () => {
    same([
      ['os.stat_result((1, 2, 3))', () => S([1, 2, 3])],
      ['os.stat_result(())', () => S([])],
      ['os.stat_result(range(9))', () => S(range(9))],
      ['os.stat_result(range(20))', () => S(range(20))],
      ['os.stat_result(range(100))', () => S(range(100))],
      ['os.stat_result({})', () => S({})],
      ["os.stat_result({'a': 1})", () => S({ a: 1 })],
      ['os.stat_result(5)', () => S(5)],
      ['os.stat_result(1.5)', () => S(1.5)],
      ['os.stat_result(None)', () => S(null)],
      ['os.stat_result(None)', () => S(undefined)],
      ['os.stat_result(True)', () => S(true)],
      ['os.stat_result(5, 5)', () => S(5, 5)],
      ['os.stat_result(range(3), 5)', () => S(range(3), 5)],
      ['os.stat_result(range(10), None)', () => S(range(10), null)],
      ['os.stat_result(range(10), [])', () => S(range(10), [])],
      ['os.stat_result(range(10), 5)', () => S(range(10), 5)],
      ['os.stat_result()', () => S()],
      ['os.stat_result(range(10), {}, 1)', () => S(range(10), {}, 1)],
      ['os.stat_result(dict={})', () => S({ dict: {} })],
      ['os.stat_result(range(10), {}, sequence=range(10))', () => S(range(10), {}, { sequence: range(10) })],
    ]);
  });

  it('fstat still builds its own, with exact times, and str() shows whole seconds', T, () => {
    const [r, w] = os.pipe();
    try {
      const st = os.fstat(r);
      expect(st).toBeInstanceOf(os.stat_result);
      expect(stat.S_ISFIFO(st.st_mode)).toBe(true);
      expect(typeof st.st_atime_ns).toBe('bigint');
      const secs = [st.st_atime_ns, st.st_mtime_ns, st.st_ctime_ns].map((ns) => ns / 1_000_000_000n);
      expect(String(st)).toBe(
        `os.stat_result(st_mode=${st.st_mode}, st_ino=${st.st_ino}, st_dev=${st.st_dev}, st_nlink=${st.st_nlink}, ` +
          `st_uid=${st.st_uid}, st_gid=${st.st_gid}, st_size=0, st_atime=${secs[0]}, st_mtime=${secs[1]}, st_ctime=${secs[2]})`,
      );
    } finally {
      os.close(r);
      os.close(w);
    }
  });
  it('is a tuple too: st[stat.ST_SIZE], len, iteration, the times as whole seconds', T, () => {
    const path = fileURLToPath(new URL('../package.json', import.meta.url));
    const fd = os.open(path, os.O_RDONLY);
    try {
      const st = os.fstat(fd);
      same(
        [
          ['len(st)', () => st.length],
          ['st[stat.ST_SIZE] == st.st_size', () => st[stat.ST_SIZE] === st.st_size],
          [
            '[st[i] for i in range(10)] == list(st)',
            () => JSON.stringify([...Array(10).keys()].map((i) => st[i])) === JSON.stringify([...st]),
          ],
          ['list(st)[:7]', () => [...st].slice(0, 7)],
          [
            'list(st)[7:] == [int(st.st_atime), int(st.st_mtime), int(st.st_ctime)]',
            () =>
              JSON.stringify([...st].slice(7)) ===
              JSON.stringify([Math.floor(st.st_atime), Math.floor(st.st_mtime), Math.floor(st.st_ctime)]),
          ],
          ['list(os.stat_result(range(10)))', () => [...S(range(10))]],
          ['os.stat_result(range(10))[7]', () => (S(range(10)) as os.stat_result)[7]],
          ["list(os.stat_result(range(10), {'st_atime': 1.5}))", () => [...S(range(10), { st_atime: 1.5 })]],
        ],
        `import stat\nst = os.fstat(os.open(${JSON.stringify(path)}, os.O_RDONLY))`,
      );
      // The documented difference: beyond the 10 items JS indexing gives undefined, CPython IndexError.
      expect(st[10]).toBeUndefined();
      expect(pythonJson(`${PY_OUTCOME}\nprint(json.dumps(outcome(lambda: os.fstat(0)[10])))`)).toEqual([
        'raise',
        'IndexError',
        'tuple index out of range',
        null,
      ]);
    } finally {
      os.close(fd);
    }
  });
});

describe('4. claims of docs/ held next to CPython', () => {
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
    // test/os-process-review.test.ts has S_ISDIR, S_ISREG, S_ISFIFO, S_IFMT and S_IMODE
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
