// What a hostile or broken peer can send a Connection: lying headers (3 GiB
// declared, a few bytes sent), pickles that name code, pickles nested deep
// or declaring huge lengths. Each is a clear Python error (or a value),
// never a crash, never code run, never an allocation the size of the lie;
// and the connection stays usable for the next message whenever the bad one
// was read whole.
import { describe, expect, it } from 'vitest';
import { EOFError, multiprocessing, OSError, os, pickle } from '../../lib/index.js';

const { Connection, Pipe } = multiprocessing.connection;
type Conn = InstanceType<typeof Connection>;

function header(n: number | bigint): Buffer {
  if (typeof n === 'bigint' || n > 0x7fffffff) {
    const b = Buffer.alloc(12);
    b.writeInt32BE(-1);
    b.writeBigUInt64BE(BigInt(n), 4);
    return b;
  }
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}

/** A read-only Connection on a pipe holding `data`, its writer closed. */
function raw(data: Buffer): InstanceType<typeof Connection> {
  const [r, w] = os.pipe();
  os.write(w, data);
  os.close(w);
  return new Connection(r, { writable: false });
}

describe('Connection.recv_bytes() of a lying header', () => {
  it('3 GiB declared, 3 bytes sent: "got end of file during message" (as CPython), without allocating 3 GiB', () => {
    // CPython 3.11 says the same (pinned: it would allocate the 3 GiB first, which this test must not make it do).
    global.gc?.();
    const before = process.memoryUsage().arrayBuffers;
    const c = raw(Buffer.concat([header(3 * 2 ** 30), Buffer.from('abc')]));
    try {
      expect(() => c.recv_bytes()).toThrow(new OSError('got end of file during message'));
      expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(256 * 2 ** 20);
    } finally {
      c.close();
    }
  });

  it('3 GiB declared with maxlength: OSError("bad message length") before any payload is read', () => {
    const c = raw(Buffer.concat([header(3 * 2 ** 30), Buffer.from('abc')]));
    expect(() => c.recv_bytes(1 << 20)).toThrow(new OSError('bad message length'));
    expect(c.closed).toBe(true); // read-only: CPython closes it
  });

  it('more than a Buffer can hold: MemoryError before any payload is read', () => {
    // CPython raises MemoryError too where malloc refuses (2**40 on a machine without a TiB to spare),
    // on every Node line (Buffer's own limit is 2**53 - 1 from Node 22).
    const c = raw(Buffer.concat([header(2n ** 40n), Buffer.from('abc')]));
    try {
      expect(() => c.recv_bytes()).toThrow(expect.objectContaining({ name: 'MemoryError' }));
    } finally {
      c.close();
    }
  });

  it('a message above 64 MiB still arrives whole (its Buffer grows as the bytes come)', () => {
    const size = 80 * 2 ** 20;
    const [r, w] = Pipe(false);
    const p = new multiprocessing.Process({
      target: (c: Conn) => {
        const b = Buffer.allocUnsafe(size);
        for (let i = 0; i < size; i += 4096) b[i] = (i >> 12) & 0xff;
        c.send_bytes(b);
      },
      args: [w],
    });
    p.start();
    w.close();
    try {
      const got = r.recv_bytes();
      expect(got.length).toBe(size);
      for (let i = 0; i < size; i += 4096 * 97) expect(got[i]).toBe((i >> 12) & 0xff);
    } finally {
      p.join();
      p.close();
      r.close();
    }
  });
});

describe('Connection.recv() of a hostile pickle', () => {
  const payloads: [string, Buffer, RegExp][] = [
    [
      'GLOBAL os system + REDUCE',
      Buffer.from("cos\nsystem\n(S'echo pwned'\ntR.", 'latin1'),
      /global 'os.system' is forbidden/,
    ],
    [
      'STACK_GLOBAL builtins eval',
      Buffer.from('\x80\x04\x8c\x08builtins\x8c\x04eval\x93\x8c\x031+1\x85R.', 'latin1'),
      /global 'builtins.eval' is forbidden/,
    ],
    [
      'BINBYTES8 declaring 3 GiB',
      Buffer.from('\x80\x04\x8e\x00\x00\x00\xc0\x00\x00\x00\x00abc.', 'latin1'),
      /truncated/,
    ],
    [
      'FRAME declaring 2**62',
      Buffer.from('\x80\x04\x95\x00\x00\x00\x00\x00\x00\x00\x40N.', 'latin1'),
      /truncated|frame/i,
    ],
    ['LONG_BINPUT far away', Buffer.from('\x80\x04Nr\xff\xff\xff\xffh\x00.', 'latin1'), /memo|not found|Memo/],
  ];

  for (const [name, payload, message] of payloads) {
    it(`${name}: UnpicklingError, nothing run, the next message still readable`, () => {
      const [a, b] = Pipe();
      try {
        a.send_bytes(payload);
        a.send({ next: 'ok' });
        expect(() => b.recv()).toThrow(message);
        expect(() => b.recv()).not.toThrow(); // the bad message was read whole
      } finally {
        a.close();
        b.close();
      }
    });
  }

  it('a list nested 200 000 deep loads (no recursion in loads); sending it back is a RecursionError, not a crash', () => {
    const depth = 200_000;
    const nested = Buffer.concat([
      Buffer.from('\x80\x04', 'latin1'),
      Buffer.alloc(depth, ']'),
      Buffer.alloc(depth - 1, 'a'),
      Buffer.from('.'),
    ]);
    // 400 KB is more than a socketpair holds: a child writes it while this process reads.
    const [r, w] = Pipe(false);
    const p = new multiprocessing.Process({ target: (c: Conn) => c.send_bytes(nested), args: [w] });
    p.start();
    w.close();
    try {
      let v = r.recv() as unknown[];
      let d = 1;
      while (v.length === 1) {
        v = v[0] as unknown[];
        d++;
      }
      expect(d).toBe(depth);
      const [a, b] = Pipe();
      try {
        expect(() => a.send(pickle.loads(nested))).toThrow(expect.objectContaining({ name: 'RecursionError' }));
      } finally {
        a.close();
        b.close();
      }
    } finally {
      p.join();
      p.close();
      r.close();
    }
  });

  it('an empty message is an empty pickle: "Ran out of input"', () => {
    const [a, b] = Pipe();
    try {
      a.send_bytes(Buffer.alloc(0));
      expect(() => b.recv()).toThrow('Ran out of input');
      a.close();
      expect(() => b.recv()).toThrow(EOFError);
    } finally {
      b.close();
    }
  });
});
