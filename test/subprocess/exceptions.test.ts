// CalledProcessError, TimeoutExpired and CompletedProcess: constructors,
// args, str() and messages as CPython's.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { runCases } from '../helpers/scenario.js';

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

describe('CalledProcessError, TimeoutExpired and CompletedProcess constructors', () => {
  it('take keywords in a trailing object; args, str() and messages as CPython', () => {
    const [js, pyOut] = both([
      [
        "(lambda e: [e.args[0], e.args[1], list(e.output), list(e.stderr), str(e)])(subprocess.CalledProcessError(1, 'x', output=b'o', stderr=b'e'))",
        () => {
          const e = new subprocess.CalledProcessError(1, 'x', { output: Buffer.from('o'), stderr: Buffer.from('e') });
          return [...e.args, [...(e.output as Buffer)], [...(e.stderr as Buffer)], e.message];
        },
      ],
      [
        "(lambda e: [e.args, e.returncode, e.cmd, str(e)])(subprocess.CalledProcessError(returncode=2, cmd=['x']))",
        () => {
          const e = new subprocess.CalledProcessError({ returncode: 2, cmd: ['x'] });
          return [e.args, e.returncode, e.cmd, e.message];
        },
      ],
      [
        "(lambda e: [e.args, e.output, e.stdout, e.stderr, str(e)])(subprocess.CalledProcessError(1, ['false'], 'out', 'err'))",
        () => {
          const e = new subprocess.CalledProcessError(1, ['false'], 'out', 'err');
          return [e.args, e.output, e.stdout, e.stderr, e.message];
        },
      ],
      [
        "(lambda e: [e.args, e.output, e.stderr, e.timeout, str(e)])(subprocess.TimeoutExpired('x', 1, output='o'))",
        () => {
          const e = new subprocess.TimeoutExpired('x', 1, { output: 'o' });
          return [e.args, e.output, e.stderr, e.timeout, e.message];
        },
      ],
      [
        "repr(subprocess.CompletedProcess(['x'], 0, stdout='a'))",
        () => String(new subprocess.CompletedProcess(['x'], 0, { stdout: 'a' })),
      ],
      [
        "repr(subprocess.CompletedProcess(args=['x'], returncode=3, stderr=b''))",
        () => String(new subprocess.CompletedProcess({ args: ['x'], returncode: 3, stderr: Buffer.alloc(0) })),
      ],
      ['subprocess.CalledProcessError()', () => new (subprocess.CalledProcessError as unknown as new () => Error)()],
      [
        'subprocess.CalledProcessError(1)',
        () => new (subprocess.CalledProcessError as unknown as new (a: unknown) => Error)(1),
      ],
      [
        'subprocess.CalledProcessError(1, 2, 3, 4, 5)',
        () => new (subprocess.CalledProcessError as unknown as new (...a: unknown[]) => Error)(1, 2, 3, 4, 5),
      ],
      [
        'subprocess.CalledProcessError(1, 2, foo=1)',
        () => new subprocess.CalledProcessError(1, 2, { foo: 1 } as unknown as { output: null }),
      ],
      [
        'subprocess.CalledProcessError(1, 2, returncode=1)',
        () => new subprocess.CalledProcessError(1, 2, { returncode: 1 } as unknown as { output: null }),
      ],
      ['subprocess.CompletedProcess()', () => new (subprocess.CompletedProcess as unknown as new () => object)()],
      [
        'subprocess.TimeoutExpired(1, 2, 3, 4, 5)',
        () => new (subprocess.TimeoutExpired as unknown as new (...a: unknown[]) => Error)(1, 2, 3, 4, 5),
      ],
    ]);
    expect(js).toEqual(pyOut);
  });

  it('String(e) carries the class name, as for the other errors', () => {
    const e = new subprocess.CalledProcessError(1, ['false']);
    expect(String(e)).toBe("CalledProcessError: Command '['false']' returned non-zero exit status 1.");
    expect(String(new subprocess.TimeoutExpired('x', 0.5))).toBe(
      "TimeoutExpired: Command 'x' timed out after 0.5 seconds",
    );
    expect(e.stack?.split('\n')[0]).toBe(String(e));
    // str(e) follows the attributes, as in Python.
    e.returncode = 3;
    expect(e.message).toBe("Command '['false']' returned non-zero exit status 3.");
    try {
      subprocess.check_call(['false']);
      expect.unreachable();
    } catch (err) {
      expect((err as subprocess.CalledProcessError).args).toEqual([1, ['false']]);
    }
    try {
      subprocess.run(['sh', '-c', 'exit 4'], { check: true, capture_output: true });
      expect.unreachable();
    } catch (err) {
      expect((err as subprocess.CalledProcessError).args).toEqual([4, ['sh', '-c', 'exit 4']]);
    }
  });
});

describe('TimeoutExpired prints the timeout as Python does', () => {
  it('floats in repr form, safe integers as ints', () => {
    const values: [string, number][] = [
      ['1e-05', 1e-5],
      ['0.0001', 0.0001],
      ['2.5e-07', 2.5e-7],
      ['0.5', 0.5],
      ['1', 1],
      ['123456789012345.6', 123456789012345.6],
      ['1e16', 1e16],
      ['1.5e16', 1.5e16],
      ['1e22', 1e22],
      ['-0.001', -0.001],
      ["float('nan')", Number.NaN],
      ["float('inf')", Number.POSITIVE_INFINITY],
      ['9007199254740991', 2 ** 53 - 1],
    ];
    const [js, pyOut] = both(
      values.map(([p, v]) => [
        `str(subprocess.TimeoutExpired('x', ${p}))`,
        () => new subprocess.TimeoutExpired('x', v).message,
      ]),
    );
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', "Command 'x' timed out after 1e-05 seconds"]);
  });
});
