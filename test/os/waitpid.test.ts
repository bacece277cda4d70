// os.waitpid / os.wait (test_os.py's WaitTests and PosixTester cases), and
// the one deliberate difference from CPython: wait() and waitpid(-1) only ever
// reap children pipefork started.
import { spawn as cpSpawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ChildProcessError, os, signal, subprocess, ValueError } from '../../lib/index.js';

const sh = (script: string) => new subprocess.Popen(['/bin/sh', '-c', script]);

describe('os.waitpid and os.wait', () => {
  it('reports exit codes', () => {
    for (const code of [0, 1, 7, 255]) {
      const p = sh(`exit ${code}`);
      const [pid, status] = os.waitpid(p.pid, 0);
      expect(pid).toBe(p.pid);
      expect(os.WIFEXITED(status)).toBe(true);
      expect(os.WIFSIGNALED(status)).toBe(false);
      expect(os.WEXITSTATUS(status)).toBe(code);
      expect(os.waitstatus_to_exitcode(status)).toBe(code);
    }
  });

  it('reports signals, and a child killed by us', () => {
    const p = sh('kill -TERM $$');
    const [, status] = os.waitpid(p.pid, 0);
    expect(os.WIFSIGNALED(status)).toBe(true);
    expect(os.WTERMSIG(status)).toBe(signal.SIGTERM);
    expect(os.waitstatus_to_exitcode(status)).toBe(-signal.SIGTERM);

    const q = new subprocess.Popen(['sleep', '30']);
    os.kill(q.pid, signal.SIGKILL);
    const [pid, st] = os.waitpid(q.pid, 0);
    expect(pid).toBe(q.pid);
    expect(os.WTERMSIG(st)).toBe(9);
    expect(os.waitstatus_to_exitcode(st)).toBe(-9);
  });

  it('WNOHANG returns [0, 0] while the child runs', () => {
    const p = new subprocess.Popen(['sleep', '30']);
    expect(os.waitpid(p.pid, os.WNOHANG)).toEqual([0, 0]);
    expect(os.waitpid(-1, os.WNOHANG)).toEqual([0, 0]);
    expect(os.waitpid(0, os.WNOHANG)).toEqual([0, 0]);
    p.kill();
    expect(p.wait()).toBe(-9);
  });

  it('WUNTRACED and WCONTINUED see a stopped and continued child', () => {
    const p = new subprocess.Popen(['sleep', '30']);
    os.kill(p.pid, signal.SIGSTOP);
    let [pid, status] = os.waitpid(p.pid, os.WUNTRACED);
    expect(pid).toBe(p.pid);
    expect(os.WIFSTOPPED(status)).toBe(true);
    expect(os.WSTOPSIG(status)).toBe(signal.SIGSTOP);
    expect(() => os.waitstatus_to_exitcode(status)).toThrow(new ValueError('process stopped by delivery of signal 19'));
    os.kill(p.pid, signal.SIGCONT);
    [pid, status] = os.waitpid(p.pid, os.WCONTINUED);
    expect(os.WIFCONTINUED(status)).toBe(true);
    // waitpid(-1, WUNTRACED) among our children sees a stop too.
    os.kill(p.pid, signal.SIGSTOP);
    [pid, status] = os.waitpid(-1, os.WUNTRACED);
    expect([pid, os.WIFSTOPPED(status)]).toEqual([p.pid, true]);
    os.kill(p.pid, signal.SIGKILL);
    expect(p.wait()).toBe(-9);
  });

  it('ECHILD is ChildProcessError, for a pid and for "any child"', () => {
    const p = sh('exit 0');
    p.wait();
    expect(() => os.waitpid(p.pid, 0)).toThrow(ChildProcessError);
    expect(() => os.wait()).toThrow('[Errno 10] No child processes');
    expect(() => os.waitpid(-1, 0)).toThrow(ChildProcessError);
    expect(() => os.waitpid(-1, os.WNOHANG)).toThrow(ChildProcessError);
    try {
      os.wait();
    } catch (e) {
      expect((e as ChildProcessError).errno).toBe(10);
      expect((e as ChildProcessError).code).toBe('ECHILD');
      expect((e as Error).message).toBe('[Errno 10] No child processes');
    }
  });

  it('wait() reaps whichever pipefork child ends first, blocking in poll(2)', () => {
    const slow = new subprocess.Popen(['sleep', '0.5']);
    const fast = sh('exit 5');
    const [pid, status] = os.wait();
    expect(pid).toBe(fast.pid);
    expect(os.WEXITSTATUS(status)).toBe(5);
    const [pid2] = os.wait();
    expect(pid2).toBe(slow.pid);
    expect(() => os.wait()).toThrow(ChildProcessError);
    // Popen learns the child was reaped elsewhere and reports 0, as CPython's _try_wait does.
    expect(fast.wait()).toBe(0);
    expect(slow.poll()).toBe(0);
  });

  it('waitpid(-pgid) waits only among children in that process group', () => {
    const a = new subprocess.Popen(['sleep', '0.2'], { process_group: 0 });
    const b = new subprocess.Popen(['sleep', '30']);
    expect(os.getpgid(a.pid)).toBe(a.pid);
    const [pid] = os.waitpid(-a.pid, 0);
    expect(pid).toBe(a.pid);
    expect(() => os.waitpid(-a.pid, 0)).toThrow(ChildProcessError);
    b.kill();
    b.wait();
  });
});

