// os.readAsync and os.readintoAsync: os.read's and os.readinto's twins
// (docs/async.md). Same arguments and errors as the blocking calls, the
// wait in the event loop, abort before, while waiting and after.
import { describe, expect, it } from 'vitest';
import { os } from '../../lib/index.js';
import { readinessState } from '../../lib/posix/ready.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

function withPipe(body: (r: number, w: number) => Promise<void>): () => Promise<void> {
  return async () => {
    const [r, w] = os.pipe();
    try {
      await body(r, w);
    } finally {
      os.close(r);
      os.close(w);
    }
  };
}

describe('os.readAsync', () => {
  it(
    'waits for data without blocking, then returns what one read gives (at most n)',
    T,
    withPipe(async (r, w) => {
      const p = os.readAsync(r, 5);
      expect(await settledWithin(p, 30)).toBe(false);
      os.write(w, Buffer.from('hello world'));
      expect(String(await p)).toBe('hello');
      expect(String(await os.readAsync(r, 100))).toBe(' world');
      expect((await os.readAsync(r, 0)).length).toBe(0);
    }),
  );

  it('an empty Buffer at EOF; data already there is returned at once', T, async () => {
    const [r, w] = os.pipe();
    os.write(w, Buffer.from('abc'));
    os.close(w);
    expect(String(await os.readAsync(r, 10))).toBe('abc');
    expect((await os.readAsync(r, 10)).length).toBe(0);
    os.close(r);
  });

  it(
    'a large n returns what is there (sized as os.read sizes it), not n bytes',
    T,
    withPipe(async (r, w) => {
      os.write(w, Buffer.alloc(1000, 1));
      const b = await os.readAsync(r, 1 << 30);
      expect(b.length).toBe(1000);
    }),
  );

  it(
    'waits on a non-blocking fd too, where os.read raises BlockingIOError; the flags are left alone',
    T,
    withPipe(async (r, w) => {
      os.set_blocking(r, false);
      expect(() => os.read(r, 1)).toThrow(expect.objectContaining({ name: 'BlockingIOError' }));
      const p = os.readAsync(r, 1);
      await sleep(20);
      os.write(w, Buffer.from('x'));
      expect(String(await p)).toBe('x');
      expect(os.get_blocking(r)).toBe(false);
    }),
  );

  it('reads a regular file (which epoll cannot watch) with a plain read', T, async () => {
    const fd = os.open('/etc/passwd', os.O_RDONLY);
    try {
      const b = await os.readAsync(fd, 10);
      expect(b.length).toBe(10);
    } finally {
      os.close(fd);
    }
  });

  it(
    'never changes the fd flags it reads from (O_NONBLOCK stays clear)',
    T,
    withPipe(async (r, w) => {
      const p = os.readAsync(r, 1);
      await sleep(10);
      expect(os.get_blocking(r)).toBe(true);
      os.write(w, Buffer.from('x'));
      await p;
      expect(os.get_blocking(r)).toBe(true);
    }),
  );

  it(
    'abort before: rejects with the reason at once and reads nothing',
    T,
    withPipe(async (r, w) => {
      os.write(w, Buffer.from('kept'));
      const reason = new Error('not now');
      await expect(os.readAsync(r, 10, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
      expect(String(os.read(r, 10))).toBe('kept');
    }),
  );

  it(
    'abort while waiting: rejects with the reason; nothing is taken from the pipe',
    T,
    withPipe(async (r, w) => {
      const ac = new AbortController();
      const p = os.readAsync(r, 10, { signal: ac.signal });
      await sleep(10);
      ac.abort('stop');
      await expect(p).rejects.toBe('stop');
      os.write(w, Buffer.from('after'));
      expect(String(os.read(r, 10))).toBe('after');
      expect(readinessState().pending).toBe(0);
    }),
  );

  it(
    'AbortSignal.timeout(50): rejects with its TimeoutError after about 50 ms',
    T,
    withPipe(async (r) => {
      const t0 = performance.now();
      await expect(os.readAsync(r, 1, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
        name: 'TimeoutError',
      });
      expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
    }),
  );

  it(
    'abort after completion changes nothing',
    T,
    withPipe(async (r, w) => {
      const ac = new AbortController();
      os.write(w, Buffer.from('done'));
      const b = await os.readAsync(r, 10, { signal: ac.signal });
      ac.abort();
      expect(String(b)).toBe('done');
    }),
  );

  it('takes os.read arguments and raises its errors, as rejections', T, async () => {
    const [r, w] = os.pipe();
    os.close(w);
    await sameErrors([
      [() => f(os.read)(r), () => f(os.readAsync)(r) as Promise<unknown>],
      [() => f(os.read)(r, 1, 2), () => f(os.readAsync)(r, 1, 2) as Promise<unknown>],
      [() => f(os.read)('x', 1), () => f(os.readAsync)('x', 1) as Promise<unknown>],
      [() => f(os.read)(r, 1.5), () => f(os.readAsync)(r, 1.5) as Promise<unknown>],
      [() => f(os.read)(r, -1), () => f(os.readAsync)(r, -1) as Promise<unknown>],
      [() => f(os.read)(r, 2 ** 64), () => f(os.readAsync)(r, 2 ** 64) as Promise<unknown>],
      [() => f(os.read)(r, { length: 1 }), () => f(os.readAsync)(r, { length: 1 }) as Promise<unknown>],
      [() => f(os.read)(-1, 1), () => f(os.readAsync)(-1, 1) as Promise<unknown>],
      [() => f(os.read)(9999, 1), () => f(os.readAsync)(9999, 1) as Promise<unknown>],
    ]);
    os.close(r);
    await expect(f(os.readAsync)(0, 1, { signal: 'x' })).rejects.toMatchObject({ code: 'ERR_INVALID_ARG_TYPE' });
  });

  it('closing the fd with os.close while a read waits rejects it with EBADF', T, async () => {
    const [r, w] = os.pipe();
    const p = os.readAsync(r, 1);
    await sleep(10);
    os.close(r);
    await expect(p).rejects.toMatchObject({ name: 'OSError', errno: 9 });
    os.close(w);
  });
});

describe('os.readintoAsync', () => {
  it(
    'one read into the buffer once there is data; the count; os.readinto errors',
    T,
    withPipe(async (r, w) => {
      const buf = Buffer.alloc(8);
      const p = os.readintoAsync(r, buf);
      await sleep(10);
      os.write(w, Buffer.from('abc'));
      expect(await p).toBe(3);
      expect(String(buf.subarray(0, 3))).toBe('abc');
      await sameErrors([
        [() => f(os.readinto)(r, 'str'), () => f(os.readintoAsync)(r, 'str') as Promise<unknown>],
        [() => f(os.readinto)(r), () => f(os.readintoAsync)(r) as Promise<unknown>],
      ]);
    }),
  );
});
