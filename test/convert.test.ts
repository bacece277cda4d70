// Argument binding (lib/convert.ts bindArgs): TypeError messages worded as
// CPython's for C functions and for functions and methods written in Python.
import { describe, expect, it } from 'vitest';
import { bindArgs } from '../lib/convert.js';
import { os } from '../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from './helpers/python.js';

describe('bindArgs', () => {
  it('words errors as CPython does for Python functions and methods', () => {
    const names = ['a', 'b', 'c', 'd'];
    // [Python call, function name, JS arguments, required count, style]
    const calls: [string, string, unknown[], number, 'function' | 'method'][] = [
      ['f(1, 2, 3, 4, 5)', 'f', [1, 2, 3, 4, 5], 2, 'function'],
      ['f(1)', 'f', [1], 2, 'function'],
      ['f()', 'f', [], 2, 'function'],
      ['h()', 'h', [], 3, 'function'],
      ['f(1, 2, b=3)', 'f', [1, 2, { b: 3 }], 2, 'function'],
      ['f(1, 2, e=3)', 'f', [1, 2, { e: 3 }], 2, 'function'],
      ['P().wait(1, 2, 3, 4, 5)', 'P.wait', [1, 2, 3, 4, 5], 2, 'method'],
      ['g(1, 2, 3, 4, 5)', 'g', [1, 2, 3, 4, 5], 4, 'function'],
    ];
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
def f(a, b, c=1, d=2): pass
def h(a, b, c, d=2): pass
def g(a, b, c, d): pass
class P:
    def wait(self, a, b, c=1, d=2): pass
P.wait.__qualname__ = 'P.wait'
print(json.dumps([${calls.map(([c]) => `outcome(lambda: ${c})`).join(', ')}]))`);
    const got = calls.map(([, func, args, required, style]) =>
      outcome(() => bindArgs(func, names, args, required, style)),
    );
    // Python's successful call returns None; bindArgs returns the bound names.
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
    // execve's env is a required positional plain object: its keys are not parameter names.
    expect(bindArgs('execve', ['path', 'argv', 'env'], ['/bin/true', ['true'], { PATH: '/bin' }], 3)).toEqual({
      path: '/bin/true',
      argv: ['true'],
      env: { PATH: '/bin' },
    });
  });

  it('keeps the C-function wording by default (os.dup2)', () => {
    const want = pythonJson<unknown[]>(`${PY_OUTCOME}
import os
print(json.dumps([outcome(lambda: os.dup2(1)), outcome(lambda: os.dup2(1, 2, 3, 4)), outcome(lambda: os.dup2(1, 2, True, inheritable=True))]))`);
    const names = ['fd', 'fd2', 'inheritable'];
    expect([
      outcome(() => bindArgs('dup2', names, [1], 2)),
      outcome(() => bindArgs('dup2', names, [1, 2, 3, 4], 2)),
      outcome(() => bindArgs('dup2', names, [1, 2, true, { inheritable: true }], 2)),
    ]).toEqual(want);
  });
});