describe('os.waitpid and Popen.wait through signals (PEP 475)', () => {
  it('a signal Node handles, arriving during blocking waits, interrupts none of them', () => {
    let seen = 0;
    const onUsr2 = () => {
      seen++;
    };
    process.on('SIGUSR2', onUsr2);
    try {
      // The child signals us mid-wait: poll(2) returns EINTR whatever SA_RESTART says.
      const script = `sleep 0.1; kill -USR2 ${process.pid}; sleep 0.2; echo done; exit 3`;
      let p = new subprocess.Popen(['sh', '-c', script]);
      expect(p.wait(10)).toBe(3);
      p = new subprocess.Popen(['sh', '-c', script], { stdout: subprocess.PIPE, stderr: subprocess.PIPE });
      expect(p.communicate(null, 10)).toEqual([Buffer.from('done\n'), Buffer.alloc(0)]);
      p = new subprocess.Popen(['sh', '-c', script]);
      expect(os.WEXITSTATUS(os.wait()[1])).toBe(3);
      p = new subprocess.Popen(['sh', '-c', script]);
      expect(os.WEXITSTATUS(os.waitpid(p.pid, 0)[1])).toBe(3);
    } finally {
      process.off('SIGUSR2', onUsr2);
    }
    // Node runs the JS handlers later, from its loop; the waits just carried on.
    expect(seen).toBe(0);
  });
});

describe('wait() and waitpid(-1) never steal child_process children', () => {
  it('20 child_process children and 20 pipefork children at once: every exit event fires', async () => {
    const exits: Promise<number | null>[] = [];
    const cpPids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const c = cpSpawn('/bin/sh', ['-c', `sleep 0.0${i % 10}; exit ${i % 7}`], { stdio: 'ignore' });
      cpPids.add(c.pid as number);
      exits.push(new Promise((resolve) => c.on('exit', (code) => resolve(code))));
    }
    const ours = new Set<number>();
    for (let i = 0; i < 20; i++) ours.add(sh(`sleep 0.0${(i * 3) % 10}; exit 3`).pid);
    const reaped: number[] = [];
    // Half with blocking wait(), half with waitpid(-1, 0); the child_process
    // children end meanwhile, and none of them may be returned here.
    for (let i = 0; i < 20; i++) {
      const [pid, status] = i % 2 ? os.wait() : os.waitpid(-1, 0);
      expect(os.WEXITSTATUS(status)).toBe(3);
      reaped.push(pid);
    }
    expect(new Set(reaped)).toEqual(ours);
    expect(() => os.waitpid(-1, os.WNOHANG)).toThrow(ChildProcessError);
    const codes = await Promise.race([
      Promise.all(exits),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('a child_process exit event never fired')), 10_000),
      ),
    ]);
    expect(codes).toEqual(Array.from({ length: 20 }, (_, i) => i % 7));
  });

  it('a WNOHANG poll loop of waitpid(-1) while child_process children come and go', async () => {
    const exits: Promise<unknown>[] = [];
    const ours = new Set<number>();
    for (let i = 0; i < 10; i++) {
      const c = cpSpawn('/bin/true', [], { stdio: 'ignore' });
      exits.push(new Promise((resolve) => c.on('exit', resolve)));
      ours.add(sh('exit 0').pid);
    }
    const reaped = new Set<number>();
    const deadline = Date.now() + 10_000;
    while (reaped.size < 10 && Date.now() < deadline) {
      const [pid] = os.waitpid(-1, os.WNOHANG);
      if (pid) reaped.add(pid);
      else await new Promise((r) => setTimeout(r, 2));
    }
    expect(reaped).toEqual(ours);
    await Promise.all(exits);
  });
});

describe('wait() with os.fork children and Popen children together', () => {
  it('reaps both kinds, then ChildProcessError (run in a throwaway node)', () => {
    const dist = new URL('../../dist/lib/index.js', import.meta.url).pathname;
    const script = `
      import { os, subprocess } from ${JSON.stringify(dist)};
      const a = os.fork(() => 3);
      const p = new subprocess.Popen(['sh', '-c', 'sleep 0.1; exit 4']);
      const b = os.fork(() => { os.kill(os.getpid(), 9); });
      const name = (pid) => (pid === a ? 'fork-a' : pid === b ? 'fork-b' : pid === p.pid ? 'popen' : String(pid));
      const got = [os.wait(), os.waitpid(-1, 0), os.wait()].map(([pid, st]) => [name(pid), os.waitstatus_to_exitcode(st)]);
      let after = 'none';
      try { os.wait(); } catch (e) { after = e.constructor.name; }
      console.log(JSON.stringify({ got: got.sort(), after, popen: p.wait() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 15_000 });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      got: [
        ['fork-a', 3],
        ['fork-b', -9],
        ['popen', 4],
      ],
      after: 'ChildProcessError',
      // Reaped by os.wait(): Popen reports 0, as CPython's _try_wait does on ECHILD.
      popen: 0,
    });
  });
});

describe('waiting with the fd table full', () => {
  it('Popen.wait still works when pidfd_open fails with EMFILE', () => {
    const fixture = fileURLToPath(new URL('../fixtures/wait-emfile.mjs', import.meta.url));
    const r = spawnSync('sh', ['-c', `ulimit -n 64 && exec "${process.execPath}" "${fixture}"`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^returncode 0 after filling \d+ fds\n$/);
  });
});
