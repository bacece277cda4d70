// The buffered classes' awaitable twins (docs/async.md): reads that wait
// for all they need, with what comes kept in the read-ahead (an abort loses
// nothing); writes taken into the buffer at once (an abort half-writes
// nothing); the blocking methods may be mixed in.
import { describe, expect, it } from 'vitest';
import { io, os } from '../../lib/index.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const T = { timeout: 20_000 };
const f = loose;

function pipeFiles(bufsize = -1): [io.BufferedReader, io.BufferedWriter] {
  const [r, w] = os.pipe();
  return [io.open(r, 'rb', bufsize) as io.BufferedReader, io.open(w, 'wb', bufsize) as io.BufferedWriter];
}

describe('BufferedReader twins', () => {
  it('readAsync(n) waits for all n bytes (or EOF), unlike one os.read', T, async () => {
    const [r, w] = pipeFiles();
    const p = r.readAsync(10);
    w.write(Buffer.from('abcd'));
    w.flush();
    expect(await settledWithin(p, 30)).toBe(false);
    w.write(Buffer.from('efghijkl'));
    w.flush();
    expect(String(await p)).toBe('abcdefghij');
    w.close();
    expect(String(await r.readAsync(10))).toBe('kl');
    expect(String(await r.readAsync(10))).toBe('');
    r.close();
  });

  it('readAsync() reads to EOF; read1Async returns what one read brings; readintoAsync fills', T, async () => {
    const [r, w] = pipeFiles();
    w.write(Buffer.from('12345'));
    w.flush();
    expect(String(await r.read1Async(100))).toBe('12345');
    const buf = Buffer.alloc(6);
    const into = r.readintoAsync(buf);
    w.write(Buffer.from('678'));
    w.flush();
    await sleep(10);
    w.write(Buffer.from('90ab'));
    w.flush();
    expect(await into).toBe(6);
    expect(String(buf)).toBe('67890a');
    const all = r.readAsync();
    await w.writeAsync(Buffer.alloc(200_000, 120));
    await w.closeAsync();
    const rest = await all;
    expect(rest.length).toBe(200_001);
    r.close();
  });

  it('readlineAsync and for await: lines as they come, the last one without a newline', T, async () => {
    const [r, w] = pipeFiles();
    const lines: string[] = [];
    const reading = (async () => {
      for await (const line of r) lines.push(String(line));
    })();
    for (const part of ['one\ntw', 'o\nthr', 'ee\n', 'last']) {
      w.write(Buffer.from(part));
      w.flush();
      await sleep(5);
    }
    w.close();
    await reading;
    expect(lines).toEqual(['one\n', 'two\n', 'three\n', 'last']);
    r.close();
  });

  it('readlineAsync(limit) stops at the limit as readline does', T, async () => {
    const [r, w] = pipeFiles();
    w.write(Buffer.from('abcdefgh\nxyz\n'));
    w.close();
    expect(String(await r.readlineAsync(3))).toBe('abc');
    expect(String(await r.readlineAsync())).toBe('defgh\n');
    expect(String(r.readline(2))).toBe('xy');
    r.close();
  });

  it('an abort keeps what was read in the buffer: nothing half-read is lost', T, async () => {
    const [r, w] = pipeFiles();
    w.write(Buffer.from('half a li'));
    w.flush();
    await expect(r.readlineAsync({ signal: AbortSignal.timeout(50) })).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(r.readAsync(100, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    w.write(Buffer.from('ne\nnext\n'));
    w.flush();
    expect(String(r.readline())).toBe('half a line\n');
    expect(String(await r.readlineAsync())).toBe('next\n');
    await expect(r.readAsync(1, { signal: AbortSignal.abort('before') })).rejects.toBe('before');
    w.close();
    r.close();
  });

  it(
    'mixing: a blocking read while a twin is pending is a clear RuntimeError; before and after, both work',
    T,
    async () => {
      const [r, w] = pipeFiles();
      w.write(Buffer.from('first line\nsecond '));
      w.flush();
      expect(String(r.readline())).toBe('first line\n');
      const pending = r.readlineAsync();
      await sleep(20); // 'second ' is in the read-ahead, the twin waits for the rest
      for (const call of [() => r.readline(), () => r.read(1), () => r.peek(), () => r.read1(1)]) {
        expect(call).toThrow(
          expect.objectContaining({
            name: 'RuntimeError',
            message: expect.stringMatching(/^reentrant call inside <_io.BufferedReader name=\d+>: an awaitable read/),
          }),
        );
      }
      w.write(Buffer.from('line\nthird line\n'));
      w.flush();
      expect(String(await pending)).toBe('second line\n');
      expect(String(r.readline())).toBe('third line\n');
      // A pending write makes write and flush raise; close() too, as it flushes.
      const ww = w.writeAsync(Buffer.alloc(300_000));
      expect(() => w.write(Buffer.from('x'))).toThrow(expect.objectContaining({ name: 'RuntimeError' }));
      expect(() => w.flush()).toThrow(expect.objectContaining({ name: 'RuntimeError' }));
      const drained = r.readAsync(300_000);
      await ww;
      expect((await drained).length).toBe(300_000);
      w.close();
      r.close();
    },
  );

  it('concurrent twins on one object run in call order', T, async () => {
    const [r, w] = pipeFiles();
    const a = r.readlineAsync();
    const b = r.readAsync(3);
    const c = r.readlineAsync();
    w.write(Buffer.from('line a\nxyzline c\n'));
    w.close();
    expect((await Promise.all([a, b, c])).map(String)).toEqual(['line a\n', 'xyz', 'line c\n']);
    r.close();
  });

  it('a close while a twin waits rejects it; argument and state errors as the blocking methods', T, async () => {
    const [r, w] = pipeFiles();
    const p = r.readAsync(5);
    await sleep(10);
    r.close();
    await expect(p).rejects.toMatchObject({ name: 'ValueError' });
    await sameErrors([
      [() => r.read(1), () => r.readAsync(1)],
      [() => r.readline(), () => r.readlineAsync()],
      [() => f(w.read).call(w, 1), () => f(w.readAsync).call(w, 1) as Promise<unknown>],
      [() => f(w.write).call(w, 'str'), () => f(w.writeAsync).call(w, 'str') as Promise<unknown>],
      [() => f(w.write).call(w), () => f(w.writeAsync).call(w) as Promise<unknown>],
    ]);
    w.close();
    await sameErrors([
      [() => w.write(Buffer.from('x')), () => w.writeAsync(Buffer.from('x'))],
      [() => w.flush(), () => w.flushAsync()],
    ]);
  });
});

describe('BufferedWriter twins', () => {
  it('writeAsync keeps small writes in the buffer until flushAsync, as write() does', T, async () => {
    const [r, w] = pipeFiles();
    expect(await w.writeAsync(Buffer.from('small'))).toBe(5);
    const pending = r.read1Async(10);
    expect(await settledWithin(pending, 30)).toBe(false);
    await w.flushAsync();
    expect(String(await pending)).toBe('small');
    w.close();
    r.close();
  });

  it('a large writeAsync waits for the reader, never blocking the loop', T, async () => {
    const [r, w] = pipeFiles();
    const data = Buffer.alloc(3 << 20);
    for (let i = 0; i < data.length; i++) data[i] = i % 199;
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const writing = w.writeAsync(data);
    await sleep(50);
    expect(ticks).toBeGreaterThan(2);
    const reading = r.readAsync(data.length);
    expect(await writing).toBe(data.length);
    clearInterval(timer);
    expect((await reading).equals(data)).toBe(true);
    r.close();
    w.close();
  });

  it('an abort while flushing leaves the bytes buffered: flush() later writes all of them, once', T, async () => {
    const [r, w] = pipeFiles();
    const data = Buffer.alloc(200_000);
    for (let i = 0; i < data.length; i++) data[i] = i % 241;
    await expect(w.writeAsync(data, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    const reading = r.readAsync(data.length);
    await w.flushAsync();
    expect((await reading).equals(data)).toBe(true);
    r.close();
    w.close();
  });

  it('closeAsync flushes in the event loop, then closes; await using does the same', T, async () => {
    const [r, w] = pipeFiles();
    const reading = r.readAsync();
    {
      await using out = w;
      await out.writeAsync(Buffer.alloc(100_000, 1));
      await out.writeAsync(Buffer.from('tail'));
    }
    expect(w.closed).toBe(true);
    const got = await reading;
    expect(got.length).toBe(100_004);
    expect(String(got.subarray(-4))).toBe('tail');
    r.close();
  });
});

describe('BufferedRandom and BufferedRWPair twins', () => {
  it('BufferedRWPair goes to its reader and writer', T, async () => {
    const [r1, w1] = os.pipe();
    const [r2, w2] = os.pipe();
    const pair = new io.BufferedRWPair(new io.FileIO(r1, 'r'), new io.FileIO(w2, 'w'));
    os.write(w1, Buffer.from('to pair\n'));
    expect(String(await pair.readlineAsync())).toBe('to pair\n');
    await pair.writeAsync(Buffer.from('from pair'));
    await pair.flushAsync();
    expect(String(os.read(r2, 100))).toBe('from pair');
    pair.close();
    os.close(w1);
    os.close(r2);
  });
});

describe('in-memory streams', () => {
  it("BytesIO and StringIO's twins are their blocking methods", T, async () => {
    const b = new io.BytesIO(Buffer.from('a\nb\n'));
    expect(String(await b.readlineAsync())).toBe('a\n');
    expect(String(await b.readAsync())).toBe('b\n');
    const s = new io.StringIO('x\ny');
    const lines: unknown[] = [];
    for await (const l of s) lines.push(l);
    expect(lines).toEqual(['x\n', 'y']);
    await expect(s.readAsync(1, { signal: AbortSignal.abort('no') })).rejects.toBe('no');
  });
});
