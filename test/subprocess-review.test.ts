// subprocess after review: each case is a difference from CPython 3.11 the
// review found, run in python3 next to pipefork where it can be. Every child
// is reaped and every fd closed (test/helpers/setup.ts checks both).
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, LookupError, type OSError, os, subprocess } from '../lib/index.js';
import { children } from './helpers/leaks.js';
import { loose, outcome, PY_OUTCOME, py, pythonJson } from './helpers/python.js';
import { runCases } from './helpers/scenario.js';

const { PIPE } = subprocess;

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

/** Live and zombie children of this process, by pid. */
function childPids(): number[] {
  return children()
    .map((c) => c.pid)
    .sort();
}

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'pf-sp-review-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

describe('1. Popen raises before the child exists', () => {
  it('an unknown encoding is LookupError and the command never ran (CPython too)', () => {
    const jsMarker = join(tmp, 'marker-js');
    const pyMarker = join(tmp, 'marker-py');
    const before = childPids();
    const js = outcome(() =>
      subprocess.run(['sh', '-c', `touch ${jsMarker}`], { capture_output: true, encoding: 'nosuch' }),
    );
    expect(js).toEqual(['raise', 'LookupError', 'unknown encoding: nosuch', null]);
    expect(childPids()).toEqual(before);
    expect(existsSync(jsMarker)).toBe(false);
    const pyRes = pythonJson(
      `${PY_OUTCOME}\nimport subprocess\nr = outcome(lambda: subprocess.run(['sh', '-c', ${py(`touch ${pyMarker}`)}], capture_output=True, encoding='nosuch'))\nimport time; time.sleep(0.2)\nprint(json.dumps([r, os.path.exists(${py(pyMarker)})]))`,
    );
    expect(pyRes).toEqual([js, false]);
  });

  it('bad encoding/errors types and a failure on the second pipe leave nothing behind', () => {
    const marker = join(tmp, 'marker-2');
    const cmd = ['sh', '-c', `touch ${marker}`];
    const before = childPids();
    const [js, pyOut] = both([
      [
        `subprocess.run(${py(cmd)}, stdout=subprocess.PIPE, encoding=5)`,
        () => subprocess.run(cmd, { stdout: PIPE, encoding: 5 as unknown as string }),
      ],
      [
        `subprocess.run(${py(cmd)}, stdout=subprocess.PIPE, errors=5)`,
        () => subprocess.run(cmd, { stdout: PIPE, errors: 5 as unknown as string }),
      ],
      [
        `subprocess.Popen(${py(cmd)}, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, encoding='nosuch')`,
        () => new subprocess.Popen(cmd, { stdin: PIPE, stdout: PIPE, stderr: PIPE, encoding: 'nosuch' }),
      ],
      [
        `subprocess.check_output(${py(cmd)}, text=True, encoding='nosuch')`,
        () => subprocess.check_output(cmd, { text: true, encoding: 'nosuch' }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js.every((o) => (o as unknown[])[0] === 'raise')).toBe(true);
    expect(childPids()).toEqual(before);
    expect(existsSync(marker)).toBe(false);
    expect(() => subprocess.run(cmd, { capture_output: true, encoding: 'nosuch' })).toThrow(LookupError);
  });
});

describe('2. a bytes cwd is not decoded', () => {
  it('a directory whose name is not UTF-8 is the child cwd, as in CPython', () => {
    const dir = Buffer.concat([Buffer.from(`${tmp}/d`), Buffer.from([0xff, 0xfe])]);
    mkdirSync(dir);
    const code = `subprocess.check_output(['pwd'], cwd=${py(tmp)}.encode() + b'/d\\xff\\xfe')`;
    const [js, pyOut] = both([
      [code, () => subprocess.check_output(['pwd'], { cwd: dir })],
      // A relative one, and a program found relative to it.
      [
        `subprocess.check_output(['pwd'], cwd=os.path.relpath(${py(tmp)}).encode() + b'/d\\xff\\xfe')`,
        () =>
          subprocess.check_output(['pwd'], {
            cwd: Buffer.concat([Buffer.from(`${relative(process.cwd(), tmp)}/d`), Buffer.from([0xff, 0xfe])]),
          }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', [...dir, 0x0a]]);
    expect(js[1]).toEqual(js[0]);
  });

  it('a missing or non-directory bytes cwd: the error names the bytes', () => {
    writeFileSync(join(tmp, 'plain'), '');
    const fileCase = Buffer.concat([Buffer.from(tmp), Buffer.from('/plain/x'), Buffer.from([0xff])]);
    const [js, pyOut] = both([
      [
        "subprocess.run(['true'], cwd=b'/nonexist\\xff')",
        () => subprocess.run(['true'], { cwd: Buffer.from('/nonexist\xff', 'latin1') }),
      ],
      [
        `subprocess.run(['true'], cwd=${py(tmp)}.encode() + b'/plain/x\\xff')`,
        () => subprocess.run(['true'], { cwd: fileCase }),
      ],
      ["subprocess.run(['true'], cwd=b'/nonexist')", () => subprocess.run(['true'], { cwd: Buffer.from('/nonexist') })],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['raise', 'FileNotFoundError', "[Errno 2] No such file or directory: b'/nonexist\\xff'", 2]);
    try {
      subprocess.run(['true'], { cwd: Buffer.from('/nonexist\xff', 'latin1') });
      expect.unreachable();
    } catch (e) {
      expect((e as OSError).filename).toEqual(Buffer.from('/nonexist\xff', 'latin1'));
    }
  });
});

describe("3. reprs of str and bytes are Python's", () => {
  const strs = [
    '\xa0\u200b\x85\u2028 \x7f\xad\u{1f600}\ue000',
    "'",
    '"\'',
    'é\t\n\r\x1b\\',
    '\ud800',
    '\u0378',
    'plain',
  ];
  const bytes = [
    Buffer.from([0x00, 0x27, 0x22, 0x5c]),
    Buffer.from("'"),
    Buffer.from('"\''),
    Buffer.from([0xff, 0x80, 0x20, 0x7e, 0x7f, 0x09, 0x0a, 0x0d]),
    Buffer.from([0xc3, 0xa9]),
  ];
  const pyBytes = (b: Buffer) => `bytes(${py([...b])})`;

  it('in CalledProcessError and TimeoutExpired messages', () => {
    const [js, pyOut] = both([
      [`str(subprocess.CalledProcessError(1, ${py(strs)}))`, () => new subprocess.CalledProcessError(1, strs).message],
      [
        `str(subprocess.CalledProcessError(1, [${bytes.map(pyBytes).join(', ')}]))`,
        () => new subprocess.CalledProcessError(1, bytes).message,
      ],
      [
        `str(subprocess.CalledProcessError(1, ${pyBytes(bytes[3] as Buffer)}))`,
        () => new subprocess.CalledProcessError(1, bytes[3]).message,
      ],
      [
        `str(subprocess.TimeoutExpired(['a', b'\\xe9', None, True, 1.5], 1))`,
        () => new subprocess.TimeoutExpired(['a', Buffer.from([0xe9]), null, true, 1.5], 1).message,
      ],
    ]);
    expect(js).toEqual(pyOut);
  });

  it('in CompletedProcess and Popen reprs', () => {
    const [js, pyOut] = both([
      [
        "repr(subprocess.run(['printf', '\\\\303\\\\251\\\\047'], capture_output=True))",
        () => String(subprocess.run(['printf', '\\303\\251\\047'], { capture_output: true })),
      ],
      [
        "repr(subprocess.run(['printf', '\\\\302\\\\240'], capture_output=True, text=True))",
        () => String(subprocess.run(['printf', '\\302\\240'], { capture_output: true, text: true })),
      ],
      [
        `repr(subprocess.CompletedProcess(${py(strs)}, 0, ${pyBytes(bytes[4] as Buffer)}, '\\u200b'))`,
        () => String(new subprocess.CompletedProcess<Buffer | string>(strs, 0, bytes[4], '\u200b')),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual([
      'ok',
      "CompletedProcess(args=['printf', '\\\\303\\\\251\\\\047'], returncode=0, stdout=b\"\\xc3\\xa9'\", stderr=b'')",
    ]);
  });

  it('in OSError filenames', () => {
    const [js, pyOut] = both([
      ["subprocess.run([b'/nonexist/\\xff'])", () => subprocess.run([Buffer.from('/nonexist/\xff', 'latin1')])],
      ["subprocess.run(['/nonexist/\\xa0\\u200b'])", () => subprocess.run(['/nonexist/\xa0\u200b'])],
    ]);
    expect(js).toEqual(pyOut);
  });
});

describe('4. text_mode, universal_newlines and encoding', () => {
  it("hold CPython's values", () => {
    const options: [string, subprocess.PopenOptions][] = [
      ['', {}],
      ['text=True', { text: true }],
      ["encoding='utf-8'", { encoding: 'utf-8' }],
      ["errors='strict'", { errors: 'strict' }],
      ['universal_newlines=True', { universal_newlines: true }],
      ['universal_newlines=False', { universal_newlines: false }],
      ['text=False', { text: false }],
      ["text=False, encoding='latin-1'", { text: false, encoding: 'latin-1' }],
    ];
    const pyOut = pythonJson(
      `import json, subprocess\nout = []\nfor kw in [${options.map(([k]) => `dict(${k})`).join(', ')}]:\n  p = subprocess.Popen(['true'], **kw); p.wait()\n  out.append([p.text_mode, p.universal_newlines, p.encoding, p.errors])\nprint(json.dumps(out))`,
    );
    const js = options.map(([, o]) => {
      const p = new subprocess.Popen(['true'], o);
      p.wait();
      return [p.text_mode, p.universal_newlines, p.encoding, p.errors];
    });
    expect(js).toEqual(pyOut);
    expect(js[1]).toEqual([true, true, 'UTF-8', null]);
    expect(js[2]).toEqual(['utf-8', 'utf-8', 'utf-8', null]);
  });

  it('setting universal_newlines sets text_mode to its truth', () => {
    const p = new subprocess.Popen(['true'], { encoding: 'utf-8' });
    p.wait();
    p.universal_newlines = 0 as unknown as boolean;
    expect([p.text_mode, p.universal_newlines]).toEqual([false, false]);
  });
});

describe('5. exception and CompletedProcess constructors', () => {
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

describe('6. a trailing file object is positional, not keywords', () => {
  it('run, call, check_call and check_output', () => {
    const [r, w] = os.pipe();
    const out = io.open(w, 'wb');
    try {
      // Python order: args, bufsize, executable, stdin, stdout.
      const c = subprocess.run(['echo', 'run'], -1, null, null, out);
      expect([c.returncode, c.stdout]).toEqual([0, null]);
      expect(subprocess.call(['echo', 'call'], -1, null, null, out)).toBe(0);
      expect(subprocess.check_call(['echo', 'check_call'], -1, null, null, out)).toBe(0);
    } finally {
      out.close();
    }
    expect(os.read(r, 100).toString()).toBe('run\ncall\ncheck_call\n');
    os.close(r);

    const [r2, w2] = os.pipe();
    os.write(w2, Buffer.from('from stdin'));
    os.close(w2);
    const inp = io.open(r2, 'rb');
    try {
      expect(String(subprocess.check_output(['cat'], -1, null, inp))).toBe('from stdin');
    } finally {
      inp.close();
    }
  });
});

describe('7-9. empty args with executable, the cwd in pre-exec errors, bytes input in text mode', () => {
  it('match CPython', () => {
    // A closed fd for sure: a high number, dup'ed and closed here.
    const [r, w] = os.pipe();
    const closed = os.dup2(r, 900);
    for (const fd of [closed, r, w]) os.close(fd);
    const [js, pyOut] = both([
      ["repr(subprocess.run([], executable='true'))", () => String(subprocess.run([], { executable: 'true' }))],
      ['subprocess.run([])', () => subprocess.run([])],
      [
        "(lambda p: [p.wait(), p.args])(subprocess.Popen([], executable='true', shell=True))",
        () => {
          const p = new subprocess.Popen([], { executable: 'true', shell: true });
          return [p.wait(), p.args];
        },
      ],
      [
        `subprocess.run(['true'], cwd='/tmp', stdin=${closed})`,
        () => subprocess.run(['true'], { cwd: '/tmp', stdin: closed }),
      ],
      [
        `subprocess.run(['true'], pass_fds=[${closed}], cwd='/')`,
        () => subprocess.run(['true'], { pass_fds: [closed], cwd: '/' }),
      ],
      [`subprocess.run(['true'], pass_fds=[${closed}])`, () => subprocess.run(['true'], { pass_fds: [closed] })],
      [
        "subprocess.run(['cat'], input=b'x', text=True, capture_output=True)",
        () => subprocess.run(['cat'], { input: Buffer.from('x'), text: true, capture_output: true }),
      ],
      [
        "subprocess.run(['cat'], input=b'', text=True, capture_output=True)",
        () => subprocess.run(['cat'], { input: Buffer.alloc(0), text: true, capture_output: true }),
      ],
      [
        "subprocess.run(['cat'], input=b'x', text=True, stdout=subprocess.DEVNULL)",
        () => subprocess.run(['cat'], { input: Buffer.from('x'), text: true, stdout: subprocess.DEVNULL }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[3]).toEqual(['raise', 'OSError', "[Errno 9] Bad file descriptor: '/tmp'", 9]);
    expect(js[6]).toEqual(['raise', 'TypeError', "'bytes' object has no attribute 'encode'", null]);
    try {
      subprocess.run(['true'], { cwd: '/tmp', stdin: closed });
      expect.unreachable();
    } catch (e) {
      expect([(e as OSError).filename, (e as OSError).errno]).toEqual(['/tmp', 9]);
    }
  });
});

describe('10. get_exec_path and bytes PATH keys', () => {
  it('honours b"PATH" in a Map and refuses both spellings', () => {
    const bPath = Buffer.from('PATH');
    expect(os.get_exec_path(new Map([[bPath, Buffer.from('/x:/y')]]))).toEqual(['/x', '/y']);
    expect(os.get_exec_path(new Map([[Buffer.from('PATH'), '/a']]))).toEqual(['/a']);
    const [js, pyOut] = both([
      [
        "os.get_exec_path({'PATH': '/a', b'PATH': b'/b'})",
        () =>
          os.get_exec_path(
            new Map<unknown, unknown>([
              ['PATH', '/a'],
              [bPath, Buffer.from('/b')],
            ]),
          ),
      ],
      [
        "os.get_exec_path({'PATH': None, b'PATH': b'/b:'})",
        () =>
          os.get_exec_path(
            new Map<unknown, unknown>([
              ['PATH', null],
              [bPath, Buffer.from('/b:')],
            ]),
          ),
      ],
      ["os.get_exec_path({b'PATH': None})", () => os.get_exec_path(new Map<unknown, unknown>([[bPath, null]]))],
      ["os.get_exec_path({'PATH': 5})", () => os.get_exec_path({ PATH: 5 })],
      [
        "subprocess.check_output(['true'], env={b'PATH': b'/nonexistent'})",
        () => subprocess.check_output(['true'], { env: new Map([[bPath, Buffer.from('/nonexistent')]]) }),
      ],
      [
        "subprocess.check_output(['true'], env={'PATH': '/usr/bin', b'PATH': '/bin'})",
        () =>
          subprocess.check_output(['true'], {
            env: new Map<string | Uint8Array, string>([
              ['PATH', '/usr/bin'],
              [bPath, '/bin'],
            ]),
          }),
      ],
    ]);
    expect(js).toEqual(pyOut);
  });

  it('a bytes PATH entry that is not UTF-8 is searched as those bytes', () => {
    const dir = Buffer.concat([Buffer.from(`${tmp}/bin`), Buffer.from([0xff])]);
    mkdirSync(dir);
    symlinkSync('/bin/echo', Buffer.concat([dir, Buffer.from('/pf-echo')]));
    const pyEnv = `{b'PATH': ${py(tmp)}.encode() + b'/bin\\xff'}`;
    const [js, pyOut] = both([
      [
        `subprocess.check_output(['pf-echo', 'hi'], env=${pyEnv})`,
        () => subprocess.check_output(['pf-echo', 'hi'], { env: new Map([[Buffer.from('PATH'), dir]]) }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', [...Buffer.from('hi\n')]]);
  });
});

describe('11. TimeoutExpired prints the timeout as Python does', () => {
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

describe('12. NaN and infinite timeouts', () => {
  it('wait(NaN) waits; communicate over pipes refuses NaN and inf as CPython does', () => {
    const [js, pyOut] = both([
      ["subprocess.Popen(['true']).wait(float('nan'))", () => new subprocess.Popen(['true']).wait(Number.NaN)],
      [
        "subprocess.Popen(['true']).wait(timeout=float('inf'))",
        () => new subprocess.Popen(['true']).wait({ timeout: Number.POSITIVE_INFINITY }),
      ],
      [
        "(lambda p: [p.communicate(None, timeout=float('nan')), p.returncode])(subprocess.Popen(['true']))",
        () => {
          const p = new subprocess.Popen(['true']);
          return [p.communicate(null, { timeout: Number.NaN }), p.returncode];
        },
      ],
      [
        "subprocess.run(['echo', 'x'], capture_output=True, timeout=float('nan'))",
        () => subprocess.run(['echo', 'x'], { capture_output: true, timeout: Number.NaN }),
      ],
      [
        "subprocess.run(['echo', 'x'], capture_output=True, timeout=float('inf'))",
        () => subprocess.run(['echo', 'x'], { capture_output: true, timeout: Number.POSITIVE_INFINITY }),
      ],
      ["subprocess.call(['true'], timeout=float('nan'))", () => subprocess.call(['true'], { timeout: Number.NaN })],
    ]);
    expect(js).toEqual(pyOut);
    expect(js[3]).toEqual(['raise', 'ValueError', 'cannot convert float NaN to integer', null]);
  });

  it('communicate(timeout=NaN) on a Popen with pipes raises and leaves the child to reap', () => {
    const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE });
    try {
      expect(outcome(() => p.communicate(Buffer.from('x'), Number.NaN))).toEqual([
        'raise',
        'ValueError',
        'cannot convert float NaN to integer',
        null,
      ]);
    } finally {
      p.kill();
      p[Symbol.dispose]();
    }
  });
});

describe('argument errors worded as CPython', () => {
  it('Popen, wait, communicate and pass_fds', () => {
    const WRITE = "import os, sys; os.write(int(sys.argv[1]), b'hi\\n'); print('ok')";
    const [r, w] = os.pipe();
    try {
      const [js, pyOut] = both(
        [
          ["subprocess.Popen(['true'], -1, bufsize=0)", () => new subprocess.Popen(['true'], -1, { bufsize: 0 })],
          ['subprocess.Popen()', () => new (subprocess.Popen as unknown as new () => object)()],
          [
            "subprocess.Popen(['true'], nosuch=1)",
            () => new subprocess.Popen(['true'], { nosuch: 1 } as subprocess.PopenOptions),
          ],
          [
            "(lambda p: (p.wait(), p.wait(1, 2))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return (p.wait as (...a: unknown[]) => number)(1, 2);
            },
          ],
          [
            "(lambda p: (p.wait(), p.communicate(None, 1, 2))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return (p.communicate as (...a: unknown[]) => unknown)(null, 1, 2);
            },
          ],
          [
            "(lambda p: (p.wait(), p.wait(tmo=1))[1])(subprocess.Popen(['true']))",
            () => {
              const p = new subprocess.Popen(['true']);
              p.wait();
              return p.wait({ tmo: 1 } as unknown as { timeout: number });
            },
          ],
          [
            // The pipe of each side: the child writes to it through a pass_fds given as a str.
            "[list(subprocess.check_output(['python3', '-c', WRITE, str(w)], pass_fds=[str(w)])), list(os.read(r, 10))]",
            () => {
              const out = subprocess.check_output(['python3', '-c', WRITE, String(w)], {
                pass_fds: [String(w)] as unknown as number[],
              });
              return [[...(out as Buffer)], [...os.read(r, 10)]];
            },
          ],
          [
            "subprocess.run(['true'], pass_fds=['x'])",
            () => subprocess.run(['true'], { pass_fds: ['x'] as unknown as number[] }),
          ],
          ["subprocess.run(['true'], pass_fds=[2**31])", () => subprocess.run(['true'], { pass_fds: [2 ** 31] })],
          [
            "subprocess.run(['true'], pass_fds=[None])",
            () => subprocess.run(['true'], { pass_fds: [null] as unknown as number[] }),
          ],
        ],
        `r, w = os.pipe()\nWRITE = ${py(WRITE)}`,
      );
      expect(js).toEqual(pyOut);
    } finally {
      os.close(r);
      os.close(w);
    }
  });
});

describe('getoutput and getstatusoutput take only their options', () => {
  it('a misspelt or extra argument is the TypeError CPython raises', () => {
    const [js, pyOut] = both([
      [
        "subprocess.getoutput('echo hi', encodin='utf-8')",
        () => loose(subprocess.getoutput)('echo hi', { encodin: 'utf-8' }),
      ],
      ["subprocess.getstatusoutput('echo hi', 'utf-8')", () => loose(subprocess.getstatusoutput)('echo hi', 'utf-8')],
      ['subprocess.getoutput()', () => loose(subprocess.getoutput)()],
      ["subprocess.getoutput(cmd='echo kw')", () => loose(subprocess.getoutput)({ cmd: 'echo kw' })],
      [
        "subprocess.getstatusoutput('printf x; exit 2', encoding='ascii', errors='strict')",
        () => subprocess.getstatusoutput('printf x; exit 2', { encoding: 'ascii', errors: 'strict' }),
      ],
    ]);
    expect(js).toEqual(pyOut);
    expect((js[0] as unknown[])[1]).toBe('TypeError');
    // options left undefined (a wrapper passing its own optional argument on) is no options.
    expect(loose(subprocess.getoutput)('echo hi', undefined)).toBe('hi');
    expect(loose(subprocess.getstatusoutput)('echo hi', undefined)).toEqual([0, 'hi']);
  });
});

describe('Popen.pipesize', () => {
  it('is kept as given, -1 when absent or None, as CPython keeps it', () => {
    const sizes = (opts: object) => {
      const p = new subprocess.Popen(['true'], opts);
      p.wait();
      return p.pipesize;
    };
    const [js, pyOut] = both([
      ["(lambda p: (p.wait(), p.pipesize)[1])(subprocess.Popen(['true']))", () => sizes({})],
      [
        "(lambda p: (p.wait(), p.pipesize)[1])(subprocess.Popen(['true'], pipesize=None))",
        () => sizes({ pipesize: null }),
      ],
      [
        "(lambda p: (p.wait(), p.pipesize)[1])(subprocess.Popen(['true'], pipesize=8192))",
        () => sizes({ pipesize: 8192 }),
      ],
      ["(lambda p: (p.wait(), p.pipesize)[1])(subprocess.Popen(['true'], pipesize=0))", () => sizes({ pipesize: 0 })],
    ]);
    expect(js).toEqual(pyOut);
    expect(js.map((o) => (o as unknown[])[1])).toEqual([-1, -1, 8192, 0]);
  });
});

describe('extra or missing arguments to methods are refused before anything happens', () => {
  it('Popen, CompletedProcess and the errors, as CPython words it; the child is not signalled', () => {
    const m = (o: object, name: string) => loose((o as Record<string, (...a: unknown[]) => unknown>)[name]?.bind(o));
    const p = new subprocess.Popen(['sleep', '30']);
    let js: unknown[];
    let pyOut: unknown[];
    try {
      const cp = new subprocess.CompletedProcess(['x'], 0);
      [js, pyOut] = both(
        [
          ['p.poll(1)', () => m(p, 'poll')(1)],
          ['p.terminate(1)', () => m(p, 'terminate')(1)],
          ['p.kill(1)', () => m(p, 'kill')(1)],
          ['p.send_signal(15, 1)', () => m(p, 'send_signal')(15, 1)],
          ['p.send_signal()', () => m(p, 'send_signal')()],
          ['p.__exit__()', () => m(p, '__exit__')()],
          ['p.__exit__(None, None, None, 1)', () => m(p, '__exit__')(null, null, null, 1)],
          ['cp.check_returncode(1)', () => m(cp, 'check_returncode')(1)],
          [
            "subprocess.CalledProcessError(1, 'x').__str__(1)",
            () => m(new subprocess.CalledProcessError(1, 'x'), '__str__')(1),
          ],
          [
            "subprocess.TimeoutExpired('x', 1).__str__(1)",
            () => m(new subprocess.TimeoutExpired('x', 1), '__str__')(1),
          ],
        ],
        // The Python side kills and reaps its sleep at exit: left running, it
        // would hold python3's stdout open and make the test wait for it.
        "import atexit\np = subprocess.Popen(['sleep', '30'])\natexit.register(lambda: (p.kill(), p.wait()))\ncp = subprocess.CompletedProcess(['x'], 0)",
      );
      expect(p.poll()).toBe(null); // still running: none of the calls above signalled it
    } finally {
      p.kill();
      p.wait();
    }
    expect(js).toEqual(pyOut);
    expect((js[2] as unknown[]).slice(1, 3)).toEqual([
      'TypeError',
      'Popen.kill() takes 1 positional argument but 2 were given',
    ]);
  });
});

describe('Popen env', () => {
  it('must be a mapping: a set, list or str is refused as CPython refuses it (no child starts)', () => {
    const before = childPids();
    const [js, pyOut] = both([
      ["subprocess.run(['true'], env=set())", () => subprocess.run(['true'], { env: new Set() as never })],
      ["subprocess.run(['true'], env=[1])", () => subprocess.run(['true'], { env: [1] as never })],
      ["subprocess.run(['true'], env='x')", () => subprocess.run(['true'], { env: 'x' as never })],
    ]);
    expect(js).toEqual(pyOut);
    expect(childPids()).toEqual(before);
  });

  it('given by position (the eleventh argument), a plain object is the environment, not keywords', () => {
    const sh = ['sh', '-c', 'echo "$FOO"'];
    const pos = (env: unknown, ...more: unknown[]) =>
      loose(subprocess.run)(sh, -1, null, null, subprocess.PIPE, null, null, true, false, null, env, ...more);
    const [js, pyOut] = both(
      [
        [
          "subprocess.run(SH, -1, None, None, subprocess.PIPE, None, None, True, False, None, {'FOO': 'bar'}).stdout",
          () => (pos({ FOO: 'bar' }) as subprocess.CompletedProcess).stdout,
        ],
        [
          "subprocess.run(SH, -1, None, None, subprocess.PIPE, None, None, True, False, None, {'FOO': 'bar'}, text=True).stdout",
          () => (pos({ FOO: 'bar' }, { text: true }) as subprocess.CompletedProcess).stdout,
        ],
        [
          "subprocess.run(SH, -1, None, None, subprocess.PIPE, None, None, True, False, None, {'FOO': 'x'}, foo=1)",
          () => pos({ FOO: 'x' }, { foo: 1 }),
        ],
      ],
      `SH = ['sh', '-c', 'echo "$FOO"']`,
    );
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', [...Buffer.from('bar\n')]]);
  });
});

describe('TimeoutExpired keeps what communicate() had', () => {
  it("a pipe at EOF with nothing read is b'', one still open is None, as in CPython", () => {
    const before = childPids();
    const expired = (): unknown => {
      const p = new subprocess.Popen(['sh', '-c', 'exec >&-; sleep 0.4'], { stdout: PIPE, stderr: PIPE });
      try {
        p.communicate(null, 0.2);
        return 'no timeout';
      } catch (e) {
        const t = e as subprocess.TimeoutExpired;
        return [t.constructor.name, t.output === null ? null : [...(t.output as Buffer)], t.stderr];
      } finally {
        p.kill();
        p.wait();
        p.stdout?.close();
        p.stderr?.close();
      }
    };
    const [js, pyOut] = both(
      [['expired()', expired]],
      `def expired():
    p = subprocess.Popen(['sh', '-c', 'exec >&-; sleep 0.4'], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        p.communicate(timeout=0.2)
        return 'no timeout'
    except subprocess.TimeoutExpired as e:
        return [type(e).__name__, None if e.output is None else list(e.output), e.stderr]
    finally:
        p.kill(); p.wait(); p.stdout.close(); p.stderr.close()`,
    );
    expect(js).toEqual(pyOut);
    expect(js[0]).toEqual(['ok', ['TimeoutExpired', [], null]]);
    expect(childPids()).toEqual(before);
  });
});

describe('stdin/stdout/stderr and sizes take any int, as CPython', () => {
  it("a non-int without fileno() is CPython's AttributeError (as TypeError); a BigInt is an int", () => {
    const [js, pyOut] = both([
      ["subprocess.run(['true'], stdin='abc')", () => subprocess.run(['true'], { stdin: 'abc' as never })],
      ["subprocess.run(['true'], stdout=1.5)", () => subprocess.run(['true'], { stdout: 1.5 as never })],
      [
        "subprocess.run(['true'], bufsize=1, pipesize=65536).returncode",
        () => subprocess.run(['true'], { bufsize: 1n as never, pipesize: 65536n as never }).returncode,
      ],
      [
        "subprocess.run(['echo', 'hi'], stdout=-1).stdout",
        () => subprocess.run(['echo', 'hi'], { stdout: -1n as never }).stdout,
      ],
      [
        "subprocess.run(['true'], stdin=-3, stdout=1).returncode",
        () => subprocess.run(['true'], { stdin: -3n as never, stdout: 1n as never }).returncode,
      ],
    ]);
    expect(js).toEqual(pyOut);
  });
});
