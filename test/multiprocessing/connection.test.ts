// multiprocessing.connection.Connection and Pipe against CPython 3.11: the
// same calls on the same kinds of fds in python3 and here, every method and
// every error, compared outcome by outcome (values, exception types and
// messages). The wire itself is compared in connection.wire.test.ts.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { multiprocessing, os } from '../../lib/index.js';
import { setInterruptHook } from '../../lib/posix/index.js';
import { pyValueRepr } from '../../lib/repr.js';
import { asPipefork, outcome } from '../helpers/python.js';
import { runBoth, type Step } from '../helpers/scenario.js';

const { Connection, Pipe } = multiprocessing.connection;
type Conn = InstanceType<typeof Connection>;

/** The Python side's helpers, the twins of the JS ones below. */
const PY_PRELUDE = `
import os, struct, array, socket
from multiprocessing.connection import Connection, Pipe, wait
from multiprocessing import BufferTooShort
def raw(data):
    r, w = os.pipe()
    os.write(w, data)
    os.close(w)
    return Connection(r, writable=False)
def frame(n, payload=None):
    return struct.pack('!i', n) + (payload if payload is not None else b'x' * max(n, 0))
def big(n, tail=b''):
    return struct.pack('!i', -1) + struct.pack('!Q', n) + tail
def into(c, buf, *a):
    n = c.recv_bytes_into(buf, *a)
    return [n, list(bytes(buf))]
def state(c):
    return [c.closed, c.readable, c.writable]
def as_unpickling_error(f):
    import pickle
    try:
        return f()
    except EOFError as e:
        raise pickle.UnpicklingError(*e.args)
def dup_wait(fd):
    o = outcome(lambda: wait([fd, fd], 0))
    return [o[0], o[1], o[2].replace(str(fd), 'N')]
def peek(c):
    fd = c.fileno()
    c._handle = None
    return fd
def with_closed(c):
    with c:
        pass
    return c.closed
`;

/** Connections a JS test made, closed at its end so the leak check passes. */
const opened: Conn[] = [];
function track<T extends Conn>(c: T): T {
  opened.push(c);
  return c;
}
function closeAll(): void {
  for (const c of opened.splice(0)) {
    try {
      c.close();
    } catch {
      // closed by the test already, or its fd was
    }
  }
}

function raw(data: Buffer): Conn {
  const [r, w] = os.pipe();
  os.write(w, data);
  os.close(w);
  return track(new Connection(r, { writable: false }));
}
function header(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(n);
  return b;
}
function frame(n: number, payload?: Buffer): Buffer {
  return Buffer.concat([header(n), payload ?? Buffer.alloc(Math.max(n, 0), 'x')]);
}
function big(n: bigint, tail = Buffer.alloc(0)): Buffer {
  const b = Buffer.alloc(12);
  b.writeInt32BE(-1);
  b.writeBigUInt64BE(n, 4);
  return Buffer.concat([b, tail]);
}
function into(c: Conn, buf: ArrayBufferView, ...a: number[]): unknown[] {
  const n = c.recv_bytes_into(buf, ...a);
  return [n, [...new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)]];
}
function state(c: Conn): unknown[] {
  return [c.closed, c.readable, c.writable];
}
const loose = (f: unknown) => f as (...a: unknown[]) => unknown;

/** Runs the steps in both, closing what the JS side opened; returns both outcome lists. */
function compare(steps: Step[]): void {
  try {
    const { python, pipefork } = runBoth(steps, PY_PRELUDE);
    expect(pipefork).toEqual(python.map(asPipefork));
  } finally {
    closeAll();
  }
}

