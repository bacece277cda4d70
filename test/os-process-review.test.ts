// Review fixes for os (processes), signal and stat, held against CPython 3.11
// case by case. Calls that would replace or end the process (exec*, _exit)
// run only inside a throwaway node child; everything else fails before any
// system call, so it runs here.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, signal, stat } from '../lib/index.js';
import { loose, outcome, PY_OUTCOME, pythonJson } from './helpers/python.js';
import { runCases } from './helpers/scenario.js';

const dist = fileURLToPath(new URL('../dist/lib/index.js', import.meta.url));
const B = (s: string): Buffer => Buffer.from(s, 'latin1');
const self = process.pid;

type Case = [py: string, js: () => unknown];

/** Each Python expression's outcome next to its JS twin's; Signals members compared by repr. */
function differential(cases: Case[]): void {
  const { python, pipefork } = runCases(
    cases.map(([p, f]) => [
      `sig_repr(${p})`,
      () => {
        const r = f();
        return r instanceof signal.Signal ? r.repr() : r;
      },
    ]),
    `import signal, stat
SELF = ${self}
def sig_repr(r): return repr(r) if isinstance(r, signal.Signals) else r`,
  );
  cases.forEach(([p], i) => {
    expect([p, pipefork[i]]).toEqual([p, python[i]]);
  });
}

describe('arity and argument wording (differential)', () => {
  it('no-argument functions refuse arguments without making the call', () => {
    differential([
      ['os.getpid(1)', () => loose(os.getpid)(1)],
      ['os.getppid(1)', () => loose(os.getppid)(1)],
      ['os.getpgrp(1, 2)', () => loose(os.getpgrp)(1, 2)],
      ['os.setsid(1)', () => loose(os.setsid)(1)],
      ['os.wait(1)', () => loose(os.wait)(1)],
    ]);
  });

  it('kill, killpg, setpgid, waitpid, execv, execve, execvp, execvpe, get_exec_path', () => {
    const f = loose;
    differential([
      ['os.kill(SELF)', () => f(os.kill)(self)],
      ['os.kill(SELF, 0, 1)', () => f(os.kill)(self, 0, 1)],
      ['os.killpg(SELF)', () => f(os.killpg)(self)],
      ['os.killpg()', () => f(os.killpg)()],
      ['os.setpgid(0)', () => f(os.setpgid)(0)],
      ['os.setpgid(0, 0, 0)', () => f(os.setpgid)(0, 0, 0)],
      ['os.waitpid(1)', () => f(os.waitpid)(1)],
      ["os.execv('/x')", () => f(os.execv)('/x')],
      ["os.execv('/x', ['a'], 1)", () => f(os.execv)('/x', ['a'], 1)],
      ["os.execve('/x', ['a'])", () => f(os.execve)('/x', ['a'])],
      ["os.execvp('x')", () => f(os.execvp)('x')],
      ['os.execvp()', () => f(os.execvp)()],
      ["os.execvp('x', ['a'], 'extra')", () => f(os.execvp)('x', ['a'], 'extra')],
      ["os.execvpe('x')", () => f(os.execvpe)('x')],
      ["os.execvpe('x', ['a'], {}, 1)", () => f(os.execvpe)('x', ['a'], {}, 1)],
      ['os.get_exec_path({}, 1)', () => f(os.get_exec_path)({}, 1)],
      ['os.getpgid()', () => f(os.getpgid)()],
    ]);
  });

  it('pid and signal overflow: C long first, then C int', () => {
    differential([
      ['os.waitpid(2**64, 0)', () => os.waitpid((2n ** 64n) as unknown as number, 0)],
      ['os.waitpid(-2**64, 0)', () => os.waitpid(-(2n ** 64n) as unknown as number, 0)],
      ['os.waitpid(2**63, 0)', () => os.waitpid((2n ** 63n) as unknown as number, 0)],
      ['os.waitpid(2**63 - 1, 0)', () => os.waitpid((2n ** 63n - 1n) as unknown as number, 0)],
      ['os.waitpid(-2**63, 0)', () => os.waitpid(-(2n ** 63n) as unknown as number, 0)],
      ['os.waitpid(2**40, 0)', () => os.waitpid(2 ** 40, 0)],
      ['os.waitpid(SELF, 2**64)', () => os.waitpid(self, (2n ** 64n) as unknown as number)],
      ['os.kill(2**64, 0)', () => os.kill((2n ** 64n) as unknown as number, 0)],
      ['os.kill(2**40, 0)', () => os.kill(2 ** 40, 0)],
      ['os.killpg(SELF, 2**64)', () => os.killpg(self, (2n ** 64n) as unknown as number)],
      ['os.killpg(2**64, 0)', () => os.killpg((2n ** 64n) as unknown as number, 0)],
      ['os.setpgid(2**64, 0)', () => os.setpgid((2n ** 64n) as unknown as number, 0)],
      ['os.getpgid(2**64)', () => os.getpgid((2n ** 64n) as unknown as number)],
      ['os.pidfd_open(2**64)', () => os.pidfd_open((2n ** 64n) as unknown as number)],
      ['os.pidfd_open(SELF, 2**64)', () => os.pidfd_open(self, (2n ** 64n) as unknown as number)],
      ['os.pidfd_open(SELF, 2**40)', () => os.pidfd_open(self, 2 ** 40)],
      ['os.pidfd_open(SELF, -2**64)', () => os.pidfd_open(self, -(2n ** 64n) as unknown as number)],
    ]);
  });
});

