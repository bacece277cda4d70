// Popen returncode, wait, poll and the signal methods.
import { describe, expect, it } from 'vitest';
import { SubprocessError, signal, subprocess } from '../../lib/index.js';
import { outcome } from '../helpers/python.js';
import { runCases } from '../helpers/scenario.js';

const { PIPE } = subprocess;

/** `[python expression, JS function]` pairs run in both: [pipefork, CPython] outcomes. */
function both(cases: [string, () => unknown][], prelude = ''): [unknown[], unknown[]] {
  const { pipefork, python } = runCases(cases, `import subprocess\n${prelude}`);
  return [pipefork, python];
}

describe('Popen returncode, wait, poll, signals', () => {
  it('returncode: exit status, or minus the signal', () => {
    const p = new subprocess.Popen(['sh', '-c', 'exit 42']);
    expect(p.wait()).toBe(42);
    expect(p.returncode).toBe(42);
    expect(p.wait()).toBe(42); // cached, no second waitpid
    const k = new subprocess.Popen(['sleep', '30']);
    expect(k.poll()).toBeNull();
    k.kill();
    expect(k.wait()).toBe(-9);
    const t = new subprocess.Popen(['sleep', '30']);
    t.terminate();
    expect(t.wait()).toBe(-15);
    const s = new subprocess.Popen(['sleep', '30']);
    s.send_signal(signal.Signals.SIGINT);
    expect(s.wait()).toBe(-2);
    s.send_signal(signal.SIGKILL); // already reaped: a no-op, as CPython (bpo-38630)
  });

  it('wait(timeout) raises TimeoutExpired with CPython message, then a plain wait() succeeds', () => {
    const p = new subprocess.Popen(['sleep', '0.3']);
    const t0 = performance.now();
    expect(() => p.wait(0.05)).toThrow(subprocess.TimeoutExpired);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(45);
    try {
      p.wait({ timeout: 0.01 });
    } catch (e) {
      expect(e).toBeInstanceOf(SubprocessError);
      expect((e as Error).message).toBe("Command '['sleep', '0.3']' timed out after 0.01 seconds");
      expect((e as subprocess.TimeoutExpired).timeout).toBe(0.01);
    }
    expect(p.wait(5)).toBe(0);
    expect(p.wait(0)).toBe(0);
  });

  it('wait(timeout) wakes when the child ends, not at the timeout', () => {
    const p = new subprocess.Popen(['sleep', '0.05']);
    const t0 = performance.now();
    expect(p.wait(10)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(2000);
  });

  it('Symbol.dispose closes the pipes and waits', () => {
    let p: subprocess.Popen;
    {
      using q = new subprocess.Popen(['sh', '-c', 'exit 3'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE });
      p = q;
    }
    expect(p.returncode).toBe(3);
    expect(p.stdin?.closed).toBe(true);
    expect(p.stdout?.closed).toBe(true);
  });

  it('stdout.read() on the pipe object reads to EOF', () => {
    using p = new subprocess.Popen(['printf', 'abc'], { stdout: subprocess.PIPE });
    expect(String(p.stdout?.read())).toBe('abc');
  });
});

describe('Popen.wait and communicate with NaN and infinite timeouts', () => {
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
