// The stat module against CPython 3.11: S_IS*, S_IFMT, S_IMODE, the
// constants and filemode().
import { describe, expect, it } from 'vitest';
import { signal, stat } from '../../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';
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

describe('stat: S_IS*, S_IFMT, S_IMODE and the door/port/whiteout types', () => {
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