describe('Connection()', () => {
  it('checks its handle and flags as CPython does', () => {
    let c: Conn;
    compare([
      { py: "Connection('x')", js: () => new Connection(loose('x') as never) },
      { py: 'Connection(1.5)', js: () => new Connection(1.5) },
      { py: 'Connection(-1)', js: () => new Connection(-1) },
      { py: 'Connection(5, False, False)', js: () => new Connection(5, false, false) },
      { py: 'Connection(5, readable=0, writable=None)', js: () => new Connection(5, { readable: 0, writable: null }) },
      { py: 'Connection()', js: () => Reflect.construct(Connection, []) },
      { py: 'Connection(5, True, True, 1)', js: () => Reflect.construct(Connection, [5, true, true, 1]) },
      { py: 'Connection(5, foo=1)', js: () => Reflect.construct(Connection, [5, { foo: 1 }]) },
      {
        pySetup: 'c = Connection(12345, readable=False)',
        py: 'state(c) + [peek(c)]',
        js: () => {
          c = new Connection(12345, { readable: false });
          return [...state(c), c.fileno()];
        },
      },
      // An fd beyond a C int is stored, and refused where a syscall would take it.
      {
        pySetup: 'big = Connection(2**40)',
        py: "[big.fileno(), outcome(lambda: big.send_bytes(b'x')), outcome(lambda: big.poll()), outcome(big.close), big.closed]",
        js: () => {
          const big = new Connection(2 ** 40);
          return [
            big.fileno(),
            outcome(() => big.send_bytes(Buffer.from('x'))),
            outcome(() => big.poll()),
            outcome(() => big.close()),
            big.closed,
          ];
        },
      },
      // peek() forgets the handle on the Python side, whose __del__ would close fd 1.
      { py: 'peek(Connection(True))', js: () => new Connection(loose(true) as never).fileno() },
    ]);
  });
});

describe('Pipe()', () => {
  it('is duplex by default, one-way with duplex=False', () => {
    compare([
      {
        pySetup: 'a, b = Pipe()',
        py: 'state(a) + state(b)',
        js: () => {
          const [a, b] = Pipe().map(track);
          return [...state(a as Conn), ...state(b as Conn)];
        },
      },
      {
        pySetup: 'r, w = Pipe(duplex=False)',
        py: 'state(r) + state(w)',
        js: () => {
          const [r, w] = Pipe({ duplex: false }).map(track);
          return [...state(r as Conn), ...state(w as Conn)];
        },
      },
      {
        pySetup: 'r2, w2 = Pipe(0)',
        py: 'state(r2) + state(w2)',
        js: () => {
          const [r, w] = Pipe(loose(0) as never).map(track);
          return [...state(r as Conn), ...state(w as Conn)];
        },
      },
      { py: 'Pipe(True, 1)', js: () => loose(Pipe)(true, 1) },
      { py: 'Pipe(x=1)', js: () => loose(Pipe)({ x: 1 }) },
    ]);
  });

  it('a one-way pipe refuses the other direction; a closed connection refuses everything', () => {
    let r: Conn;
    let w: Conn;
    compare([
      {
        pySetup: 'r, w = Pipe(False)',
        py: 'r.send(1)',
        js: () => {
          [r, w] = Pipe(false).map(track) as [Conn, Conn];
          return r.send(1);
        },
      },
      { py: "r.send_bytes(b'')", js: () => r.send_bytes(Buffer.alloc(0)) },
      { py: 'w.recv()', js: () => w.recv() },
      { py: 'w.recv_bytes()', js: () => w.recv_bytes() },
      { py: 'w.recv_bytes_into(bytearray(1))', js: () => w.recv_bytes_into(Buffer.alloc(1)) },
      { py: 'w.poll()', js: () => w.poll() },
      { py: 'r.close()', js: () => r.close() },
      { py: 'r.close()', js: () => r.close() },
      { py: 'state(r)', js: () => state(r) },
      { py: 'r.fileno()', js: () => r.fileno() },
      { py: 'r.recv()', js: () => r.recv() },
      { py: 'r.recv_bytes(-1)', js: () => r.recv_bytes(-1) },
      { py: 'r.poll()', js: () => r.poll() },
      { py: 'r.send(1)', js: () => r.send(1) },
      { py: 'w.close()', js: () => w.close() },
      { py: "w.send_bytes(b'x')", js: () => w.send_bytes(Buffer.from('x')) },
      { py: "w.send_bytes('not bytes')", js: () => loose(w.send_bytes.bind(w))('not bytes') },
    ]);
  });

  it('close() of a Connection whose fd was closed elsewhere raises EBADF, and the Connection is closed', () => {
    let c: Conn;
    compare([
      {
        pySetup: 'r, w = os.pipe(); os.close(w); c = Connection(r); os.close(r)',
        py: 'c.close()',
        js: () => {
          const [r, w] = os.pipe();
          os.close(w);
          c = new Connection(r);
          os.close(r);
          return c.close();
        },
      },
      { py: 'state(c)', js: () => state(c) },
    ]);
  });

  it('`with` / `using` closes it', () => {
    compare([
      {
        pySetup: 'a, b = Pipe(); b.close()',
        py: 'with_closed(a)',
        js: () => {
          const [a, b] = Pipe();
          b.close();
          {
            using c = a;
            void c;
          }
          return a.closed;
        },
      },
    ]);
  });
});

