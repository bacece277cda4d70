// The W* functions and waitstatus_to_exitcode against CPython: every status,
// the constants, bad statuses, and keyword arguments as CPython takes them.
import { describe, expect, it } from 'vitest';
import { OverflowError, os } from '../../lib/index.js';
import { asPipefork, loose, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
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

describe('the W* functions and waitstatus_to_exitcode: keywords as CPython takes them', () => {
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

describe('W* helpers and waitstatus_to_exitcode against CPython', () => {
  const statuses = [0, 0x100, 0xff00, 0x09, 0x8b, 0x137f, 0xffff, 0x7f, 0x80, -1, 65535, 2 ** 31 - 1, -(2 ** 31)];
  const funcs = [
    'WIFEXITED',
    'WEXITSTATUS',
    'WIFSIGNALED',
    'WTERMSIG',
    'WIFSTOPPED',
    'WSTOPSIG',
    'WIFCONTINUED',
    'WCOREDUMP',
    'waitstatus_to_exitcode',
  ] as const;
  it('give what os.W* give for every status', () => {
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nprint(json.dumps([outcome(lambda: getattr(os, f)(s)) for f in ${JSON.stringify(funcs)} for s in ${JSON.stringify(statuses)}]))`,
    );
    const js = funcs.flatMap((f) => statuses.map((s) => outcome(() => (os[f] as (s: number) => unknown)(s))));
    expect(js).toEqual(py);
  });

  it('constants match', () => {
    const py = pythonJson<number[]>('import os, json; print(json.dumps([os.WNOHANG, os.WUNTRACED, os.WCONTINUED]))');
    expect([os.WNOHANG, os.WUNTRACED, os.WCONTINUED]).toEqual(py);
  });

  it('bad statuses raise what CPython raises', () => {
    const bad = ['None', '2**31', '-2**31 - 1', '"3"', '1.5'];
    const jsBad = [null, 2 ** 31, -(2 ** 31) - 1, '3', 1.5];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nprint(json.dumps([outcome(lambda: os.waitstatus_to_exitcode(${'x'})) for x in [${bad.join(',')}]]))`,
    );
    expect(jsBad.map((v) => outcome(() => os.waitstatus_to_exitcode(v as number)))).toEqual(py);
    expect(() => os.WEXITSTATUS(2 ** 31)).toThrow(OverflowError);
  });
});
