// multiprocessing.connection.Connection's awaitable twins (recvAsync,
// recv_bytesAsync, recv_bytes_intoAsync, pollAsync, sendAsync,
// send_bytesAsync) and connection.waitAsync (docs/async.md,
// docs/multiprocessing.md): the blocking methods' results and errors
// (which connection.test.ts holds next to CPython's), the event loop
// ticking meanwhile, a real python3 peer, abort before, while waiting,
// in the middle of a message and after, and the mixing rule.
import { describe, expect, it } from 'vitest';
import { multiprocessing, os, pickle, subprocess } from '../../lib/index.js';
import { readinessState } from '../../lib/posix/ready.js';
import { loose } from '../helpers/python.js';
import { sameErrors, settledWithin, sleep } from '../helpers/twins.js';

const { Connection, Pipe, waitAsync, wait } = multiprocessing.connection;
type Conn = InstanceType<typeof Connection>;
const T = { timeout: 30_000 };
const f = loose;

/** A '!i' header for n bytes. */
function header(n: number): Buffer {
  const h = Buffer.alloc(4);
  h.writeInt32BE(n);
  return h;
}

/** Runs body with both ends of a Pipe(duplex), closing them after. */
function withPipe(body: (a: Conn, b: Conn) => Promise<void>, duplex = true): () => Promise<void> {
  return async () => {
    const [a, b] = Pipe(duplex);
    try {
      await body(a, b);
    } finally {
      a.close();
      b.close();
    }
  };
}

/** Counts the ticks of a 5 ms interval while f runs. */
async function ticksDuring(f: () => Promise<unknown>): Promise<number> {
  let ticks = 0;
  const t = setInterval(() => ticks++, 5);
  try {
    await f();
  } finally {
    clearInterval(t);
  }
  return ticks;
}

