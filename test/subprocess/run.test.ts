// run / call / check_call / check_output (test_subprocess.py's run cases).
import { describe, expect, it } from 'vitest';
import { io, os, SubprocessError, subprocess, ValueError } from '../../lib/index.js';
import { loose, outcome, PY_OUTCOME, pythonJson } from '../helpers/python.js';

const { PIPE } = subprocess;

describe('run, call, check_call, check_output', () => {
  it('run with capture_output, input and check', () => {
    const r = subprocess.run(['sh', '-c', 'cat; echo e >&2; exit 0'], {
      input: Buffer.from('in'),
      capture_output: true,
    });
    expect(r).toBeInstanceOf(subprocess.CompletedProcess);
    expect([r.returncode, String(r.stdout), String(r.stderr)]).toEqual([0, 'in', 'e\n']);
    r.check_returncode();
    expect(String(r)).toBe(
      "CompletedProcess(args=['sh', '-c', 'cat; echo e >&2; exit 0'], returncode=0, stdout=b'in', stderr=b'e\\n')",
    );
    const bad = subprocess.run(['sh', '-c', 'exit 3']);
    expect(bad.returncode).toBe(3);
    expect(() => bad.check_returncode()).toThrow(subprocess.CalledProcessError);
    try {
      subprocess.run(['sh', '-c', 'echo o; exit 1'], { check: true, stdout: PIPE });
      expect.unreachable();
    } catch (e) {
      const c = e as subprocess.CalledProcessError;
      expect(c).toBeInstanceOf(SubprocessError);
      expect([c.returncode, String(c.stdout), String(c.output)]).toEqual([1, 'o\n', 'o\n']);
      expect(c.message).toBe("Command '['sh', '-c', 'echo o; exit 1']' returned non-zero exit status 1.");
    }
  });

  it('run(timeout) kills the child and raises with the output so far', () => {
    const t0 = performance.now();
    try {
      subprocess.run(['sh', '-c', 'echo partial; exec sleep 30'], { timeout: 0.2, stdout: PIPE });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(subprocess.TimeoutExpired);
      expect(String((e as subprocess.TimeoutExpired).output)).toBe('partial\n');
    }
    expect(performance.now() - t0).toBeLessThan(5000);
  });

  it('call, check_call, check_output', () => {
    expect(subprocess.call(['sh', '-c', 'exit 5'])).toBe(5);
    expect(subprocess.check_call(['true'])).toBe(0);
    expect(() => subprocess.check_call(['false'])).toThrow("Command '['false']' returned non-zero exit status 1.");
    expect(String(subprocess.check_output(['echo', 'hi']))).toBe('hi\n');
    expect(String(subprocess.check_output(['cat'], { input: Buffer.from('piped') }))).toBe('piped');
    expect(() => subprocess.check_output(['sh', '-c', 'kill -9 $$'])).toThrow(
      "Command '['sh', '-c', 'kill -9 $$']' died with <Signals.SIGKILL: 9>.",
    );
    expect(() => loose(subprocess.check_output)(['true'], { stdout: PIPE })).toThrow(
      new ValueError('stdout argument not allowed, it will be overridden.'),
    );
    expect(() => subprocess.call(['sleep', '30'], { timeout: 0.05 })).toThrow(subprocess.TimeoutExpired);
  });

  it('messages and argument errors match CPython', () => {
    const cases: [string, () => unknown][] = [
      [
        'str(subprocess.CalledProcessError(1, ["a", "b"]))',
        () => new subprocess.CalledProcessError(1, ['a', 'b']).message,
      ],
      ['str(subprocess.CalledProcessError(-9, "cmd"))', () => new subprocess.CalledProcessError(-9, 'cmd').message],
      ['str(subprocess.CalledProcessError(-99, "cmd"))', () => new subprocess.CalledProcessError(-99, 'cmd').message],
      [
        'str(subprocess.CalledProcessError(2, [b"x"]))',
        () => new subprocess.CalledProcessError(2, [Buffer.from('x')]).message,
      ],
      [
        'str(subprocess.TimeoutExpired(["sleep", "1"], 0.5))',
        () => new subprocess.TimeoutExpired(['sleep', '1'], 0.5).message,
      ],
      [
        'subprocess.run(["true"], input=b"x", stdin=subprocess.PIPE)',
        () => subprocess.run(['true'], { input: Buffer.from('x'), stdin: PIPE }),
      ],
      [
        'subprocess.run(["true"], capture_output=True, stdout=subprocess.PIPE)',
        () => subprocess.run(['true'], { capture_output: true, stdout: PIPE }),
      ],
      ['subprocess.check_output(["false"])', () => subprocess.check_output(['false'])],
      ['subprocess.run(["true"]).returncode', () => subprocess.run(['true']).returncode],
      [
        '(lambda p: (p.wait(), repr(p))[1])(subprocess.Popen(["true", "x" * 80]))',
        () => {
          const p = new subprocess.Popen(['true', 'x'.repeat(80)]);
          p.wait();
          return String(p);
        },
      ],
      [
        '(lambda p: (repr(p), p.wait())[0])(subprocess.Popen(["true"]))',
        () => {
          const p = new subprocess.Popen(['true']);
          const r = String(p);
          p.wait();
          return r;
        },
      ],
      [
        'subprocess.getstatusoutput("echo out; echo err >&2; exit 3")',
        () => subprocess.getstatusoutput('echo out; echo err >&2; exit 3'),
      ],
      ['subprocess.getstatusoutput("printf x")', () => subprocess.getstatusoutput('printf x')],
      ['subprocess.getstatusoutput("kill -9 $$")', () => subprocess.getstatusoutput('kill -9 $$')],
      ['subprocess.getoutput("echo a; echo; echo")', () => subprocess.getoutput('echo a; echo; echo')],
      [
        '[subprocess.PIPE, subprocess.STDOUT, subprocess.DEVNULL]',
        () => [subprocess.PIPE, subprocess.STDOUT, subprocess.DEVNULL],
      ],
    ];
    const py = pythonJson<unknown[]>(
      `${PY_OUTCOME}\nimport subprocess\nprint(json.dumps([${cases.map(([c]) => `outcome(lambda: ${c})`).join(',\n')}]))`,
    );
    expect(cases.map(([, f]) => outcome(f))).toEqual(py);
  });
});

describe('run, call, check_call, check_output: a trailing file object is positional, not keywords', () => {
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