describe('Connection.send_bytes()', () => {
  it("checks offset and size with CPython's messages, and sends the slice", () => {
    let r: Conn;
    let w: Conn;
    const abc = Buffer.from('abcdef');
    compare([
      {
        pySetup: 'r, w = Pipe(False)',
        py: "w.send_bytes(b'abcdef', -1)",
        js: () => {
          [r, w] = Pipe(false).map(track) as [Conn, Conn];
          return w.send_bytes(abc, -1);
        },
      },
      { py: "w.send_bytes(b'abcdef', 7)", js: () => w.send_bytes(abc, 7) },
      { py: "w.send_bytes(b'abcdef', 1, -1)", js: () => w.send_bytes(abc, 1, -1) },
      { py: "w.send_bytes(b'abcdef', 1, 6)", js: () => w.send_bytes(abc, 1, 6) },
      { py: "w.send_bytes(b'abcdef', 'x')", js: () => loose(w.send_bytes.bind(w))(abc, 'x') },
      { py: "w.send_bytes(b'abcdef', 0, 'x')", js: () => loose(w.send_bytes.bind(w))(abc, 0, 'x') },
      { py: "w.send_bytes(b'abcdef', 1.5)", js: () => w.send_bytes(abc, 1.5) },
      { py: 'w.send_bytes()', js: () => loose(w.send_bytes.bind(w))() },
      { py: "w.send_bytes(b'a', 0, 1, 2)", js: () => loose(w.send_bytes.bind(w))(abc, 0, 1, 2) },
      { py: "w.send_bytes(b'a', bogus=1)", js: () => loose(w.send_bytes.bind(w))(abc, { bogus: 1 }) },
      { py: "w.send_bytes(b'abcdef', 2, 3)", js: () => w.send_bytes(abc, 2, 3) },
      { py: "w.send_bytes(b'abcdef', offset=4)", js: () => loose(w.send_bytes.bind(w))(abc, { offset: 4 }) },
      { py: "w.send_bytes(b'abcdef', size=2)", js: () => loose(w.send_bytes.bind(w))(abc, { size: 2 }) },
      { py: "w.send_bytes(b'abcdef', 6)", js: () => w.send_bytes(abc, 6) },
      { py: "w.send_bytes(b'abcdef', 3, None)", js: () => loose(w.send_bytes.bind(w))(abc, 3, null) },
      { py: "w.send_bytes(array.array('i', [1, 2, 3]), 4, 4)", js: () => w.send_bytes(Int32Array.of(1, 2, 3), 4, 4) },
      { py: "w.send_bytes(bytearray(b'xyz'))", js: () => w.send_bytes(new Uint8Array([120, 121, 122]).buffer) },
      {
        py: '[list(r.recv_bytes()) for _ in range(7)]',
        js: () => Array.from({ length: 7 }, () => [...r.recv_bytes()]),
      },
    ]);
  });
});

