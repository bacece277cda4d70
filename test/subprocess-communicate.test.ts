// communicate / run / call / check_call / check_output (test_subprocess.py's
// ProcessTestCase communicate and run cases).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BrokenPipeError, SubprocessError, subprocess, ValueError } from '../lib/index.js';
import { outcome, PY_OUTCOME, pythonJson } from './helpers/python.js';

const MiB = 1024 * 1024;
const { PIPE } = subprocess;

describe('communicate', () => {
  it('test_communicate_pipe_buf: 4 MiB through cat both ways, no deadlock', () => {
    const data = randomBytes(4 * MiB);
    const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE });
    const [out, err] = p.communicate(data);
    expect(err).toBeNull();
    expect(Buffer.compare(out as Buffer, data)).toBe(0);
    expect(p.returncode).toBe(0);
  });

  it('4 MiB in, 4 MiB on stdout and 4 MiB on stderr at once', () => {
    const data = randomBytes(4 * MiB);
    const p = new subprocess.Popen(['sh', '-c', 'tee /dev/stderr'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
    const [out, err] = p.communicate(data, 30);
    expect(Buffer.compare(out as Buffer, data)).toBe(0);
    expect(Buffer.compare(err as Buffer, data)).toBe(0);
  });

  it('test_communicate_stdin / stdout / stderr only', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion, not a JS template
    let p = new subprocess.Popen(['sh', '-c', 'read x; exit ${#x}'], { stdin: PIPE });
    expect(p.communicate(Buffer.from('pear\n'))).toEqual([null, null]);
    expect(p.returncode).toBe(4);
    p = new subprocess.Popen(['sh', '-c', 'echo pineapple'], { stdout: PIPE });
    expect(p.communicate()).toEqual([Buffer.from('pineapple\n'), null]);
    p = new subprocess.Popen(['sh', '-c', 'echo pineapple >&2'], { stderr: PIPE });
    expect(p.communicate()).toEqual([null, Buffer.from('pineapple\n')]);
  });

  it('test_communicate_epipe: a child that exits without reading its input is no error', () => {
    const p = new subprocess.Popen(['true'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
    expect(p.communicate(Buffer.alloc(2 * MiB, 97))).toEqual([Buffer.alloc(0), Buffer.alloc(0)]);
    // Writing to it by hand is BrokenPipeError, as in CPython.
    const q = new subprocess.Popen(['true'], { stdin: PIPE });
    q.wait();
    expect(() => {
      q.stdin?.write(Buffer.alloc(MiB));
      q.stdin?.flush();
    }).toThrow(BrokenPipeError);
    expect(() => q.stdin?.close()).not.toThrow();
  });

  it('test_communicate_timeout: TimeoutExpired keeps partial output, and a retry gets the rest', () => {
    const p = new subprocess.Popen(['sh', '-c', 'printf first; sleep 0.4; printf second >&2; printf ", second"'], {
      stdout: PIPE,
      stderr: PIPE,
    });
    let timedOut: subprocess.TimeoutExpired | undefined;
    try {
      p.communicate(null, { timeout: 0.15 });
    } catch (e) {
      timedOut = e as subprocess.TimeoutExpired;
    }
    expect(timedOut).toBeInstanceOf(subprocess.TimeoutExpired);
    expect(timedOut?.message).toMatch(/^Command '\['sh', '-c', .*\]' timed out after 0\.15 seconds$/);
    expect(String(timedOut?.output)).toBe('first');
    expect(timedOut?.stdout).toBe(timedOut?.output);
    expect(timedOut?.stderr).toBeNull();
    const [out, err] = p.communicate();
    expect(String(out)).toBe('first, second');
    expect(String(err)).toBe('second');
    expect(p.returncode).toBe(0);
  });

  it('after reading part of stdout by hand, communicate() returns the rest (buffered data included)', () => {
    const p = new subprocess.Popen(['printf', 'abcdef'], { stdout: PIPE });
    expect(String(p.stdout?.read(3))).toBe('abc');
    expect(p.communicate()).toEqual([Buffer.from('def'), null]);
  });

  it("Popen arguments in Python's positional order", () => {
    // Popen(args, bufsize, executable, stdin, stdout)
    const p = new subprocess.Popen(['cat'], -1, null, PIPE, PIPE);
    expect(p.communicate(Buffer.from('positional'))).toEqual([Buffer.from('positional'), null]);
  });

  it('communicate with input after communication started is ValueError', () => {
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.3; cat'], { stdin: PIPE, stdout: PIPE });
    expect(() => p.communicate(Buffer.from('x'), 0.01)).toThrow(subprocess.TimeoutExpired);
    expect(() => p.communicate(Buffer.from('y'))).toThrow(
      new ValueError('Cannot send input after starting communication'),
    );
    expect(String(p.communicate()[0])).toBe('x');
  });
});

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
    expect(() => subprocess.check_output(['true'], { stdout: PIPE })).toThrow(
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
