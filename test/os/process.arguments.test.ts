// Argument counts and wording of os's process functions, against CPython
// 3.11. Everything here fails before any system call, so it runs in this
// process.
import { describe, expect, it } from 'vitest';
import { os, signal } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

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

describe('os process functions: arity and argument wording', () => {
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