describe('exec* argument errors (differential; none gets as far as exec)', () => {
  const ex = (fn: unknown) => fn as (...a: unknown[]) => never;
  it('execve: argv, env and path checks in CPython order and wording', () => {
    differential([
      ["os.execve('/x', 'ab', {})", () => ex(os.execve)('/x', 'ab', {})],
      ["os.execve('/x', [], {})", () => ex(os.execve)('/x', [], {})],
      ["os.execve('/x', [''], {})", () => ex(os.execve)('/x', [''], {})],
      ["os.execve('/x', 'ab', [])", () => ex(os.execve)('/x', 'ab', [])],
      ["os.execve('/x', [], 5)", () => ex(os.execve)('/x', [], 5)],
      ["os.execve('/x', [1], 5)", () => ex(os.execve)('/x', [1], 5)],
      ["os.execve('/x', [''], 5)", () => ex(os.execve)('/x', [''], 5)],
      ["os.execve('/x', ['a'], None)", () => ex(os.execve)('/x', ['a'], null)],
      ["os.execve('/x', [1], [])", () => ex(os.execve)('/x', [1], [])],
      ["os.execve('/x', [''], [])", () => ex(os.execve)('/x', [''], [])],
      ["os.execve('/x', ['a'], [])", () => ex(os.execve)('/x', ['a'], [])],
      ["os.execve('/x', ['a'], 'ab')", () => ex(os.execve)('/x', ['a'], 'ab')],
      ["os.execve('/x', ['a'], b'ab')", () => ex(os.execve)('/x', ['a'], B('ab'))],
      ["os.execve(b'/x\\0', ['a'], {})", () => ex(os.execve)(B('/x\0'), ['a'], {})],
      ["os.execve('/x\\0', ['a'], {})", () => ex(os.execve)('/x\0', ['a'], {})],
      ["os.execv(b'/x\\0', ['a'])", () => ex(os.execv)(B('/x\0'), ['a'])],
      ["os.execv('/x\\0', ['a'])", () => ex(os.execv)('/x\0', ['a'])],
      ["os.execv('/x', [])", () => ex(os.execv)('/x', [])],
      ["os.execv('/x', 'ab')", () => ex(os.execv)('/x', 'ab')],
      ["os.execv('/x', [''])", () => ex(os.execv)('/x', [''])],
      ["os.execve(None, ['a'], {})", () => ex(os.execve)(null, ['a'], {})],
      ["os.execve(1.5, ['a'], {})", () => ex(os.execve)(1.5, ['a'], {})],
      ["os.execve(2**40, ['a'], {})", () => ex(os.execve)(2 ** 40, ['a'], {})],
      ["os.execve(-2**40, ['a'], {})", () => ex(os.execve)(-(2 ** 40), ['a'], {})],
      ["os.execv(None, ['a'])", () => ex(os.execv)(null, ['a'])],
      ["os.execv(12345, ['a'])", () => ex(os.execv)(12345, ['a'])],
      // A closed fd: fexecve's EBADF, with the fd as the filename.
      ["os.execve(12345, ['a'], {})", () => ex(os.execve)(12345, ['a'], {})],
    ]);
  });

  it('execvp/execvpe: get_exec_path(env) first, then each candidate as execv/execve would take it', () => {
    differential([
      ["os.execvpe('x', ['a'], 'ab')", () => ex(os.execvpe)('x', ['a'], 'ab')],
      ["os.execvpe('x', ['a'], 5)", () => ex(os.execvpe)('x', ['a'], 5)],
      ["os.execvpe('x', ['a'], [])", () => ex(os.execvpe)('x', ['a'], [])],
      ["os.execvpe('x', [], [])", () => ex(os.execvpe)('x', [], [])],
      ["os.execvpe('x', ['a'], {'PATH': 5})", () => ex(os.execvpe)('x', ['a'], { PATH: 5 })],
      ["os.execvpe('x', [], {'PATH': '/nonexistent'})", () => ex(os.execvpe)('x', [], { PATH: '/nonexistent' })],
      ["os.execvpe('x', 'ab', {'PATH': '/nonexistent'})", () => ex(os.execvpe)('x', 'ab', { PATH: '/nonexistent' })],
      ["os.execvpe('x', [''], {'PATH': '/nonexistent'})", () => ex(os.execvpe)('x', [''], { PATH: '/nonexistent' })],
      ["os.execvpe('/x', [], {})", () => ex(os.execvpe)('/x', [], {})],
      ["os.execvpe('/x', ['a'], [])", () => ex(os.execvpe)('/x', ['a'], [])],
      ["os.execvpe(b'/x\\0', ['a'], {})", () => ex(os.execvpe)(B('/x\0'), ['a'], {})],
      ["os.execvpe('x\\0', [], {'PATH': '/nonexistent'})", () => ex(os.execvpe)('x\0', [], { PATH: '/nonexistent' })],
      [
        "os.execvpe('x', ['a'], {'PATH': '/nonexistent:/t\\0mp'})",
        () => ex(os.execvpe)('x', ['a'], { PATH: '/nonexistent:/t\0mp' }),
      ],
      ["os.execvpe('nosuch-xyz', ['a'], None)", () => ex(os.execvpe)('nosuch-xyz', ['a'], null)],
      ["os.execvp('x\\0', [])", () => ex(os.execvp)('x\0', [])],
      ["os.execvp(b'x\\0', ['a'])", () => ex(os.execvp)(B('x\0'), ['a'])],
      ["os.execvp('/x\\0', ['a'])", () => ex(os.execvp)('/x\0', ['a'])],
      ["os.execvp(5, ['a'])", () => ex(os.execvp)(5, ['a'])],
    ]);
  });

  it('get_exec_path: mappings only, bytes PATH decoded with surrogateescape', () => {
    const g = loose(os.get_exec_path);
    differential([
      ['os.get_exec_path([])', () => g([])],
      ["os.get_exec_path('ab')", () => g('ab')],
      ['os.get_exec_path(5)', () => g(5)],
      ["os.get_exec_path({'PATH': 5})", () => g({ PATH: 5 })],
      ["os.get_exec_path({'PATH': '/a::/b'})", () => g({ PATH: '/a::/b' })],
      ['os.get_exec_path({})', () => g({})],
      [
        "os.get_exec_path({b'PATH': b'/x\\xff:/\\xc3\\xa9:/\\xed\\xa0\\x80:/\\xe2\\x82'})",
        () => g(new Map([[B('PATH'), B('/x\xff:/\xc3\xa9:/\xed\xa0\x80:/\xe2\x82')]])),
      ],
      [
        "os.get_exec_path({'PATH': b'/\\xf0\\x9f\\x98\\x80:/\\xf4\\x90\\x80\\x80'})",
        () => g({ PATH: B('/\xf0\x9f\x98\x80:/\xf4\x90\x80\x80') }),
      ],
    ]);
  });
});