describe('Connection.recv_bytes()', () => {
  it('maxlength: refused before reading; a duplex connection stops reading, a read-only one closes', () => {
    let a: Conn;
    let b: Conn;
    let r: Conn;
    let w: Conn;
    compare([
      {
        pySetup: "a, b = Pipe(); a.send_bytes(b'0123456789'); a.send_bytes(b'0123456789')",
        py: 'b.recv_bytes(-1)',
        js: () => {
          [a, b] = Pipe().map(track) as [Conn, Conn];
          a.send_bytes(Buffer.from('0123456789'));
          a.send_bytes(Buffer.from('0123456789'));
          return b.recv_bytes(-1);
        },
      },
      { py: "b.recv_bytes('x')", js: () => loose(b.recv_bytes.bind(b))('x') },
      { py: 'b.recv_bytes(10)', js: () => b.recv_bytes(10) },
      { py: 'b.recv_bytes(maxlength=9)', js: () => loose(b.recv_bytes.bind(b))({ maxlength: 9 }) },
      { py: 'state(b)', js: () => state(b) },
      { py: 'b.recv_bytes()', js: () => b.recv_bytes() },
      { py: "b.send_bytes(b'still writable')", js: () => b.send_bytes(Buffer.from('still writable')) },
      { py: 'a.recv_bytes()', js: () => a.recv_bytes() },
      {
        pySetup: "r, w = Pipe(False); w.send_bytes(b'0123456789')",
        py: 'r.recv_bytes(3)',
        js: () => {
          [r, w] = Pipe(false).map(track) as [Conn, Conn];
          w.send_bytes(Buffer.from('0123456789'));
          return r.recv_bytes(3);
        },
      },
      { py: 'state(r)', js: () => state(r) },
      { py: 'b.recv_bytes(1, 2)', js: () => loose(b.recv_bytes.bind(b))(1, 2) },
      { py: 'b.recv_bytes(True)', js: () => loose(b.recv_bytes.bind(b))(true) },
    ]);
  });

  it('EOF: before a message is EOFError, inside one "got end of file during message"; odd headers as CPython reads them', () => {
    compare([
      { py: "raw(b'').recv_bytes()", js: () => raw(Buffer.alloc(0)).recv_bytes() },
      { py: "raw(b'\\x00\\x00').recv_bytes()", js: () => raw(Buffer.from([0, 0])).recv_bytes() },
      { py: 'raw(frame(10)[:7]).recv_bytes()', js: () => raw(frame(10).subarray(0, 7)).recv_bytes() },
      // The header arrived, no byte of the payload: _recv(size) starts afresh, so EOFError.
      { py: 'raw(frame(10)[:4]).recv_bytes()', js: () => raw(frame(10).subarray(0, 4)).recv_bytes() },
      { py: 'raw(frame(0)).recv_bytes()', js: () => raw(frame(0)).recv_bytes() },
      { py: 'raw(frame(-5)).recv_bytes()', js: () => raw(frame(-5)).recv_bytes() },
      { py: "raw(frame(-2**31, b'')).recv_bytes()", js: () => raw(frame(-(2 ** 31), Buffer.alloc(0))).recv_bytes() },
      { py: "raw(big(5, b'abcde')).recv_bytes()", js: () => raw(big(5n, Buffer.from('abcde'))).recv_bytes() },
      { py: 'raw(big(5)[:7]).recv_bytes()', js: () => raw(big(5n).subarray(0, 7)).recv_bytes() },
      { py: 'raw(big(0)).recv_bytes()', js: () => raw(big(0n)).recv_bytes() },
      // 2**64 - 1 cannot be a C ssize_t: CPython's os.read says so before allocating anything.
      {
        py: "raw(big(2**64 - 1, b'abc')).recv_bytes()",
        js: () => raw(big(2n ** 64n - 1n, Buffer.from('abc'))).recv_bytes(),
      },
      { py: "raw(big(2**63, b'abc')).recv_bytes()", js: () => raw(big(2n ** 63n, Buffer.from('abc'))).recv_bytes() },
      // With maxlength, a 3 GiB header is refused before any allocation, on both sides.
      {
        py: "raw(big(3 * 2**30, b'abc')).recv_bytes(1 << 20)",
        js: () => raw(big(3n * 2n ** 30n, Buffer.from('abc'))).recv_bytes(1 << 20),
      },
      {
        py: "raw(frame(2**31 - 1, b'abc')).recv_bytes(100)",
        js: () => raw(frame(2 ** 31 - 1, Buffer.from('abc'))).recv_bytes(100),
      },
    ]);
  });
});

