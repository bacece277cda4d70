// Popen.communicate (test_subprocess.py's ProcessTestCase communicate cases).
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { BrokenPipeError, subprocess, ValueError } from '../../lib/index.js';
import { children } from '../helpers/leaks.js';
import { runCases } from '../helpers/scenario.js';

const MiB = 1024 * 1024;

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

describe('Popen.communicate', () => {
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

describe('Popen.communicate: TimeoutExpired keeps what it had', () => {
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
