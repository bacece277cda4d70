// Popen.communicateAsync: communicate()'s twin (docs/async.md). Each pipe
// is fed or drained as it becomes ready, so full pipes both ways never
// deadlock; after a timeout or an abort nothing is lost.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { subprocess } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors } from '../helpers/twins.js';

const T = { timeout: 60_000 };
const f = loose;
const { PIPE } = subprocess;
const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('Popen.communicateAsync', () => {
  it('100 MiB each way through cat never deadlocks, and the event loop runs throughout', T, async () => {
    const data = Buffer.allocUnsafe(100 << 20);
    for (let i = 0; i < data.length; i += 4) data.writeUInt32LE((i * 2654435761) >>> 0, i);
    const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE, stderr: PIPE });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 20);
    const [out, err] = await p.communicateAsync(data);
    clearInterval(timer);
    expect((out as Buffer).length).toBe(data.length);
    expect(sha(out as Buffer)).toBe(sha(data));
    expect((err as Buffer).length).toBe(0);
    expect(p.returncode).toBe(0);
    expect(ticks).toBeGreaterThan(0);
  });

  it('the same results as communicate(): text mode, stderr, a child that exits without reading', T, async () => {
    const cases: [string[], subprocess.PopenOptions, unknown][] = [
      [['sh', '-c', 'printf "a\\r\\nb\\rc"; printf err >&2'], { stdout: PIPE, stderr: PIPE, text: true }, null],
      [['sh', '-c', 'cat; echo done'], { stdin: PIPE, stdout: PIPE }, Buffer.from('in\n')],
      [['true'], { stdin: PIPE, stdout: PIPE }, Buffer.alloc(1 << 20)],
      [['sh', '-c', 'echo only'], { stdout: PIPE }, null],
      [['cat'], { stdin: PIPE }, Buffer.from('x')],
    ];
    for (const [args, opts, input] of cases) {
      const sync = new subprocess.Popen(args, opts);
      const want = sync.communicate(input as Buffer);
      const p = new subprocess.Popen(args, opts);
      const got = await p.communicateAsync(input as Buffer);
      expect([got, p.returncode]).toEqual([want, sync.returncode]);
    }
  });

  it('timeout: TimeoutExpired with the output so far; a later communicate (either one) carries on', T, async () => {
    const script = 'printf one; sleep 0.4; printf two';
    const p = new subprocess.Popen(['sh', '-c', script], { stdout: PIPE });
    const e = (await p.communicateAsync(null, 0.2).catch((x) => x)) as subprocess.TimeoutExpired;
    expect(e).toBeInstanceOf(subprocess.TimeoutExpired);
    expect(String(e.output)).toBe('one');
    expect(e.message).toBe(new subprocess.TimeoutExpired(p.args, 0.2).message);
    const [out] = await p.communicateAsync();
    expect(String(out)).toBe('onetwo');
    const q = new subprocess.Popen(['sh', '-c', script], { stdout: PIPE });
    await expect(q.communicateAsync({ timeout: 0.1 })).rejects.toBeInstanceOf(subprocess.TimeoutExpired);
    expect(String(q.communicate()[0])).toBe('onetwo');
  });

  it('abort (AbortSignal.timeout(50)) rejects with the reason; the child runs on and nothing is lost', T, async () => {
    const p = new subprocess.Popen(['sh', '-c', 'printf a; sleep 0.3; printf b'], { stdin: PIPE, stdout: PIPE });
    await expect(p.communicateAsync(Buffer.from('in'), { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    expect(p.poll()).toBe(null);
    const [out] = await p.communicateAsync();
    expect(String(out)).toBe('ab');
    const r = new subprocess.Popen(['true']);
    await expect(r.communicateAsync({ signal: AbortSignal.abort('before') })).rejects.toBe('before');
    await r.waitAsync();
    const q = new subprocess.Popen(['echo', 'hi'], { stdout: PIPE });
    const ac = new AbortController();
    expect(String((await q.communicateAsync({ signal: ac.signal }))[0])).toBe('hi\n');
    ac.abort();
  });

  it("communicate()'s argument errors and its ValueError for input after starting, as rejections", T, async () => {
    const p = new subprocess.Popen(['cat'], { stdin: PIPE, stdout: PIPE });
    await sameErrors([
      [() => f(p.communicate).call(p, 1, 2, 3), () => f(p.communicateAsync).call(p, 1, 2, 3) as Promise<unknown>],
      [
        () => f(p.communicate).call(p, { inptu: 1 }),
        () => f(p.communicateAsync).call(p, { inptu: 1 }) as Promise<unknown>,
      ],
    ]);
    await p.communicateAsync(Buffer.from('x'), 5);
    await sameErrors([[() => p.communicate(Buffer.from('y')), () => p.communicateAsync(Buffer.from('y'))]]);
  });
});