describe('Connection.recv_bytes_into()', () => {
  it('fills the buffer at offset; BufferTooShort carries the whole message', () => {
    let a: Conn;
    let b: Conn;
    compare([
      {
        pySetup:
          "a, b = Pipe(); [a.send_bytes(m) for m in [b'abc', b'def', b'0123456789', b'xy', b'12345678', b'', b'q']]",
        py: 'into(b, bytearray(6))',
        js: () => {
          [a, b] = Pipe().map(track) as [Conn, Conn];
          for (const m of ['abc', 'def', '0123456789', 'xy', '12345678', '', 'q']) a.send_bytes(Buffer.from(m));
          return into(b, Buffer.alloc(6));
        },
      },
      { py: 'into(b, bytearray(6), 3)', js: () => into(b, Buffer.alloc(6), 3) },
      { py: 'b.recv_bytes_into(bytearray(6), -1)', js: () => b.recv_bytes_into(Buffer.alloc(6), -1) },
      { py: 'b.recv_bytes_into(bytearray(6), 7)', js: () => b.recv_bytes_into(Buffer.alloc(6), 7) },
      { py: "b.recv_bytes_into(bytearray(6), 'x')", js: () => loose(b.recv_bytes_into.bind(b))(Buffer.alloc(6), 'x') },
      { py: "b.recv_bytes_into('text')", js: () => loose(b.recv_bytes_into.bind(b))('text') },
      { py: 'b.recv_bytes_into()', js: () => loose(b.recv_bytes_into.bind(b))() },
      { py: 'b.recv_bytes_into(bytearray(6))', js: () => b.recv_bytes_into(Buffer.alloc(6)) },
      { py: 'into(b, bytearray(6), 4)', js: () => into(b, Buffer.alloc(6), 4) },
      // An array of 4-byte items: the message lands at item offset // 4, as CPython's memoryview slice puts it.
      { py: "into(b, array.array('i', [0, 0, 0]), 2)", js: () => into(b, new Int32Array(3), 2) },
      { py: 'into(b, bytearray(0))', js: () => into(b, Buffer.alloc(0)) },
      { py: "into(b, array.array('i', [0, 0]), 7)", js: () => into(b, new Int32Array(2), 7) },
    ]);
  });
});

