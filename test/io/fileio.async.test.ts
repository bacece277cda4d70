// FileIO's awaitable twins (docs/async.md): readAsync, readallAsync,
// readintoAsync, readlineAsync, writeAsync; an abort keeps what a
// multi-read twin had taken for the next read.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

function rawPipe(): [io.FileIO, io.FileIO] {
  const [r, w] = os.pipe();
  return [new io.FileIO(r, 'r'), new io.FileIO(w, 'w')];
}

describe('FileIO twins', () => {
  it('readAsync(n) is one read once there is data; readAsync() reads to EOF', T, async () => {
    const [r, w] = rawPipe();
    const p = r.readAsync(100);
    expect(await settledWithin(p, 20)).toBe(false);
    w.write(Buffer.from('abc'));
    expect(String(await p)).toBe('abc');
    const all = r.readAsync();
    w.write(Buffer.from('def'));
    await sleep(10);
    w.write(Buffer.from('ghi'));
    w.close();
    expect(String(await all)).toBe('defghi');
    r.close();
  });

  it(
    'readallAsync aborted after reading keeps the bytes: the next read (blocking or not) returns them first',
    T,
    async () => {
      const [r, w] = rawPipe();
      const ac = new AbortController();
      const p = r.readallAsync({ signal: ac.signal });
      w.write(Buffer.from('first '));
      await sleep(20);
      ac.abort('stop');
      await expect(p).rejects.toBe('stop');
      w.write(Buffer.from('second'));
      expect(String(r.read(3))).toBe('fir');
      expect(String(await r.readAsync(100))).toBe('st ');
      w.close();
      expect(String(r.readall())).toBe('second');
      r.close();
    },
  );

  it('readlineAsync reads a byte at a time as IOBase.readline; an abort keeps the part read', T, async () => {
    const [r, w] = rawPipe();
    w.write(Buffer.from('one\ntw'));
    expect(String(await r.readlineAsync())).toBe('one\n');
    const p = r.readlineAsync({ signal: AbortSignal.timeout(50) });
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError' });
    w.write(Buffer.from('o\n'));
    expect(String(await r.readlineAsync())).toBe('two\n');
    expect(String(await r.readlineAsync(0))).toBe('');
    w.write(Buffer.from('abcdef\n'));
    expect(String(await r.readlineAsync(3))).toBe('abc');
    w.close();
    expect(String(await r.readlineAsync())).toBe('def\n');
    expect(String(await r.readlineAsync())).toBe('');
    r.close();
  });

  it('readintoAsync fills from one read; writeAsync writes everything', T, async () => {
    const [r, w] = rawPipe();
    const big = Buffer.alloc(300_000, 7);
    const writing = w.writeAsync(big);
    const buf = Buffer.alloc(300_000);
    let got = 0;
    while (got < big.length) got += await r.readintoAsync(buf.subarray(got));
    expect(await writing).toBe(big.length);
    expect(buf.equals(big)).toBe(true);
    r.close();
    w.close();
  });

  it('a close while a twin waits rejects it with the closed-file ValueError', T, async () => {
    const [r, w] = rawPipe();
    const p = r.readAsync(10);
    await sleep(10);
    r.close();
    await expect(p).rejects.toMatchObject({ name: 'ValueError', message: 'I/O operation on closed file' });
    w.close();
  });

  it('the blocking methods’ argument and state errors, as rejections', T, async () => {
    const [r, w] = rawPipe();
    await sameErrors([
      [() => f(r.read).call(r, 'x'), () => f(r.readAsync).call(r, 'x') as Promise<unknown>],
      [() => f(r.read).call(r, 1, 2), () => f(r.readAsync).call(r, 1, 2) as Promise<unknown>],
      [() => f(w.read).call(w, 1), () => f(w.readAsync).call(w, 1) as Promise<unknown>],
      [() => f(r.write).call(r, Buffer.from('x')), () => f(r.writeAsync).call(r, Buffer.from('x')) as Promise<unknown>],
      [() => f(w.write).call(w, 'str'), () => f(w.writeAsync).call(w, 'str') as Promise<unknown>],
      [() => f(r.readinto).call(r, 'str'), () => f(r.readintoAsync).call(r, 'str') as Promise<unknown>],
    ]);
    r.close();
    w.close();
    await sameErrors([
      [() => r.read(1), () => r.readAsync(1)],
      [() => r.readall(), () => r.readallAsync()],
      [() => w.write(Buffer.from('x')), () => w.writeAsync(Buffer.from('x'))],
      [() => r.readline(), () => r.readlineAsync()],
    ]);
  });
});
