// Bad input to subprocess never crashes or hangs: each call gives a documented
// error (TypeError / ValueError / OverflowError / an OSError subclass /
// SubprocessError) or a harmless result.
import { describe, expect, it } from 'vitest';
import { IndexError, OSError, OverflowError, SubprocessError, subprocess, ValueError } from '../../lib/index.js';

// A closed fd that cannot be a pid either: above the kernel's largest
// pid_max (2**22) and its largest fd limit (nr_open, 2**20). A smaller number
// made the live comparison flaky once pids wrapped around on a busy machine.
const CLOSED_FD = 2 ** 22 + 1;
const values: unknown[] = [undefined, null, Number.NaN, -1, 2 ** 53, '3', {}, CLOSED_FD];

const allowed = (e: unknown) =>
  e instanceof TypeError ||
  e instanceof ValueError ||
  e instanceof OverflowError ||
  e instanceof OSError ||
  e instanceof SubprocessError ||
  e instanceof IndexError;

describe('bad input to subprocess never crashes or hangs', () => {
  /** Runs f; if it made a Popen, finishes it so no child or fd is left. */
  const settle = (f: () => unknown): unknown => {
    const r = f();
    if (r instanceof subprocess.Popen) {
      r[Symbol.dispose]();
      return r.returncode;
    }
    if (r instanceof subprocess.CompletedProcess) return r.returncode;
    return r;
  };
  const calls: [string, (v: unknown) => unknown][] = [
    ['Popen(X)', (v) => new subprocess.Popen(v as string[])],
    ['Popen(["true"], {stdin: X})', (v) => new subprocess.Popen(['true'], { stdin: v as number })],
    ['Popen(["true"], {stdout: X})', (v) => new subprocess.Popen(['true'], { stdout: v as number })],
    ['Popen(["true"], {stderr: X})', (v) => new subprocess.Popen(['true'], { stderr: v as number })],
    ['Popen(["true"], {pass_fds: X})', (v) => new subprocess.Popen(['true'], { pass_fds: v as number[] })],
    ['Popen(["true"], {cwd: X})', (v) => new subprocess.Popen(['true'], { cwd: v as string })],
    ['Popen(["true"], {env: X})', (v) => new subprocess.Popen(['true'], { env: v as Record<string, string> })],
    ['Popen(["true"], {executable: X})', (v) => new subprocess.Popen(['true'], { executable: v as string })],
    ['Popen(["true"], {bufsize: X})', (v) => new subprocess.Popen(['true'], { bufsize: v as number })],
    ['Popen(["true"], {umask: X})', (v) => new subprocess.Popen(['true'], { umask: v as number })],
    ['Popen(["true"], {process_group: X})', (v) => new subprocess.Popen(['true'], { process_group: v as number })],
    ['run(X)', (v) => subprocess.run(v as string[])],
    ['run(["true"], {timeout: X})', (v) => subprocess.run(['true'], { timeout: v as number })],
    ['call(X)', (v) => subprocess.call(v as string[])],
    ['check_call(X)', (v) => subprocess.check_call(v as string[])],
    ['check_output(X)', (v) => subprocess.check_output(v as string[])],
    [
      'p.wait(X) on an exited child',
      (v) => {
        const p = new subprocess.Popen(['true']);
        try {
          return p.wait(v as number);
        } finally {
          p.wait();
        }
      },
    ],
    [
      'p.communicate(X)',
      (v) => {
        const p = new subprocess.Popen(['cat'], { stdin: subprocess.PIPE, stdout: subprocess.PIPE });
        try {
          return p.communicate(v as Buffer, 5);
        } finally {
          p[Symbol.dispose]();
        }
      },
    ],
    [
      'p.send_signal(X) on a running child',
      (v) => {
        const p = new subprocess.Popen(['sleep', '30']);
        try {
          return p.send_signal(v as number);
        } finally {
          p.kill();
          p.wait();
        }
      },
    ],
  ];
  for (const [name, f] of calls) {
    it(name, () => {
      for (const v of values) {
        try {
          settle(() => f(v));
        } catch (e) {
          expect(allowed(e), `${name} with ${String(v)} threw ${String(e)}`).toBe(true);
        }
      }
    });
  }
});