describe('Connection.send() / recv()', () => {
  it("carry pickled values; the arity errors are the methods'", () => {
    let a: Conn;
    let b: Conn;
    compare([
      {
        pySetup: "a, b = Pipe(); a.send({'cmd': 'run', 'args': [1, 2.5, None, True, 'x', b'y'], 'n': 2**70})",
        py: 'repr(b.recv())',
        js: () => {
          [a, b] = Pipe().map(track) as [Conn, Conn];
          a.send({ cmd: 'run', args: [1, 2.5, null, true, 'x', Buffer.from('y')], n: 2n ** 70n });
          return pyValueRepr(b.recv());
        },
      },
      { py: 'a.send()', js: () => loose(a.send.bind(a))() },
      { py: 'a.send(1, 2)', js: () => loose(a.send.bind(a))(1, 2) },
      { py: 'b.recv(1)', js: () => loose(b.recv.bind(b))(1) },
      { py: 'a.send(None) or b.recv()', js: () => a.send(null) ?? b.recv() },
      { py: "raw(frame(3, b'abc')).recv()", js: () => raw(frame(3, Buffer.from('abc'))).recv() },
      // An empty payload is an empty pickle: CPython's EOFError('Ran out of input') is an UnpicklingError with
      // that message in pipefork, whose pickle has one error class for bad pickles (docs/pickle.md).
      { py: "as_unpickling_error(lambda: raw(frame(0, b'')).recv())", js: () => raw(frame(0, Buffer.alloc(0))).recv() },
    ]);
  });
});

describe('Connection.poll()', () => {
  it('says whether a message or EOF is waiting, within the timeout; the timeout checked as wait() checks it', () => {
    let a: Conn;
    let b: Conn;
    compare([
      {
        pySetup: 'a, b = Pipe()',
        py: '[b.poll(), b.poll(0), b.poll(0.01), b.poll(-1), b.poll(timeout=0.01)]',
        js: () => {
          [a, b] = Pipe().map(track) as [Conn, Conn];
          return [b.poll(), b.poll(0), b.poll(0.01), b.poll(-1), loose(b.poll.bind(b))({ timeout: 0.01 })];
        },
      },
      { py: "b.poll('x')", js: () => loose(b.poll.bind(b))('x') },
      { py: "b.poll(float('nan'))", js: () => b.poll(Number.NaN) },
      { py: "b.poll(float('inf'))", js: () => b.poll(Number.POSITIVE_INFINITY) },
      { py: "b.poll(float('-inf'))", js: () => b.poll(Number.NEGATIVE_INFINITY) },
      { py: 'b.poll(1, 2)', js: () => loose(b.poll.bind(b))(1, 2) },
      {
        pySetup: "a.send_bytes(b'x')",
        py: '[b.poll(), b.poll(None), list(b.recv_bytes()), b.poll()]',
        js: () => {
          a.send_bytes(Buffer.from('x'));
          return [b.poll(), b.poll(null), [...b.recv_bytes()], b.poll()];
        },
      },
      {
        pySetup: 'a.close()',
        py: '[b.poll(), b.poll(None)]',
        js: () => {
          a.close();
          return [b.poll(), b.poll(null)];
        },
      },
    ]);
  });
});

describe('connection.wait()', () => {
  const { wait } = multiprocessing.connection;
  it('returns the ready objects in the order given; [] at the timeout', () => {
    let cs: Conn[] = [];
    compare([
      {
        pySetup:
          "cs = [c for p in (Pipe(), Pipe(), Pipe()) for c in p]; cs[0].send_bytes(b'x'); cs[4].send_bytes(b'y')",
        py: '[cs.index(c) for c in wait([cs[5], cs[3], cs[1], cs[0]], 0)]',
        js: () => {
          cs = [Pipe(), Pipe(), Pipe()].flat().map(track);
          (cs[0] as Conn).send_bytes(Buffer.from('x'));
          (cs[4] as Conn).send_bytes(Buffer.from('y'));
          return wait([cs[5], cs[3], cs[1], cs[0]] as Conn[], 0).map((c) => cs.indexOf(c));
        },
      },
      { py: 'wait([cs[0]], 0.01)', js: () => wait([cs[0] as Conn], 0.01) },
      { py: 'wait([], 0)', js: () => wait([], 0) },
      { py: '[cs.index(c) for c in wait([cs[5]])]', js: () => wait([cs[5] as Conn]).map((c) => cs.indexOf(c)) },
      {
        py: 'wait([cs[1].fileno()], 0) == [cs[1].fileno()]',
        js: () => wait([(cs[1] as Conn).fileno()], 0)[0] === (cs[1] as Conn).fileno(),
      },
      { py: 'wait([-1], 0)', js: () => wait([-1], 0) },
      { py: 'wait([2**31], 0)', js: () => wait([2 ** 31], 0) },
      { py: 'wait([2**64], 0)', js: () => loose(wait)([2n ** 64n], 0) },
      { py: "wait(['x'], 0)", js: () => loose(wait)(['x'], 0) },
      { py: 'wait(5, 0)', js: () => loose(wait)(5, 0) },
      { py: "wait([cs[0]], 'x')", js: () => loose(wait)([cs[0]], 'x') },
      { py: 'wait()', js: () => loose(wait)() },
      {
        pySetup: 'cs[2].close()',
        py: 'wait([cs[2]], 0)',
        js: () => {
          (cs[2] as Conn).close();
          return wait([cs[2] as Conn], 0);
        },
      },
      {
        // The message names the fd, which differs between the two processes.
        py: 'dup_wait(cs[1].fileno())',
        js: () => {
          const fd = (cs[1] as Conn).fileno();
          const o = outcome(() => wait([fd, fd], 0)) as string[];
          return [o[0], o[1], (o[2] as string).replaceAll(String(fd), 'N')];
        },
      },
    ]);
  });
});

