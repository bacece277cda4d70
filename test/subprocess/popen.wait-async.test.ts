// Popen.waitAsync: wait()'s twin (docs/async.md). The child's exit comes
// from its pidfd in the event loop; TimeoutExpired as wait() raises it; an
// abort leaves the child running.
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { _forceSigchld } from '../../lib/posix/pidwait.js';
import { loose } from '../helpers/python.js';
import { sameErrors } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

describe('Popen.waitAsync', () => {
  it('resolves with the returncode, -signal when killed; the loop runs meanwhile', T, async () => {
    const p = new subprocess.Popen(['sh', '-c', 'sleep 0.2; exit 4']);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    expect(await p.waitAsync()).toBe(4);
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(3);
    expect(p.returncode).toBe(4);
    expect(await p.waitAsync()).toBe(4);
    const q = new subprocess.Popen(['sleep', '10']);
    q.terminate();
    expect(await q.waitAsync()).toBe(-15);
  });

  it('timeout: TimeoutExpired as wait(timeout) raises it (same message); the child goes on', T, async () => {
    const p = new subprocess.Popen(['sleep', '10']);
    let sync: unknown;
    try {
      p.wait(0.05);
    } catch (e) {
      sync = e;
    }
    const t0 = performance.now();
    const e = await p.waitAsync(0.1).catch((x) => x);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(90);
    expect(e).toBeInstanceOf(subprocess.TimeoutExpired);
    expect((e as Error).message).toBe((sync as Error).message.replace('0.05', '0.1'));
    expect(await p.waitAsync({ timeout: 0 }).catch((x) => (x as Error).name)).toBe('TimeoutExpired');
    expect(p.poll()).toBe(null);
    p.kill();
    expect(await p.waitAsync({ timeout: 5 })).toBe(-9);
  });

  it('abort before, while waiting (AbortSignal.timeout(50)) and after completion', T, async () => {
    const p = new subprocess.Popen(['sleep', '10']);
    await expect(p.waitAsync({ signal: AbortSignal.abort('no') })).rejects.toBe('no');
    await expect(p.waitAsync(null, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(p.poll()).toBe(null);
    p.kill();
    const ac = new AbortController();
    expect(await p.waitAsync({ signal: ac.signal })).toBe(-9);
    ac.abort();
    expect(p.returncode).toBe(-9);
  });

  it('without a pidfd (SIGCHLD wakes it), the same', T, async () => {
    _forceSigchld(true);
    try {
      const p = new subprocess.Popen(['sh', '-c', 'exit 9']);
      expect(await p.waitAsync()).toBe(9);
    } finally {
      _forceSigchld(false);
    }
  });

  it("wait()'s argument errors, as rejections", T, async () => {
    const p = new subprocess.Popen(['true']);
    await sameErrors([
      [() => f(p.wait).call(p, 'x'), () => f(p.waitAsync).call(p, 'x') as Promise<unknown>],
      [() => f(p.wait).call(p, 1, 2), () => f(p.waitAsync).call(p, 1, 2) as Promise<unknown>],
      [() => f(p.wait).call(p, { timeot: 1 }), () => f(p.waitAsync).call(p, { timeot: 1 }) as Promise<unknown>],
    ]);
    await p.waitAsync();
  });
});
