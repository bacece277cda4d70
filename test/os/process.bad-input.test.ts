// Bad input table (docs/errors.md): every exported os process function x
// [undefined, null, NaN, -1, 2**53, '3', {}, a closed fd] gives a documented
// error or a harmless result, never a crash or a hang, compared with CPython
// run live on the same values.
import { describe, expect, it } from 'vitest';
import { os, signal, subprocess, ValueError } from '../../lib/index.js';
import { asPipefork, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

// A closed fd that cannot be a pid either: above the kernel's largest
// pid_max (2**22) and its largest fd limit (nr_open, 2**20). A smaller number
// made the live comparison flaky once pids wrapped around on a busy machine.
const CLOSED_FD = 2 ** 22 + 1;
const values: unknown[] = [undefined, null, Number.NaN, -1, 2 ** 53, '3', {}, CLOSED_FD];
const pyValues = ['None', 'None', 'float("nan")', '-1', '2**53', '"3"', '{}', String(CLOSED_FD)];

/** A pid that surely belongs to nobody we care about: a child of ours, already reaped. */
function deadPid(): number {
  const p = new subprocess.Popen(['true']);
  p.wait();
  return p.pid;
}

describe('bad input to os process functions, compared with CPython', () => {
  const dead = deadPid();
  // [python template with X for the value, the JS call]
  const rows: [string, (v: unknown) => unknown][] = [
    ['os.waitpid($V, 0)', (v) => os.waitpid(v as number, 0)],
    [`os.waitpid(${dead}, $V)`, (v) => os.waitpid(dead, v as number)],
    ['os.wait($V)', (v) => (os.wait as (...a: unknown[]) => unknown)(v)],
    ['os.kill($V, 0)', (v) => os.kill(v as number, 0)],
    [`os.kill(${dead}, $V)`, (v) => os.kill(dead, v as number)],
    ['os.killpg($V, 0)', (v) => os.killpg(v as number, 0)],
    [`os.killpg(${dead}, $V)`, (v) => os.killpg(dead, v as number)],
    ['os.getpgid($V)', (v) => os.getpgid(v as number)],
    ['os.setpgid($V, 0) if $V != 0 else None', (v) => os.setpgid(v as number, 0)],
    ['os.WEXITSTATUS($V)', (v) => os.WEXITSTATUS(v as number)],
    ['os.WIFSIGNALED($V)', (v) => os.WIFSIGNALED(v as number)],
    ['os.WTERMSIG($V)', (v) => os.WTERMSIG(v as number)],
    ['os.WIFEXITED($V)', (v) => os.WIFEXITED(v as number)],
    ['os.WIFSTOPPED($V)', (v) => os.WIFSTOPPED(v as number)],
    ['os.WSTOPSIG($V)', (v) => os.WSTOPSIG(v as number)],
    ['os.WIFCONTINUED($V)', (v) => os.WIFCONTINUED(v as number)],
    ['os.WCOREDUMP($V)', (v) => os.WCOREDUMP(v as number)],
    // None reads the environment, whose PATH python3 (a pyenv shim) changes: left out.
    [
      'os.get_exec_path($V) if $V is not None else 0',
      (v) => (v === null || v === undefined ? 0 : os.get_exec_path(v as Record<string, string>)),
    ],
    ['os.waitstatus_to_exitcode($V)', (v) => os.waitstatus_to_exitcode(v as number)],
    ['os.execv($V, ["a"])', (v) => os.execv(v as string, ['a'])],
    ['os.execv("/nonexistent", $V)', (v) => os.execv('/nonexistent', v as string[])],
    ['os.execv("/nonexistent", [$V])', (v) => os.execv('/nonexistent', [v as string])],
    ['os.execve("/nonexistent", ["a"], $V)', (v) => os.execve('/nonexistent', ['a'], v as Record<string, string>)],
    ['os.execvp($V, ["a"])', (v) => os.execvp(v as string, ['a'])],
    ['os.execvpe($V, ["a"], {})', (v) => os.execvpe(v as string, ['a'], {})],
    ['os.execvpe("/nonexistent", ["a"], $V)', (v) => os.execvpe('/nonexistent', ['a'], v as Record<string, string>)],
  ];
  for (const [py, js] of rows) {
    it(py, () => {
      const expected = pythonJson<unknown[][]>(
        `${PY_OUTCOME}\nprint(json.dumps([outcome(lambda: ${py.replaceAll('$V', 'x')}) for x in [${pyValues.join(', ')}]]))`,
      );
      const got = values.map((v) => outcome(() => js(v)));
      // undefined is JS-only: it must behave like None.
      expect(got[0]).toEqual(got[1]);
      const pyNorm = expected.map(asPipefork);
      expect(got.slice(1)).toEqual(pyNorm.slice(1));
    });
  }

  it('pidfd_open(X) and pidfd_open(pid, X)', () => {
    const expected = pythonJson<unknown[][]>(
      `${PY_OUTCOME}\nprint(json.dumps([outcome(lambda: os.pidfd_open(${dead}, x)) for x in [${pyValues.join(', ')}]]))`,
    );
    // {} is left out: as a trailing argument it is the keyword-arguments
    // object (docs/arguments.md), so pidfd_open(pid, {}) means pidfd_open(pid).
    const skipDict = (a: unknown[]) =>
      a.filter((_, i) => values[i] === undefined || typeof values[i] !== 'object' || values[i] === null);
    expect(skipDict(values.map((v) => outcome(() => os.pidfd_open(dead, v as number)))).slice(1)).toEqual(
      skipDict(expected).slice(1),
    );
    for (const v of values) {
      const r = outcome(() => os.pidfd_open(v as number));
      if (r[0] === 'ok')
        os.close(r[1] as number); // CLOSED_FD may be a live pid
      else expect(['TypeError', 'OverflowError', 'ProcessLookupError', 'OSError']).toContain(r[1]);
    }
  });

  it("os.untrackChild(X), pipefork's own: a pid_t, converted as every os function converts one", () => {
    expect(values.map((v) => outcome(() => os.untrackChild(v as number)))).toEqual([
      ['raise', 'TypeError', "'NoneType' object cannot be interpreted as an integer", null],
      ['raise', 'TypeError', "'NoneType' object cannot be interpreted as an integer", null],
      ['raise', 'TypeError', "'float' object cannot be interpreted as an integer", null],
      ['ok', null],
      ['raise', 'OverflowError', 'Python int too large to convert to C int', null],
      ['raise', 'TypeError', "'str' object cannot be interpreted as an integer", null],
      ['raise', 'TypeError', "'dict' object cannot be interpreted as an integer", null],
      ['ok', null],
    ]);
    expect(outcome(() => (os.untrackChild as (...a: unknown[]) => unknown)())).toEqual([
      'raise',
      'TypeError',
      'untrackChild() takes exactly one argument (0 given)',
      null,
    ]);
  });

  it('signal.Signals(X)', () => {
    for (const v of values) expect(() => signal.Signals(v as number)).toThrow(ValueError);
  });
});