describe('signal.Signals (differential)', () => {
  it('lookup by value, aliases, and the ValueError repr', () => {
    const S = loose(signal.Signals);
    differential([
      ['signal.Signals(9)', () => S(9)],
      ['signal.Signals(9)', () => S(9n)],
      ['signal.Signals(9.0)', () => S(9.0)],
      ['signal.Signals(True)', () => S(true)],
      ['signal.Signals(signal.Signals.SIGTERM)', () => S(signal.Signals.SIGTERM)],
      ['signal.Signals.SIGCLD', () => signal.Signals.SIGCLD],
      ['signal.Signals.SIGIOT', () => signal.Signals.SIGIOT],
      ['signal.Signals.SIGPOLL', () => signal.Signals.SIGPOLL],
      ['signal.Signals()', () => S()],
      ['signal.Signals(None)', () => S(null)],
      ["signal.Signals(float('nan'))", () => S(Number.NaN)],
      ["signal.Signals(float('inf'))", () => S(Number.POSITIVE_INFINITY)],
      ["signal.Signals(float('-inf'))", () => S(Number.NEGATIVE_INFINITY)],
      ['signal.Signals({})', () => S({})],
      ['signal.Signals([])', () => S([])],
      ["signal.Signals([1, 'a'])", () => S([1, 'a'])],
      ["signal.Signals({'a': None})", () => S({ a: null })],
      ["signal.Signals('x')", () => S('x')],
      ['signal.Signals("it\'s")', () => S("it's")],
      ['signal.Signals(1.5)', () => S(1.5)],
      ["signal.Signals(b'x\\x00')", () => S(B('x\0'))],
      ['signal.Signals(100)', () => S(100)],
      ['signal.Signals(2**70)', () => S(2n ** 70n)],
      ['signal.Signals(-1)', () => S(-1)],
      ['signal.Signals(9, 1)', () => S(9, 1)],
    ]);
  });
});

