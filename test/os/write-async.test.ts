// os.writeAsync: os.write's twin (docs/async.md). It writes everything
// unless told `all: false`; a frame of at most PIPE_BUF bytes is never
// half-written; an abort takes effect while it waits for room.
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

/** Everything the pipe holds now (r set non-blocking for the drain, then back). */
function drain(r: number): Buffer {
  os.set_blocking(r, false);
  const parts: Buffer[] = [];
  try {
    for (;;) parts.push(os.read(r, 65536));
  } catch (e) {
    if ((e as Error).name !== 'BlockingIOError') throw e;
  }
  os.set_blocking(r, true);
  return Buffer.concat(parts);
}

/** Fills the pipe until a write would block; how much it took. */
function fill(w: number, byte = 1): number {
  os.set_blocking(w, false);
  let n = 0;
  try {
    for (;;) n += os.write(w, Buffer.alloc(4096, byte));
  } catch (e) {
    if ((e as Error).name !== 'BlockingIOError') throw e;
  }
  os.set_blocking(w, true);
  return n;
}

describe('os.writeAsync', () => {
  it('writes all of a buffer larger than the pipe while the reader drains it; the count is its length', T, async () => {
    const [r, w] = os.pipe();
    const data = Buffer.alloc(4 << 20);
    for (let i = 0; i < data.length; i++) data[i] = i % 251;
    const p = os.writeAsync(w, data);
    const got: Buffer[] = [];
    let total = 0;
    while (total < data.length) {
      const b = await os.readAsync(r, 65536);
      got.push(b);
      total += b.length;
    }
    expect(await p).toBe(data.length);
    expect(Buffer.concat(got).equals(data)).toBe(true);
    os.close(r);
    os.close(w);
  });

  it(
    'all: false is one write once there is room, which may be short (as os.write on a non-blocking fd)',
    T,
    async () => {
      const [r, w] = os.pipe();
      fill(w);
      const p = os.writeAsync(w, Buffer.alloc(100000), { all: false });
      expect(await settledWithin(p, 30)).toBe(false);
      os.read(r, 8192);
      const k = await p;
      expect(k).toBeGreaterThan(0);
      expect(k).toBeLessThan(100000);
      os.close(r);
      os.close(w);
      const [r2, w2] = os.pipe();
      expect(await os.writeAsync(w2, Buffer.alloc(10), { all: false })).toBe(10);
      os.close(r2);
      os.close(w2);
    },
  );

  it(
    'a frame of at most PIPE_BUF bytes is all or nothing: aborted while waiting, none of it is written',
    T,
    async () => {
      const [r, w] = os.pipe();
      const filled = fill(w, 1);
      const frame = Buffer.alloc(4096, 2);
      await expect(os.writeAsync(w, frame, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      const held = drain(r);
      expect(held.length).toBe(filled);
      expect(held.includes(2)).toBe(false);
      os.close(r);
      os.close(w);
    },
  );

  it(
    'an abort while a large write waits: rejects with the reason; what went out is a prefix of the data',
    T,
    async () => {
      const [r, w] = os.pipe();
      const data = Buffer.alloc(1 << 20);
      for (let i = 0; i < data.length; i++) data[i] = i % 253;
      const ac = new AbortController();
      const p = os.writeAsync(w, data, { signal: ac.signal });
      await sleep(10);
      ac.abort('enough');
      await expect(p).rejects.toBe('enough');
      const out = drain(r);
      expect(out.length).toBeGreaterThan(0);
      expect(out.length).toBeLessThan(data.length);
      expect(out.equals(data.subarray(0, out.length))).toBe(true);
      os.close(r);
      os.close(w);
    },
  );

  it('writes to one fd happen in call order, never interleaved, though each waits for room', T, async () => {
    const [r, w] = os.pipe();
    const writes = ['a', 'b', 'c'].map((ch) => os.writeAsync(w, Buffer.alloc(300_000, ch)));
    const parts: Buffer[] = [];
    let n = 0;
    while (n < 900_000) {
      const b = await os.readAsync(r, 65536);
      parts.push(b);
      n += b.length;
    }
    expect(await Promise.all(writes)).toEqual([300_000, 300_000, 300_000]);
    const all = Buffer.concat(parts).toString('latin1');
    expect(all).toBe('a'.repeat(300_000) + 'b'.repeat(300_000) + 'c'.repeat(300_000));
    os.close(r);
    os.close(w);
  });

  it('abort before writes nothing; after completion changes nothing', T, async () => {
    const [r, w] = os.pipe();
    await expect(os.writeAsync(w, Buffer.from('x'), { signal: AbortSignal.abort() })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const ac = new AbortController();
    expect(await os.writeAsync(w, Buffer.from('yz'), { signal: ac.signal })).toBe(2);
    ac.abort();
    expect(String(os.read(r, 10))).toBe('yz');
    os.close(r);
    os.close(w);
  });

  it('BrokenPipeError when the reader is gone, also for a write waiting for room when it goes', T, async () => {
    const [r, w] = os.pipe();
    fill(w);
    const p = os.writeAsync(w, Buffer.alloc(10));
    await sleep(10);
    os.close(r);
    await expect(p).rejects.toMatchObject({ name: 'BrokenPipeError', errno: 32 });
    await expect(os.writeAsync(w, Buffer.from('x'))).rejects.toMatchObject({ name: 'BrokenPipeError' });
    os.close(w);
  });

  it('takes os.write arguments and raises its errors, as rejections', T, async () => {
    const [r, w] = os.pipe();
    await sameErrors([
      [() => f(os.write)(w, 'str'), () => f(os.writeAsync)(w, 'str') as Promise<unknown>],
      [() => f(os.write)(w), () => f(os.writeAsync)(w) as Promise<unknown>],
      [() => f(os.write)(w, Buffer.from('a'), 3), () => f(os.writeAsync)(w, Buffer.from('a'), 3) as Promise<unknown>],
      [() => f(os.write)('w', Buffer.from('a')), () => f(os.writeAsync)('w', Buffer.from('a')) as Promise<unknown>],
      [() => f(os.write)(9999, Buffer.from('a')), () => f(os.writeAsync)(9999, Buffer.from('a')) as Promise<unknown>],
      [() => f(os.write)(r, Buffer.from('a')), () => f(os.writeAsync)(r, Buffer.from('a')) as Promise<unknown>],
    ]);
    os.close(r);
    os.close(w);
  });
});
