// Popen.__init__ against python3: what it raises before the child exists,
// empty args with executable, the cwd in pre-exec errors, pipesize and env.
// Every child is reaped and every fd closed (test/helpers/setup.ts checks
// both).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LookupError, type OSError, os, subprocess } from '../../lib/index.js';
import { children } from '../helpers/leaks.js';
import { loose, outcome, PY_OUTCOME, py, pythonJson } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

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

describe('Popen() raises before the child exists', () => {
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

describe('Popen: empty args with executable, the cwd in pre-exec errors, bytes input in text mode', () => {
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