describe('Connection.recvAsync and friends', () => {
  it(
    'wait for a message without blocking the event loop, and return what the blocking calls return',
    T,
    withPipe(async (a, b) => {
      const ticks = await ticksDuring(async () => {
        setTimeout(() => a.send({ cmd: 'run', args: [1, 2n ** 70n, 'x'] }), 100);
        expect(await b.recvAsync()).toEqual({ cmd: 'run', args: [1, 2n ** 70n, 'x'] });
      });
      expect(ticks).toBeGreaterThan(5);
      a.send_bytes(Buffer.from('bytes'));
      expect(String(await b.recv_bytesAsync())).toBe('bytes');
      a.send_bytes(Buffer.from('into'));
      const buf = Buffer.alloc(8);
      expect(await b.recv_bytes_intoAsync(buf, 2)).toBe(4);
      expect(String(buf.subarray(2, 6))).toBe('into');
      // A message already there is taken at once; 0 bytes is a message.
      a.send_bytes(Buffer.alloc(0));
      expect((await b.recv_bytesAsync()).length).toBe(0);
      // The sends: what the blocking receives read.
      await a.sendAsync(pickle.tuple([1, 'two']));
      expect(pickle.isTuple(b.recv())).toBe(true);
      await a.send_bytesAsync(Buffer.from('0123456789'), 2, 3);
      expect(String(b.recv_bytes())).toBe('234');
      // A plain object alone is the value sent, not options.
      await a.sendAsync({ signal: 'not an option' });
      expect(b.recv()).toEqual({ signal: 'not an option' });
    }),
  );

  it(
    "recv_bytes_intoAsync places the message as recv_bytes_into does (itemsize), BufferTooShort when it doesn't fit",
    T,
    withPipe(async (a, b) => {
      const blocking = new Uint16Array(4);
      const twin = new Uint16Array(4);
      a.send_bytes(Buffer.from([1, 2, 3]));
      a.send_bytes(Buffer.from([1, 2, 3]));
      expect(await b.recv_bytes_intoAsync(twin, 1)).toBe(b.recv_bytes_into(blocking, 1));
      expect([...twin]).toEqual([...blocking]);
      a.send_bytes(Buffer.alloc(10, 9));
      const e = await b.recv_bytes_intoAsync(Buffer.alloc(4)).catch((x) => x);
      expect(e).toBeInstanceOf(multiprocessing.BufferTooShort);
      expect((e as { args: unknown[] }).args[0]).toEqual(Buffer.alloc(10, 9));
    }),
  );

  it(
    'messages larger than a pipe holds, both ways at once, never deadlock (the blocking calls would)',
    T,
    withPipe(async (a, b) => {
      const big = Buffer.alloc(8 << 20);
      for (let i = 0; i < big.length; i += 4096) big[i] = (i >> 12) & 0xff;
      const [gotA, gotB] = await Promise.all([
        b.recv_bytesAsync(),
        a.recv_bytesAsync(),
        a.send_bytesAsync(big),
        b.send_bytesAsync(big),
      ]);
      expect(gotA.equals(big)).toBe(true);
      expect(gotB.equals(big)).toBe(true);
    }),
  );

  it('1 000 awaits pending on 500 connections, with the loop ticking, all complete with their data', T, async () => {
    const pairs = Array.from({ length: 500 }, () => Pipe(false));
    try {
      const ticks = await ticksDuring(async () => {
        const got = pairs.map(([r]) => r.recvAsync());
        const polls = pairs.map(([r]) => r.pollAsync(null));
        await sleep(30);
        expect(readinessState().pending).toBeGreaterThanOrEqual(500);
        for (const [i, [, w]] of pairs.entries()) w.send(i);
        expect(await Promise.all(got)).toEqual(pairs.map((_, i) => i));
        expect(new Set(await Promise.all(polls)).size).toBe(1);
      });
      expect(ticks).toBeGreaterThan(2);
    } finally {
      for (const [r, w] of pairs) {
        r.close();
        w.close();
      }
    }
  });

  it('raise the blocking methods’ errors, as rejections', T, async () => {
    const [r, w] = Pipe(false);
    const [c, d] = Pipe();
    const [closed, closedPeer] = Pipe();
    closed.close();
    closedPeer.close();
    await sameErrors([
      [() => w.recv(), () => w.recvAsync()],
      [() => r.send(1), () => r.sendAsync(1)],
      [() => w.recv_bytes(), () => w.recv_bytesAsync()],
      [() => r.send_bytes(Buffer.from('x')), () => r.send_bytesAsync(Buffer.from('x'))],
      [() => closed.recv(), () => closed.recvAsync()],
      [() => closed.poll(), () => closed.pollAsync()],
      [() => closed.send(1), () => closed.sendAsync(1)],
      [() => f(c.recv)(1), () => f(c.recvAsync).call(c, 1) as Promise<unknown>],
      [() => f(c.send).call(c), () => f(c.sendAsync).call(c) as Promise<unknown>],
      [() => c.recv_bytes(-1), () => c.recv_bytesAsync(-1)],
      [() => f(c.recv_bytes).call(c, 'x'), () => f(c.recv_bytesAsync).call(c, 'x') as Promise<unknown>],
      [() => f(c.recv_bytes_into).call(c), () => f(c.recv_bytes_intoAsync).call(c) as Promise<unknown>],
      [() => c.recv_bytes_into(Buffer.alloc(2), 5), () => c.recv_bytes_intoAsync(Buffer.alloc(2), 5)],
      [() => f(c.send_bytes).call(c, 'str'), () => f(c.send_bytesAsync).call(c, 'str') as Promise<unknown>],
      [() => c.send_bytes(Buffer.alloc(2), 3), () => c.send_bytesAsync(Buffer.alloc(2), 3)],
      [() => c.send_bytes(Buffer.alloc(2), 1, -1), () => c.send_bytesAsync(Buffer.alloc(2), 1, -1)],
      [() => f(c.poll).call(c, 'x'), () => f(c.pollAsync).call(c, 'x') as Promise<unknown>],
      [() => c.poll(Number.NaN), () => c.pollAsync(Number.NaN)],
      [() => f(wait)(5), () => f(waitAsync)(5) as Promise<unknown>],
      [() => wait([c, c]), () => waitAsync([c, c])],
      [() => wait([-1]), () => waitAsync([-1])],
      [() => f(c.send).call(c, () => 1), () => f(c.sendAsync).call(c, () => 1) as Promise<unknown>],
    ]);
    // maxlength: refused before the payload is read; the connection stops reading.
    d.send_bytes(Buffer.alloc(100));
    await expect(c.recv_bytesAsync(10)).rejects.toMatchObject({ name: 'OSError', message: 'bad message length' });
    expect(c.readable).toBe(false);
    // EOF before a message, and inside one.
    w.close();
    await expect(r.recvAsync()).rejects.toMatchObject({ name: 'EOFError' });
    const [r2, w2] = Pipe(false);
    os.write(w2.fileno(), Buffer.concat([header(10), Buffer.from('abc')]));
    w2.close();
    await expect(r2.recv_bytesAsync()).rejects.toMatchObject({
      name: 'OSError',
      message: 'got end of file during message',
    });
    await expect(c.recvAsync({ signal: 'x' as unknown as AbortSignal })).rejects.toMatchObject({
      code: 'ERR_INVALID_ARG_TYPE',
    });
    for (const x of [r, c, d, r2]) x.close();
  });

  it(
    'close() while a receive waits rejects it with "handle is closed"; nothing stays pending',
    T,
    withPipe(async (a, b) => {
      const p = b.recvAsync();
      await sleep(10);
      b.close();
      await expect(p).rejects.toMatchObject({ name: 'OSError', message: 'handle is closed' });
      expect(readinessState().pending).toBe(0);
      void a;
    }),
  );
});