describe('Connection with JS buffers', () => {
  it('sends from and receives into any ArrayBufferView, SharedArrayBuffer-backed ones included', () => {
    const [a, b] = Pipe();
    try {
      const shared = new Uint8Array(new SharedArrayBuffer(8));
      a.send_bytes(Buffer.from('hey'));
      expect(b.recv_bytes_into(shared, 2)).toBe(3);
      expect([...shared]).toEqual([0, 0, 104, 101, 121, 0, 0, 0]);
      a.send_bytes(shared, 1, 4);
      expect([...b.recv_bytes()]).toEqual([0, 104, 101, 121]);
      a.send_bytes(new DataView(shared.buffer, 2, 3));
      expect(b.recv_bytes().toString()).toBe('hey');
      a.send_bytes(new Float64Array([1.5]));
      expect(b.recv_bytes().readDoubleLE(0)).toBe(1.5);
    } finally {
      a.close();
      b.close();
    }
  });
});

describe('connection.wait() and Connection.poll() through signals', () => {
  it('keep their deadline through a signal every 50 ms, each interruption seen by the interrupt hook', async () => {
    let interrupts = 0;
    setInterruptHook(() => {
      interrupts++;
    });
    const handler = () => {};
    process.on('SIGUSR2', handler); // Node's handler: SIGUSR2 interrupts poll(2) instead of killing
    const child = spawn(
      'python3',
      [
        '-c',
        `import os, signal, time
end = time.monotonic() + 5
while time.monotonic() < end:
    os.kill(${process.pid}, signal.SIGUSR2); time.sleep(0.05)`,
      ],
      { stdio: 'ignore' },
    );
    const exited = new Promise((res) => child.once('exit', res));
    const [a, b] = Pipe();
    try {
      await new Promise((res) => setTimeout(res, 100)); // the first signals are on their way
      let t0 = performance.now();
      expect(multiprocessing.connection.wait([b], 0.6)).toEqual([]);
      let elapsed = (performance.now() - t0) / 1000;
      expect(elapsed).toBeGreaterThanOrEqual(0.6);
      expect(elapsed).toBeLessThan(1.5);
      t0 = performance.now();
      expect(b.poll(0.6)).toBe(false);
      elapsed = (performance.now() - t0) / 1000;
      expect(elapsed).toBeGreaterThanOrEqual(0.6);
      expect(elapsed).toBeLessThan(1.5);
      expect(interrupts).toBeGreaterThan(5);
    } finally {
      setInterruptHook(undefined);
      a.close();
      b.close();
      child.kill();
      await exited;
      process.off('SIGUSR2', handler);
    }
  });
});
