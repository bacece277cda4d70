// os.waitpidAsync and os.waitAsync: os.waitpid's and os.wait's twins
// (docs/async.md): woken by the child's pidfd, or by SIGCHLD where a pidfd
// cannot be had and for stops; only pipefork's children, as os.waitpid.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { os, signal, subprocess } from '../../lib/index.js';
import { _forceSigchld } from '../../lib/posix/pidwait.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

afterEach(() => _forceSigchld(false));

/** A child of pipefork's (Popen), whose pid the os twins wait for; Popen's own books are told. */
function child(args: string[]): subprocess.Popen {
  return new subprocess.Popen(args);
}

describe('os.waitpidAsync', () => {
  it('resolves with [pid, status] once the child exits, the event loop running meanwhile', T, async () => {
    const p = child(['sh', '-c', 'sleep 0.2; exit 3']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const [pid, status] = await os.waitpidAsync(p.pid, 0);
    clearInterval(timer);
    expect(pid).toBe(p.pid);
    expect(os.WEXITSTATUS(status)).toBe(3);
    expect(ticks).toBeGreaterThan(3);
    expect(p.poll()).toBe(0); // reaped elsewhere: Popen says 0, as CPython
  });

  it('WNOHANG is os.waitpid: [0, 0] while it runs; a killed child reports its signal', T, async () => {
    const p = child(['sleep', '10']);
    expect(await os.waitpidAsync(p.pid, os.WNOHANG)).toEqual([0, 0]);
    p.kill();
    const [, status] = await os.waitpidAsync(p.pid, 0);
    expect(os.WTERMSIG(status)).toBe(9);
    p.wait();
  });

  it(
    'an abort leaves the child running and waitable; AbortSignal.timeout(50) rejects with TimeoutError',
    T,
    async () => {
      const p = child(['sleep', '10']);
      await expect(os.waitpidAsync(p.pid, 0, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      await expect(os.waitpidAsync(p.pid, 0, { signal: AbortSignal.abort('x') })).rejects.toBe('x');
      expect(p.poll()).toBe(null);
      p.kill();
      expect(await p.waitAsync()).toBe(-9);
    },
  );

  it('without pidfds (SIGCHLD wakes it): the same result', T, async () => {
    _forceSigchld(true);
    const p = child(['sh', '-c', 'sleep 0.1; exit 7']);
    const [, status] = await os.waitpidAsync(p.pid, 0);
    expect(os.WEXITSTATUS(status)).toBe(7);
    expect(process.listenerCount('SIGCHLD')).toBe(0);
    p.poll();
  });

  it('WUNTRACED reports a stop (SIGCHLD, which a pidfd does not give)', T, async () => {
    const p = child(['sleep', '10']);
    const pending = os.waitpidAsync(p.pid, os.WUNTRACED);
    await sleep(20);
    os.kill(p.pid, signal.SIGSTOP);
    const [, status] = await pending;
    expect(os.WIFSTOPPED(status)).toBe(true);
    expect(os.WSTOPSIG(status)).toBe(signal.SIGSTOP);
    p.kill();
    await p.waitAsync();
  });

  it(
    "a process that is not a child is ChildProcessError, as os.waitpid; -1 never looks at Node's own children",
    T,
    async () => {
      await expect(os.waitpidAsync(os.getppid(), 0)).rejects.toMatchObject({ name: 'ChildProcessError', errno: 10 });
      const node = spawn('sleep', ['0.2'], { stdio: 'ignore' });
      const exited = new Promise((r) => node.once('exit', r));
      await expect(os.waitpidAsync(-1, 0)).rejects.toMatchObject({ name: 'ChildProcessError' });
      expect(await exited).toBe(0);
    },
  );

  it('takes os.waitpid arguments and raises its errors, as rejections', T, async () => {
    await sameErrors([
      [() => f(os.waitpid)(1), () => f(os.waitpidAsync)(1) as Promise<unknown>],
      [() => f(os.waitpid)('1', 0), () => f(os.waitpidAsync)('1', 0) as Promise<unknown>],
      [() => f(os.waitpid)(1, 0, 0), () => f(os.waitpidAsync)(1, 0, 0) as Promise<unknown>],
      [() => f(os.waitpid)(2 ** 40, 0), () => f(os.waitpidAsync)(2 ** 40, 0) as Promise<unknown>],
    ]);
  });
});

describe('os.waitAsync', () => {
  it("waits for any of pipefork's children, a child started while it waits included", T, async () => {
    const a = child(['sleep', '10']);
    const pending = os.waitAsync();
    expect(await settledWithin(pending, 30)).toBe(false);
    const b = child(['true']);
    const [pid, status] = await pending;
    expect(pid).toBe(b.pid);
    expect(os.waitstatus_to_exitcode(status)).toBe(0);
    a.kill();
    expect((await os.waitAsync())[0]).toBe(a.pid);
    expect(await os.waitAsync().catch((e) => (e as Error).name)).toBe('ChildProcessError');
    a.poll();
    b.poll();
  });
});