describe('Connection twins: abort', () => {
  it(
    'before the call: rejects at once with the reason and takes nothing',
    T,
    withPipe(async (a, b) => {
      a.send('kept');
      const ac = new AbortController();
      const reason = new Error('no');
      ac.abort(reason);
      await expect(b.recvAsync({ signal: ac.signal })).rejects.toBe(reason);
      await expect(b.recv_bytesAsync({ signal: ac.signal })).rejects.toBe(reason);
      await expect(b.pollAsync(null, { signal: ac.signal })).rejects.toBe(reason);
      await expect(a.sendAsync('never', { signal: ac.signal })).rejects.toBe(reason);
      await expect(waitAsync([b], null, { signal: ac.signal })).rejects.toBe(reason);
      expect(b.recv()).toBe('kept');
      expect(b.poll()).toBe(false);
    }),
  );

  it(
    'AbortSignal.timeout(50) while waiting: TimeoutError; the message sent after goes to the next receive',
    T,
    withPipe(async (a, b) => {
      for (const call of [
        () => b.recvAsync({ signal: AbortSignal.timeout(50) }),
        () => b.recv_bytesAsync({ signal: AbortSignal.timeout(50) }),
        () => b.recv_bytes_intoAsync(Buffer.alloc(4), { signal: AbortSignal.timeout(50) }),
        () => b.pollAsync(null, { signal: AbortSignal.timeout(50) }),
        () => waitAsync([b], 10, { signal: AbortSignal.timeout(50) }),
      ]) {
        await expect(call()).rejects.toMatchObject({ name: 'TimeoutError' });
      }
      a.send('after');
      expect(await b.recvAsync()).toBe('after');
      expect(readinessState().pending).toBe(0);
    }),
  );

  it(
    'in the middle of a message: the part taken stays with the connection; the next receive, blocking or awaited, gets the whole message',
    T,
    withPipe(async (a, b) => {
      const fd = a.fileno();
      for (const next of ['blocking', 'awaited'] as const) {
        const ac = new AbortController();
        const p = b.recv_bytesAsync({ signal: ac.signal });
        os.write(fd, Buffer.concat([header(10), Buffer.from('hello')]));
        await sleep(20); // the twin has read the header and 5 bytes
        ac.abort(new Error('stop'));
        await expect(p).rejects.toThrow('stop');
        os.write(fd, Buffer.from('world'));
        const got = next === 'blocking' ? b.recv_bytes() : await b.recv_bytesAsync();
        expect(String(got)).toBe('helloworld');
      }
      // Half a header, then recv() (a pickle) and recv_bytes_into.
      const ac = new AbortController();
      const p = b.recvAsync({ signal: ac.signal });
      const payload = pickle.dumps(['whole', 1]);
      const msg = Buffer.concat([header(payload.length), payload]);
      os.write(fd, msg.subarray(0, 2));
      await sleep(20);
      ac.abort();
      await expect(p).rejects.toMatchObject({ name: 'AbortError' });
      os.write(fd, msg.subarray(2));
      expect(b.recv()).toEqual(['whole', 1]);
      const ac2 = new AbortController();
      const q = b.recv_bytesAsync({ signal: ac2.signal });
      os.write(fd, Buffer.concat([header(4), Buffer.from('ab')]));
      await sleep(20);
      ac2.abort();
      await q.catch(() => {});
      os.write(fd, Buffer.from('cd'));
      const into = Buffer.alloc(6);
      expect(b.recv_bytes_into(into, 1)).toBe(4);
      expect(String(into.subarray(1, 5))).toBe('abcd');
    }),
  );

  it(
    'a send aborted in the middle of its frame: the rest goes out first with the next send, so the peer gets every frame whole',
    T,
    withPipe(async (a, b) => {
      const big = Buffer.alloc(1 << 20, 1);
      const ac = new AbortController();
      const p = a.send_bytesAsync(big, { signal: ac.signal });
      await sleep(20); // the socket buffer took part of it
      ac.abort(new Error('stop'));
      await expect(p).rejects.toThrow('stop');
      // A send aborted before its first byte sends nothing.
      const ac2 = new AbortController();
      const q = a.sendAsync('dropped', { signal: ac2.signal });
      ac2.abort();
      await expect(q).rejects.toMatchObject({ name: 'AbortError' });
      const rx = b.recv_bytesAsync();
      await a.sendAsync('next');
      expect((await rx).equals(big)).toBe(true);
      expect(await b.recvAsync()).toBe('next');
    }),
  );

  it(
    'the rest of an aborted frame goes out first with the next blocking send too (a python3 reader checks both frames)',
    T,
    async () => {
      const [ours, theirs] = Pipe();
      const py = new subprocess.Popen(['python3', '-c', PY_TWO_FRAMES, String(theirs.fileno())], {
        pass_fds: [theirs.fileno()],
      });
      theirs.close();
      try {
        const big = Buffer.alloc(4 << 20, 1);
        const ac = new AbortController();
        const p = ours.send_bytesAsync(big, { signal: ac.signal });
        await sleep(50); // Python sleeps 300 ms before it reads: part of the frame is in the socket
        ac.abort(new Error('stop'));
        await expect(p).rejects.toThrow('stop');
        ours.send('blocking next'); // blocks until Python reads: the rest of the frame, then this one
        expect(await ours.recvAsync()).toEqual([big.length, true, 'blocking next']);
      } finally {
        ours.close();
        expect(await py.waitAsync(20)).toBe(0);
      }
    },
  );

  it(
    'after it settled: nothing changes',
    T,
    withPipe(async (a, b) => {
      const ac = new AbortController();
      a.send(1);
      expect(await b.recvAsync({ signal: ac.signal })).toBe(1);
      expect(await a.sendAsync(2, { signal: ac.signal })).toBeUndefined();
      ac.abort();
      expect(b.recv()).toBe(2);
    }),
  );
});

