// Signals across os.fork(), as in Python after fork: the child keeps the
// Python-level handlers, nothing pending in the parent is handled in the
// child, and a Node listener the child adds for itself (a forked daemon's
// process.on('SIGTERM')) runs where pipefork runs handlers, since the
// child's event loop never does.
import { describe, expect, it } from 'vitest';
import { os, signal } from '../../lib/index.js';
import { describeStatus, reap } from '../fixtures/fork-helpers.js';
import { runNode } from '../helpers/program.js';

describe('signals after os.fork()', () => {
  it("the child keeps the parent's handler: a signal to the child runs it there", () => {
    const [r, w] = os.pipe();
    const [r2, w2] = os.pipe();
    signal.signal(signal.SIGUSR2, () => {
      os.write(w2, Buffer.from(`handled in ${os.getpid()}\n`));
    });
    try {
      const pid = os.fork();
      if (pid === 0) {
        os.close(w);
        os.write(w2, Buffer.from('ready\n'));
        os.read(r, 1); // until the parent closes w
        os._exit(3);
      }
      os.close(w2);
      expect(os.read(r2, 100).toString()).toBe('ready\n');
      os.kill(pid, signal.SIGUSR2);
      expect(os.read(r2, 100).toString()).toBe(`handled in ${pid}\n`);
      os.close(w);
      expect(describeStatus(reap(pid, 10_000))).toBe('exit 3');
    } finally {
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
      os.close(r);
      os.close(r2);
    }
  });

  it("a signal that arrived in the parent but was not handled yet is the parent's alone", () => {
    let ran = 0;
    signal.signal(signal.SIGUSR2, () => ran++);
    const [r, w] = os.pipe();
    try {
      // Node's kill makes no pipefork check: the signal is recorded, its handler not run yet.
      process.kill(process.pid, 'SIGUSR2');
      const pid = os.fork(() => {
        // A blocking call in the child: the parent's pending signal must not run here.
        os.write(w, Buffer.from(String(ran)));
        return ran;
      });
      os.close(w);
      expect(os.read(r, 10).toString()).toBe('0');
      expect(describeStatus(reap(pid, 10_000))).toBe('exit 0');
      expect(ran).toBe(1); // the parent's read above ran it
    } finally {
      signal.signal(signal.SIGUSR2, signal.SIG_DFL);
      os.close(r);
    }
  });

  it("a forked daemon's process.on('SIGTERM') runs during its blocking call (it stops as Python's would)", () => {
    // Its own program: vitest's runner replaces process.exit in the test process.
    const r = runNode(`import { os, signal } from 'PIPEFORK';
const [r, w] = os.pipe();
const [r2, w2] = os.pipe();
const pid = os.fork();
if (pid === 0) {
  os.close(w);
  process.on('SIGTERM', (name, num) => {
    os.write(w2, Buffer.from('cleaning up after ' + name + ' ' + num + '\\n'));
    process.exit(7);
  });
  os.write(w2, Buffer.from('ready\\n'));
  os.read(r, 1); // the daemon's main loop, blocked
  os._exit(0);
}
os.close(w2);
process.stdout.write(os.read(r2, 100).toString());
os.kill(pid, signal.SIGTERM);
process.stdout.write(os.read(r2, 100).toString());
const [, status] = os.waitpid(pid, 0);
console.log('exit', os.waitstatus_to_exitcode(status));`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('ready\ncleaning up after SIGTERM 15\nexit 7\n');
  });
});