describe('stat (differential)', () => {
  it('S_IS*, S_IFMT, S_IMODE take one unsigned int mode', () => {
    const fns = ['S_ISDIR', 'S_ISREG', 'S_ISFIFO', 'S_IFMT', 'S_IMODE'] as const;
    const args: [string, unknown[]][] = [
      ['0o040755', [0o040755]],
      ['0o177777', [0o177777]],
      ['2**32 - 1', [2 ** 32 - 1]],
      ['2**31', [2n ** 31n]],
      ['0o010644', [0o010644n]],
      ['True', [true]],
      ["'x'", ['x']],
      ['None', [null]],
      ['1.5', [1.5]],
      ['', []],
      ['1, 2', [1, 2]],
      ['-1', [-1]],
      ['-2**70', [-(2n ** 70n)]],
      ['2**32', [2 ** 32]],
      ['2**63', [2n ** 63n]],
      ['2**64', [2n ** 64n]],
    ];
    const cases: Case[] = [];
    for (const fn of fns) {
      for (const [p, a] of args)
        cases.push([`stat.${fn}(${p})`, () => (stat[fn] as (...x: unknown[]) => unknown)(...a)]);
    }
    differential(cases);
  });

  it('S_IFDOOR, S_IFPORT, S_IFWHT', () => {
    differential([
      ['stat.S_IFDOOR', () => stat.S_IFDOOR],
      ['stat.S_IFPORT', () => stat.S_IFPORT],
      ['stat.S_IFWHT', () => stat.S_IFWHT],
    ]);
  });
});