describe('Connection twins: mixing with the blocking calls', () => {
  it(
    'a blocking receive (send) while an awaitable one is pending raises RuntimeError; poll() is allowed',
    T,
    withPipe(async (a, b) => {
      const p = b.recvAsync();
      expect(() => b.recv()).toThrow(/reentrant call inside <multiprocessing.connection.Connection object>/);
      expect(() => b.recv_bytes()).toThrow(/awaitable receive is pending/);
      expect(b.poll()).toBe(false);
      a.send('x');
      expect(await p).toBe('x');
      const big = Buffer.alloc(1 << 20);
      const s = a.send_bytesAsync(big);
      expect(() => a.send(1)).toThrow(/awaitable send is pending/);
      expect((await b.recv_bytesAsync()).length).toBe(big.length);
      await s;
      a.send('fine again');
      expect(b.recv()).toBe('fine again');
    }),
  );

  it(
    'awaitable receives queue in call order; one aborted in the queue leaves the order of the rest',
    T,
    withPipe(async (a, b) => {
      const ac = new AbortController();
      const first = b.recvAsync();
      const second = b.recvAsync({ signal: ac.signal });
      const third = b.recvAsync();
      ac.abort(new Error('gone'));
      await expect(second).rejects.toThrow('gone');
      a.send(1);
      a.send(3);
      expect(await first).toBe(1);
      expect(await third).toBe(3);
    }),
  );
});

