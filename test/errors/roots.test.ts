// BaseException, Exception, RuntimeError, SystemExit and KeyboardInterrupt:
// the roots of CPython's exception tree, with args, str() and repr() as
// CPython builds them, and an uncaught SystemExit ending the process with
// Python's exit status rules.
import { describe, expect, it } from 'vitest';
import * as pipefork from '../../lib/index.js';
import {
  BaseException,
  Exception,
  KeyboardInterrupt,
  NotImplementedError,
  OSError,
  RecursionError,
  RuntimeError,
  SystemExit,
  ValueError,
} from '../../lib/index.js';
import { classOf } from '../../lib/pyclass.js';
import { pyValueRepr as repr } from '../../lib/repr.js';
import { tuple } from '../../lib/tuple.js';
import { runNode, runPython } from '../helpers/program.js';
import { pythonJson } from '../helpers/python.js';

type ErrorClass = new (...a: unknown[]) => Error;

/** The exception classes pipefork exports, by name. */
const classes = (Object.entries(pipefork) as [string, unknown][]).filter(
  (e): e is [string, ErrorClass] => typeof e[1] === 'function' && e[1].prototype instanceof Error,
);

/** A class's bases up to BaseException, as Python's __mro__ lists them (from the class behind the exported twin). */
function mro(cls: ErrorClass): string[] {
  const names: string[] = [];
  for (let c: unknown = classOf(cls); c !== Error && typeof c === 'function'; c = Object.getPrototypeOf(c)) {
    names.push((c as { name: string }).name);
  }
  return names;
}

describe('the exception tree', () => {
  it("gives every exported exception CPython's bases (io.UnsupportedOperation aside)", () => {
    const names = classes.map(([n]) => n).filter((n) => n !== 'UnsupportedOperation');
    const want = pythonJson<string[][]>(`
import json, builtins, subprocess
print(json.dumps([[c.__name__ for c in (getattr(builtins, n, None) or getattr(subprocess, n)).__mro__ if c is not object]
                  for n in ${JSON.stringify(names)}]))`);
    expect(names.map((n) => mro(classes.find(([m]) => m === n)?.[1] as ErrorClass))).toEqual(want);
  });

  it('keeps SystemExit and KeyboardInterrupt out of Exception, and JS errors in it', () => {
    const cases: [unknown, boolean, boolean][] = [
      [new SystemExit(1), true, false],
      [new KeyboardInterrupt(), true, false],
      [new ValueError('x'), true, true],
      [new OSError(2, 'x'), true, true],
      [new RecursionError('x'), true, true],
      // pipefork raises JS's TypeError where Python raises TypeError: a port of `except Exception:` catches it.
      [new TypeError('x'), true, true],
      [new RangeError('x'), true, true],
      ['a string', false, false],
      [null, false, false],
    ];
    expect(cases.map(([e]) => [e instanceof BaseException, e instanceof Exception])).toEqual(
      cases.map(([, b, x]) => [b, x]),
    );
    expect(new NotImplementedError() instanceof RuntimeError).toBe(true);
    expect(new TypeError('x') instanceof RuntimeError).toBe(false);
    expect(new SystemExit() instanceof KeyboardInterrupt).toBe(false);
  });

  it("makes args, str() and repr() as CPython's BaseException does", () => {
    const want = pythonJson<unknown[]>(`
import json
es = [BaseException(), Exception('x'), RuntimeError('a', 2), NotImplementedError(b'b'), KeyError('k'), KeyError(),
      KeyError('a', 'b'), SystemExit(3), SystemExit(), SystemExit('bye', 1), ValueError(None), OSError(2, 'No such file', 'f'),
      KeyboardInterrupt(), RecursionError([1, (2,)])]
print(json.dumps([[str(e), repr(e), len(e.args)] for e in es]))`);
    const es = [
      new BaseException(),
      new Exception('x'),
      new RuntimeError('a', 2),
      new NotImplementedError(Buffer.from('b')),
      new pipefork.KeyError('k'),
      new pipefork.KeyError(),
      new pipefork.KeyError('a', 'b'),
      new SystemExit(3),
      new SystemExit(),
      new SystemExit('bye', 1),
      new ValueError(null),
      new OSError(2, 'No such file', 'f'),
      new KeyboardInterrupt(),
      new RecursionError([1, tuple([2])]),
    ];
    expect(es.map((e) => [e.message, repr(e), (e as BaseException).args.length])).toEqual(want);
  });

  it("gives SystemExit's code as CPython does", () => {
    expect([new SystemExit().code, new SystemExit(3).code, repr(new SystemExit(1, 'a').code)]).toEqual([
      null,
      3,
      "(1, 'a')",
    ]);
  });
});

describe('an uncaught SystemExit', () => {
  const codes: [string, string][] = [
    ['', ''],
    ['3', '3'],
    ['256', '256'],
    ['-1', '-1'],
    ['2**40+5', '2 ** 40 + 5'],
    ['2**70', '2n ** 70n'],
    ['True', 'true'],
    ['False', 'false'],
    ['None', 'null'],
    ["'bye'", "'bye'"],
    ['1.5', '1.5'],
    ['(1, 2)', 'tuple([1, 2])'],
    ["[b'x']", "[Buffer.from('x')]"],
  ];

  it("ends the process with Python's exit status, printing what is not an int", () => {
    const want = codes.map(([py]) => {
      const r = runPython(`print('out')\nraise SystemExit(${py})`);
      return [r.status, r.stdout, r.stderr];
    });
    const ours = codes.map(([, js]) => {
      const r = runNode(`import { SystemExit, builtins } from 'PIPEFORK';
const { tuple } = builtins;
console.log('out');
throw new SystemExit(${js});`);
      return [r.status, r.stdout, r.stderr];
    });
    expect(ours).toEqual(want);
  });

  it('ends the process the same way from a rejected promise (an async function)', () => {
    const r = runNode(`import { SystemExit } from 'PIPEFORK';
async function main() { await null; throw new SystemExit(7); }
main();`);
    expect([r.status, r.stderr]).toEqual([7, '']);
  });

  it('leaves every other uncaught error to Node', () => {
    const r = runNode(`import { SystemExit, ValueError } from 'PIPEFORK';
new SystemExit(0);
throw new ValueError('not an exit');`);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('ValueError: not an exit');
  });

  it("is not caught by a program's 'uncaughtException' handler, as except Exception would not catch it", () => {
    const r = runNode(`import { SystemExit } from 'PIPEFORK';
process.on('uncaughtException', () => { console.log('handler ran'); });
throw new SystemExit(4);`);
    expect([r.status, r.stdout]).toEqual([4, '']);
  });
});