/** Runs `body` in a fresh node with the built package; prints what happened to `code`. */
function inNode(body: string): { stdout: string; stderr: string; status: number | null } {
  const script = `import { os } from ${JSON.stringify(dist)};
const run = (f) => { try { f(); console.log('returned'); } catch (e) { console.log('raised', e.constructor.name, e.message); } };
${body}`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

function inPython(body: string): { stdout: string; status: number | null } {
  const r = spawnSync('python3', ['-c', body], { encoding: 'utf8', timeout: 10_000 });
  return { stdout: r.stdout, status: r.status };
}

describe('exec and _exit in throwaway children', () => {
  it('_exit with too many or too few arguments raises and the process carries on', () => {
    const r = inNode("run(() => os._exit(3, 4)); run(() => os._exit()); console.log('alive');");
    expect(r.stdout).toBe(
      "raised TypeError _exit() takes at most 1 argument (2 given)\nraised TypeError _exit() missing required argument 'status' (pos 1)\nalive\n",
    );
    expect(r.status).toBe(0);
    expect(inNode('os._exit(7)').status).toBe(7);
  });

  it('execvp with an extra argument raises instead of running the program', () => {
    const r = inNode("run(() => os.execvp('echo', ['echo', 'hi'], 'extra'));");
    expect(r.stdout).toBe('raised TypeError execvp() takes 2 positional arguments but 3 were given\n');
    expect(r.status).toBe(0);
  });

  it('execvpe(file, args, null) runs the program with the current environment, as CPython', () => {
    const py = inPython(
      "import os; os.environ['PF_MARK'] = 'm'; os.execvpe('sh', ['sh', '-c', 'echo hi $PF_MARK'], None)",
    );
    const r = inNode("process.env.PF_MARK = 'm'; os.execvpe('sh', ['sh', '-c', 'echo hi $PF_MARK'], null);");
    expect(py).toEqual({ stdout: 'hi m\n', status: 0 });
    expect({ stdout: r.stdout, status: r.status }).toEqual(py);
  });

  it.runIf(process.platform === 'linux')('execve with an open fd runs that file (fexecve)', () => {
    const py = inPython(
      "import os; fd = os.open('/bin/sh', os.O_RDONLY); os.execve(fd, ['sh', '-c', 'echo fd $X'], {'X': 'ok'})",
    );
    const r = inNode(
      "const fd = os.open('/bin/sh', os.O_RDONLY); os.execve(fd, ['sh', '-c', 'echo fd $X'], { X: 'ok' });",
    );
    expect(py).toEqual({ stdout: 'fd ok\n', status: 0 });
    expect({ stdout: r.stdout, status: r.status }).toEqual(py);
  });
});

describe('stat module names', () => {
  it("has CPython's constants and filemode()", () => {
    const modes = [
      0o100755, 0o40700, 0o10644, 0o104755, 0o41777, 0o20600, 0o60660, 0o120777, 0o140755, 0o755, 0o170755, 0o102644,
      0o106000, 0,
    ];
    const want = pythonJson<[Record<string, number>, string[], unknown[]]>(`${PY_OUTCOME}
import stat
names = {n: getattr(stat, n) for n in dir(stat) if n.isupper() and not n.startswith('FILE_ATTRIBUTE') and isinstance(getattr(stat, n), int)}
print(json.dumps([names, [stat.filemode(m) for m in ${JSON.stringify(modes)}], [outcome(lambda: stat.filemode(-1)), outcome(lambda: stat.S_ISDOOR(0o100644)), outcome(lambda: stat.S_ISWHT('x'))]]))`);
    const [names, filemodes, errors] = want;
    for (const [name, value] of Object.entries(names)) {
      expect((stat as unknown as Record<string, unknown>)[name], name).toBe(value);
    }
    expect(modes.map((m) => stat.filemode(m))).toEqual(filemodes);
    expect([
      outcome(() => stat.filemode(-1)),
      outcome(() => stat.S_ISDOOR(0o100644)),
      outcome(() => stat.S_ISWHT('x' as unknown as number)),
    ]).toEqual(errors);
  });
});