describe('Connection.pollAsync and connection.waitAsync', () => {
  it(
    'pollAsync: false at once by default, false after the timeout, true for a message or EOF',
    T,
    withPipe(async (a, b) => {
      expect(await b.pollAsync()).toBe(false);
      const t0 = performance.now();
      expect(await b.pollAsync(0.05)).toBe(false);
      expect(performance.now() - t0).toBeGreaterThanOrEqual(40);
      setTimeout(() => a.send('x'), 20);
      expect(await b.pollAsync(null)).toBe(true);
      expect(await b.pollAsync({ timeout: 5 })).toBe(true);
      expect(b.recv()).toBe('x');
      a.close();
      expect(await b.pollAsync(5)).toBe(true);
      await expect(b.recvAsync()).rejects.toMatchObject({ name: 'EOFError' });
    }),
  );

  it('waitAsync: the ready objects in the list order, [] at the timeout, as wait() returns them', T, async () => {
    const pairs = [Pipe(), Pipe(), Pipe()];
    const [r, w] = os.pipe();
    try {
      const objs = [pairs[0]?.[0] as Conn, pairs[1]?.[0] as Conn, pairs[2]?.[0] as Conn, r];
      expect(await waitAsync(objs, 0.03)).toEqual([]);
      expect(await waitAsync(objs, 0)).toEqual([]);
      setTimeout(() => {
        pairs[2]?.[1].send('c');
        pairs[0]?.[1].send('a');
        os.write(w, Buffer.from('z'));
      }, 20);
      const ready = await waitAsync(objs);
      expect(ready.length).toBeGreaterThanOrEqual(1);
      await sleep(10);
      const all = await waitAsync(objs, { timeout: 1 });
      expect(all).toEqual(wait(objs, 0));
      expect(all).toEqual([objs[0], objs[2], r]);
      expect(readinessState().pending).toBe(0);
    } finally {
      for (const [x, y] of pairs) {
        x.close();
        y.close();
      }
      os.close(r);
      os.close(w);
    }
  });

  it('waitAsync on an empty list: [] at the timeout, as wait([], timeout); abortable without one', T, async () => {
    expect(wait([], 0.02)).toEqual([]);
    expect(await waitAsync([], 0.02)).toEqual([]);
    const p = waitAsync([], null, { signal: AbortSignal.timeout(20) });
    await expect(p).rejects.toMatchObject({ name: 'TimeoutError' });
  });

  it('waitAsync on a Process sentinel-like fd closed by its writer (EOF) reports it', T, async () => {
    const [r, w] = os.pipe();
    const p = waitAsync([r], 5);
    expect(await settledWithin(p, 20)).toBe(false);
    os.close(w);
    expect(await p).toEqual([r]);
    os.close(r);
  });
});

/** A python3 reader: after 300 ms, two messages (bytes, then an object); answers what it got. */
const PY_TWO_FRAMES = `
import sys, time
from multiprocessing.connection import Connection
c = Connection(int(sys.argv[1]))
time.sleep(0.3)
m = c.recv_bytes()
obj = c.recv()
c.send([len(m), m == b'\\x01' * len(m), obj])
`;

/** A python3 peer on one end of a Pipe(): echoes every message it gets (objects as objects, bytes as bytes), slowly. */
const PY_ECHO = `
import sys, time
from multiprocessing.connection import Connection
c = Connection(int(sys.argv[1]))
while True:
    try:
        kind = c.recv()
    except EOFError:
        break
    if kind == 'bytes':
        c.send_bytes(c.recv_bytes())
    else:
        time.sleep(0.02)
        c.send([kind, type(kind).__name__])
`;

describe('Connection twins against a python3 peer', () => {
  it('objects and large frames both ways, the event loop ticking, and an abort in the middle', T, async () => {
    const [ours, theirs] = Pipe();
    const p = new subprocess.Popen(['python3', '-c', PY_ECHO, String(theirs.fileno())], {
      pass_fds: [theirs.fileno()],
    });
    theirs.close();
    try {
      const ticks = await ticksDuring(async () => {
        for (const v of [null, 7, 2n ** 80n, 'naïve ☃', [1, [2]], { k: Buffer.from([0, 255]) }]) {
          await ours.sendAsync(v);
          const [echo] = (await ours.recvAsync()) as [unknown, string];
          expect(echo).toEqual(v);
        }
      });
      expect(ticks).toBeGreaterThan(10); // six 20 ms sleeps of Python's
      // 16 MiB each way at once: Python sends back while we still send.
      const big = Buffer.alloc(16 << 20);
      for (let i = 0; i < big.length; i += 1000) big[i] = i & 0xff;
      await ours.sendAsync('bytes');
      const [, back] = await Promise.all([ours.send_bytesAsync(big), ours.recv_bytesAsync()]);
      expect(back.equals(big)).toBe(true);
      // Python answers after 20 ms: a 5 ms timeout aborts the wait, the answer is still ours.
      await ours.sendAsync('late');
      await expect(ours.recvAsync({ signal: AbortSignal.timeout(5) })).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(await ours.pollAsync(10)).toBe(true);
      expect(await ours.recvAsync()).toEqual(['late', 'str']);
    } finally {
      ours.close();
      expect(await p.waitAsync(20)).toBe(0);
    }
  });
});
