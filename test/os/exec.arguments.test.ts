// exec* and _exit argument errors, against CPython 3.11: the checks come in
// CPython's order and none gets as far as exec here. Calls that would replace
// or end the process run only inside a throwaway node child.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { os, signal } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const dist = fileURLToPath(new URL('../../dist/lib/index.js', import.meta.url));
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

describe('exec* argument errors (none gets as far as exec)', () => {
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

describe('exec* and _exit given wrong arguments, in throwaway children', () => {
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
